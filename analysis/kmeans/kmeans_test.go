package kmeans

import (
	"context"
	"math"
	"math/rand/v2"
	"runtime"
	"slices"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/reckon-dev/reckon/internal/distance"
	"github.com/reckon-dev/reckon/internal/pyref"
)

// blobs draws k Gaussian blobs of the given spread around centres spaced
// `gap` apart on a diagonal in d dimensions.
func blobs(seed uint64, k, per, d int, spread, gap float64) (*mat.Dense, []int) {
	rng := rand.New(rand.NewPCG(seed, 7))
	X := mat.NewDense(k*per, d, nil)
	truth := make([]int, k*per)
	for i := range k * per {
		c := i % k
		truth[i] = c
		for j := range d {
			X.Set(i, j, float64(c)*gap*float64(j%2*2-1)+rng.NormFloat64()*spread)
		}
	}
	return X, truth
}

func samePartition(a, b []int) bool {
	ab, ba := map[int]int{}, map[int]int{}
	for i := range a {
		if x, ok := ab[a[i]]; ok && x != b[i] {
			return false
		}
		if x, ok := ba[b[i]]; ok && x != a[i] {
			return false
		}
		ab[a[i]], ba[b[i]] = b[i], a[i]
	}
	return true
}

func TestRecoversSeparatedBlobs(t *testing.T) {
	X, truth := blobs(1, 5, 200, 3, 0.5, 10)
	for _, nInit := range []int{1, 4} {
		r, err := Fit(context.Background(), X, Options{K: 5, NInit: nInit, Seed: 3})
		if err != nil {
			t.Fatal(err)
		}
		if !samePartition(r.Labels, truth) {
			t.Fatalf("n_init %d: the blobs are not recovered", nInit)
		}
		// the inertia is the summed squared distance to the centres
		var in float64
		for i, l := range r.Labels {
			row := X.RawRowView(i)
			c := r.Centers.RawRowView(l)
			in += distance.SqEuclidean(row, c)
		}
		if math.Abs(in-r.Inertia) > 1e-9*in {
			t.Fatalf("inertia %v, recomputed %v", r.Inertia, in)
		}
		// every row is nearest its own centre
		for i, l := range r.Labels {
			row := X.RawRowView(i)
			for c := range 5 {
				if distance.SqEuclidean(row, r.Centers.RawRowView(c)) < distance.SqEuclidean(row, r.Centers.RawRowView(l)) {
					t.Fatalf("row %d is nearer centre %d than its own %d", i, c, l)
				}
			}
		}
	}
}

// TestMoreRunsNeverWorse: the best of several runs includes the first.
func TestMoreRunsNeverWorse(t *testing.T) {
	X, _ := blobs(2, 6, 100, 2, 3, 4)
	one, err := Fit(context.Background(), X, Options{K: 6, Seed: 9})
	if err != nil {
		t.Fatal(err)
	}
	five, err := Fit(context.Background(), X, Options{K: 6, Seed: 9, NInit: 5})
	if err != nil {
		t.Fatal(err)
	}
	if five.Inertia > one.Inertia {
		t.Fatalf("5 runs give inertia %v, 1 run %v", five.Inertia, one.Inertia)
	}
}

func TestDeterministic(t *testing.T) {
	X, _ := blobs(3, 4, 1500, 4, 2, 3)
	run := func(procs int) *Result {
		defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(procs))
		r, err := Fit(context.Background(), X, Options{K: 7, Seed: 42, NInit: 2})
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	a, b, c := run(1), run(4), run(4)
	for _, r := range []*Result{b, c} {
		if !slices.Equal(a.Labels, r.Labels) || !slices.Equal(a.Centers.RawMatrix().Data, r.Centers.RawMatrix().Data) || a.Inertia != r.Inertia || a.NIter != r.NIter {
			t.Fatal("the result depends on GOMAXPROCS or on the run")
		}
	}
	other, err := Fit(context.Background(), X, Options{K: 7, Seed: 43, NInit: 2})
	if err != nil {
		t.Fatal(err)
	}
	if slices.Equal(other.Centers.RawMatrix().Data, a.Centers.RawMatrix().Data) {
		t.Fatal("another seed gives the very same centres")
	}
}

// TestEmptyClusterIsRefilled starts one centre far from every row: its
// cluster empties and takes the row farthest from its centre.
func TestEmptyClusterIsRefilled(t *testing.T) {
	X, _ := blobs(4, 2, 50, 2, 1, 8)
	init := mat.NewDense(3, 2, []float64{0, 0, 8, -8, 1000, 1000})
	r, err := Fit(context.Background(), X, Options{K: 3, Init: init})
	if err != nil {
		t.Fatal(err)
	}
	sizes := make([]int, 3)
	for _, l := range r.Labels {
		sizes[l]++
	}
	for c, s := range sizes {
		if s == 0 {
			t.Fatalf("cluster %d is empty: sizes %v", c, sizes)
		}
	}
}

func TestIdenticalRows(t *testing.T) {
	X := mat.NewDense(10, 2, nil)
	r, err := Fit(context.Background(), X, Options{K: 3, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	if r.Inertia != 0 {
		t.Fatalf("inertia %v", r.Inertia)
	}
	for _, v := range r.Centers.RawMatrix().Data {
		if v != 0 {
			t.Fatalf("centres %v", r.Centers.RawMatrix().Data)
		}
	}
}

func TestBadInput(t *testing.T) {
	X, _ := blobs(5, 2, 5, 2, 1, 3)
	for _, tc := range []struct {
		name string
		X    *mat.Dense
		opts Options
		want string
	}{
		{"nil", nil, Options{K: 2}, "no rows"},
		{"empty", &mat.Dense{}, Options{K: 2}, "no rows"},
		{"too many clusters", X, Options{K: 11}, "10 rows are fewer than the 11 clusters"},
		{"negative k", X, Options{K: -1}, "n_clusters -1"},
		{"negative n_init", X, Options{K: 2, NInit: -2}, "n_init -2"},
		{"negative max_iter", X, Options{K: 2, MaxIter: -1}, "max_iter -1"},
		{"negative tol", X, Options{K: 2, Tol: -1}, "tol -1"},
		{"NaN", mat.NewDense(3, 1, []float64{1, math.NaN(), 2}), Options{K: 2}, "row 1, column 0 holds NaN"},
		{"init shape", X, Options{K: 2, Init: mat.NewDense(3, 2, nil)}, "initial centres are 3x2"},
		{"init NaN", X, Options{K: 1, Init: mat.NewDense(1, 2, []float64{0, math.Inf(1)})}, "initial centre 0, column 1 holds +Inf"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Fit(context.Background(), tc.X, tc.opts)
			if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.HasPrefix(err.Error(), "kmeans: ") {
				t.Fatalf("error %v, want one containing %q", err, tc.want)
			}
		})
	}
}

func TestCancellation(t *testing.T) {
	X, _ := blobs(6, 8, 20000, 4, 2, 1)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Fit(ctx, X, Options{K: 8}); err == nil || !strings.Contains(err.Error(), "context canceled") {
		t.Fatalf("error %v, want a cancellation", err)
	}
}

// python runs a scikit-learn script on in, given as JSON, and decodes its
// output into out.
func python(t *testing.T, script string, in, out any) {
	t.Helper()
	pyref.Require(t, "python3-sklearn", "sklearn", "numpy")
	pyref.JSON(t, script, in, out)
}

const sklearnLloyd = `
import json, sys, warnings
import numpy as np
from sklearn.cluster import KMeans
warnings.simplefilter("ignore")
out = []
for cfg in json.load(sys.stdin):
    X = np.array(cfg["X"], dtype=float)
    init = np.array(cfg["init"], dtype=float)
    km = KMeans(n_clusters=len(init), init=init, n_init=1, max_iter=cfg["max_iter"],
                tol=cfg["tol"], algorithm="lloyd").fit(X)
    out.append({"labels": km.labels_.tolist(), "centers": km.cluster_centers_.tolist(),
                "inertia": float(km.inertia_), "n_iter": int(km.n_iter_)})
json.dump(out, sys.stdout)
`

// TestMatchesScikitLearn starts scikit-learn's KMeans and Fit from the same
// centres: the iterations, labels, centres and inertia must agree.
func TestMatchesScikitLearn(t *testing.T) {
	cases := []struct {
		name    string
		init    *mat.Dense
		maxIter int
		tol     float64
	}{
		{"overlapping blobs", nil, 300, 1e-4},
		{"tight tolerance", nil, 300, 1e-12},
		{"few iterations", nil, 3, 1e-4},
		{"an empty cluster", mat.NewDense(4, 3, []float64{0, 0, 0, 3, -3, 3, -3, 3, -3, 500, 500, 500}), 300, 1e-4},
	}
	rows := func(m *mat.Dense) [][]float64 {
		r, _ := m.Dims()
		out := make([][]float64, r)
		for i := range out {
			out[i] = m.RawRowView(i)
		}
		return out
	}
	X, _ := blobs(11, 4, 60, 3, 2.5, 3)
	var inputs []map[string]any
	for i := range cases {
		if cases[i].init == nil {
			// four rows as starting centres
			cases[i].init = mat.NewDense(4, 3, nil)
			for c, r := range []int{3, 77, 150, 201} {
				cases[i].init.SetRow(c, X.RawRowView(r))
			}
		}
		inputs = append(inputs, map[string]any{"X": rows(X), "init": rows(cases[i].init), "max_iter": cases[i].maxIter, "tol": cases[i].tol})
	}
	var want []struct {
		Labels  []int
		Centers [][]float64
		Inertia float64
		NIter   int `json:"n_iter"`
	}
	python(t, sklearnLloyd, inputs, &want)
	for i, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			want := want[i]
			got, err := Fit(context.Background(), X, Options{K: 4, Init: tc.init, MaxIter: tc.maxIter, Tol: tc.tol})
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(got.Labels, want.Labels) {
				t.Fatalf("labels differ from scikit-learn's")
			}
			if got.NIter != want.NIter {
				t.Fatalf("%d iterations, scikit-learn %d", got.NIter, want.NIter)
			}
			if math.Abs(got.Inertia-want.Inertia) > 1e-9*want.Inertia {
				t.Fatalf("inertia %v, scikit-learn %v", got.Inertia, want.Inertia)
			}
			for c, row := range want.Centers {
				for j, v := range row {
					if g := got.Centers.At(c, j); math.Abs(g-v) > 1e-9*math.Max(1, math.Abs(v)) {
						t.Fatalf("centre %d column %d: %v, scikit-learn %v", c, j, g, v)
					}
				}
			}
		})
	}
}

// TestPlusPlusPicksDistinctRows: k-means++ starts from rows of the data,
// never the same row twice while distinct rows remain, and favours spread:
// on well-separated blobs every blob gets a centre.
func TestPlusPlusPicksDistinctRows(t *testing.T) {
	X, truth := blobs(8, 6, 50, 2, 0.2, 10)
	n, d := X.Dims()
	km := &kmeans{data: X.RawMatrix().Data, n: n, d: d, k: 6}
	for seed := range uint64(20) {
		centres, err := km.plusPlus(context.Background(), rand.New(rand.NewPCG(seed, 0)))
		if err != nil {
			t.Fatal(err)
		}
		blobsHit := map[int]bool{}
		for c := range 6 {
			centre := centres[c*d : c*d+d]
			row := -1
			for i := range n {
				if slices.Equal(km.row(i), centre) {
					row = i
				}
			}
			if row < 0 {
				t.Fatalf("seed %d: centre %d is not a row", seed, c)
			}
			blobsHit[truth[row]] = true
		}
		if len(blobsHit) != 6 {
			t.Fatalf("seed %d: the centres fall in %d of the 6 blobs", seed, len(blobsHit))
		}
	}
}
