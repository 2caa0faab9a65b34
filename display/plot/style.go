package plot

import (
	"fmt"
	"image/color"
	"math"
	"slices"
	"strconv"
	"strings"

	xfont "golang.org/x/image/font"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Every plot uses Liberation Sans (bundled with gonum/plot, so the PNG
// looks the same on every machine) rather than gonum's serif default,
// which is closer to what matplotlib users see.
var (
	sansFont = font.Font{Typeface: "Liberation", Variant: "Sans"}
	boldFont = font.Font{Typeface: "Liberation", Variant: "Sans", Weight: xfont.WeightBold}
)

const (
	titleSize = 13
	labelSize = 11
	tickSize  = 9.5
)

func textStyle(f font.Font, size vg.Length, c color.Color, xa text.XAlignment, ya text.YAlignment) text.Style {
	return text.Style{
		Color:   c,
		Font:    font.From(f, size),
		XAlign:  xa,
		YAlign:  ya,
		Handler: plot.DefaultTextHandler,
	}
}

// newPlot returns a gonum plot styled alike across the package: sans
// fonts, dark grey axes, no title unless given.
func newPlot(title, xlabel, ylabel string) *plot.Plot {
	p := plot.New()
	// The figure is white already; filling each plot's area again costs a
	// full pass of the rasteriser.
	p.BackgroundColor = nil
	p.Title.Text = title
	p.Title.TextStyle.Font = font.From(sansFont, titleSize)
	p.Title.Padding = vg.Points(6)
	for _, a := range []*plot.Axis{&p.X, &p.Y} {
		a.Label.TextStyle.Font = font.From(sansFont, labelSize)
		a.Label.TextStyle.Color = axisColor
		a.Tick.Label.Font = font.From(sansFont, tickSize)
		a.Tick.Label.Color = axisColor
		a.Tick.Color = axisColor
		a.Tick.Length = vg.Points(4)
		a.Color = axisColor
		a.Padding = vg.Points(3)
	}
	p.X.Label.Text = xlabel
	p.Y.Label.Text = ylabel
	p.X.Tick.Marker = compactTicks{}
	p.Y.Tick.Marker = compactTicks{}
	return p
}

// compactTicks places ticks as matplotlib's default locator does: about
// six labelled ticks at a step of 1, 2, 2.5 or 5 times a power of ten,
// with unlabelled minor ticks between them, and labels that show each
// value exactly and no more ("0.05", not "0.05000000000000001").
type compactTicks struct{}

func (compactTicks) Ticks(lo, hi float64) []plot.Tick {
	const want = 6
	span := hi - lo
	if !(span > 0) || math.IsInf(span, 0) {
		return []plot.Tick{{Value: lo, Label: tickLabels([]float64{lo})[0]}}
	}
	mag := math.Pow(10, math.Floor(math.Log10(span/want)))
	step, minorDiv := 10*mag, 5.0
	for _, m := range [...]struct{ m, div float64 }{{1, 5}, {2, 4}, {2.5, 5}, {5, 5}} {
		if span/(m.m*mag) <= want {
			step, minorDiv = m.m*mag, m.div
			break
		}
	}
	first := math.Ceil(lo/step-1e-9) * step
	var vals []float64
	for i := 0; ; i++ {
		v := first + float64(i)*step
		if v > hi+step*1e-9 {
			break
		}
		vals = append(vals, v)
	}
	labels := tickLabels(vals)
	var ts []plot.Tick
	minor := step / minorDiv
	for i := math.Ceil(lo/minor - 1e-9); ; i++ {
		v := i * minor
		if v > hi+minor*1e-9 {
			break
		}
		ts = append(ts, plot.Tick{Value: v})
	}
	for i, v := range vals {
		// Replace the minor tick at a major one.
		k := slices.IndexFunc(ts, func(t plot.Tick) bool { return math.Abs(t.Value-v) < minor*1e-6 })
		if k >= 0 {
			ts[k] = plot.Tick{Value: v, Label: labels[i]}
		} else {
			ts = append(ts, plot.Tick{Value: v, Label: labels[i]})
		}
	}
	return ts
}

// tickLabels writes tick values with the fewest decimals that show each
// exactly, the same number for all; exponents only for very large or very
// small magnitudes.
func tickLabels(vals []float64) []string {
	big := 0.0
	for _, v := range vals {
		big = math.Max(big, math.Abs(v))
	}
	out := make([]string, len(vals))
	if big >= 1e6 || (big > 0 && big < 1e-4) {
		for i, v := range vals {
			out[i] = minus(strconv.FormatFloat(v, 'g', 4, 64))
		}
		return out
	}
	dec := 0
	for ; dec < 8; dec++ {
		exact := true
		p := math.Pow(10, float64(dec))
		for _, v := range vals {
			if math.Abs(v*p-math.Round(v*p)) > 1e-6*math.Max(1, big*p) {
				exact = false
				break
			}
		}
		if exact {
			break
		}
	}
	for i, v := range vals {
		if math.Abs(v) < 1e-12*math.Max(1, big) {
			v = 0 // no "-0.0" from rounding noise
		}
		out[i] = minus(strconv.FormatFloat(v, 'f', dec, 64))
	}
	return out
}

// minus writes negative numbers with a true minus sign, as matplotlib does.
func minus(s string) string {
	if strings.HasPrefix(s, "-") {
		return "−" + s[1:]
	}
	return s
}

// count writes an integer with thousands separators: 70,000.
func count(n int) string {
	s := strconv.Itoa(n)
	neg := strings.HasPrefix(s, "-")
	if neg {
		s = s[1:]
	}
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}

// num writes a value for alt text: three significant digits, integers
// above a thousand with separators, never an exponent for everyday sizes.
func num(v float64) string {
	switch {
	case math.IsNaN(v):
		return "NaN"
	case math.IsInf(v, 1):
		return "∞"
	case math.IsInf(v, -1):
		return "-∞"
	case math.Abs(v) >= 1e15:
		return strconv.FormatFloat(v, 'g', 3, 64)
	case math.Abs(v) >= 1000:
		return count(int(math.Round(v)))
	case v == 0:
		return "0"
	case math.Abs(v) < 1e-4:
		return strconv.FormatFloat(v, 'g', 3, 64)
	}
	return strconv.FormatFloat(v, 'g', 3, 64)
}

// percent writes a fraction as a percentage with one decimal.
func percent(f float64) string {
	return fmt.Sprintf("%.1f%%", 100*f)
}

// shapValue formats a value as shap's format_value does: a printf format
// and trailing zeros dropped. It writes an ASCII minus, as alt text wants;
// drawn labels pass it through minus.
func shapValue(v float64, decimals int, signed bool) string {
	s := strconv.FormatFloat(v, 'f', decimals, 64)
	if signed && v >= 0 {
		s = "+" + s
	}
	if strings.Contains(s, ".") {
		s = strings.TrimRight(s, "0")
		s = strings.TrimSuffix(s, ".")
	}
	if s == "-0" || s == "+-0" {
		s = "0"
	}
	return s
}

// truncate shortens s to at most n runes, ending in an ellipsis.
func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

// haloText draws txt with a white outline so that it stays legible over
// dense points.
func haloText(c draw.Canvas, sty text.Style, pt vg.Point, txt string) {
	halo := sty
	halo.Color = color.NRGBA{255, 255, 255, 220}
	d := vg.Points(0.9)
	for _, o := range [...]vg.Point{{X: -d}, {X: d}, {Y: -d}, {Y: d}, {X: -d, Y: -d}, {X: d, Y: d}, {X: -d, Y: d}, {X: d, Y: -d}} {
		c.FillText(halo, pt.Add(o), txt)
	}
	c.FillText(sty, pt, txt)
}
