package vegalite

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"

	"github.com/reckon-dev/reckon/display"
	"github.com/reckon-dev/reckon/display/plot"
)

// MIME is the type a spec travels under: Vega-Lite 4, which both
// JupyterLab 3.6 and 4 draw.
const MIME = "application/vnd.vegalite.v4+json"

const schema = "https://vega.github.io/schema/vega-lite/v4.json"

// MaxPoints is the most points a spec carries; above it, a seeded sample.
const MaxPoints = 100_000

// MaxTooltip is the most chosen columns a tooltip shows, beside the row
// id, the cluster and its probability.
const MaxTooltip = 5

// Column is a column of the table the points came from, shown in the
// tooltip: numbers (NaN missing) or text.
type Column struct {
	Name    string
	Numbers []float64
	Text    []string
}

func (c Column) len() int { return max(len(c.Numbers), len(c.Text)) }

// Attach adds a spec to a plot's bundle, beside its PNG and text.
func Attach(b display.Bundle, spec json.RawMessage) display.Bundle {
	if b.Data == nil {
		b.Data = map[string]any{}
	}
	b.Data[MIME] = spec
	return b
}

// ScatterOptions says what a scatter's points show. The zero value draws
// every point in one colour.
type ScatterOptions struct {
	Title, XLabel, YLabel string
	// Labels colours the points by category (clusters), Names names some
	// of them, by label, and ColorName titles the legend, as in
	// plot.ScatterOptions. Values colours them by number instead.
	Labels    []string
	Names     map[string]string
	Values    []float64
	ColorName string
	// Scheme is the Vega colour scheme for Values; default "viridis".
	// ReverseScheme runs it backwards.
	Scheme        string
	ReverseScheme bool
	// Probabilities are the points' membership probabilities, shown in
	// the tooltip.
	Probabilities []float64
	// ID is the row id shown first in the tooltip; nil shows the row's
	// number instead, counted from 0, as explain's row= counts and as
	// umap.plot.interactive shows the index.
	ID *Column
	// Tooltip are up to MaxTooltip more columns the tooltip shows.
	Tooltip []Column
	// Width and Height are the plot's size in CSS pixels; default 640 by
	// 480.
	Width, Height int
	// Seed draws the sample of a plot of more than MaxPoints points.
	Seed uint64
}

// Scatter is the interactive twin of plot.Scatter: the same points, in
// the same colours and drawing order, with a tooltip per point, pan and
// zoom on the mouse wheel and drag, and a legend whose entries, clicked
// (shift-click for more), highlight their clusters.
func Scatter(x, y []float64, opts ScatterOptions) (json.RawMessage, error) {
	n := len(x)
	if n == 0 {
		return nil, errors.New("vegalite: scatter: there are no points to plot")
	}
	if len(y) != n {
		return nil, fmt.Errorf("vegalite: scatter: %d x coordinates but %d y coordinates", n, len(y))
	}
	if err := checkLengths(n, opts); err != nil {
		return nil, err
	}
	order, title := sample(n, opts.Seed, opts.Title)
	if opts.Labels != nil {
		order = drawingOrder(order, opts.Labels)
	}
	var c columns
	c.numbers("x", pick(x, order), decimalsFor(x))
	c.numbers("y", pick(y, order), decimalsFor(y))
	enc := map[string]any{
		"x": map[string]any{"field": "x", "type": "quantitative", "title": opts.XLabel, "scale": positionScale()},
		"y": map[string]any{"field": "y", "type": "quantitative", "title": opts.YLabel, "scale": positionScale()},
	}
	tips := []any{idTooltip(&c, opts.ID, order)}
	selection := map[string]any{"zoom": map[string]any{"type": "interval", "bind": "scales"}}
	radius, opacity := plot.PointStyle(n)
	switch {
	case opts.Labels != nil:
		colorName := orString(opts.ColorName, "cluster")
		domain, colors := legend(opts.Labels, opts.Names)
		index := map[string]int{}
		for i, l := range domainLabels(opts.Labels) {
			index[l] = i
		}
		c.codes("c", pickText(opts.Labels, order), index)
		c.after = append(c.after, lookup("c", "cluster", domain))
		enc["color"] = map[string]any{"field": "cluster", "type": "nominal", "title": colorName,
			"scale": map[string]any{"domain": domain, "range": colors}}
		selection["pick"] = map[string]any{"type": "multi", "fields": []string{"cluster"}, "bind": "legend"}
		enc["opacity"] = map[string]any{"condition": map[string]any{"selection": "pick", "value": opacity}, "value": 0.03}
		tips = append(tips, map[string]any{"field": "cluster", "type": "nominal", "title": colorName})
	case opts.Values != nil:
		c.significant("v", pick(opts.Values, order))
		scale := map[string]any{"scheme": orString(opts.Scheme, "viridis")}
		if opts.ReverseScheme {
			scale["reverse"] = true
		}
		name := orString(opts.ColorName, "value")
		enc["color"] = map[string]any{"field": "v", "type": "quantitative", "title": name, "scale": scale}
		enc["opacity"] = map[string]any{"value": opacity}
		tips = append(tips, map[string]any{"field": "v", "type": "quantitative", "title": name})
	default:
		enc["opacity"] = map[string]any{"value": opacity}
	}
	if opts.Probabilities != nil {
		c.numbers("p", pick(opts.Probabilities, order), 2)
		tips = append(tips, map[string]any{"field": "p", "type": "quantitative", "title": "probability"})
	}
	for k, col := range opts.Tooltip {
		tips = append(tips, tooltipColumn(&c, fmt.Sprintf("t%d", k), col, order))
	}
	if len(tips) > 0 {
		enc["tooltip"] = tips
	}
	data, transform := c.data()
	spec := map[string]any{
		"$schema":   schema,
		"width":     orInt(opts.Width, 640),
		"height":    orInt(opts.Height, 480),
		"data":      data,
		"transform": transform,
		"mark":      map[string]any{"type": "circle", "size": roundTenth(math.Pi * radius * radius)},
		"encoding":  enc,
		"selection": selection,
	}
	if title != "" {
		spec["title"] = title
	}
	return json.Marshal(spec)
}

func checkLengths(n int, opts ScatterOptions) error {
	if opts.Labels != nil && opts.Values != nil {
		return errors.New("vegalite: scatter: colour by labels or by values, not both")
	}
	if len(opts.Tooltip) > MaxTooltip {
		return fmt.Errorf("vegalite: scatter: a tooltip shows at most %d chosen columns, not %d", MaxTooltip, len(opts.Tooltip))
	}
	check := func(what string, k int) error {
		if k != n {
			return fmt.Errorf("vegalite: scatter: %d %s for %d points", k, what, n)
		}
		return nil
	}
	for _, c := range []struct {
		what string
		k    int
		set  bool
	}{
		{"labels", len(opts.Labels), opts.Labels != nil},
		{"colour values", len(opts.Values), opts.Values != nil},
		{"probabilities", len(opts.Probabilities), opts.Probabilities != nil},
	} {
		if c.set {
			if err := check(c.what, c.k); err != nil {
				return err
			}
		}
	}
	cols := opts.Tooltip
	if opts.ID != nil {
		cols = append([]Column{*opts.ID}, cols...)
	}
	for _, col := range cols {
		if err := check("values of column "+col.Name, col.len()); err != nil {
			return err
		}
	}
	return nil
}

// sample returns the rows a spec carries: all of them, or above MaxPoints
// a seeded sample in row order, with the title saying so.
func sample(n int, seed uint64, title string) ([]int, string) {
	if n <= MaxPoints {
		order := make([]int, n)
		for i := range order {
			order[i] = i
		}
		return order, title
	}
	r := rand.New(rand.NewPCG(seed, 0x5eed))
	order := r.Perm(n)[:MaxPoints]
	slices.Sort(order)
	note := fmt.Sprintf("a random sample of %s of %s points (seed %d)", display.Thousands(MaxPoints), display.Thousands(n), seed)
	if title == "" {
		return order, "Showing " + note
	}
	return order, title + " (" + note + ")"
}

// drawingOrder puts the rows in the order plot.Scatter draws them, which
// Vega-Lite follows too: noise first, underneath, then categories from
// the largest to the smallest, each in row order.
func drawingOrder(rows []int, labels []string) []int {
	size := map[string]int{}
	for _, i := range rows {
		size[labels[i]]++
	}
	rank := func(i int) int {
		if plot.IsNoise(labels[i]) {
			return math.MaxInt
		}
		return size[labels[i]]
	}
	out := slices.Clone(rows)
	slices.SortStableFunc(out, func(a, b int) int { return rank(b) - rank(a) })
	return out
}

// positionScale is the scale of a scatter's axes: fitted to the points
// rather than to zero, and padded by a few pixels, because a chart whose
// scales are bound to zoom clips its marks, and the points at the domain's
// ends would otherwise be cut in half.
func positionScale() map[string]any {
	return map[string]any{"zero": false, "padding": 6}
}

// domainLabels are the distinct labels in legend order.
func domainLabels(labels []string) []string {
	names, _ := plot.LabelColors(labels)
	return names
}

// legend returns the legend's entries, "label · name" for named labels,
// and their colours, as plot.Scatter draws them.
func legend(labels []string, names map[string]string) (domain, colors []string) {
	ls, cs := plot.LabelColors(labels)
	for i, l := range ls {
		entry := l
		if plot.IsNoise(l) {
			entry = "noise"
			if l != "-1" && l != "noise" {
				entry = l
			}
		}
		if name := names[l]; name != "" && name != l {
			entry = l + " · " + name
		}
		domain, colors = append(domain, entry), append(colors, plot.Hex(cs[i]))
	}
	return domain, colors
}

// idTooltip adds the points' row ids, or their row numbers where id is
// nil, as the tooltip's field i.
func idTooltip(c *columns, id *Column, order []int) map[string]any {
	if id != nil {
		return tooltipColumn(c, "i", *id, order)
	}
	rows := make([]float64, len(order))
	for k, i := range order {
		rows[k] = float64(i)
	}
	c.numbers("i", rows, 0)
	return map[string]any{"field": "i", "type": "quantitative", "title": "row", "format": "d"}
}

// tooltipColumn adds a column under key and returns its tooltip entry.
func tooltipColumn(c *columns, key string, col Column, order []int) map[string]any {
	if col.Numbers != nil {
		c.significant(key, pick(col.Numbers, order))
		return map[string]any{"field": key, "type": "quantitative", "title": col.Name}
	}
	c.text(key, key, pickText(col.Text, order))
	return map[string]any{"field": key, "type": "nominal", "title": col.Name}
}

func pick(v []float64, order []int) []float64 {
	out := make([]float64, len(order))
	for k, i := range order {
		out[k] = v[i]
	}
	return out
}

func pickText(v []string, order []int) []string {
	out := make([]string, len(order))
	for k, i := range order {
		out[k] = v[i]
	}
	return out
}

func orInt(v, def int) int {
	if v == 0 {
		return def
	}
	return v
}

func orString(v, def string) string {
	if v == "" {
		return def
	}
	return v
}
