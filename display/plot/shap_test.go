package plot

import (
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

func TestColorRange(t *testing.T) {
	nan := math.NaN()
	v := make([]float64, 100)
	for i := range v {
		v[i] = float64(i + 1)
	}
	// 998 zeros and two outliers: the 5–95 range collapses, so does 1–99,
	// and the full range is used.
	spiky := make([]float64, 1000)
	spiky[0], spiky[999] = -5, 5
	for _, tc := range []struct {
		name   string
		v      []float64
		lo, hi float64
		ok     bool
	}{
		{"trimmed", append(v, nan, nan), 5.95, 95.05, true},
		{"collapsed", spiky, -5, 5, true},
		{"constant", []float64{3, 3, 3}, 3, 3, true},
		{"missing", []float64{nan, nan}, 0, 0, false},
	} {
		lo, hi, ok := colorRange(tc.v)
		if ok != tc.ok || math.Abs(lo-tc.lo) > 1e-12 || math.Abs(hi-tc.hi) > 1e-12 {
			t.Errorf("%s: colorRange = %v, %v, %v; want %v, %v, %v", tc.name, lo, hi, ok, tc.lo, tc.hi, tc.ok)
		}
	}
	norm := normalizer(0, 10)
	if norm(-1) != 0 || norm(5) != 0.5 || norm(11) != 1 {
		t.Error("normalizer does not clip to [0, 1]")
	}
	if normalizer(3, 3)(3) != 0.5 {
		t.Error("a collapsed range should map to the middle")
	}
}

// shap's jitter: piles alternate around the row's centre line, stay within
// 0.36 of a row, and points sharing a bin never share an offset.
func TestJitter(t *testing.T) {
	r := rand.New(rand.NewPCG(4, 4))
	values := make([]float64, 2000)
	for i := range values {
		values[i] = r.NormFloat64()
	}
	perm := shuffle(len(values))
	ys := jitter(values, perm)
	lo, hi := slices.Min(values), slices.Max(values)
	seen := map[[2]float64]bool{}
	up, down := 0, 0
	for i, y := range ys {
		if math.Abs(y) > 0.36 {
			t.Fatalf("offset %v beyond the row", y)
		}
		bin := math.Round(100 * (values[i] - lo) / (hi - lo + 1e-8))
		key := [2]float64{bin, y}
		if seen[key] {
			t.Fatalf("two points of bin %v share offset %v", bin, y)
		}
		seen[key] = true
		switch {
		case y > 0:
			up++
		case y < 0:
			down++
		}
	}
	if d := up - down; d < 0 || d > 101 {
		t.Errorf("%d points above and %d below: piles are not balanced", up, down)
	}
	if !slices.Equal(ys, jitter(values, perm)) {
		t.Error("jitter is not deterministic")
	}
	// A single value sits on the line.
	if y := jitter([]float64{4}, []int{0}); y[0] != 0 {
		t.Errorf("lone point offset %v", y[0])
	}
}

func TestShuffleIsPermutation(t *testing.T) {
	p := shuffle(1000)
	q := slices.Clone(p)
	slices.Sort(q)
	for i, v := range q {
		if v != i {
			t.Fatal("shuffle is not a permutation")
		}
	}
	if slices.IsSorted(p) {
		t.Error("shuffle left the rows in order")
	}
	if !slices.Equal(p, shuffle(1000)) {
		t.Error("shuffle is not fixed")
	}
}

func TestImportanceOrder(t *testing.T) {
	if got := importanceOrder([]float64{0.1, 0.5, 0.1, 0.9, 0}); !slices.Equal(got, []int{3, 1, 0, 2, 4}) {
		t.Errorf("order %v, want [3 1 0 2 4] (ties in feature order)", got)
	}
}

// The plots repeat the directions they are given and work out none.
func TestDirectionsAreRepeated(t *testing.T) {
	e := Explanation{
		Values:     [][]float64{{1, -1, 0.3}, {2, -2, 0.3}},
		Data:       [][]float64{{10, 10, 1}, {20, 20, 2}},
		Directions: []string{"high values raise the output", "high values lower the output", "no clear direction"},
	}
	for j, want := range e.Directions {
		if got := e.direction(j); got != want {
			t.Errorf("direction of feature %d = %q, want %q", j, got, want)
		}
	}
	if got := e.topFeatures([]int{1}, []float64{1.5, 1.5, 0.3}, 1); !strings.Contains(got, "high values lower the output") {
		t.Errorf("alt text %q misses the direction it was given", got)
	}
	if (Explanation{Values: e.Values, Data: e.Data}).direction(0) != "" {
		t.Error("without directions there is none")
	}
	e.Directions = e.Directions[:2]
	if _, _, err := e.check("summary"); err == nil || !strings.Contains(err.Error(), "2 feature directions for 3 features") {
		t.Errorf("short Directions: %v", err)
	}
}

// The bar plot keeps MaxDisplay-1 features and sums the rest into the
// last bar.
func TestBarGroupsTheRest(t *testing.T) {
	e := Explanation{
		Values: [][]float64{{0.1, -0.5, 0.2, 0.05, -0.3}, {-0.1, 0.5, 0.2, 0.05, 0.3}},
		Names:  []string{"a", "b", "c", "d", "e"},
	}
	b, err := Bar(e, BarOptions{MaxDisplay: 3, Width: tw, Height: th})
	if err != nil {
		t.Fatal(err)
	}
	want := "Bar chart of mean |SHAP| over 2 rows, largest first: b 0.5; e 0.3; Sum of 3 other features 0.35."
	if got := b.Plain(); got != want {
		t.Errorf("alt text\n%q\nwant\n%q", got, want)
	}
	b, err = Bar(e, BarOptions{MaxDisplay: 5, Width: tw, Height: th})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(b.Plain(), "other") {
		t.Errorf("all features fit, yet %q groups some", b.Plain())
	}
}

// The waterfall is a chain from E[f(X)] to f(x): each arrow starts where
// the one below it ends, the top ends at f(x), the bottom starts at the
// expected value.
func TestWaterfallChain(t *testing.T) {
	e := syntheticExplanation(5, 15, 9)
	for _, maxDisplay := range []int{1, 2, 5, 15, 40} {
		w := newWaterfall(e, 2, maxDisplay)
		wantSteps := min(maxDisplay, 15)
		if len(w.steps) != wantSteps {
			t.Errorf("max %d: %d steps, want %d", maxDisplay, len(w.steps), wantSteps)
		}
		fx := e.Base
		for _, v := range e.Values[2] {
			fx += v
		}
		if math.Abs(w.steps[0].end-fx) > 1e-12 || math.Abs(w.fx-fx) > 1e-12 {
			t.Errorf("max %d: chain ends at %v, f(x) is %v", maxDisplay, w.steps[0].end, fx)
		}
		last := w.steps[len(w.steps)-1]
		if math.Abs(last.start-e.Base) > 1e-12 {
			t.Errorf("max %d: chain starts at %v, E[f(X)] is %v", maxDisplay, last.start, e.Base)
		}
		for i := 1; i < len(w.steps); i++ {
			if math.Abs(w.steps[i].end-w.steps[i-1].start) > 1e-12 {
				t.Errorf("max %d: step %d ends at %v, step %d starts at %v", maxDisplay, i, w.steps[i].end, i-1, w.steps[i-1].start)
			}
		}
		if maxDisplay < 15 {
			if want := "other features"; !strings.Contains(last.name, want) || last.value != "" {
				t.Errorf("max %d: last step %+v should group the rest", maxDisplay, last)
			}
		}
		// Individual steps come by decreasing magnitude.
		for i := 1; i < len(w.steps)-1; i++ {
			if math.Abs(w.steps[i].end-w.steps[i].start) > math.Abs(w.steps[i-1].end-w.steps[i-1].start)+1e-12 {
				t.Errorf("max %d: step %d is larger than the one above it", maxDisplay, i)
			}
		}
	}
	if got := newWaterfall(e, 0, 2).steps[1].name; got != "14 other features" {
		t.Errorf("grouped row named %q, want \"14 other features\"", got)
	}
}

func TestWaterfallLabels(t *testing.T) {
	e := Explanation{
		Values: [][]float64{{0.5, -1.25, 0.001}},
		Data:   [][]float64{{3, math.NaN(), 12.3456}},
		Names:  []string{"tempo", "energy", "key"},
		Base:   -0.5,
	}
	b, err := Waterfall(e, 0, WaterfallOptions{RowName: "track 17", Width: tw, Height: th})
	if err != nil {
		t.Fatal(err)
	}
	want := "SHAP waterfall for track 17: from the expected value E[f(X)] = -0.5 to the output f(x) = -1.249. " +
		"Contributions, largest first: energy = missing -1.25; tempo = 3 +0.5; key = 12.346 +0."
	if got := b.Plain(); got != want {
		t.Errorf("alt text\n%q\nwant\n%q", got, want)
	}
}

// When one feature's effect depends on another, "auto" colours by that
// one, as shap's approximate_interactions would pick it.
func TestStrongestInteraction(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 5))
	e := Explanation{Names: []string{"x", "noise", "switch", "const"}}
	for range 400 {
		x, s := r.NormFloat64(), float64(r.IntN(2))
		d := []float64{x, r.NormFloat64(), s, 0}
		// The SHAP value of x grows with x only when the switch is on.
		v := []float64{x * s, 0, 0, 0}
		e.Data = append(e.Data, d)
		e.Values = append(e.Values, v)
	}
	if got := strongestInteraction(e, 0); got != 2 {
		t.Errorf("strongest interaction of x is feature %d, want 2 (switch)", got)
	}
	b, err := Dependence(e, "x", DependenceOptions{ColorBy: "auto", Width: tw, Height: th})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.Plain(), "coloured by switch, the feature it seems to interact with most") {
		t.Errorf("alt text %q", b.Plain())
	}
	// With no other feature varying, nothing is chosen.
	flat := Explanation{Values: [][]float64{{1, 0}, {2, 0}}, Data: [][]float64{{1, 0}, {2, 0}}}
	if got := strongestInteraction(flat, 0); got != -1 {
		t.Errorf("flat data picks feature %d, want none", got)
	}
}

func TestDependenceMissing(t *testing.T) {
	nan := math.NaN()
	e := Explanation{
		Values: [][]float64{{0.1, 0}, {0.2, 0}, {-0.3, 0}, {0.4, 0}},
		Data:   [][]float64{{1, 5}, {2, nan}, {nan, 7}, {4, 8}},
		Names:  []string{"loudness", "tempo"},
	}
	b, err := Dependence(e, "loudness", DependenceOptions{ColorBy: "tempo", Width: tw, Height: th})
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range []string{
		"x is the value of loudness (1 to 4), y its SHAP value (-0.3 to 0.4)",
		"Points are coloured by tempo, blue low to red high.",
		"1 row with loudness missing is drawn as a grey tick at the left edge.",
	} {
		if !strings.Contains(b.Plain(), w) {
			t.Errorf("alt text %q lacks %q", b.Plain(), w)
		}
	}
}

func TestDefaultNames(t *testing.T) {
	e := Explanation{Values: [][]float64{{1, 2}}}
	if e.name(1) != "Feature 1" {
		t.Errorf("default name %q", e.name(1))
	}
	if j, err := e.feature("x", "Feature 1"); err != nil || j != 1 {
		t.Errorf("feature lookup = %d, %v", j, err)
	}
}

// Values spanning the whole float range do not overflow the binning.
func TestJitterExtremes(t *testing.T) {
	ys := jitter([]float64{-math.MaxFloat64, 0, math.MaxFloat64, math.MaxFloat64}, []int{0, 1, 2, 3})
	for _, y := range ys {
		if math.IsNaN(y) || math.Abs(y) > 0.36 {
			t.Fatalf("offsets %v", ys)
		}
	}
}
