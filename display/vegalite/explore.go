package vegalite

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/reckon-dev/reckon/display/plot"
)

// Clustering is one clustering of an explore chart: the parameter value
// that made it, a label per point (-1 for noise), and its summary.
type Clustering struct {
	Value    int
	Labels   []int
	Clusters int
	// Noise is the share of points labelled noise, in [0, 1].
	Noise float64
}

// ExploreOptions shapes an explore chart.
type ExploreOptions struct {
	// Param names the parameter the clusterings vary ("min_cluster_size").
	Param                 string
	Title, XLabel, YLabel string
	// ID and Tooltip are as in ScatterOptions.
	ID      *Column
	Tooltip []Column
	// Initial is the index of the clustering shown first.
	Initial int
	// Width and Height are the scatter's size; default 560 by 440.
	Width, Height int
	// Seed draws the sample of more than MaxPoints points.
	Seed uint64
}

// slider is the selection whose range input picks the clustering, and
// the signal Vega-Lite 4 and 5 both name after it and its field, which
// the colour calculation and the marker of the current value read.
const (
	slider       = "pick"
	sliderSignal = slider + "_k"
)

// Explore draws the points once with a label per clustering, and a
// slider under the chart that picks which clustering colours them: the
// browser recolours the points itself, with no kernel behind it. Beside
// the scatter, two small line charts give the number of clusters and the
// noise share per value, the chosen value marked with a rule.
func Explore(x, y []float64, steps []Clustering, opts ExploreOptions) (json.RawMessage, error) {
	n := len(x)
	if n == 0 || len(y) != n {
		return nil, fmt.Errorf("vegalite: explore: %d x and %d y coordinates; want the same positive number", n, len(y))
	}
	if len(steps) == 0 {
		return nil, errors.New("vegalite: explore: there are no clusterings to choose from")
	}
	if opts.Initial < 0 || opts.Initial >= len(steps) {
		return nil, fmt.Errorf("vegalite: explore: the initial clustering %d is not one of the %d", opts.Initial, len(steps))
	}
	most := 0
	for _, s := range steps {
		if len(s.Labels) != n {
			return nil, fmt.Errorf("vegalite: explore: the clustering at %d has %d labels for %d points", s.Value, len(s.Labels), n)
		}
		for _, l := range s.Labels {
			most = max(most, l+1)
		}
	}
	if err := checkLengths(n, ScatterOptions{ID: opts.ID, Tooltip: opts.Tooltip}); err != nil {
		return nil, err
	}
	order, title := sample(n, opts.Seed, opts.Title)
	first := make([]string, n)
	for i, l := range steps[opts.Initial].Labels {
		first[i] = strconv.Itoa(l)
	}
	order = drawingOrder(order, first)

	var c columns
	c.numbers("x", pick(x, order), decimalsFor(x))
	c.numbers("y", pick(y, order), decimalsFor(y))
	tips := []any{idTooltip(&c, opts.ID, order)}
	// Cluster i is coded i+1 and noise 0, so every code is a small
	// non-negative number; the domain lists the clusters of every
	// clustering, each in the palette's colour for its label as a
	// static scatter of that clustering draws it.
	labels := make([]string, most+1)
	labels[0] = "-1"
	for i := 1; i <= most; i++ {
		labels[i] = strconv.Itoa(i - 1)
	}
	domain, colors := legend(labels, nil)
	codeOf := map[string]int{}
	for i, l := range domainLabels(labels) {
		codeOf[l] = i
	}
	for k, s := range steps {
		codes := make([]int, len(order))
		for j, i := range order {
			codes[j] = codeOf[strconv.Itoa(s.Labels[i])]
		}
		c.ints(fmt.Sprintf("l%d", k), codes)
	}
	c.after = append(c.after,
		map[string]any{"calculate": "datum['l' + " + sliderSignal + "]", "as": "c"},
		lookup("c", "cluster", domain))
	tips = append(tips, map[string]any{"field": "cluster", "type": "nominal", "title": "cluster"})
	for k, col := range opts.Tooltip {
		tips = append(tips, tooltipColumn(&c, fmt.Sprintf("t%d", k), col, order))
	}
	data, transform := c.data()
	radius, opacity := plot.PointStyle(n)
	values := make([]string, len(steps))
	for k, s := range steps {
		values[k] = strconv.Itoa(s.Value)
	}
	param := orString(opts.Param, "value")
	scatter := map[string]any{
		"width":     orInt(opts.Width, 560),
		"height":    orInt(opts.Height, 440),
		"data":      data,
		"transform": transform,
		"mark":      map[string]any{"type": "circle", "size": roundTenth(math.Pi * radius * radius)},
		"encoding": map[string]any{
			"x":       map[string]any{"field": "x", "type": "quantitative", "title": opts.XLabel, "scale": positionScale()},
			"y":       map[string]any{"field": "y", "type": "quantitative", "title": opts.YLabel, "scale": positionScale()},
			"color":   map[string]any{"field": "cluster", "type": "nominal", "title": "cluster", "scale": map[string]any{"domain": domain, "range": colors}},
			"opacity": map[string]any{"condition": map[string]any{"selection": "legend", "value": opacity}, "value": 0.03},
			"tooltip": tips,
		},
		"selection": map[string]any{
			"zoom":   map[string]any{"type": "interval", "bind": "scales"},
			"legend": map[string]any{"type": "multi", "fields": []string{"cluster"}, "bind": "legend"},
			slider: map[string]any{"type": "single", "fields": []string{"k"}, "init": map[string]any{"k": opts.Initial},
				"bind": map[string]any{"input": "range", "min": 0, "max": len(steps) - 1, "step": 1,
					"name": param + " (" + strings.Join(values, ", ") + "), position "}},
		},
	}
	spec := map[string]any{
		"$schema": schema,
		"hconcat": []any{scatter, map[string]any{"vconcat": []any{
			summaryChart(steps, param, "clusters", func(s Clustering) float64 { return float64(s.Clusters) }, ""),
			summaryChart(steps, param, "noise share", func(s Clustering) float64 { return s.Noise }, "%"),
		}}},
	}
	if title != "" {
		spec["title"] = title
	}
	return json.Marshal(spec)
}

// summaryChart is a small line chart of one figure per parameter value,
// the value the slider chose marked by a rule and written above it.
func summaryChart(steps []Clustering, param, what string, figure func(Clustering) float64, format string) map[string]any {
	rows := make([]map[string]any, len(steps))
	for k, s := range steps {
		rows[k] = map[string]any{"k": k, "v": s.Value, "y": figure(s)}
	}
	yAxis := map[string]any{"field": "y", "type": "quantitative", "title": what}
	if format != "" {
		yAxis["axis"] = map[string]any{"format": format}
	}
	x := map[string]any{"field": "v", "type": "quantitative", "title": param}
	current := []map[string]any{{"filter": "datum.k == " + sliderSignal}}
	return map[string]any{
		"width": 200, "height": 150,
		"data": map[string]any{"values": rows},
		"layer": []any{
			map[string]any{"mark": map[string]any{"type": "line", "point": true}, "encoding": map[string]any{"x": x, "y": yAxis,
				"tooltip": []any{map[string]any{"field": "v", "type": "quantitative", "title": param}, map[string]any{"field": "y", "type": "quantitative", "title": what, "format": ".3~g"}}}},
			map[string]any{"transform": current, "mark": map[string]any{"type": "rule", "color": "#d62728"}, "encoding": map[string]any{"x": x}},
			map[string]any{"transform": current, "mark": map[string]any{"type": "text", "align": "left", "dx": 4, "dy": -4, "color": "#d62728"},
				"encoding": map[string]any{"x": x, "y": yAxis, "text": map[string]any{"field": "v", "type": "quantitative"}}},
		},
	}
}

func roundTenth(v float64) float64 { return math.Round(v*10) / 10 }
