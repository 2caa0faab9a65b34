package plot

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/reckon-dev/reckon/display"
	"github.com/reckon-dev/reckon/internal/stats"
)

// DependenceOptions shapes a SHAP dependence plot.
type DependenceOptions struct {
	// Format is PNG (the zero value) or SVG, which adds a vector form.
	Format Format
	// ColorBy names the feature that colours the points: "" for none,
	// "auto" for the feature that seems to interact most with the plotted
	// one (shap's interaction_index="auto"), or a feature name.
	ColorBy string
	// Title is drawn above the plot; empty means none.
	Title string
	// Width and Height are the displayed size in CSS pixels; default
	// 720 by 480 with a colour bar and 576 by 480 without (shap's 7.5 by 5
	// and 6 by 5 inches).
	Width, Height int
}

// Dependence draws shap's dependence plot for one feature: a point per
// row at (feature value, SHAP value of that feature), coloured by another
// feature through shap's blue–red map over its 5th to 95th percentile (or
// in shap's blue when uncoloured). Rows whose feature value is missing
// are drawn as grey ticks along the left edge, at their SHAP value.
func Dependence(e Explanation, feature string, opts DependenceOptions) (display.Bundle, error) {
	rows, _, err := e.check("dependence")
	if err != nil {
		return display.Bundle{}, err
	}
	if err := checkSize(opts.Width, opts.Height); err != nil {
		return display.Bundle{}, fmt.Errorf("plot: dependence: %w", err)
	}
	xs, ys, cvals, name, colorName, err := e.DependenceColumns(feature, opts.ColorBy)
	if err != nil {
		return display.Bundle{}, err
	}
	auto := opts.ColorBy == "auto"

	d := &dependence{name: name, pts: dots{radius: shapDotRadius}}
	norm := func(float64) float64 { return 0 }
	if cvals != nil {
		lo, hi, ok := colorRange(cvals)
		if ok {
			norm = normalizer(lo, hi)
			d.bar = &colorBar{cmap: shapRedBlue, lo: lo, hi: hi, label: truncate(colorName, 40)}
		}
	}
	for i := range xs {
		if math.IsNaN(xs[i]) {
			d.missing = append(d.missing, ys[i])
			continue
		}
		c := shapBlue
		if cvals != nil {
			c = missingGrey
			if !math.IsNaN(cvals[i]) {
				c = shapRedBlue.At(norm(cvals[i]))
			}
		}
		d.pts.add(xs[i], ys[i], c)
	}
	w, h := 576, 480
	if d.bar != nil {
		w = 720
	}
	w, h = orDefault(opts.Width, w), orDefault(opts.Height, h)
	fig := figure{width: w, height: h, points: rows, draw: func(c draw.Canvas) { d.draw(c, opts.Title, ys) }}

	var b strings.Builder
	if opts.Title != "" {
		b.WriteString(opts.Title + ": ")
	}
	fmt.Fprintf(&b, "SHAP dependence plot of %s over %s %s: x is the value of %s", d.name, count(rows), noun(rows, "row", "rows"), d.name)
	if len(d.pts.x) > 0 {
		xlo, xhi, _, _ := d.pts.DataRange()
		fmt.Fprintf(&b, " (%s to %s)", num(xlo), num(xhi))
	}
	fmt.Fprintf(&b, ", y its SHAP value (%s to %s).", num(slices.Min(ys)), num(slices.Max(ys)))
	j, _ := e.feature("dependence", feature) // DependenceColumns found it
	if dir := e.direction(j); dir != "" {
		fmt.Fprintf(&b, " For %s, %s.", d.name, dir)
	}
	if cvals != nil {
		how := ""
		if auto {
			how = ", the feature it seems to interact with most"
		}
		fmt.Fprintf(&b, " Points are coloured by %s%s, blue low to red high.", colorName, how)
	}
	if n := len(d.missing); n > 0 {
		fmt.Fprintf(&b, " %s %s with %s missing %s at the left edge.", count(n), noun(n, "row", "rows"), d.name, noun(n, "is drawn as a grey tick", "are drawn as grey ticks"))
	}
	return fig.bundle(b.String(), opts.Format)
}

type dependence struct {
	name    string
	pts     dots
	missing []float64 // SHAP values of rows whose feature value is missing
	bar     *colorBar
}

func (d *dependence) draw(c draw.Canvas, title string, ys []float64) {
	p := newPlot(title, d.name, "SHAP value for "+truncate(d.name, 40))
	p.Add(&d.pts)
	// The y range covers the missing rows' ticks too.
	p.Y.Min, p.Y.Max = math.Min(p.Y.Min, slices.Min(ys)), math.Max(p.Y.Max, slices.Max(ys))
	if len(d.missing) > 0 {
		p.Add(&edgeTicks{y: d.missing})
	}
	main := c
	if d.bar != nil {
		main.Max.X -= d.bar.width()
	}
	p.Draw(main)
	if d.bar != nil {
		dc := p.DataCanvas(main)
		rest := c
		rest.Min.X = main.Max.X
		d.bar.draw(rest, dc.Min.Y, dc.Max.Y)
	}
}

// edgeTicks marks values along the left edge of the data area, where shap
// puts the rows whose feature value is missing.
type edgeTicks struct{ y []float64 }

func (t *edgeTicks) Plot(c draw.Canvas, p *plot.Plot) {
	_, trY := p.Transforms(&c)
	sty := draw.LineStyle{Color: missingGrey, Width: vg.Points(1.5)}
	for _, y := range t.y {
		c.StrokeLine2(sty, c.Min.X, trY(y), c.Min.X+vg.Points(6), trY(y))
	}
}

// strongestInteraction is shap's approximate_interactions: sort the rows
// by the feature's value, cut them into runs of up to 50, and score every
// other feature by the summed |correlation| between its values and the
// feature's SHAP values within each run. shap samples 10,000 rows at
// random when there are more; here every ⌈n/10,000⌉-th row is taken, so
// the choice is reproducible. It returns -1 when no other feature varies.
func strongestInteraction(e Explanation, j int) int {
	n := len(e.Values)
	stride := (n + 9999) / 10000
	var idx []int
	for i := 0; i < n; i += stride {
		idx = append(idx, i)
	}
	x := make([]float64, len(idx))
	for k, i := range idx {
		x[k] = e.Data[i][j]
	}
	// NaN sorts last, as numpy's argsort puts it.
	srt := make([]int, len(idx))
	for k := range srt {
		srt[k] = k
	}
	slices.SortStableFunc(srt, func(a, b int) int {
		xa, xb := x[a], x[b]
		switch {
		case math.IsNaN(xa) && math.IsNaN(xb):
			return 0
		case math.IsNaN(xa):
			return 1
		case math.IsNaN(xb):
			return -1
		}
		return cmpFloat(xa, xb)
	})
	ref := make([]float64, len(srt))
	for k, s := range srt {
		ref[k] = e.Values[idx[s]][j]
	}
	inc := max(min(len(idx)/10, 50), 1)
	best, bestScore := -1, 0.0
	other := make([]float64, len(srt))
	for f := range e.Values[0] {
		if f == j {
			continue
		}
		sumAbs := 0.0
		for k, s := range srt {
			other[k] = e.Data[idx[s]][f]
			sumAbs += math.Abs(other[k])
		}
		if sumAbs < 1e-8 {
			continue
		}
		score := 0.0
		for a := 0; a < len(srt); a += inc {
			b := min(a+inc, len(srt))
			if r := stats.Correlation(other[a:b], ref[a:b]); !math.IsNaN(r) && !hasNaN(other[a:b]) {
				score += math.Abs(r)
			}
		}
		if best < 0 || score > bestScore {
			best, bestScore = f, score
		}
	}
	return best
}

func hasNaN(v []float64) bool {
	return slices.ContainsFunc(v, math.IsNaN)
}
