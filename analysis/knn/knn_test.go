package knn

import (
	"context"
	"errors"
	"math"
	"math/rand/v2"
	"os"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"gonum.org/v1/gonum/mat"
)

// blobs returns n rows in d dimensions drawn around c random centres.
func blobs(n, d, c int, seed uint64) *mat.Dense {
	rng := rand.New(rand.NewPCG(seed, 7))
	centres := make([]float64, c*d)
	for i := range centres {
		centres[i] = rng.NormFloat64() * 4
	}
	x := mat.NewDense(n, d, nil)
	for i := range n {
		k := rng.IntN(c)
		for j := range d {
			x.Set(i, j, centres[k*d+j]+rng.NormFloat64())
		}
	}
	return x
}

// naive returns the k nearest rows of every row (self first), computed in
// float64 from the definitions.
func naive(x *mat.Dense, k int, metric Metric) [][]int {
	n, d := x.Dims()
	dist := func(a, b []float64) float64 {
		switch metric {
		case Manhattan:
			s := 0.0
			for j := range a {
				s += math.Abs(a[j] - b[j])
			}
			return s
		case Cosine, Correlation:
			ma, mb := 0.0, 0.0
			if metric == Correlation {
				for j := range a {
					ma += a[j] / float64(d)
					mb += b[j] / float64(d)
				}
			}
			var ab, aa, bb float64
			for j := range a {
				ab += (a[j] - ma) * (b[j] - mb)
				aa += (a[j] - ma) * (a[j] - ma)
				bb += (b[j] - mb) * (b[j] - mb)
			}
			return 1 - ab/math.Sqrt(aa*bb)
		}
		s := 0.0
		for j := range a {
			s += (a[j] - b[j]) * (a[j] - b[j])
		}
		return math.Sqrt(s)
	}
	out := make([][]int, n)
	for i := range n {
		order := make([]int, n)
		ds := make([]float64, n)
		for j := range n {
			order[j] = j
			ds[j] = dist(x.RawRowView(i), x.RawRowView(j))
		}
		ds[i] = -1
		sort.SliceStable(order, func(a, b int) bool { return ds[order[a]] < ds[order[b]] })
		out[i] = order[:k]
	}
	return out
}

func TestExactMatchesDefinition(t *testing.T) {
	x := blobs(300, 13, 4, 1)
	for _, metric := range Metrics {
		ix, err := Build(context.Background(), x, Settings{K: 8, Metric: metric})
		if err != nil {
			t.Fatal(err)
		}
		want := naive(x, 8, metric)
		g := ix.Graph()
		mismatched := 0
		for i := range g.N {
			got, d := g.Row(i)
			if got[0] != int32(i) || d[0] != 0 {
				t.Fatalf("%s: row %d starts with %d at %v, want itself at 0", metric, i, got[0], d[0])
			}
			if !slices.IsSorted(d) {
				t.Fatalf("%s: row %d distances not sorted: %v", metric, i, d)
			}
			for q, j := range want[i] {
				if int(got[q]) != j {
					mismatched++
				}
			}
		}
		// float32 rounding may swap near ties; anything more is a bug.
		if mismatched > g.N*g.K/200 {
			t.Errorf("%s: %d of %d neighbours differ from the float64 definition", metric, mismatched, g.N*g.K)
		}
	}
}

func graphRecall(approx, exact *Graph) float64 {
	hit, total := 0, 0
	for i := range exact.N {
		want, _ := exact.Row(i)
		got, _ := approx.Row(i)
		for _, j := range want[1:] {
			total++
			if slices.Contains(got[1:], j) {
				hit++
			}
		}
	}
	return float64(hit) / float64(total)
}

func TestNNDescentRecall(t *testing.T) {
	x := blobs(3000, 24, 12, 2)
	for _, metric := range Metrics {
		ex, err := Build(context.Background(), x, Settings{K: 15, Metric: metric, Method: Exact})
		if err != nil {
			t.Fatal(err)
		}
		ap, err := Build(context.Background(), x, Settings{K: 15, Metric: metric, Method: NNDescent, Seed: 3})
		if err != nil {
			t.Fatal(err)
		}
		r := graphRecall(ap.Graph(), ex.Graph())
		t.Logf("%s: recall %.4f", metric, r)
		if r < 0.95 {
			t.Errorf("%s: recall %.4f, want at least 0.95", metric, r)
		}
	}
}

func TestRecallMNIST10k(t *testing.T) {
	if testing.Short() && os.Getenv("CI") == "" {
		t.Skip("SKIPPED: the MNIST recall test does not run in -short mode outside CI")
	}
	x := mnistRows(t, 10000)
	ix, err := Build(context.Background(), x, Settings{K: 15})
	if err != nil {
		t.Fatal(err)
	}
	r := sampledRecall(ix, 5)
	t.Logf("recall at k=15 on MNIST 10,000 (every 5th row against brute force): %.4f", r)
	if r < 0.95 {
		t.Errorf("recall %.4f, want at least 0.95", r)
	}
}

func TestDeterministicAcrossGOMAXPROCS(t *testing.T) {
	x := blobs(2500, 10, 6, 4)
	build := func(procs int) *Index {
		defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(procs))
		ix, err := Build(context.Background(), x, Settings{K: 10, Method: NNDescent, Seed: 11})
		if err != nil {
			t.Fatal(err)
		}
		return ix
	}
	a, b := build(1), build(4)
	if !slices.Equal(a.Graph().Indices, b.Graph().Indices) || !slices.Equal(a.Graph().Distances, b.Graph().Distances) {
		t.Fatal("graphs differ between GOMAXPROCS 1 and 4")
	}
	q := blobs(50, 10, 6, 5)
	qa, err := a.Query(context.Background(), q, 7)
	if err != nil {
		t.Fatal(err)
	}
	qb, err := b.Query(context.Background(), q, 7)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(qa.Indices, qb.Indices) || !slices.Equal(qa.Distances, qb.Distances) {
		t.Fatal("query results differ between indexes built at GOMAXPROCS 1 and 4")
	}
	c, err := Build(context.Background(), x, Settings{K: 10, Method: NNDescent, Seed: 12})
	if err != nil {
		t.Fatal(err)
	}
	if slices.Equal(a.Graph().Indices, c.Graph().Indices) && a.Graph().Key == c.Graph().Key {
		t.Error("a different seed gave the same key")
	}
}

func TestDuplicateRows(t *testing.T) {
	// Ten copies each of 40 distinct rows: each row has 9 neighbours at
	// distance zero, and must still come first in its own list.
	base := blobs(40, 5, 3, 6)
	x := mat.NewDense(400, 5, nil)
	for i := range 400 {
		x.SetRow(i, base.RawRowView(i%40))
	}
	for _, method := range []Method{Exact, NNDescent} {
		ix, err := Build(context.Background(), x, Settings{K: 12, Method: method})
		if err != nil {
			t.Fatal(err)
		}
		g := ix.Graph()
		for i := range g.N {
			idx, d := g.Row(i)
			if idx[0] != int32(i) {
				t.Fatalf("%s: row %d does not list itself first: %v", method, i, idx)
			}
			zeros := 0
			for q, j := range idx[1:] {
				if int(j)%40 == i%40 {
					zeros++
					if d[q+1] != 0 {
						t.Fatalf("%s: duplicate %d of row %d at distance %v", method, j, i, d[q+1])
					}
				}
			}
			if method == Exact && zeros != 9 {
				t.Fatalf("exact: row %d lists %d of its 9 duplicates", i, zeros)
			}
		}
	}
}

func TestBadInput(t *testing.T) {
	nan := mat.NewDense(3, 2, []float64{1, 2, 3, math.NaN(), 5, 6})
	inf := mat.NewDense(3, 2, []float64{1, 2, 3, 4, math.Inf(-1), 6})
	zeroRow := mat.NewDense(3, 2, []float64{1, 2, 0, 0, 5, 6})
	constRow := mat.NewDense(3, 2, []float64{1, 2, 4, 4, 5, 6})
	small := mat.NewDense(3, 2, []float64{1, 2, 3, 4, 5, 6})
	for _, tc := range []struct {
		name string
		x    mat.Matrix
		s    Settings
		want string
	}{
		{"empty", &mat.Dense{}, Settings{}, "empty"},
		{"nan", nan, Settings{K: 2}, "row 1, column 1 is NaN"},
		{"inf", inf, Settings{K: 2}, "row 2, column 0 is -Inf"},
		{"k too large", small, Settings{K: 4}, "k 4 must not exceed the 3 rows"},
		{"k negative", small, Settings{K: -1}, "at least 1"},
		{"zero row cosine", zeroRow, Settings{K: 2, Metric: Cosine}, "row 1 is all zeros"},
		{"constant row correlation", constRow, Settings{K: 2, Metric: Correlation}, "row 1 is constant"},
		{"unknown metric", small, Settings{K: 2, Metric: "hamming"}, `unknown metric "hamming"`},
		{"unknown method", small, Settings{K: 2, Method: "magic"}, `unknown method "magic"`},
	} {
		_, err := Build(context.Background(), tc.x, tc.s)
		if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.HasPrefix(err.Error(), "knn: ") {
			t.Errorf("%s: error %v, want one containing %q", tc.name, err, tc.want)
		}
	}
}

func TestKey(t *testing.T) {
	x := blobs(200, 4, 2, 8)
	k1, err := KeyOf(x, Settings{K: 10})
	if err != nil {
		t.Fatal(err)
	}
	ix, err := Build(context.Background(), x, Settings{K: 10})
	if err != nil {
		t.Fatal(err)
	}
	if ix.Graph().Key != k1 {
		t.Fatal("Build's key differs from KeyOf")
	}
	y := mat.DenseCopyOf(x)
	if k, _ := KeyOf(y, Settings{K: 10}); k != k1 {
		t.Fatal("a copy of the data has a different key")
	}
	y.Set(123, 2, y.At(123, 2)+1e-12)
	for name, s := range map[string]Settings{"k": {K: 11}, "metric": {K: 10, Metric: Cosine}} {
		if k, _ := KeyOf(x, s); k == k1 {
			t.Errorf("changing %s kept the key", name)
		}
	}
	if k, _ := KeyOf(y, Settings{K: 10}); k == k1 {
		t.Error("changing one value kept the key")
	}
	if k, _ := KeyOf(x, Settings{K: 10, Seed: 99}); k != k1 {
		t.Error("the seed changed the key of an exact graph, which does not depend on it")
	}
	if len(k1.String()) != 32 {
		t.Errorf("key string %q is not 32 hex digits", k1)
	}
}

func TestQuery(t *testing.T) {
	all := blobs(5200, 12, 8, 9)
	train := mat.DenseCopyOf(all.Slice(0, 5000, 0, 12))
	test := mat.DenseCopyOf(all.Slice(5000, 5200, 0, 12))
	ex, err := Build(context.Background(), train, Settings{K: 10, Method: Exact})
	if err != nil {
		t.Fatal(err)
	}
	ap, err := Build(context.Background(), train, Settings{K: 10})
	if err != nil {
		t.Fatal(err)
	}
	want, err := ex.Query(context.Background(), test, 10)
	if err != nil {
		t.Fatal(err)
	}
	got, err := ap.Query(context.Background(), test, 10)
	if err != nil {
		t.Fatal(err)
	}
	// Exact queries agree with the definition.
	for i := range want.N {
		idx, d := want.Row(i)
		if !slices.IsSorted(d) {
			t.Fatalf("query %d: distances not sorted", i)
		}
		v := test.RawRowView(i)
		for q, j := range idx {
			s := 0.0
			for c := range v {
				s += (v[c] - train.At(int(j), c)) * (v[c] - train.At(int(j), c))
			}
			if math.Abs(math.Sqrt(s)-float64(d[q])) > 1e-4*(1+math.Sqrt(s)) {
				t.Fatalf("query %d: distance to %d is %v, want %v", i, j, d[q], math.Sqrt(s))
			}
		}
	}
	hit := 0
	for i := range want.N {
		w, _ := want.Row(i)
		g, _ := got.Row(i)
		for _, j := range w {
			if slices.Contains(g, j) {
				hit++
			}
		}
	}
	if r := float64(hit) / float64(want.N*want.K); r < 0.95 {
		t.Errorf("graph search recall %.4f, want at least 0.95", r)
	}
	// A training row queried again finds itself at distance zero.
	self, err := ap.Query(context.Background(), train.Slice(0, 3, 0, 12), 1)
	if err != nil {
		t.Fatal(err)
	}
	for i := range 3 {
		if j, d := self.Row(i); j[0] != int32(i) || d[0] != 0 {
			t.Errorf("training row %d queried finds %d at %v", i, j[0], d[0])
		}
	}
	if _, err := ap.Query(context.Background(), mat.NewDense(1, 3, nil), 5); err == nil || !strings.Contains(err.Error(), "3 columns but the index has 12") {
		t.Errorf("wrong width: %v", err)
	}
	if _, err := ap.Query(context.Background(), test, 0); err == nil {
		t.Error("k 0 accepted")
	}
}

func TestCancel(t *testing.T) {
	x := blobs(20000, 32, 10, 10)
	ctx, cancel := context.WithCancel(context.Background())
	var calls atomic.Int32
	s := Settings{Progress: func(phase string, done, total int) {
		if phase != "neighbours" {
			t.Errorf("phase %q", phase)
		}
		if calls.Add(1) == 2 {
			cancel()
		}
	}}
	start := time.Now()
	_, err := Build(ctx, x, s)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	if !strings.HasPrefix(err.Error(), "knn: ") {
		t.Errorf("error %q lacks the package prefix", err)
	}
	if el := time.Since(start); el > 5*time.Second {
		t.Errorf("cancelled build took %v", el)
	}
}

func TestParseMetric(t *testing.T) {
	for name, want := range map[string]Metric{"": Euclidean, "L2": Euclidean, "l1": Manhattan, "cityblock": Manhattan, "taxicab": Manhattan, "Cosine": Cosine, "correlation": Correlation} {
		if got, err := ParseMetric(name); err != nil || got != want {
			t.Errorf("ParseMetric(%q) = %q, %v; want %q", name, got, err, want)
		}
	}
	if _, err := ParseMetric("minkowski"); err == nil {
		t.Error("minkowski accepted")
	}
}
