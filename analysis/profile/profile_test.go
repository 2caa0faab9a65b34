package profile

import (
	"context"
	"math"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"

	"github.com/reckon-dev/reckon/analysis/explain"
	"github.com/reckon-dev/reckon/analysis/frame"
)

func mustFrame(t testing.TB, cols ...*frame.Column) *frame.Frame {
	t.Helper()
	f, err := frame.New(cols...)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func categorical(t testing.TB, name string, values ...string) *frame.Column {
	t.Helper()
	valid := make([]bool, len(values))
	for i, v := range values {
		valid[i] = v != ""
	}
	c, err := frame.NewCategorical(name, values, valid)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestCohensD(t *testing.T) {
	nan := math.NaN()
	for _, tc := range []struct {
		name   string
		values []float64
		labels []string
		want   Numeric
	}{
		// Means 2 and 5, each side's variance 1 (n−1): pooled SD 1.
		{"pooled", []float64{1.5, 2.5, 3.5, 4.5, 5.5, 6.5}, []string{"0", "0", "0", "1", "1", "1"}, Numeric{Column: "x", Mean: 2.5, RestMean: 5.5, D: -3}},
		// Missing values count on neither side.
		{"missing", []float64{1, nan, 3, 4, 5, 6}, []string{"0", "0", "0", "1", "1", "1"}, Numeric{Column: "x", Mean: 2, RestMean: 5, D: -3 / math.Sqrt(4.0/3)}},
		{"constant and different", []float64{1, 1, 2, 2}, []string{"0", "0", "1", "1"}, Numeric{Column: "x", Mean: 1, RestMean: 2, D: math.Inf(-1)}},
		{"constant and equal", []float64{1, 1, 1, 1}, []string{"0", "0", "1", "1"}, Numeric{Column: "x", Mean: 1, RestMean: 1, D: 0}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r, err := Profile(context.Background(), mustFrame(t, frame.NewNumeric("x", tc.values)), tc.labels, Settings{})
			if err != nil {
				t.Fatal(err)
			}
			got := r.Clusters[0].Numeric[0]
			if got.Column != tc.want.Column || math.Abs(got.Mean-tc.want.Mean) > 1e-12 || math.Abs(got.RestMean-tc.want.RestMean) > 1e-12 ||
				!(got.D == tc.want.D || math.Abs(got.D-tc.want.D) < 1e-12) {
				t.Errorf("got %+v, want %+v", got, tc.want)
			}
		})
	}
}

func TestCategorical(t *testing.T) {
	// Cluster 0 is three rows of a, one missing; the rest is b, b, a, b.
	f := mustFrame(t, categorical(t, "genre", "a", "a", "a", "", "b", "b", "a", "b"))
	r, err := Profile(context.Background(), f, []string{"0", "0", "0", "0", "1", "1", "1", "1"}, Settings{})
	if err != nil {
		t.Fatal(err)
	}
	want := []Category{{Column: "genre", Value: "a", Count: 3, Share: 1, Overall: 4.0 / 7}}
	if got := r.Clusters[0].Categorical; !reflect.DeepEqual(got, want) {
		t.Errorf("cluster 0: got %+v, want %+v", got, want)
	}
	want = []Category{{Column: "genre", Value: "b", Count: 3, Share: 0.75, Overall: 3.0 / 7}}
	if got := r.Clusters[1].Categorical; !reflect.DeepEqual(got, want) {
		t.Errorf("cluster 1: got %+v, want %+v", got, want)
	}
}

func TestIdentifiersSkipped(t *testing.T) {
	for _, tc := range []struct {
		col  *frame.Column
		skip bool
	}{
		{categorical(t, "track_id", "t1", "t2", "t3", "t4"), true},
		{frame.NewNumeric("row", []float64{4, 1, 3, 2}), true},
		{frame.NewNumeric("user_id", []float64{40, 17, 3, 2}), true},
		{frame.NewNumeric("plays", []float64{40, 17, 3, 2}), false},
		{categorical(t, "genre", "a", "b", "a", "b"), false},
		{categorical(t, "half missing", "t1", "t2", "", "t4"), false},
		{frame.NewNumeric("energy", []float64{0.1, 0.2, 0.3, 0.4}), false},
		{frame.NewNumeric("year", []float64{2001, 2001, 2003, 2004}), false},
	} {
		r, err := Profile(context.Background(), mustFrame(t, tc.col), []string{"0", "0", "1", "1"}, Settings{})
		if err != nil {
			t.Fatal(err)
		}
		if got := len(r.Skipped) == 1; got != tc.skip {
			t.Errorf("%s: skipped %v, want %v", tc.col.Name(), got, tc.skip)
		}
	}
}

// TestScope: a nested cluster is compared with its siblings by default,
// with every other row when asked.
func TestScope(t *testing.T) {
	x := frame.NewNumeric("x", []float64{10, 12, 20, 22, 0, 1})
	labels := []string{"0.0", "0.0", "0.1", "0.1", "1", "1"}
	for _, tc := range []struct {
		against  explain.Scope
		restMean float64
		rest     int
	}{{explain.Siblings, 21, 2}, {explain.Whole, 10.75, 4}} {
		r, err := Profile(context.Background(), mustFrame(t, x), labels, Settings{Against: tc.against})
		if err != nil {
			t.Fatal(err)
		}
		var labelsSeen []string
		for _, c := range r.Clusters {
			labelsSeen = append(labelsSeen, c.Label)
		}
		if got := strings.Join(labelsSeen, " "); got != "0 0.0 0.1 1" {
			t.Fatalf("clusters %s", got)
		}
		c := r.Clusters[1]
		if c.Rest != tc.rest || c.Numeric[0].RestMean != tc.restMean {
			t.Errorf("%v: rest %d with mean %v, want %d with %v", tc.against, c.Rest, c.Numeric[0].RestMean, tc.rest, tc.restMean)
		}
	}
}

func TestErrors(t *testing.T) {
	f := mustFrame(t, frame.NewNumeric("x", []float64{1, 2}))
	for _, labels := range [][]string{{"0"}, {"noise", "noise"}, {"", "0"}} {
		if _, err := Profile(context.Background(), f, labels, Settings{}); err == nil {
			t.Errorf("labels %q: no error", labels)
		}
	}
}

func TestLine(t *testing.T) {
	c := Cluster{Label: "3", Size: 240,
		Numeric: []Numeric{
			{Column: "instrumentalness", Mean: 0.82, RestMean: 0.31, D: 2.1},
			{Column: "acousticness", Mean: 0.05, RestMean: 0.42, D: -1.5},
			{Column: "tempo", Mean: 121, RestMean: 119, D: 0.1},
		},
		Categorical: []Category{{Column: "genre", Value: "classical", Share: 0.91, Overall: 0.17}, {Column: "genre", Value: "jazz", Share: 0.09, Overall: 0.05}},
	}
	for _, tc := range []struct {
		opts LineOptions
		want string
	}{
		{LineOptions{}, "3 · 240 rows (18%) · high instrumentalness (0.82 vs 0.31), low acousticness (0.05 vs 0.42) · 91% classical (vs 17%)"},
		{LineOptions{Noun: "tracks", Name: "ambient", MaxNumeric: 1, Extra: []string{"AUC 0.99"}}, "3 (ambient) · 240 tracks (18%) · high instrumentalness (0.82 vs 0.31) · 91% classical (vs 17%) · AUC 0.99"},
		{LineOptions{MinEffect: 5, MinShare: 0.95}, "3 · 240 rows (18%) · nothing stands out"},
	} {
		if got := c.Line(1300, tc.opts); got != tc.want {
			t.Errorf("got  %s\nwant %s", got, tc.want)
		}
	}
}

// randomTable is a table of a numeric and a categorical column with some
// values missing, and labels of two levels with noise.
func randomTable(rng *rand.Rand, n int) (num []float64, cat []string, labels []string) {
	for i := 0; i < n; i++ {
		v := rng.NormFloat64()
		if rng.IntN(10) == 0 {
			v = math.NaN()
		}
		num = append(num, v)
		cat = append(cat, []string{"", "a", "b", "c"}[rng.IntN(4)])
		l := []string{"0", "1", "2", "noise"}[rng.IntN(4)]
		if l != "noise" && rng.IntN(2) == 0 {
			l += "." + []string{"0", "1", "noise"}[rng.IntN(3)]
		}
		labels = append(labels, l)
	}
	return
}

// TestProperties: shares of a column's values within a cluster sum to one
// (the over-represented ones to at most one), and the profile does not
// depend on the order of the rows.
func TestProperties(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for trial := 0; trial < 50; trial++ {
		n := 5 + rng.IntN(200)
		num, cat, labels := randomTable(rng, n)
		f := mustFrame(t, frame.NewNumeric("x", num), categorical(t, "c", cat...))
		r, err := Profile(context.Background(), f, labels, Settings{})
		if err != nil {
			continue // only noise
		}
		for _, c := range r.Clusters {
			sum := 0.0
			for _, k := range c.Categorical {
				sum += k.Share
				if k.Share <= k.Overall {
					t.Fatalf("%s: %+v is not over-represented", c.Label, k)
				}
			}
			if sum > 1+1e-9 {
				t.Fatalf("%s: shares sum to %v", c.Label, sum)
			}
		}
		perm := rng.Perm(n)
		pn, pc, pl := make([]float64, n), make([]string, n), make([]string, n)
		for i, p := range perm {
			pn[i], pc[i], pl[i] = num[p], cat[p], labels[p]
		}
		pr, err := Profile(context.Background(), mustFrame(t, frame.NewNumeric("x", pn), categorical(t, "c", pc...)), pl, Settings{})
		if err != nil {
			t.Fatal(err)
		}
		if len(pr.Clusters) != len(r.Clusters) {
			t.Fatalf("permuted: %d clusters, want %d", len(pr.Clusters), len(r.Clusters))
		}
		for i, c := range r.Clusters {
			if got := pr.Clusters[i].Line(n, LineOptions{MinEffect: 1e-9, MinShare: 1e-9, MinLift: 1 + 1e-9}); got != c.Line(n, LineOptions{MinEffect: 1e-9, MinShare: 1e-9, MinLift: 1 + 1e-9}) {
				t.Fatalf("permuted rows changed the profile:\n%s\n%s", got, c.Line(n, LineOptions{}))
			}
		}
	}
}

// TestSharesSumToOne: over every value, not only the over-represented,
// a cluster's shares sum to one; checked through a cluster whose values
// are all over-represented against an absent rest value.
func TestSharesSumToOne(t *testing.T) {
	f := mustFrame(t, categorical(t, "c", "a", "b", "b", "", "z", "z"))
	r, err := Profile(context.Background(), f, []string{"0", "0", "0", "0", "1", "1"}, Settings{})
	if err != nil {
		t.Fatal(err)
	}
	sum := 0.0
	for _, k := range r.Clusters[0].Categorical {
		sum += k.Share
	}
	if math.Abs(sum-1) > 1e-12 {
		t.Errorf("shares sum to %v, want 1", sum)
	}
}
