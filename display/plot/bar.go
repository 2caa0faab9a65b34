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

// BarOptions shapes a SHAP bar plot.
type BarOptions struct {
	// Format is PNG (the zero value) or SVG, which adds a vector form.
	Format Format
	// MaxDisplay is how many bars are drawn; default 10, as shap.plots.bar.
	// When there are more features, the last bar sums the rest.
	MaxDisplay int
	// Title is drawn above the plot; empty means none.
	Title string
	// Width and Height are the displayed size in CSS pixels: by default
	// 768 wide and 0.5 inch a bar plus 1.5 inches high, as in shap.
	Width, Height int
}

// Bar draws shap.plots.bar for a set of rows: one horizontal bar per
// feature with its mean |SHAP|, largest at the top, each labelled with its
// value; beyond MaxDisplay − 1 features the rest are summed into a last
// bar, "Sum of N other features".
func Bar(e Explanation, opts BarOptions) (display.Bundle, error) {
	rows, _, err := e.check("bar")
	if err != nil {
		return display.Bundle{}, err
	}
	if err := checkSize(opts.Width, opts.Height); err != nil {
		return display.Bundle{}, fmt.Errorf("plot: bar: %w", err)
	}
	names, values, err := e.Bars(opts.MaxDisplay)
	if err != nil {
		return display.Bundle{}, err
	}
	k := len(values)
	w := orDefault(opts.Width, 768)
	h := orDefault(opts.Height, int(math.Round((0.5*float64(k)+1.5)*cssDPI)))
	fig := figure{width: w, height: h, points: k, draw: func(c draw.Canvas) {
		p := newPlot(opts.Title, "mean(|SHAP value|)", "")
		labels := make([]string, k)
		hb := &hbars{color: shapRed}
		for i := range k {
			pos := float64(k - 1 - i)
			labels[k-1-i] = truncate(names[i], 40)
			hb.y = append(hb.y, pos)
			hb.left = append(hb.left, 0)
			hb.right = append(hb.right, values[i])
			hb.labels = append(hb.labels, minus(shapValue(values[i], 2, true)))
		}
		nominalY(p, labels)
		p.Add(&guides{vlines: []float64{0}, vcolor: black, hlines: seq(k), hcolor: lightLine})
		p.Add(hb)
		p.Y.Min, p.Y.Max = -0.5, float64(k)-0.5
		p.Draw(c)
	}}

	var b strings.Builder
	if opts.Title != "" {
		b.WriteString(opts.Title + ": ")
	}
	fmt.Fprintf(&b, "Bar chart of mean |SHAP| over %s %s, largest first: ", count(rows), noun(rows, "row", "rows"))
	parts := make([]string, k)
	for i := range k {
		parts[i] = fmt.Sprintf("%s %s", names[i], num(values[i]))
	}
	b.WriteString(strings.Join(parts, "; ") + ".")
	return fig.bundle(b.String(), opts.Format)
}

// hbars draws horizontal bars from left to right at heights y, 0.7 rows
// tall as shap draws them, each with its label after its end.
type hbars struct {
	y, left, right []float64
	labels         []string
	color          color.NRGBA
}

const hbarHeight = 0.7

func (h *hbars) labelStyle() text.Style {
	return textStyle(sansFont, labelSize, h.color, text.XLeft, text.YCenter)
}

func (h *hbars) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	for i := range h.y {
		x0, x1 := trX(h.left[i]), trX(h.right[i])
		y0, y1 := trY(h.y[i]-hbarHeight/2), trY(h.y[i]+hbarHeight/2)
		c.FillPolygon(h.color, []vg.Point{{X: x0, Y: y0}, {X: x1, Y: y0}, {X: x1, Y: y1}, {X: x0, Y: y1}})
		c.FillText(h.labelStyle(), vg.Point{X: x1 + vg.Points(5), Y: trY(h.y[i])}, h.labels[i])
	}
}

func (h *hbars) DataRange() (xmin, xmax, ymin, ymax float64) {
	xmin, ymin = math.Inf(1), math.Inf(1)
	xmax, ymax = math.Inf(-1), math.Inf(-1)
	for i := range h.y {
		xmin, xmax = math.Min(xmin, math.Min(h.left[i], h.right[i])), math.Max(xmax, math.Max(h.left[i], h.right[i]))
		ymin, ymax = math.Min(ymin, h.y[i]-hbarHeight/2), math.Max(ymax, h.y[i]+hbarHeight/2)
	}
	return xmin, xmax, ymin, ymax
}

// GlyphBoxes reserves room for the labels past the bars' ends.
func (h *hbars) GlyphBoxes(p *plot.Plot) []plot.GlyphBox {
	boxes := make([]plot.GlyphBox, len(h.y))
	for i := range h.y {
		r := h.labelStyle().Rectangle(h.labels[i])
		boxes[i] = plot.GlyphBox{X: p.X.Norm(h.right[i]), Y: p.Y.Norm(h.y[i]), Rectangle: r.Add(vg.Point{X: vg.Points(5)})}
	}
	return boxes
}
