package plot

import (
	"image/color"
	"math"
)

// The qualitative palette is Tableau's (matplotlib's tab10 and tab20) with
// its greys taken out, because grey is reserved for noise: first the nine
// strong colours, then their nine light companions, so that up to nine
// clusters get exactly the colours a matplotlib user knows.
var tableau = []color.NRGBA{
	rgb(0x1f77b4), rgb(0xff7f0e), rgb(0x2ca02c), rgb(0xd62728), rgb(0x9467bd),
	rgb(0x8c564b), rgb(0xe377c2), rgb(0xbcbd22), rgb(0x17becf),
	rgb(0xaec7e8), rgb(0xffbb78), rgb(0x98df8a), rgb(0xff9896), rgb(0xc5b0d5),
	rgb(0xc49c94), rgb(0xf7b6d2), rgb(0xdbdb8d), rgb(0x9edae5),
}

var (
	// noiseGrey is light enough to recede behind the clusters drawn over it.
	noiseGrey = rgb(0xbebebe)
	// missingGrey marks missing values, as shap draws them.
	missingGrey = rgb(0x777777)
	axisColor   = rgb(0x333333)
	lightLine   = rgb(0xcccccc)
	midLine     = rgb(0x999999)
	white       = color.NRGBA{255, 255, 255, 255}
	black       = color.NRGBA{0, 0, 0, 255}
)

// Category returns the colour of the i-th category (i >= 0) of the
// qualitative palette shared by every plot of the package, so that cluster
// 3 has one colour in a scatter, a condensed tree and an icicle. Beyond the
// 18 Tableau colours it continues with hues a golden angle apart in CIE
// LCh, cycling through three lightness levels, which keeps neighbours
// apart and never repeats for practical counts.
func Category(i int) color.NRGBA {
	if i < len(tableau) {
		return tableau[i]
	}
	k := i - len(tableau)
	const goldenAngle = 137.50776405003785
	h := math.Mod(20+float64(k)*goldenAngle, 360) * math.Pi / 180
	l := [3]float64{58, 72, 45}[k%3]
	// Reduce chroma until the colour fits in sRGB, so that no channel is
	// clipped and the hue stays what the sequence asked for.
	for c := 60.0; c > 0; c -= 2 {
		if r, g, b, ok := lchToSRGB(l, c, h); ok {
			return color.NRGBA{to8(r), to8(g), to8(b), 255}
		}
	}
	r, g, b, _ := lchToSRGB(l, 0, h)
	return color.NRGBA{to8(r), to8(g), to8(b), 255}
}

func rgb(x uint32) color.NRGBA {
	return color.NRGBA{uint8(x >> 16), uint8(x >> 8), uint8(x), 255}
}

func to8(v float64) uint8 {
	return uint8(math.Round(math.Min(1, math.Max(0, v)) * 255))
}

// withAlpha returns c with opacity a in [0, 1].
func withAlpha(c color.NRGBA, a float64) color.NRGBA {
	c.A = to8(a)
	return c
}

// mix returns (1-t)·a + t·b channel by channel.
func mix(a, b color.NRGBA, t float64) color.NRGBA {
	f := func(x, y uint8) uint8 {
		return uint8(math.Round(float64(x)*(1-t) + float64(y)*t))
	}
	return color.NRGBA{f(a.R, b.R), f(a.G, b.G), f(a.B, b.B), f(a.A, b.A)}
}

// colorMap is a piecewise-linear map from [0, 1] to colours through evenly
// spaced anchors.
type colorMap []color.NRGBA

// At returns the colour at t, clamping t to [0, 1].
func (m colorMap) At(t float64) color.NRGBA {
	if !(t > 0) { // also catches NaN, which callers draw separately
		return m[0]
	}
	if t >= 1 {
		return m[len(m)-1]
	}
	x := t * float64(len(m)-1)
	i := int(x)
	return mix(m[i], m[i+1], x-float64(i))
}

// viridis is matplotlib's perceptually uniform map sampled at 33 evenly
// spaced points; linear interpolation between them stays within 3/255 of
// the 256-entry original.
var viridis = colorMap{
	rgb(0x440154), rgb(0x470d60), rgb(0x48186a), rgb(0x482374), rgb(0x472d7b),
	rgb(0x453781), rgb(0x424086), rgb(0x3e4989), rgb(0x3b528b), rgb(0x375b8d),
	rgb(0x33638d), rgb(0x2f6b8e), rgb(0x2c728e), rgb(0x297a8e), rgb(0x26828e),
	rgb(0x23898e), rgb(0x21918c), rgb(0x1f988b), rgb(0x1fa088), rgb(0x22a785),
	rgb(0x28ae80), rgb(0x32b67a), rgb(0x3fbc73), rgb(0x4ec36b), rgb(0x5ec962),
	rgb(0x70cf57), rgb(0x84d44b), rgb(0x98d83e), rgb(0xaddc30), rgb(0xc2df23),
	rgb(0xd8e219), rgb(0xece51b), rgb(0xfde725),
}

// shap's colours are defined in CIE LCh (lightness, chroma, hue in
// radians): blue and red at lightness 54, passing through a darker
// lightness 40 in the middle so that the eye reads the ramp by lightness
// as well as hue.
var (
	shapBlueLCh = [3]float64{54, 70, 4.6588}
	shapRedLCh  = [3]float64{54, 90, 0.35470565 + 2*math.Pi}
)

const shapMidLightness = 40

// shapRed and shapBlue are shap's positive and negative colours (#ff0051
// and #008bfb), used for bars and waterfall arrows.
var (
	shapRed  = lchColor(shapRedLCh)
	shapBlue = lchColor(shapBlueLCh)
)

// shapRedBlue is shap's red_blue map from low (blue) to high (red) feature
// values, built as shap builds it: 100 steps linear in LCh.
var shapRedBlue = func() colorMap {
	const steps = 100
	m := make(colorMap, steps)
	half := steps / 2
	for i := range steps {
		t := float64(i) / (steps - 1)
		var l float64
		if i < half {
			l = lerp(shapBlueLCh[0], shapMidLightness, float64(i)/float64(half-1))
		} else {
			l = lerp(shapMidLightness, shapRedLCh[0], float64(i-half)/float64(steps-half-1))
		}
		m[i] = lchColor([3]float64{l, lerp(shapBlueLCh[1], shapRedLCh[1], t), lerp(shapBlueLCh[2], shapRedLCh[2], t)})
	}
	return m
}()

func lerp(a, b, t float64) float64 { return a + (b-a)*t }

func lchColor(lch [3]float64) color.NRGBA {
	r, g, b, _ := lchToSRGB(lch[0], lch[1], lch[2])
	return color.NRGBA{to8(r), to8(g), to8(b), 255}
}

// lchToSRGB converts CIE LCh(ab) under the D65 white point (hue in
// radians) to gamma-encoded sRGB in [0, 1], reporting whether the colour
// lies inside the sRGB gamut; out-of-gamut channels are returned unclipped.
// The constants are those of the sRGB standard, as scikit-image (whose
// conversion shap uses) has them.
func lchToSRGB(l, c, h float64) (r, g, b float64, inGamut bool) {
	a, bb := c*math.Cos(h), c*math.Sin(h)
	fy := (l + 16) / 116
	fx := a/500 + fy
	fz := max(fy-bb/200, 0)
	inv := func(f float64) float64 {
		if f > 6.0/29 {
			return f * f * f
		}
		return (f - 16.0/116) / 7.787
	}
	x, y, z := 0.95047*inv(fx), 1.0*inv(fy), 1.08883*inv(fz)
	// Inverse of the sRGB primaries' XYZ matrix.
	lr := 3.2404813432*x - 1.5371515163*y - 0.4985363262*z
	lg := -0.96925495*x + 1.8759900015*y + 0.0415559266*z
	lb := 0.0556466391*x - 0.2040413384*y + 1.0573110696*z
	gamma := func(v float64) float64 {
		if v > 0.0031308 {
			return 1.055*math.Pow(v, 1/2.4) - 0.055
		}
		return 12.92 * v
	}
	r, g, b = gamma(lr), gamma(lg), gamma(lb)
	const eps = 1e-4 // white comes out at 1.00004 with these constants
	inGamut = r >= -eps && r <= 1+eps && g >= -eps && g <= 1+eps && b >= -eps && b <= 1+eps
	return r, g, b, inGamut
}
