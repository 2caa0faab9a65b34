package plot

import (
	"errors"
	"fmt"
	"image/color"
	"math"
	"slices"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/reckon-dev/reckon/display"
)

// Series is one quantity of a parameter sweep, a value per parameter
// value; NaN marks a value that is missing (the line breaks there).
type Series struct {
	Name string
	Y    []float64
}

// LinesOptions shapes a parameter sweep plot.
type LinesOptions struct {
	// Format is PNG (the zero value) or SVG, which adds a vector form.
	Format Format
	// Title is drawn above the top panel; empty means none.
	Title string
	// XLabel names the parameter ("min_cluster_size").
	XLabel string
	// LogX puts the parameter on a logarithmic axis; every x must then be
	// positive.
	LogX bool
	// Width and Height are the displayed size in CSS pixels; default 720
	// wide and 170 pixels a panel plus 70.
	Width, Height int
}

// Lines draws a parameter sweep: one panel per series, stacked, sharing
// the x axis (labelled only under the bottom panel), each a line with a
// marker at every parameter value, in the palette's colours.
func Lines(x []float64, series []Series, opts LinesOptions) (display.Bundle, error) {
	if len(x) == 0 {
		return display.Bundle{}, errors.New("plot: lines: there are no parameter values to plot")
	}
	if len(series) == 0 {
		return display.Bundle{}, errors.New("plot: lines: there are no series to plot")
	}
	if err := allFinite("lines: parameter value", x); err != nil {
		return display.Bundle{}, err
	}
	if opts.LogX {
		for i, v := range x {
			if v <= 0 {
				return display.Bundle{}, fmt.Errorf("plot: lines: parameter value %d is %v; a logarithmic axis needs positive values", i, v)
			}
		}
	}
	for _, s := range series {
		if len(s.Y) != len(x) {
			return display.Bundle{}, fmt.Errorf("plot: lines: series %q has %d values for %d parameter values", s.Name, len(s.Y), len(x))
		}
		for i, v := range s.Y {
			if math.IsInf(v, 0) {
				return display.Bundle{}, fmt.Errorf("plot: lines: value %d of series %q is infinite; use NaN for a missing value", i, s.Name)
			}
		}
	}
	if err := checkSize(opts.Width, opts.Height); err != nil {
		return display.Bundle{}, fmt.Errorf("plot: lines: %w", err)
	}
	order := sortedOrder(x)

	// A sweep over a handful of values is read at those values: tick them.
	var sweptTicks plot.Ticker
	distinct := slices.Compact(slices.Sorted(slices.Values(x)))
	if len(distinct) <= maxSweptTicks {
		ticks := make([]plot.Tick, len(distinct))
		for i, l := range tickLabels(distinct) {
			ticks[i] = plot.Tick{Value: distinct[i], Label: l}
		}
		sweptTicks = plot.ConstantTicks(ticks)
	}

	k := len(series)
	w := orDefault(opts.Width, 720)
	h := orDefault(opts.Height, 170*k+70)
	fig := figure{width: w, height: h, points: k * len(x), draw: func(c draw.Canvas) {
		plots := make([][]*plot.Plot, k)
		for i, s := range series {
			title := ""
			if i == 0 {
				title = opts.Title
			}
			xlabel := ""
			if i == k-1 {
				xlabel = opts.XLabel
			}
			p := newPlot(title, xlabel, seriesName(s, i))
			if opts.LogX {
				p.X.Scale = plot.LogScale{}
				p.X.Tick.Marker = plot.LogTicks{Prec: -1}
			}
			if sweptTicks != nil {
				p.X.Tick.Marker = sweptTicks
			}
			if i < k-1 {
				p.X.Tick.Marker = unlabelled{p.X.Tick.Marker}
			}
			p.Add(sweepLine(x, order, s.Y, Category(i)))
			// Every panel spans all parameter values, even where a series
			// is missing at the ends.
			p.X.Min, p.X.Max = slices.Min(x), slices.Max(x)
			if opts.LogX && p.X.Min == p.X.Max {
				// gonum widens a collapsed range by ±1, which can reach
				// zero; widen by a factor instead.
				p.X.Min, p.X.Max = p.X.Min/2, p.X.Max*2
			}
			plots[i] = []*plot.Plot{p}
		}
		tiles := draw.Tiles{Rows: k, Cols: 1, PadY: vg.Points(10)}
		canvases := plot.Align(plots, tiles, c)
		for i := range plots {
			plots[i][0].Draw(canvases[i][0])
		}
	}}
	return fig.bundle(linesAlt(x, order, series, opts), opts.Format)
}

// sortedOrder is the order of increasing x, ties in input order: lines
// are drawn along the parameter whatever order the values came in.
func sortedOrder(x []float64) []int {
	order := make([]int, len(x))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return cmpFloat(x[a], x[b]) })
	return order
}

// sweepLine is one series as a line through markers, broken where a value
// is missing.
func sweepLine(x []float64, order []int, y []float64, col color.NRGBA) (*segments, *dots) {
	pts := &dots{radius: vg.Points(2.5)}
	seg := &segments{style: draw.LineStyle{Color: col, Width: vg.Points(1.5)}}
	prev := -1
	for _, j := range order {
		if math.IsNaN(y[j]) {
			prev = -1
			continue
		}
		if prev >= 0 {
			seg.lines = append(seg.lines, [2]vg.Point{{X: vg.Length(x[prev]), Y: vg.Length(y[prev])}, {X: vg.Length(x[j]), Y: vg.Length(y[j])}})
		}
		pts.add(x[j], y[j], col)
		prev = j
	}
	return seg, pts
}

// maxSweptTicks is the most parameter values that get a tick each.
const maxSweptTicks = 12

func seriesName(s Series, i int) string {
	if s.Name == "" {
		return fmt.Sprintf("series %d", i)
	}
	return s.Name
}

// unlabelled keeps a ticker's marks and drops their labels, for the
// panels above the one that carries the shared x axis.
type unlabelled struct{ plot.Ticker }

func (u unlabelled) Ticks(lo, hi float64) []plot.Tick {
	// A copy: plot.ConstantTicks hands out its own slice.
	ts := slices.Clone(u.Ticker.Ticks(lo, hi))
	for i := range ts {
		ts[i].Label = ""
	}
	return ts
}

func linesAlt(x []float64, order []int, series []Series, opts LinesOptions) string {
	var b strings.Builder
	if opts.Title != "" {
		b.WriteString(opts.Title + ": ")
	}
	param := opts.XLabel
	if param == "" {
		param = "the parameter"
	}
	fmt.Fprintf(&b, "Sweep over %s, %d %s from %s to %s, in %d %s:",
		param, len(x), noun(len(x), "value", "values"), num(x[order[0]]), num(x[order[len(order)-1]]),
		len(series), noun(len(series), "panel", "panels"))
	const listAll = 12
	for i, s := range series {
		if i > 0 {
			b.WriteString(";")
		}
		fmt.Fprintf(&b, " %s", seriesName(s, i))
		if len(x) <= listAll {
			parts := make([]string, len(order))
			for k, j := range order {
				parts[k] = fmt.Sprintf("%s at %s", num(s.Y[j]), num(x[j]))
			}
			b.WriteString(" " + strings.Join(parts, ", "))
			continue
		}
		lo, hi := -1, -1
		for _, j := range order {
			if math.IsNaN(s.Y[j]) {
				continue
			}
			if lo < 0 || s.Y[j] < s.Y[lo] {
				lo = j
			}
			if hi < 0 || s.Y[j] > s.Y[hi] {
				hi = j
			}
		}
		if lo < 0 {
			b.WriteString(" has no values")
			continue
		}
		fmt.Fprintf(&b, " from %s to %s, lowest %s at %s, highest %s at %s",
			num(s.Y[order[0]]), num(s.Y[order[len(order)-1]]), num(s.Y[lo]), num(x[lo]), num(s.Y[hi]), num(x[hi]))
	}
	b.WriteString(".")
	return b.String()
}
