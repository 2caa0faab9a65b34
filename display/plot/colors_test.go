package plot

import (
	"image/color"
	"math"
	"testing"
)

// The palette starts with matplotlib's tab10 without its grey.
func TestCategoryStartsWithTableau(t *testing.T) {
	want := []uint32{0x1f77b4, 0xff7f0e, 0x2ca02c, 0xd62728, 0x9467bd, 0x8c564b, 0xe377c2, 0xbcbd22, 0x17becf}
	for i, w := range want {
		if got := Category(i); got != rgb(w) {
			t.Errorf("Category(%d) = %v, want #%06x", i, got, w)
		}
	}
}

// Colours never repeat, never equal the noise grey, and are never grey
// themselves, however many categories there are.
func TestCategoryDistinct(t *testing.T) {
	seen := map[color.NRGBA]int{}
	for i := range 300 {
		c := Category(i)
		if j, dup := seen[c]; dup {
			t.Fatalf("Category(%d) = Category(%d) = %v", i, j, c)
		}
		seen[c] = i
		if c.A != 255 {
			t.Errorf("Category(%d) is not opaque: %v", i, c)
		}
		spread := max(c.R, c.G, c.B) - min(c.R, c.G, c.B)
		if spread < 25 {
			t.Errorf("Category(%d) = %v is nearly grey", i, c)
		}
	}
	if _, clash := seen[noiseGrey]; clash {
		t.Error("the noise grey is in the palette")
	}
}

// shap's documented positive and negative colours, from the docstring of
// shap.plots.waterfall: [1, 0, 0.31796406] and [0, 0.54337757, 0.98337906].
func TestShapColors(t *testing.T) {
	for _, tc := range []struct {
		name string
		got  color.NRGBA
		want [3]float64
	}{
		{"red", shapRed, [3]float64{1, 0, 0.31796406}},
		{"blue", shapBlue, [3]float64{0, 0.54337757, 0.98337906}},
		{"map low", shapRedBlue.At(0), [3]float64{0, 0.54337757, 0.98337906}},
		{"map high", shapRedBlue.At(1), [3]float64{1, 0, 0.31796406}},
	} {
		got := [3]uint8{tc.got.R, tc.got.G, tc.got.B}
		for k := range 3 {
			if d := math.Abs(float64(got[k]) - tc.want[k]*255); d > 1 {
				t.Errorf("%s channel %d = %d, want %.1f", tc.name, k, got[k], tc.want[k]*255)
			}
		}
	}
	// shap's map dips from lightness 54 at both ends (a little more where
	// the blue is clipped into sRGB) to 40 in the middle.
	if got := lightness(shapRedBlue.At(0.5)); math.Abs(got-40) > 1.5 {
		t.Errorf("middle of red_blue has lightness %.1f, want 40", got)
	}
	for _, end := range []float64{0, 1} {
		if got := lightness(shapRedBlue.At(end)); got < 53 || got > 58 {
			t.Errorf("red_blue(%v) has lightness %.1f, want about 54", end, got)
		}
	}
}

// lightness is the CIE L* of an sRGB colour.
func lightness(c color.NRGBA) float64 {
	lin := func(v uint8) float64 {
		x := float64(v) / 255
		if x <= 0.04045 {
			return x / 12.92
		}
		return math.Pow((x+0.055)/1.055, 2.4)
	}
	y := 0.212671*lin(c.R) + 0.715160*lin(c.G) + 0.072169*lin(c.B)
	if y > 216.0/24389 {
		return 116*math.Cbrt(y) - 16
	}
	return y * 24389 / 27
}

func TestLCh(t *testing.T) {
	for _, tc := range []struct {
		l, c, h float64
		want    [3]float64
		inGamut bool
	}{
		{100, 0, 0, [3]float64{1, 1, 1}, true},
		{0, 0, 0, [3]float64{0, 0, 0}, true},
		{50, 0, 1, [3]float64{0.4663, 0.4663, 0.4663}, true},
		{50, 200, 0, [3]float64{}, false},
	} {
		r, g, b, ok := lchToSRGB(tc.l, tc.c, tc.h)
		if ok != tc.inGamut {
			t.Errorf("LCh(%v, %v, %v): in gamut %v, want %v", tc.l, tc.c, tc.h, ok, tc.inGamut)
		}
		if !tc.inGamut {
			continue
		}
		for k, v := range [3]float64{r, g, b} {
			if math.Abs(v-tc.want[k]) > 1e-3 {
				t.Errorf("LCh(%v, %v, %v) channel %d = %.4f, want %.4f", tc.l, tc.c, tc.h, k, v, tc.want[k])
			}
		}
	}
}

func TestViridis(t *testing.T) {
	for _, tc := range []struct {
		t    float64
		want color.NRGBA
	}{
		{0, rgb(0x440154)},
		{-3, rgb(0x440154)},
		{math.NaN(), rgb(0x440154)},
		{0.5, rgb(0x21918c)},
		{1, rgb(0xfde725)},
		{7, rgb(0xfde725)},
	} {
		if got := viridis.At(tc.t); got != tc.want {
			t.Errorf("viridis(%v) = %v, want %v", tc.t, got, tc.want)
		}
	}
	// Between anchors the map interpolates.
	a, b, m := viridis.At(0), viridis.At(1.0/32), viridis.At(0.5/32)
	if m.R < min(a.R, b.R) || m.R > max(a.R, b.R) || m == a || m == b {
		t.Errorf("viridis does not interpolate: %v between %v and %v", m, a, b)
	}
}

func TestMix(t *testing.T) {
	a, b := color.NRGBA{0, 100, 200, 255}, color.NRGBA{100, 200, 0, 255}
	if got := mix(a, b, 0.5); got != (color.NRGBA{50, 150, 100, 255}) {
		t.Errorf("mix = %v", got)
	}
	if mix(a, b, 0) != a || mix(a, b, 1) != b {
		t.Error("mix at the ends is not the ends")
	}
}
