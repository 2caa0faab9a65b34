package plot

import (
	"errors"
	"fmt"
	"image/color"
	"math"
	"slices"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/reckon-dev/reckon/display"
)

// ScatterOptions says how a scatter is coloured and labelled. The zero
// value draws every point in one colour at the default size.
type ScatterOptions struct {
	// Format is PNG (the zero value) or SVG, which adds a vector form.
	Format Format
	// Labels colours the points by category, one label per point: a
	// legend, a qualitative palette (see Category) in natural label order,
	// noise labels (see IsNoise) in light grey underneath, and each
	// category's label written at its centre (the median of its points)
	// when there are at most MaxCentreLabels categories.
	Labels []string
	// Names gives categories names, by label: the legend shows
	// "label · name", the plot writes the name at the category's centre,
	// and the alt text says both. Labels without a name show as they are.
	Names map[string]string
	// Values colours the points by number, one value per point, through
	// viridis with a colour bar; NaN values are drawn grey, underneath.
	// At most one of Labels and Values may be set.
	Values []float64
	// Alpha scales each point's opacity, one value in [0, 1] per point:
	// pass HDBSCAN's membership probabilities to fade the points a cluster
	// holds weakly. Noise points ignore it (their probability is 0).
	Alpha []float64
	// ColorName names what the colours show ("cluster", "genre",
	// "energy"): the legend's title, the colour bar's label, and the alt
	// text's wording. Default "cluster" for cluster-like labels, else
	// "category" or "value".
	ColorName string
	// Title, XLabel and YLabel annotate the plot; empty means none.
	Title, XLabel, YLabel string
	// Width and Height are the displayed size in CSS pixels; default 720
	// by 540.
	Width, Height int
	// PointRadius is the radius of a point in CSS pixels and Opacity its
	// opacity in (0, 1]; by default both shrink as the number of points
	// grows, so that 70,000 points show their density rather than a solid
	// blot.
	PointRadius, Opacity float64
}

// Scatter plots the points (x[i], y[i]), such as a 2-D embedding,
// coloured as opts says. Points are drawn in a fixed order: noise (or
// missing values) first, then categories from the largest to the smallest
// so that small clusters stay visible, each in input order.
func Scatter(x, y []float64, opts ScatterOptions) (display.Bundle, error) {
	n := len(x)
	if n == 0 {
		return display.Bundle{}, errors.New("plot: scatter: there are no points to plot")
	}
	if len(y) != n {
		return display.Bundle{}, fmt.Errorf("plot: scatter: %d x coordinates but %d y coordinates", n, len(y))
	}
	if err := allFinite("scatter: x coordinate", x); err != nil {
		return display.Bundle{}, err
	}
	if err := allFinite("scatter: y coordinate", y); err != nil {
		return display.Bundle{}, err
	}
	if opts.Labels != nil && opts.Values != nil {
		return display.Bundle{}, errors.New("plot: scatter: colour by labels or by values, not both")
	}
	if opts.Labels != nil && len(opts.Labels) != n {
		return display.Bundle{}, fmt.Errorf("plot: scatter: %d labels for %d points", len(opts.Labels), n)
	}
	if opts.Values != nil {
		if len(opts.Values) != n {
			return display.Bundle{}, fmt.Errorf("plot: scatter: %d colour values for %d points", len(opts.Values), n)
		}
		for i, v := range opts.Values {
			if math.IsInf(v, 0) {
				return display.Bundle{}, fmt.Errorf("plot: scatter: colour value %d is infinite", i)
			}
		}
	}
	if opts.Alpha != nil {
		if len(opts.Alpha) != n {
			return display.Bundle{}, fmt.Errorf("plot: scatter: %d alpha values for %d points", len(opts.Alpha), n)
		}
		for i, a := range opts.Alpha {
			if !(a >= 0 && a <= 1) {
				return display.Bundle{}, fmt.Errorf("plot: scatter: alpha %v of point %d is outside [0, 1]", a, i)
			}
		}
	}
	if err := checkSize(opts.Width, opts.Height); err != nil {
		return display.Bundle{}, fmt.Errorf("plot: scatter: %w", err)
	}
	if opts.PointRadius < 0 || math.IsNaN(opts.PointRadius) || math.IsInf(opts.PointRadius, 0) {
		return display.Bundle{}, fmt.Errorf("plot: scatter: point radius %v must be a positive number", opts.PointRadius)
	}
	if !(opts.Opacity >= 0 && opts.Opacity <= 1) {
		return display.Bundle{}, fmt.Errorf("plot: scatter: opacity %v is outside [0, 1]", opts.Opacity)
	}

	s := scatter{x: x, y: y, opts: opts}
	s.opts.Width, s.opts.Height = orDefault(opts.Width, 720), orDefault(opts.Height, 540)
	if s.opts.PointRadius == 0 {
		s.opts.PointRadius = autoRadius(n)
	}
	if s.opts.Opacity == 0 {
		s.opts.Opacity = autoOpacity(n)
	}
	s.build()
	fig := figure{width: s.opts.Width, height: s.opts.Height, points: n, draw: s.draw}
	return fig.bundle(s.alt(), opts.Format)
}

// MaxCentreLabels is the most categories whose labels a scatter writes at
// their centres; beyond it (a column of identifiers, say) the labels would
// bury the points, and the legend must do.
const MaxCentreLabels = 100

// autoRadius is the point radius in CSS pixels for n points: 3 px up to
// a thousand points, shrinking with the fourth root of n to 1 px at
// about 80,000.
func autoRadius(n int) float64 {
	return math.Max(1, math.Min(3, 3*math.Pow(1000/float64(n), 0.25)))
}

// autoOpacity is the point opacity for n points: nearly opaque for a few
// hundred points, fading with the square root of n so that overlapping
// points in a dense cluster build up its colour.
func autoOpacity(n int) float64 {
	return math.Max(0.12, math.Min(0.85, 0.85*math.Sqrt(1000/float64(n))))
}

func allFinite(what string, v []float64) error {
	for i, x := range v {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return fmt.Errorf("plot: %s %d is %v; only finite numbers can be plotted", what, i, x)
		}
	}
	return nil
}

func checkSize(w, h int) error {
	const maxSide = 8000
	if w < 0 || h < 0 || w > maxSide || h > maxSide {
		return fmt.Errorf("size %d×%d is outside 0..%d pixels", w, h, maxSide)
	}
	if (w > 0 && w < 100) || (h > 0 && h < 100) {
		return fmt.Errorf("size %d×%d is too small to draw a plot in; use at least 100 pixels a side", w, h)
	}
	return nil
}

func orDefault(v, def int) int {
	if v == 0 {
		return def
	}
	return v
}

type scatter struct {
	x, y []float64
	opts ScatterOptions

	cats   categories // when coloured by labels
	lo, hi float64    // finite range of the values, when coloured by values
	nan    int        // values that are NaN
	pts    dots
}

func (s *scatter) build() {
	n := len(s.x)
	s.pts.radius = vg.Length(s.opts.PointRadius) * vg.Inch / cssDPI
	s.pts.x = make([]float64, 0, n)
	s.pts.y = make([]float64, 0, n)
	s.pts.colors = make([]color.NRGBA, 0, n)
	alpha := func(i int) float64 {
		if s.opts.Alpha == nil {
			return s.opts.Opacity
		}
		return s.opts.Opacity * s.opts.Alpha[i]
	}
	switch {
	case s.opts.Labels != nil:
		s.cats = newCategories(s.opts.Labels)
		// Noise is spread thin, so it gets a floor on its opacity to stay
		// visible where dense clusters need faint points.
		noise := withAlpha(noiseGrey, max(s.opts.Opacity, 0.35))
		for i, l := range s.opts.Labels {
			if IsNoise(l) {
				s.pts.add(s.x[i], s.y[i], noise)
			}
		}
		// Largest categories first, so that small ones are drawn on top.
		order := make([]int, len(s.cats.names))
		for k := range order {
			order[k] = k
		}
		slices.SortStableFunc(order, func(a, b int) int { return s.cats.counts[b] - s.cats.counts[a] })
		members := make([][]int, len(s.cats.names))
		for i, l := range s.opts.Labels {
			if k, ok := s.cats.index[l]; ok {
				members[k] = append(members[k], i)
			}
		}
		for _, k := range order {
			c := Category(k)
			for _, i := range members[k] {
				s.pts.add(s.x[i], s.y[i], withAlpha(c, alpha(i)))
			}
		}
	case s.opts.Values != nil:
		s.lo, s.hi = math.Inf(1), math.Inf(-1)
		for _, v := range s.opts.Values {
			if math.IsNaN(v) {
				s.nan++
				continue
			}
			s.lo, s.hi = math.Min(s.lo, v), math.Max(s.hi, v)
		}
		for i, v := range s.opts.Values {
			if math.IsNaN(v) {
				s.pts.add(s.x[i], s.y[i], withAlpha(noiseGrey, alpha(i)))
			}
		}
		for i, v := range s.opts.Values {
			if !math.IsNaN(v) {
				s.pts.add(s.x[i], s.y[i], withAlpha(viridis.At(s.norm(v)), alpha(i)))
			}
		}
	default:
		for i := range s.x {
			s.pts.add(s.x[i], s.y[i], withAlpha(Category(0), alpha(i)))
		}
	}
}

// norm maps a value to [0, 1] over the values' range; a constant colouring
// sits in the middle of the map.
func (s *scatter) norm(v float64) float64 {
	if !(s.hi > s.lo) {
		return 0.5
	}
	return (v - s.lo) / (s.hi - s.lo)
}

func (s *scatter) colorName() string {
	if s.opts.ColorName != "" {
		return s.opts.ColorName
	}
	switch {
	case s.opts.Labels != nil && s.cats.looksLikeClusters():
		return "cluster"
	case s.opts.Labels != nil:
		return "category"
	}
	return "value"
}

// clusterLike reports whether the labels are spoken of as clusters: they
// look like cluster labels and the caller has not named them otherwise
// (digits 0–9 coloured by "digit" are categories).
func (s *scatter) clusterLike() bool {
	name := strings.ToLower(s.opts.ColorName)
	return s.cats.looksLikeClusters() && (name == "" || strings.Contains(name, "cluster"))
}

func (s *scatter) legend() legend {
	l := legend{title: s.colorName()}
	for k, name := range s.cats.names {
		if n := s.opts.Names[name]; n != "" {
			name += " · " + n
		}
		l.entries = append(l.entries, legendEntry{Category(k), name + " (" + count(s.cats.counts[k]) + ")"})
	}
	if s.cats.noise > 0 {
		l.entries = append(l.entries, legendEntry{noiseGrey, "noise (" + count(s.cats.noise) + ")"})
	}
	return l
}

func (s *scatter) colorBar() colorBar {
	return colorBar{cmap: viridis, lo: s.lo, hi: s.hi, label: s.colorName()}
}

func (s *scatter) draw(c draw.Canvas) {
	p := newPlot(s.opts.Title, s.opts.XLabel, s.opts.YLabel)
	p.Add(&s.pts)
	if s.opts.Labels != nil && len(s.cats.names) <= MaxCentreLabels {
		p.Add(s.centreLabels())
	}
	var side vg.Length
	switch {
	case s.opts.Labels != nil:
		side = s.legend().width(c.Max.Y - c.Min.Y)
	case s.opts.Values != nil && s.nan < len(s.x):
		side = s.colorBar().width()
	}
	main := c
	main.Max.X -= side
	p.Draw(main)
	dc := p.DataCanvas(main)
	rest := c
	rest.Min.X = main.Max.X
	switch {
	case s.opts.Labels != nil:
		// The legend takes the figure's full height, the height its width
		// was reckoned for.
		s.legend().draw(rest)
	case side > 0:
		s.colorBar().draw(rest, dc.Min.Y, dc.Max.Y)
	}
}

// centreLabels writes each category's label at the median of its points.
func (s *scatter) centreLabels() plot.Plotter {
	xs := make([][]float64, len(s.cats.names))
	ys := make([][]float64, len(s.cats.names))
	for i, l := range s.opts.Labels {
		if k, ok := s.cats.index[l]; ok {
			xs[k] = append(xs[k], s.x[i])
			ys[k] = append(ys[k], s.y[i])
		}
	}
	lab := &textLabels{style: textStyle(boldFont, 10, black, text.XCenter, text.YCenter)}
	for k, name := range s.cats.names {
		lab.x = append(lab.x, median(xs[k]))
		lab.y = append(lab.y, median(ys[k]))
		if n := s.opts.Names[name]; n != "" {
			name = n
		}
		lab.text = append(lab.text, name)
	}
	return lab
}

func median(v []float64) float64 {
	v = slices.Clone(v)
	slices.Sort(v)
	n := len(v)
	if n%2 == 1 {
		return v[n/2]
	}
	return (v[n/2-1] + v[n/2]) / 2
}

// textLabels is a plotter writing haloed text at data coordinates.
type textLabels struct {
	x, y  []float64
	text  []string
	style text.Style
}

func (t *textLabels) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	for i := range t.x {
		haloText(c, t.style, vg.Point{X: trX(t.x[i]), Y: trY(t.y[i])}, t.text[i])
	}
}

// titled writes a category with its name, if it has one: "3 (ambient)".
func (s *scatter) titled(label string) string {
	if n := s.opts.Names[label]; n != "" {
		return label + " (" + n + ")"
	}
	return label
}

func (s *scatter) alt() string {
	n := len(s.x)
	var b strings.Builder
	fmt.Fprintf(&b, "Scatter of %s point%s", count(n), plural(n))
	switch {
	case s.opts.Labels != nil:
		name := s.colorName()
		k := len(s.cats.names)
		word := noun(k, "category", "categories")
		if s.clusterLike() {
			word = noun(k, "cluster", "clusters")
		}
		fmt.Fprintf(&b, " coloured by %s: %s %s", name, count(k), word)
		if lo, hi, ok := s.cats.integerRange(); ok && k > 1 && len(s.opts.Names) == 0 {
			fmt.Fprintf(&b, " (%d–%d)", lo, hi)
		} else if k > 0 {
			titled := make([]string, k)
			for i, name := range s.cats.names {
				titled[i] = s.titled(name)
			}
			fmt.Fprintf(&b, " (%s)", listNames(titled, 8))
		}
		if s.cats.noise > 0 {
			fmt.Fprintf(&b, ", %s noise", percent(float64(s.cats.noise)/float64(n)))
		}
		if k > 0 {
			big := 0
			for i, c := range s.cats.counts {
				if c > s.cats.counts[big] {
					big = i
				}
			}
			fmt.Fprintf(&b, "; the largest, %s, holds %s points", s.titled(s.cats.names[big]), count(s.cats.counts[big]))
		}
	case s.opts.Values != nil:
		fmt.Fprintf(&b, " coloured by %s", s.colorName())
		if s.nan < n {
			fmt.Fprintf(&b, " from %s (dark purple) to %s (yellow)", num(s.lo), num(s.hi))
		}
		if s.nan > 0 {
			fmt.Fprintf(&b, "; %s missing value%s shown grey", count(s.nan), plural(s.nan))
		}
	}
	if s.opts.Alpha != nil {
		b.WriteString("; fainter points are weaker members")
	}
	xlo, xhi, ylo, yhi := s.pts.DataRange()
	fmt.Fprintf(&b, ". %s from %s to %s, %s from %s to %s.",
		axisName(s.opts.XLabel, "x"), num(xlo), num(xhi), axisName(s.opts.YLabel, "y"), num(ylo), num(yhi))
	if s.opts.Title != "" {
		return s.opts.Title + ": " + b.String()
	}
	return b.String()
}

func axisName(label, def string) string {
	if label == "" {
		return def
	}
	return label
}

// noun picks the singular or plural form for n things.
func noun(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

// listNames lists up to max names, then says how many more there are.
func listNames(names []string, max int) string {
	if len(names) <= max {
		return strings.Join(names, ", ")
	}
	return strings.Join(names[:max], ", ") + fmt.Sprintf(" and %d more", len(names)-max)
}
