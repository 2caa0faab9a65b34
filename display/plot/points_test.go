package plot

import (
	"image"
	"image/color"
	"math"
	"testing"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgsvg"
)

func whiteImage(w, h int) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for i := range img.Pix {
		img.Pix[i] = 255
	}
	return img
}

func TestDisc(t *testing.T) {
	img := whiteImage(20, 20)
	a := newAccum(img, img.Bounds())
	red := color.NRGBA{255, 0, 0, 255}
	a.disc(10, 10, 3, red)
	a.store(img)
	for _, tc := range []struct {
		x, y int
		want color.RGBA
	}{
		{10, 10, color.RGBA{255, 0, 0, 255}}, // centre
		{8, 8, color.RGBA{255, 0, 0, 255}},   // inside
		{16, 10, color.RGBA{255, 255, 255, 255}},
		{10, 3, color.RGBA{255, 255, 255, 255}},
	} {
		if got := img.RGBAAt(tc.x, tc.y); got != tc.want {
			t.Errorf("pixel (%d, %d) = %v, want %v", tc.x, tc.y, got, tc.want)
		}
	}
	// The edge is anti-aliased: partly covered pixels are pink.
	edge := img.RGBAAt(12, 11)
	if edge.R != 255 || edge.G == 0 || edge.G == 255 {
		t.Errorf("edge pixel %v is not blended", edge)
	}
	// The covered area is about πr².
	covered := 0.0
	for y := range 20 {
		for x := range 20 {
			covered += 1 - float64(img.RGBAAt(x, y).G)/255
		}
	}
	if math.Abs(covered-math.Pi*9) > 1.5 {
		t.Errorf("disc covers %.2f pixels, want about %.2f", covered, math.Pi*9)
	}
}

// Faint points pile up to their colour instead of stalling short of it,
// as 8-bit blending would.
func TestDiscAccumulates(t *testing.T) {
	img := whiteImage(5, 5)
	a := newAccum(img, img.Bounds())
	for range 200 {
		a.disc(2.5, 2.5, 2, color.NRGBA{0, 0, 255, 8})
	}
	a.store(img)
	if got := img.RGBAAt(2, 2); got.R > 2 || got.B != 255 {
		t.Errorf("200 faint blue points give %v, want nearly pure blue", got)
	}
}

func TestDiscClips(t *testing.T) {
	img := whiteImage(10, 10)
	a := newAccum(img, image.Rect(2, 2, 8, 8))
	a.disc(1, 1, 3, color.NRGBA{0, 0, 0, 255})
	a.disc(math.NaN(), 5, 3, color.NRGBA{0, 0, 0, 255})
	a.disc(5, math.Inf(-1), 3, color.NRGBA{0, 0, 0, 255})
	a.disc(50, 50, 3, color.NRGBA{0, 0, 0, 255})
	a.store(img)
	if got := img.RGBAAt(1, 1); got != (color.RGBA{255, 255, 255, 255}) {
		t.Errorf("pixel outside the clip was painted: %v", got)
	}
	if got := img.RGBAAt(2, 2); got == (color.RGBA{255, 255, 255, 255}) {
		t.Errorf("pixel inside the clip and the disc was not painted")
	}
}

// The raster and vector paths of dots put points at the same places: a
// single dot drawn on a PNG canvas lands where the plot's transform says.
func TestDotsRasterPosition(t *testing.T) {
	d := &dots{radius: vg.Points(3)}
	d.add(0, 0, color.NRGBA{255, 0, 0, 255})
	d.add(10, 10, color.NRGBA{0, 0, 255, 255})
	p := plot.New()
	p.HideAxes()
	p.Add(d)
	c := vgimg.NewWith(vgimg.UseWH(2*vg.Inch, 2*vg.Inch), vgimg.UseDPI(96))
	dc := draw.New(c)
	p.Draw(dc)
	data := p.DataCanvas(dc)
	trX, trY := p.Transforms(&data)
	img := c.Image().(*image.RGBA)
	h := img.Bounds().Dy()
	for _, pt := range []struct {
		x, y float64
		want color.RGBA
	}{{0, 0, color.RGBA{255, 0, 0, 255}}, {10, 10, color.RGBA{0, 0, 255, 255}}} {
		px := int(trX(pt.x).Dots(96))
		py := h - 1 - int(trY(pt.y).Dots(96))
		if got := img.RGBAAt(px, py); got != pt.want {
			t.Errorf("point (%v, %v) at pixel (%d, %d) is %v, want %v", pt.x, pt.y, px, py, got, pt.want)
		}
	}
	// On SVG each point is a filled path.
	s := vgsvg.New(2*vg.Inch, 2*vg.Inch)
	p.Draw(draw.New(s))
	if n := countSVGPaths(t, s); n < 2 {
		t.Errorf("SVG has %d paths, want one per point", n)
	}
}

func countSVGPaths(t *testing.T, s *vgsvg.Canvas) int {
	t.Helper()
	var b []byte
	w := writerFunc(func(p []byte) (int, error) { b = append(b, p...); return len(p), nil })
	if _, err := s.WriteTo(w); err != nil {
		t.Fatal(err)
	}
	n := 0
	for i := 0; i+5 <= len(b); i++ {
		if string(b[i:i+5]) == "<path" {
			n++
		}
	}
	return n
}

type writerFunc func([]byte) (int, error)

func (f writerFunc) Write(p []byte) (int, error) { return f(p) }
