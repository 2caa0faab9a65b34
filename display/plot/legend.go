package plot

import (
	"image"
	"image/color"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// legendEntry is one swatch of a categorical legend.
type legendEntry struct {
	color color.NRGBA
	label string
}

// legend is a categorical legend drawn beside the plot, in as many columns
// as the height needs (up to maxLegendColumns); what does not fit is
// summarised in a last "… and N more" line.
type legend struct {
	title   string
	entries []legendEntry
}

const (
	maxLegendColumns = 2
	legendFontSize   = 9
	legendRow        = 13 // points per entry
	legendSwatch     = 3.5
	legendPad        = 8
)

func (l legend) style() text.Style {
	return textStyle(sansFont, legendFontSize, axisColor, text.XLeft, text.YCenter)
}

// layout returns how many rows fit in height, the number of columns, and
// how many entries are shown.
func (l legend) layout(height vg.Length) (rows, cols, shown int) {
	avail := height - vg.Points(legendRow) // the title line
	rows = max(1, int(avail/vg.Points(legendRow)))
	n := len(l.entries)
	cols = min(maxLegendColumns, (n+rows-1)/rows)
	shown = n
	if n > rows*cols {
		shown = rows*cols - 1 // the last slot says how many are left out
	}
	return rows, max(cols, 1), shown
}

func (l legend) columnWidth() vg.Length {
	sty := l.style()
	w := textStyle(boldFont, legendFontSize, axisColor, text.XLeft, text.YCenter).Width(l.title)
	for _, e := range l.entries {
		w = max(w, vg.Points(2*legendSwatch+4)+sty.Width(e.label))
	}
	return w + vg.Points(legendPad)
}

// width is the horizontal room the legend takes for a plot of the given
// height.
func (l legend) width(height vg.Length) vg.Length {
	_, cols, _ := l.layout(height)
	return vg.Length(cols)*l.columnWidth() + vg.Points(legendPad)
}

// draw draws the legend in c, starting at its top left.
func (l legend) draw(c draw.Canvas) {
	rows, _, shown := l.layout(c.Max.Y - c.Min.Y)
	x0 := c.Min.X + vg.Points(legendPad)
	y := c.Max.Y - vg.Points(legendRow)/2
	c.FillText(textStyle(boldFont, legendFontSize, axisColor, text.XLeft, text.YCenter), vg.Point{X: x0, Y: y}, l.title)
	y -= vg.Points(legendRow)
	sty := l.style()
	colw := l.columnWidth()
	r := vg.Points(legendSwatch)
	for i := range shown {
		e := l.entries[i]
		x := x0 + vg.Length(i/rows)*colw
		yy := y - vg.Length(i%rows)*vg.Points(legendRow)
		var path vg.Path
		path.Move(vg.Point{X: x + 2*r, Y: yy})
		path.Arc(vg.Point{X: x + r, Y: yy}, r, 0, 2*math.Pi)
		path.Close()
		c.SetColor(e.color)
		c.Fill(path)
		c.FillText(sty, vg.Point{X: x + 2*r + vg.Points(4), Y: yy}, e.label)
	}
	if shown < len(l.entries) {
		i := shown
		x := x0 + vg.Length(i/rows)*colw
		yy := y - vg.Length(i%rows)*vg.Points(legendRow)
		c.FillText(sty, vg.Point{X: x, Y: yy}, "… and "+count(len(l.entries)-shown)+" more")
	}
}

// colorBar is a vertical colour scale drawn beside a plot: the map's
// gradient, tick labels to its right, and a rotated label beyond them.
type colorBar struct {
	cmap   colorMap
	lo, hi float64
	label  string
	// ticks replaces the numeric ticks when set (shap's "Low"/"High").
	ticks []plot.Tick
}

const (
	colorBarWidth = 10 // points
	colorBarGap   = 10 // points between the plot and the bar
)

func (cb colorBar) span() (lo, hi float64) {
	lo, hi = cb.lo, cb.hi
	if !(hi > lo) {
		lo, hi = lo-0.5, lo+0.5
	}
	return lo, hi
}

func (cb colorBar) tickList() []plot.Tick {
	if cb.ticks != nil {
		return cb.ticks
	}
	lo, hi := cb.span()
	return compactTicks{}.Ticks(lo, hi)
}

func (cb colorBar) tickStyle() text.Style {
	return textStyle(sansFont, tickSize, axisColor, text.XLeft, text.YCenter)
}

func (cb colorBar) labelStyle() text.Style {
	s := textStyle(sansFont, labelSize, axisColor, text.XCenter, text.YTop)
	s.Rotation = math.Pi / 2
	return s
}

// width is the horizontal room the bar takes, gap included.
func (cb colorBar) width() vg.Length {
	w := vg.Points(colorBarGap + colorBarWidth + 3)
	tw := vg.Length(0)
	for _, t := range cb.tickList() {
		if t.Label != "" {
			tw = max(tw, cb.tickStyle().Width(t.Label))
		}
	}
	w += tw
	if cb.label != "" {
		w += vg.Points(6) + cb.labelStyle().Height(cb.label)
	}
	return w + vg.Points(4)
}

// draw draws the bar at the left of c between heights bottom and top.
func (cb colorBar) draw(c draw.Canvas, bottom, top vg.Length) {
	const steps = 256
	img := image.NewNRGBA(image.Rect(0, 0, 1, steps))
	for i := range steps {
		img.SetNRGBA(0, steps-1-i, cb.cmap.At(float64(i)/(steps-1)))
	}
	x0 := c.Min.X + vg.Points(colorBarGap)
	x1 := x0 + vg.Points(colorBarWidth)
	c.DrawImage(vg.Rectangle{Min: vg.Point{X: x0, Y: bottom}, Max: vg.Point{X: x1, Y: top}}, img)
	lo, hi := cb.span()
	tx := x1 + vg.Points(3)
	tw := vg.Length(0)
	for _, t := range cb.tickList() {
		if t.Value < lo || t.Value > hi {
			continue
		}
		y := bottom + (top-bottom)*vg.Length((t.Value-lo)/(hi-lo))
		tick := vg.Points(3)
		if t.Label == "" {
			tick = vg.Points(1.5)
		}
		c.StrokeLine2(draw.LineStyle{Color: axisColor, Width: vg.Points(0.5)}, x1-tick, y, x1, y)
		if t.Label != "" {
			c.FillText(cb.tickStyle(), vg.Point{X: tx, Y: y}, t.Label)
			tw = max(tw, cb.tickStyle().Width(t.Label))
		}
	}
	if cb.label != "" {
		x := tx + tw + vg.Points(6)
		c.FillText(cb.labelStyle(), vg.Point{X: x, Y: (bottom + top) / 2}, cb.label)
	}
}
