package plot

import (
	"bytes"
	"image/png"
	"math"
	"strings"
	"testing"
)

// A ring of positive values around a negative centre comes out red around
// blue, and the text says where each is.
func TestShapImage(t *testing.T) {
	const n = 28
	values, img := make([]float64, n*n), make([]float64, n*n)
	for i := range values {
		r, c := float64(i/n)-13.5, float64(i%n)-13.5
		d := math.Hypot(r, c)
		switch {
		case d < 4:
			values[i] = -0.2
		case d > 8 && d < 11:
			values[i] = 0.1
		}
		img[i] = math.Max(0, 1-d/14)
	}
	values[5*n+20] = 0.4
	b, err := ShapImage(values, img, n, n, ImageOptions{Title: "Cluster 3"})
	if err != nil {
		t.Fatal(err)
	}
	alt := b.Plain()
	for _, want := range []string{"Cluster 3: Heatmap of SHAP values on the 28 × 28 pixel grid", "scale ±0.4", "Red (up) is strongest at row 5, column 20 (+0.4)", "Blue (down) is strongest at row 10, column 12 (−0.2) and centred near row 14, column 14"} {
		if !strings.Contains(alt, want) {
			t.Errorf("alt text %q lacks %q", alt, want)
		}
	}
	m, err := png.Decode(bytes.NewReader(pngBytes(t, b)))
	if err != nil {
		t.Fatal(err)
	}
	if _, svg := b.Data["image/svg+xml"]; svg {
		t.Error("SVG without asking")
	}
	// Find the grid by its centre: blue there, red on the ring, the grid
	// centred in the space left of the colour bar.
	bounds := m.Bounds()
	var blue, red int
	for y := bounds.Min.Y; y < bounds.Max.Y; y += 2 {
		for x := bounds.Min.X; x < bounds.Max.X; x += 2 {
			r, g, bl, _ := m.At(x, y).RGBA()
			switch {
			case bl>>8 > 200 && r>>8 < 120 && g>>8 > 80:
				blue++
			case r>>8 > 200 && bl>>8 < 150 && g>>8 < 100:
				red++
			}
		}
	}
	if blue == 0 || red == 0 {
		t.Errorf("%d blue and %d red samples", blue, red)
	}
	if _, err := ShapImage(make([]float64, 10), nil, 28, 28, ImageOptions{}); err == nil || !strings.Contains(err.Error(), "10 values do not fill a 28 × 28 grid") {
		t.Errorf("err = %v", err)
	}
	values[3] = math.NaN()
	if _, err := ShapImage(values, nil, n, n, ImageOptions{}); err == nil || !strings.Contains(err.Error(), "pixel 3 (row 0, column 3)") {
		t.Errorf("err = %v", err)
	}
	zero, err := ShapImage(make([]float64, 4), nil, 2, 2, ImageOptions{Format: SVG})
	if err != nil || !strings.Contains(zero.Plain(), "every value is 0") || zero.Data["image/svg+xml"] == nil {
		t.Errorf("all zero: %v, %v", zero.Plain(), err)
	}
}
