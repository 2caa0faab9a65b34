package plot

import (
	"fmt"
	"image/color"
	"math"
	"slices"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/reckon-dev/reckon/display"
	"github.com/reckon-dev/reckon/internal/randseed"
)

// BeeswarmOptions shapes a SHAP summary plot.
type BeeswarmOptions struct {
	// Format is PNG (the zero value) or SVG, which adds a vector form.
	Format Format
	// MaxDisplay is how many features are shown, the most important at the
	// top; default 20, as shap.summary_plot.
	MaxDisplay int
	// Title is drawn above the plot; empty means none.
	Title string
	// Width and Height are the displayed size in CSS pixels: by default
	// 768 wide (shap's 8 inches) and 0.4 inch a feature plus 1.5 inches
	// high, as in shap.
	Width, Height int
}

// shap's marker: s=16 square points of area, a radius of √(16/π).
var shapDotRadius = vg.Points(math.Sqrt(16 / math.Pi))

// Beeswarm draws shap's summary plot (shap.summary_plot with plot_type
// "dot"): one row per feature, the MaxDisplay features of largest mean
// |SHAP| from the top down; in each row a point per explained row at its
// SHAP value, piled up vertically where values are dense, and coloured by
// the feature's value from blue (low) to red (high) over its 5th to 95th
// percentile. Missing values are grey.
//
// shap stacks each row's points in 100 bins in a random order; here the
// order is a fixed shuffle, so the same explanation always gives the same
// picture.
func Beeswarm(e Explanation, opts BeeswarmOptions) (display.Bundle, error) {
	rows, features, err := e.check("beeswarm")
	if err != nil {
		return display.Bundle{}, err
	}
	if opts.MaxDisplay < 0 {
		return display.Bundle{}, fmt.Errorf("plot: beeswarm: max display %d must be positive", opts.MaxDisplay)
	}
	if err := checkSize(opts.Width, opts.Height); err != nil {
		return display.Bundle{}, fmt.Errorf("plot: beeswarm: %w", err)
	}
	k := min(features, orDefault(opts.MaxDisplay, 20))
	mean := e.meanAbs()
	order := importanceOrder(mean)[:k]

	bs := &beeswarm{e: e, order: order}
	bs.build(rows)
	w := orDefault(opts.Width, 768)
	h := orDefault(opts.Height, int(math.Round((0.4*float64(k)+1.5)*cssDPI)))
	fig := figure{width: w, height: h, points: len(bs.pts.x), draw: func(c draw.Canvas) { bs.draw(c, opts.Title) }}

	var b strings.Builder
	if opts.Title != "" {
		b.WriteString(opts.Title + ": ")
	}
	fmt.Fprintf(&b, "SHAP summary (beeswarm) of %s %s: ", count(rows), noun(rows, "row", "rows"))
	if k < features {
		fmt.Fprintf(&b, "the %d of %d features with the largest mean |SHAP|, top down. ", k, features)
	} else {
		fmt.Fprintf(&b, "all %d %s by mean |SHAP|, top down. ", k, noun(k, "feature", "features"))
	}
	fmt.Fprintf(&b, "Most important: %s.", e.topFeatures(order, mean, 5))
	if e.Data != nil {
		b.WriteString(" Points are coloured by feature value, blue low to red high, grey missing.")
	}
	return fig.bundle(b.String(), opts.Format)
}

type beeswarm struct {
	e     Explanation
	order []int // features shown, most important first
	pts   dots
}

// jitter is shap's vertical layout of one row: the SHAP values are cut
// into 100 bins, and the points of a bin alternate above and below the
// centre line, 0, +1, −1, +2, −2, …, in the given order; the offsets are
// then scaled so that the tallest pile fills 0.9 of shap's 0.4 row height.
func jitter(values []float64, order []int) []float64 {
	const bins = 100
	lo, hi := slices.Min(values), slices.Max(values)
	quant := make([]int, len(values))
	for i, v := range values {
		q := math.Round(bins * (v - lo) / (hi - lo + 1e-8))
		if !(q >= 0) { // NaN when the span overflows
			q = 0
		}
		quant[i] = int(min(q, bins))
	}
	// Group by bin, keeping the given order within a bin (a counting sort).
	start := make([]int, bins+2)
	for _, q := range quant {
		start[q+1]++
	}
	for b := 1; b < len(start); b++ {
		start[b] += start[b-1]
	}
	seq := make([]int, len(order))
	for _, i := range order {
		seq[start[quant[i]]] = i
		start[quant[i]]++
	}
	ys := make([]float64, len(values))
	layer, last := 0, -1
	top := 0.0
	for _, i := range seq {
		if quant[i] != last {
			layer = 0
		}
		ys[i] = math.Ceil(float64(layer)/2) * float64(2*(layer%2)-1)
		top = math.Max(top, ys[i])
		layer++
		last = quant[i]
	}
	scale := 0.9 * 0.4 / (top + 1)
	for i := range ys {
		ys[i] *= scale
	}
	return ys
}

// shuffle is a fixed permutation of n rows: shap shuffles the rows so that
// no colour is systematically drawn on top; a constant seed keeps the
// output reproducible.
func shuffle(n int) []int {
	p := make([]int, n)
	for i := range p {
		p[i] = i
	}
	r := randseed.New(0x5eed, 0xbee5)
	r.Shuffle(n, func(i, j int) { p[i], p[j] = p[j], p[i] })
	return p
}

func (bs *beeswarm) build(rows int) {
	perm := shuffle(rows)
	k := len(bs.order)
	bs.pts.radius = shapDotRadius
	for rank, j := range bs.order {
		pos := float64(k - 1 - rank)
		shaps := bs.e.column(j)
		ys := jitter(shaps, perm)
		if bs.e.Data == nil {
			for _, i := range perm {
				bs.pts.add(shaps[i], pos+ys[i], shapBlue)
			}
			continue
		}
		vals := bs.e.dataColumn(j)
		lo, hi, _ := colorRange(vals)
		norm := normalizer(lo, hi)
		// Missing values first, underneath, as shap draws them.
		for _, i := range perm {
			if math.IsNaN(vals[i]) {
				bs.pts.add(shaps[i], pos+ys[i], missingGrey)
			}
		}
		for _, i := range perm {
			if !math.IsNaN(vals[i]) {
				bs.pts.add(shaps[i], pos+ys[i], shapRedBlue.At(norm(vals[i])))
			}
		}
	}
}

func (bs *beeswarm) draw(c draw.Canvas, title string) {
	k := len(bs.order)
	p := newPlot(title, "SHAP value (impact on model output)", "")
	names := make([]string, k)
	for rank, j := range bs.order {
		names[k-1-rank] = truncate(bs.e.name(j), 40)
	}
	nominalY(p, names)
	p.Add(&guides{vlines: []float64{0}, vcolor: midLine, hlines: seq(k), hcolor: lightLine})
	p.Add(&bs.pts)
	p.Y.Min, p.Y.Max = -1, float64(k)
	var cb colorBar
	if bs.e.Data != nil {
		cb = colorBar{cmap: shapRedBlue, lo: 0, hi: 1, label: "Feature value",
			ticks: []plot.Tick{{Value: 0, Label: "Low"}, {Value: 1, Label: "High"}}}
	}
	main := c
	if bs.e.Data != nil {
		main.Max.X -= cb.width()
	}
	p.Draw(main)
	if bs.e.Data != nil {
		dc := p.DataCanvas(main)
		rest := c
		rest.Min.X = main.Max.X
		cb.draw(rest, dc.Min.Y, dc.Max.Y)
	}
}

func seq(n int) []float64 {
	s := make([]float64, n)
	for i := range s {
		s[i] = float64(i)
	}
	return s
}

// nominalY labels the y positions 0, 1, … with names, shap style: no axis
// line, no tick marks.
func nominalY(p *plot.Plot, names []string) {
	ticks := make([]plot.Tick, len(names))
	for i, n := range names {
		ticks[i] = plot.Tick{Value: float64(i), Label: n}
	}
	p.Y.Tick.Marker = plot.ConstantTicks(ticks)
	p.Y.Tick.Length = 0
	p.Y.Width = 0
	p.Y.Tick.Label.Font.Size = vg.Points(labelSize)
	p.Y.Tick.Label.Color = black
}

// guides draws shap's background lines: dotted light lines along the rows
// and solid vertical lines, across the whole data area.
type guides struct {
	vlines, hlines []float64
	vcolor, hcolor color.Color
	// vdash draws the vertical lines dashed.
	vdash bool
}

func (g *guides) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	h := draw.LineStyle{Color: g.hcolor, Width: vg.Points(0.5), Dashes: []vg.Length{vg.Points(1), vg.Points(5)}}
	for _, y := range g.hlines {
		c.StrokeLine2(h, c.Min.X, trY(y), c.Max.X, trY(y))
	}
	v := draw.LineStyle{Color: g.vcolor, Width: vg.Points(1)}
	if g.vdash {
		v.Width = vg.Points(0.5)
		v.Dashes = []vg.Length{vg.Points(3.7), vg.Points(1.6)}
	}
	for _, x := range g.vlines {
		c.StrokeLine2(v, trX(x), c.Min.Y, trX(x), c.Max.Y)
	}
}

// DataRange keeps the guide lines inside the axes, as matplotlib's axvline
// does.
func (g *guides) DataRange() (xmin, xmax, ymin, ymax float64) {
	xmin, ymin = math.Inf(1), math.Inf(1)
	xmax, ymax = math.Inf(-1), math.Inf(-1)
	for _, x := range g.vlines {
		xmin, xmax = math.Min(xmin, x), math.Max(xmax, x)
	}
	for _, y := range g.hlines {
		ymin, ymax = math.Min(ymin, y), math.Max(ymax, y)
	}
	return xmin, xmax, ymin, ymax
}
