package plot

import (
	"fmt"
	"image/color"
	"math"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/reckon-dev/reckon/display"
)

// WaterfallOptions shapes a SHAP waterfall plot.
type WaterfallOptions struct {
	// Format is PNG (the zero value) or SVG, which adds a vector form.
	Format Format
	// MaxDisplay is how many rows are drawn; default 10, as
	// shap.plots.waterfall. With more features, the last row sums the
	// smallest contributions.
	MaxDisplay int
	// Title is drawn above the plot; empty means none.
	Title string
	// RowName names the explained row in the alt text; default "row N".
	RowName string
	// Width and Height are the displayed size in CSS pixels: by default
	// 768 wide and 0.5 inch a row plus 1.5 inches high, as in shap.
	Width, Height int
}

// Waterfall draws shap.plots.waterfall for one row of the explanation:
// starting from the expected value E[f(X)] at the bottom, each feature's
// SHAP value is an arrow, red when it raises the output and blue when it
// lowers it, largest at the top, ending at the model output f(x). Beyond
// MaxDisplay − 1 features the smallest contributions are summed into one
// arrow, "N other features". Each row is labelled with the feature's value
// in grey and its name.
func Waterfall(e Explanation, row int, opts WaterfallOptions) (display.Bundle, error) {
	rows, _, err := e.check("waterfall")
	if err != nil {
		return display.Bundle{}, err
	}
	if row < 0 || row >= rows {
		return display.Bundle{}, fmt.Errorf("plot: waterfall: row %d is outside the %d explained rows", row, rows)
	}
	if opts.MaxDisplay < 0 {
		return display.Bundle{}, fmt.Errorf("plot: waterfall: max display %d must be positive", opts.MaxDisplay)
	}
	if err := checkSize(opts.Width, opts.Height); err != nil {
		return display.Bundle{}, fmt.Errorf("plot: waterfall: %w", err)
	}
	w := newWaterfall(e, row, orDefault(opts.MaxDisplay, 10))
	width := orDefault(opts.Width, 768)
	height := orDefault(opts.Height, int(math.Round((0.5*float64(len(w.steps))+1.5)*cssDPI)))
	fig := figure{width: width, height: height, points: len(w.steps), draw: func(c draw.Canvas) { w.draw(c, opts.Title) }}
	return fig.bundle(w.alt(opts), opts.Format)
}

// waterfallStep is one arrow, from start to end of the output.
type waterfallStep struct {
	start, end float64
	value      string // the feature value, "" for the grouped row
	name       string
}

type waterfall struct {
	row   int
	base  float64
	fx    float64
	steps []waterfallStep // top (largest) first
}

func newWaterfall(e Explanation, row, maxDisplay int) *waterfall {
	vals := e.Values[row]
	features := len(vals)
	w := &waterfall{row: row, base: e.Base}
	w.fx = e.Base
	for _, v := range vals {
		w.fx += v
	}
	order := importanceOrder(absAll(vals))
	k := min(maxDisplay, features)
	individual := k
	if k < features {
		individual = k - 1
	}
	loc := w.fx
	for _, j := range order[:individual] {
		s := waterfallStep{start: loc - vals[j], end: loc, name: e.name(j)}
		if e.Data != nil {
			s.value = "missing"
			if v := e.Data[row][j]; !math.IsNaN(v) {
				s.value = shapValue(v, 3, false)
			}
		}
		w.steps = append(w.steps, s)
		loc -= vals[j]
	}
	if individual < features {
		w.steps = append(w.steps, waterfallStep{start: e.Base, end: loc, name: fmt.Sprintf("%d other features", features-individual)})
	}
	return w
}

func absAll(v []float64) []float64 {
	a := make([]float64, len(v))
	for i, x := range v {
		a[i] = math.Abs(x)
	}
	return a
}

func (w *waterfall) alt(opts WaterfallOptions) string {
	var b strings.Builder
	if opts.Title != "" {
		b.WriteString(opts.Title + ": ")
	}
	name := opts.RowName
	if name == "" {
		name = fmt.Sprintf("row %d", w.row)
	}
	fmt.Fprintf(&b, "SHAP waterfall for %s: from the expected value E[f(X)] = %s to the output f(x) = %s. Contributions, largest first: ",
		name, shapValue(w.base, 3, false), shapValue(w.fx, 3, false))
	parts := make([]string, len(w.steps))
	for i, s := range w.steps {
		label := s.name
		if s.value != "" {
			label = s.name + " = " + s.value
		}
		parts[i] = label + " " + shapValue(s.end-s.start, 2, true)
	}
	b.WriteString(strings.Join(parts, "; ") + ".")
	return b.String()
}

func (w *waterfall) draw(c draw.Canvas, title string) {
	k := len(w.steps)
	// Room for f(x) above the data and E[f(X)] below the axis.
	annot := textStyle(sansFont, labelSize, axisColor, text.XCenter, text.YBottom)
	room := annot.Height("f(x)") + vg.Points(4)
	p := newPlot(title, "", "")
	p.HideY()
	// Each row is labelled in two tones, shap style: the feature's value in
	// grey, then its name; gonum's tick labels have one colour, so the
	// labels are drawn here, in a column left of the plot.
	grey := textStyle(sansFont, labelSize, midLine, text.XRight, text.YCenter)
	name := textStyle(sansFont, labelSize, black, text.XRight, text.YCenter)
	valueText := func(s waterfallStep) string {
		if s.value == "" {
			return ""
		}
		return minus(s.value) + " = "
	}
	var labelW vg.Length
	for _, s := range w.steps {
		labelW = max(labelW, grey.Width(valueText(s))+name.Width(s.name)+vg.Points(2))
	}
	gap := vg.Points(8)
	ar := &arrows{}
	var connectors []float64
	for i, s := range w.steps {
		ar.add(float64(k-1-i), s.start, s.end)
		if i < k-1 {
			connectors = append(connectors, s.start)
		}
	}
	p.Add(&guides{hlines: seq(k), hcolor: lightLine, vcolor: rgb(0xbbbbbb), vdash: true})
	p.Add(&waterfallLines{base: w.base, fx: w.fx, connectors: connectors, rows: k})
	p.Add(ar)
	p.Y.Min, p.Y.Max = -0.5, float64(k)-0.5
	inner := draw.Crop(c, labelW+gap, 0, room, -room)
	p.Draw(inner)
	dc := p.DataCanvas(inner)
	trX, trY := p.Transforms(&dc)
	for i, s := range w.steps {
		y := trY(float64(k - 1 - i))
		x := dc.Min.X - gap
		c.FillText(name, vg.Point{X: x, Y: y}, s.name)
		if v := valueText(s); v != "" {
			// A little slack, for viewers of the SVG that lack the font.
			c.FillText(grey, vg.Point{X: x - name.Width(s.name) - vg.Points(2), Y: y}, v)
		}
	}
	fx := "f(x) = " + minus(shapValue(w.fx, 3, false))
	c.FillText(inside(c, annot, trX(w.fx), fx), vg.Point{X: trX(w.fx), Y: dc.Max.Y + vg.Points(3)}, fx)
	below := annot
	below.YAlign = text.YTop
	ex := "E[f(X)] = " + minus(shapValue(w.base, 3, false))
	c.FillText(inside(c, below, trX(w.base), ex), vg.Point{X: trX(w.base), Y: c.Min.Y + room - vg.Points(1)}, ex)
}

// inside returns sty aligned so that txt, centred at x if it fits, stays
// within the canvas: left- or right-aligned at x near an edge.
func inside(c draw.Canvas, sty text.Style, x vg.Length, txt string) text.Style {
	half := sty.Width(txt) / 2
	switch {
	case x+half > c.Max.X:
		sty.XAlign = text.XRight
	case x-half < c.Min.X:
		sty.XAlign = text.XLeft
	}
	return sty
}

// waterfallLines are the dashed guides: the expected value along the
// bottom row, the output along the whole height, and a connector from each
// arrow's start down to the row below, where that arrow ends.
type waterfallLines struct {
	base, fx   float64
	connectors []float64
	rows       int
}

func (l *waterfallLines) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	sty := draw.LineStyle{Color: rgb(0xbbbbbb), Width: vg.Points(0.5), Dashes: []vg.Length{vg.Points(3.7), vg.Points(1.6)}}
	c.StrokeLine2(sty, trX(l.base), c.Min.Y, trX(l.base), trY(0.5))
	c.StrokeLine2(sty, trX(l.fx), c.Min.Y, trX(l.fx), c.Max.Y)
	for i, x := range l.connectors {
		top := float64(l.rows-1-i) + 0.4
		c.StrokeLine2(sty, trX(x), trY(top-1.8), trX(x), trY(top))
	}
}

func (l *waterfallLines) DataRange() (xmin, xmax, ymin, ymax float64) {
	return math.Min(l.base, l.fx), math.Max(l.base, l.fx), math.Inf(1), math.Inf(-1)
}

// arrows are shap's waterfall arrows: a bar 0.8 rows tall from start to
// end, its last 0.08 inch (or all of it, if shorter) a head, with its SHAP
// value written inside in white, or beside it in its colour when it does
// not fit.
type arrows struct {
	y, start, end []float64
}

func (a *arrows) add(y, start, end float64) {
	a.y, a.start, a.end = append(a.y, y), append(a.start, start), append(a.end, end)
}

func (a *arrows) color(i int) color.NRGBA {
	if a.end[i] >= a.start[i] {
		return shapRed
	}
	return shapBlue
}

func (a *arrows) label(i int) string { return minus(shapValue(a.end[i]-a.start[i], 2, true)) }

func (a *arrows) labelStyle(c color.Color) text.Style {
	return textStyle(sansFont, labelSize, c, text.XCenter, text.YCenter)
}

func (a *arrows) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	head := vg.Inch * 0.08
	for i := range a.y {
		x0, x1 := trX(a.start[i]), trX(a.end[i])
		yc := trY(a.y[i])
		half := (trY(a.y[i]+0.4) - trY(a.y[i]-0.4)) / 2
		dir := vg.Length(1)
		if x1 < x0 {
			dir = -1
		}
		length := (x1 - x0) * dir
		hl := min(head, length)
		neck := x1 - dir*hl
		c.FillPolygon(a.color(i), []vg.Point{
			{X: x0, Y: yc - half}, {X: neck, Y: yc - half}, {X: x1, Y: yc},
			{X: neck, Y: yc + half}, {X: x0, Y: yc + half},
		})
		txt := a.label(i)
		inside := a.labelStyle(white)
		if inside.Width(txt)+vg.Points(4) < length {
			c.FillText(inside, vg.Point{X: (x0 + x1) / 2, Y: yc}, txt)
			continue
		}
		out := a.labelStyle(a.color(i))
		out.XAlign = text.XLeft
		if dir < 0 {
			out.XAlign = text.XRight
		}
		c.FillText(out, vg.Point{X: x1 + dir*vg.Points(5), Y: yc}, txt)
	}
}

func (a *arrows) DataRange() (xmin, xmax, ymin, ymax float64) {
	xmin, ymin = math.Inf(1), math.Inf(1)
	xmax, ymax = math.Inf(-1), math.Inf(-1)
	for i := range a.y {
		xmin, xmax = math.Min(xmin, math.Min(a.start[i], a.end[i])), math.Max(xmax, math.Max(a.start[i], a.end[i]))
		ymin, ymax = math.Min(ymin, a.y[i]-0.4), math.Max(ymax, a.y[i]+0.4)
	}
	return xmin, xmax, ymin, ymax
}

// GlyphBoxes reserves room for labels written beside short arrows, which
// may reach past the data at either end.
func (a *arrows) GlyphBoxes(p *plot.Plot) []plot.GlyphBox {
	var boxes []plot.GlyphBox
	for i := range a.y {
		r := a.labelStyle(black).Rectangle(a.label(i))
		w := r.Size().X + vg.Points(5)
		if a.end[i] >= a.start[i] {
			r = vg.Rectangle{Min: vg.Point{X: 0, Y: r.Min.Y}, Max: vg.Point{X: w, Y: r.Max.Y}}
		} else {
			r = vg.Rectangle{Min: vg.Point{X: -w, Y: r.Min.Y}, Max: vg.Point{X: 0, Y: r.Max.Y}}
		}
		boxes = append(boxes, plot.GlyphBox{X: p.X.Norm(a.end[i]), Y: p.Y.Norm(a.y[i]), Rectangle: r})
	}
	return boxes
}
