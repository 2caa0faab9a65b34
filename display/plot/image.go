package plot

import (
	"fmt"
	"image"
	"math"
	"strings"

	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/reckon-dev/reckon/display"
)

// ImageOptions shapes a SHAP image plot.
type ImageOptions struct {
	// Format is PNG (the zero value) or SVG, which adds a vector form.
	Format Format
	// Title is drawn above the image; empty means none.
	Title string
	// Width and Height are the displayed size in CSS pixels; default
	// 440 × 380.
	Width, Height int
}

// ShapImage draws SHAP values laid out on an image's pixel grid, as
// shap.image_plot does: each pixel red where it pushes the model's output
// up (into the cluster), blue where it pushes it down, white where it does
// nothing, on a scale symmetric about zero, over the image itself in light
// grey. values holds one value per pixel, rows × cols in row-major order;
// image, when not nil, holds the pixel intensities drawn underneath
// (larger is darker), such as the cluster's mean image.
func ShapImage(values, img []float64, rows, cols int, opts ImageOptions) (display.Bundle, error) {
	if rows < 1 || cols < 1 || rows*cols != len(values) {
		return display.Bundle{}, fmt.Errorf("plot: image: %d values do not fill a %d × %d grid", len(values), rows, cols)
	}
	if img != nil && len(img) != len(values) {
		return display.Bundle{}, fmt.Errorf("plot: image: %d image pixels for %d values", len(img), len(values))
	}
	if err := checkSize(opts.Width, opts.Height); err != nil {
		return display.Bundle{}, fmt.Errorf("plot: image: %w", err)
	}
	limit, ink := 0.0, 0.0
	for i, v := range values {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return display.Bundle{}, fmt.Errorf("plot: image: the value of pixel %d (row %d, column %d) is %v; SHAP values must be finite", i, i/cols, i%cols, v)
		}
		limit = math.Max(limit, math.Abs(v))
		if img != nil && !math.IsNaN(img[i]) {
			ink = math.Max(ink, img[i])
		}
	}
	g := &shapGrid{values: values, img: img, rows: rows, cols: cols, limit: limit, ink: ink}
	fig := figure{width: orDefault(opts.Width, 440), height: orDefault(opts.Height, 380), draw: func(c draw.Canvas) { g.draw(c, opts.Title) }}
	return fig.bundle(g.alt(opts.Title), opts.Format)
}

// shapBlueWhiteRed is the colour bar of ShapImage: shap's blue through
// white to shap's red.
var shapBlueWhiteRed = colorMap{shapBlue, white, shapRed}

type shapGrid struct {
	values, img []float64
	rows, cols  int
	limit, ink  float64
}

// color is pixel i's colour: the image in light grey, under red or blue
// as opaque as the value is large.
func (g *shapGrid) color(i int) (r, gr, b, a uint8) {
	base := white
	if g.img != nil && g.ink > 0 && !math.IsNaN(g.img[i]) {
		base = mix(white, rgb(0x888888), math.Max(0, g.img[i])/g.ink)
	}
	c := base
	if g.limit > 0 {
		t := g.values[i] / g.limit
		tone := shapRed
		if t < 0 {
			tone = shapBlue
		}
		c = mix(base, tone, math.Abs(t))
	}
	return c.R, c.G, c.B, 255
}

func (g *shapGrid) draw(c draw.Canvas, title string) {
	if title != "" {
		sty := textStyle(sansFont, titleSize, black, text.XCenter, text.YTop)
		c.FillText(sty, vg.Point{X: (c.Min.X + c.Max.X) / 2, Y: c.Max.Y}, title)
		c.Max.Y -= sty.Height(title) + vg.Points(8)
	}
	cb := colorBar{cmap: shapBlueWhiteRed, lo: -g.limit, hi: g.limit, label: "mean SHAP value"}
	w, h := c.Max.X-c.Min.X-cb.width(), c.Max.Y-c.Min.Y
	// Square pixels: the grid takes the largest size that fits.
	cell := min(w/vg.Length(g.cols), h/vg.Length(g.rows))
	gw, gh := cell*vg.Length(g.cols), cell*vg.Length(g.rows)
	x0, y0 := c.Min.X+(w-gw)/2, c.Min.Y+(h-gh)/2
	// Each pixel becomes a block of scale × scale image pixels, more than
	// the PNG gives it, so that resampling keeps the edges sharp.
	const scale = 24
	im := image.NewNRGBA(image.Rect(0, 0, g.cols*scale, g.rows*scale))
	for i := range g.values {
		r, gr, b, a := g.color(i)
		row, col := i/g.cols, i%g.cols
		for y := row * scale; y < (row+1)*scale; y++ {
			p := im.Pix[y*im.Stride+col*scale*4:]
			for x := 0; x < scale; x++ {
				p[4*x], p[4*x+1], p[4*x+2], p[4*x+3] = r, gr, b, a
			}
		}
	}
	rect := vg.Rectangle{Min: vg.Point{X: x0, Y: y0}, Max: vg.Point{X: x0 + gw, Y: y0 + gh}}
	c.DrawImage(rect, im)
	c.StrokeLines(draw.LineStyle{Color: lightLine, Width: vg.Points(0.5)}, []vg.Point{
		rect.Min, {X: rect.Max.X, Y: rect.Min.Y}, rect.Max, {X: rect.Min.X, Y: rect.Max.Y}, rect.Min,
	})
	rest := c
	rest.Min.X = x0 + gw
	cb.draw(rest, y0, y0+gh)
}

// alt says where the red and the blue are, in rows and columns from the
// top left, for readers who cannot see the image.
func (g *shapGrid) alt(title string) string {
	var b strings.Builder
	if title != "" {
		b.WriteString(title + ": ")
	}
	fmt.Fprintf(&b, "Heatmap of SHAP values on the %d × %d pixel grid, red where a pixel pushes the output up, blue where it pushes it down", g.rows, g.cols)
	if g.limit == 0 {
		b.WriteString("; every value is 0.")
		return b.String()
	}
	fmt.Fprintf(&b, " (scale ±%s).", num(g.limit))
	for _, side := range []struct {
		sign      float64
		name, way string
	}{{1, "Red (up)", "up"}, {-1, "Blue (down)", "down"}} {
		best, mass, sr, sc := -1, 0.0, 0.0, 0.0
		for i, v := range g.values {
			v *= side.sign
			if v <= 0 {
				continue
			}
			if best < 0 || v > side.sign*g.values[best] {
				best = i
			}
			mass += v
			sr += v * float64(i/g.cols)
			sc += v * float64(i%g.cols)
		}
		if best < 0 {
			fmt.Fprintf(&b, " No pixel pushes it %s.", side.way)
			continue
		}
		fmt.Fprintf(&b, " %s is strongest at row %d, column %d (%s) and centred near row %.0f, column %.0f.",
			side.name, best/g.cols, best%g.cols, minus(shapValue(g.values[best], 3, true)), sr/mass, sc/mass)
	}
	return b.String()
}
