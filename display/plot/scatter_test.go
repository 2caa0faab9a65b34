package plot

import (
	"fmt"
	"image/color"
	"math"
	"strings"
	"testing"

	"gonum.org/v1/plot/vg"
)

// Noise is drawn first, then categories from largest to smallest, each in
// input order; colours follow natural label order.
func TestScatterDrawOrder(t *testing.T) {
	labels := []string{"1", "-1", "0", "1", "10", "1", "noise", "0", "2"}
	x := []float64{0, 1, 2, 3, 4, 5, 6, 7, 8}
	s := scatter{x: x, y: x, opts: ScatterOptions{Labels: labels, Opacity: 1, PointRadius: 1}}
	s.build()
	// "1" has 3 points, "0" 2, "2" and "10" one each (ties in label order).
	wantX := []float64{1, 6, 0, 3, 5, 2, 7, 8, 4}
	for i, w := range wantX {
		if s.pts.x[i] != w {
			t.Fatalf("draw order %v, want %v", s.pts.x, wantX)
		}
	}
	colorOf := map[float64]color.NRGBA{}
	for i, px := range s.pts.x {
		colorOf[px] = s.pts.colors[i]
	}
	for xi, want := range map[float64]color.NRGBA{
		0: Category(1), 2: Category(0), 8: Category(2), 4: Category(3),
	} {
		if got := colorOf[xi]; got != want {
			t.Errorf("point at x=%v has colour %v, want %v", xi, got, want)
		}
	}
	for _, xi := range []float64{1, 6} {
		if c := colorOf[xi]; c.R != noiseGrey.R || c.G != noiseGrey.G || c.B != noiseGrey.B {
			t.Errorf("noise point at x=%v has colour %v", xi, c)
		}
	}
}

// Membership strengths scale opacity for cluster points only.
func TestScatterAlpha(t *testing.T) {
	s := scatter{
		x: []float64{0, 1, 2}, y: []float64{0, 1, 2},
		opts: ScatterOptions{Labels: []string{"0", "0", "-1"}, Alpha: []float64{1, 0.5, 0}, Opacity: 0.8, PointRadius: 1},
	}
	s.build()
	got := []uint8{s.pts.colors[0].A, s.pts.colors[1].A, s.pts.colors[2].A}
	// Noise first at its own opacity, then the two cluster points.
	want := []uint8{to8(0.8), to8(0.8), to8(0.4)}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("alphas %v, want %v", got, want)
		}
	}
}

// Missing values are drawn grey, first; the rest through viridis over
// their range.
func TestScatterValues(t *testing.T) {
	nan := math.NaN()
	s := scatter{x: []float64{0, 1, 2, 3}, y: []float64{0, 1, 2, 3}, opts: ScatterOptions{Values: []float64{5, nan, 1, 3}, Opacity: 1, PointRadius: 1}}
	s.build()
	if s.pts.x[0] != 1 || s.pts.colors[0] != noiseGrey {
		t.Errorf("first point drawn is x=%v %v, want the missing one in grey", s.pts.x[0], s.pts.colors[0])
	}
	for i, want := range map[int]color.NRGBA{1: viridis.At(1), 2: viridis.At(0), 3: viridis.At(0.5)} {
		if s.pts.colors[i] != want {
			t.Errorf("point %d colour %v, want %v", i, s.pts.colors[i], want)
		}
	}
	if s.lo != 1 || s.hi != 5 || s.nan != 1 {
		t.Errorf("range %v..%v with %d missing, want 1..5 with 1", s.lo, s.hi, s.nan)
	}
}

func TestScatterCentreLabels(t *testing.T) {
	s := scatter{
		x:    []float64{0, 1, 10, 2, 50, -4},
		y:    []float64{0, 1, 1, 3, 50, 7},
		opts: ScatterOptions{Labels: []string{"a", "a", "a", "a", "b", "-1"}},
	}
	s.cats = newCategories(s.opts.Labels)
	lab := s.centreLabels().(*textLabels)
	if len(lab.text) != 2 || lab.text[0] != "a" || lab.text[1] != "b" {
		t.Fatalf("labels %q, want a and b (not noise)", lab.text)
	}
	// Medians, not means: the outlier at x=10 does not drag the label.
	if lab.x[0] != 1.5 || lab.y[0] != 1 || lab.x[1] != 50 || lab.y[1] != 50 {
		t.Errorf("centres (%v, %v) and (%v, %v), want (1.5, 1) and (50, 50)", lab.x[0], lab.y[0], lab.x[1], lab.y[1])
	}
}

// TestScatterNames: named categories show their names at their centres
// and beside their labels in the legend and the alt text; colours stay
// those of the labels.
func TestScatterNames(t *testing.T) {
	s := scatter{
		x:    []float64{0, 1, 2, 3, 4},
		y:    []float64{0, 1, 2, 3, 4},
		opts: ScatterOptions{Labels: []string{"0", "0", "1", "1", "-1"}, Names: map[string]string{"1": "ambient"}},
	}
	s.cats = newCategories(s.opts.Labels)
	if lab := s.centreLabels().(*textLabels); strings.Join(lab.text, ",") != "0,ambient" {
		t.Errorf("centre labels %q, want 0 and ambient", lab.text)
	}
	var entries []string
	for _, e := range s.legend().entries {
		entries = append(entries, e.label)
	}
	if got := strings.Join(entries, ","); got != "0 (2),1 · ambient (2),noise (1)" {
		t.Errorf("legend %s", got)
	}
	if s.legend().entries[1].color != Category(1) {
		t.Errorf("the named category lost its colour")
	}
	if alt := s.alt(); !strings.Contains(alt, "2 clusters (0, 1 (ambient))") || !strings.Contains(alt, "the largest, 0,") {
		t.Errorf("alt text %q", alt)
	}
}

func TestScatterAlt(t *testing.T) {
	var labels []string
	for i := range 1000 {
		switch {
		case i < 81:
			labels = append(labels, "-1")
		case i < 300:
			labels = append(labels, "3")
		default:
			labels = append(labels, fmt.Sprint(i%12))
		}
	}
	x := make([]float64, len(labels))
	for i := range x {
		x[i] = float64(i) / 10
	}
	nan := math.NaN()
	for _, tc := range []struct {
		name string
		opts ScatterOptions
		want []string
	}{
		{"clusters", ScatterOptions{Labels: labels}, []string{
			"Scatter of 1,000 points coloured by cluster: 12 clusters (0–11), 8.1% noise; the largest, 3, holds 278 points.",
			"x from 0 to 99.9, y from 0 to 99.9.",
		}},
		{"categories", ScatterOptions{Labels: repeat([]string{"rock", "pop", "jazz"}, 1000), ColorName: "genre", XLabel: "UMAP 1"}, []string{
			"coloured by genre: 3 categories (jazz, pop, rock)", "UMAP 1 from 0 to 99.9",
		}},
		{"values", ScatterOptions{Values: withNaN(x, 3), ColorName: "energy", Alpha: ones(1000), Title: "tracks"}, []string{
			"tracks: Scatter of 1,000 points coloured by energy from 0.3 (dark purple) to 99.9 (yellow); 3 missing values shown grey; fainter points are weaker members.",
		}},
		{"plain", ScatterOptions{}, []string{"Scatter of 1,000 points. x from"}},
		{"one cluster", ScatterOptions{Labels: repeat([]string{"0"}, 1000)}, []string{"1 cluster (0)"}},
		{"named integer labels", ScatterOptions{Labels: repeat([]string{"0", "1", "2"}, 1000), ColorName: "digit"}, []string{"coloured by digit: 3 categories (0–2)"}},
		{"named clusters", ScatterOptions{Labels: repeat([]string{"0", "1"}, 1000), ColorName: "cluster (depth 2)"}, []string{": 2 clusters (0–1)"}},
		{"all noise", ScatterOptions{Values: repeat([]float64{nan}, 1000)}, []string{"1,000 missing values shown grey"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := scatter{x: x, y: x, opts: tc.opts}
			s.opts.Opacity, s.opts.PointRadius = 1, 1
			s.build()
			alt := s.alt()
			for _, w := range tc.want {
				if !strings.Contains(alt, w) {
					t.Errorf("alt text %q\nlacks %q", alt, w)
				}
			}
		})
	}
}

func repeat[T any](v []T, n int) []T {
	out := make([]T, n)
	for i := range out {
		out[i] = v[i%len(v)]
	}
	return out
}

func ones(n int) []float64 { return repeat([]float64{1}, n) }

func withNaN(v []float64, k int) []float64 {
	out := append([]float64(nil), v...)
	for i := range k {
		out[i] = math.NaN()
	}
	return out
}

// Point size and opacity shrink as the number of points grows, within
// bounds.
func TestAutoSize(t *testing.T) {
	prevR, prevA := math.Inf(1), math.Inf(1)
	for _, n := range []int{1, 100, 1000, 5000, 20000, 70000, 1000000} {
		r, a := autoRadius(n), autoOpacity(n)
		if r > prevR || a > prevA {
			t.Errorf("n=%d: radius %v or opacity %v grew", n, r, a)
		}
		if r < 1 || r > 3 || a < 0.12 || a > 0.85 {
			t.Errorf("n=%d: radius %v or opacity %v out of bounds", n, r, a)
		}
		prevR, prevA = r, a
	}
}

func TestLegendLayout(t *testing.T) {
	l := legend{title: "cluster"}
	for i := range 100 {
		l.entries = append(l.entries, legendEntry{Category(i), fmt.Sprintf("%d (%d)", i, i)})
	}
	for _, tc := range []struct {
		entries           int
		height            float64 // points
		rows, cols, shown int
	}{
		{5, 400, 29, 1, 5},
		{40, 400, 29, 2, 40},
		{100, 400, 29, 2, 57},
		{3, 10, 1, 2, 1},
	} {
		l := legend{title: l.title, entries: l.entries[:tc.entries]}
		rows, cols, shown := l.layout(vg.Points(tc.height))
		if rows != tc.rows || cols != tc.cols || shown != tc.shown {
			t.Errorf("%d entries in %v pt: %d rows, %d columns, %d shown; want %d, %d, %d", tc.entries, tc.height, rows, cols, shown, tc.rows, tc.cols, tc.shown)
		}
	}
}

// A colouring by thousands of distinct labels draws quickly: no centre
// labels, a truncated legend.
func TestScatterManyCategories(t *testing.T) {
	n := 5000
	x := make([]float64, n)
	labels := make([]string, n)
	for i := range n {
		x[i] = float64(i)
		labels[i] = fmt.Sprint("id", i)
	}
	b, err := Scatter(x, x, ScatterOptions{Labels: labels, Width: tw, Height: th})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.Plain(), "5,000 categories (id0, id1, id2,") {
		t.Errorf("alt text %q", b.Plain())
	}
}
