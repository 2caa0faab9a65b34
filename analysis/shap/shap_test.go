package shap

import (
	"context"
	"errors"
	"math"
	"math/rand/v2"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/reckon-dev/reckon/analysis/gbt"
)

// data makes n rows of d features with labels driven by the first three
// (one through an interaction) and a fraction missing of NaNs.
func data(n, d int, seed uint64, missing float64) (*mat.Dense, []float64) {
	rng := rand.New(rand.NewPCG(seed, 5))
	X := mat.NewDense(n, d, nil)
	y := make([]float64, n)
	for i := 0; i < n; i++ {
		row := X.RawRowView(i)
		for j := range row {
			row[j] = rng.NormFloat64()
		}
		if row[0]+row[1]*row[2]+0.5*rng.NormFloat64() > 0 {
			y[i] = 1
		}
		for j := range row {
			if rng.Float64() < missing {
				row[j] = math.NaN()
			}
		}
	}
	return X, y
}

func train(t testing.TB, X *mat.Dense, y []float64, s gbt.Settings) *gbt.Model {
	t.Helper()
	m, err := gbt.Train(context.Background(), X, y, s)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func explain(t testing.TB, m *gbt.Model, X *mat.Dense) *Explanation {
	t.Helper()
	e, err := Explain(context.Background(), m, X, Settings{})
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// Local accuracy: the values of a row plus the expected value give the
// model's margin.
func TestLocalAccuracy(t *testing.T) {
	for _, tc := range []struct {
		name string
		s    gbt.Settings
	}{
		{"depth 6", gbt.Settings{NEstimators: 30}},
		{"depth 2", gbt.Settings{NEstimators: 50, MaxDepth: 2, LearningRate: 0.5}},
		{"sampled", gbt.Settings{NEstimators: 20, MaxDepth: 8, Subsample: 0.6, ColsampleByTree: 0.5, Seed: 4}},
	} {
		X, y := data(800, 6, 1, 0.15)
		m := train(t, X, y, tc.s)
		e := explain(t, m, X)
		margin, err := m.PredictMargin(context.Background(), X)
		if err != nil {
			t.Fatal(err)
		}
		for i := range margin {
			sum := e.Expected
			for _, v := range e.Values.RawRowView(i) {
				sum += v
			}
			if math.Abs(sum-margin[i]) > 1e-9 {
				t.Fatalf("%s: row %d: values sum to %v, margin %v", tc.name, i, sum, margin[i])
			}
		}
	}
}

// Missingness: a feature no tree splits on gets nothing.
func TestUnusedFeatureGetsZero(t *testing.T) {
	X, y := data(500, 5, 2, 0.1)
	for r := 0; r < 500; r++ {
		X.Set(r, 3, 1) // constant: never split on
	}
	m := train(t, X, y, gbt.Settings{NEstimators: 20})
	e := explain(t, m, X)
	for r := 0; r < 500; r++ {
		if v := e.Values.At(r, 3); v != 0 {
			t.Fatalf("row %d: the unused feature gets %v", r, v)
		}
	}
}

// Symmetry: in a model that treats features 0 and 1 alike (every tree is
// there once as trained and once with the two features swapped), rows with
// equal values of the two features credit them equally.
func TestSymmetryOnDuplicatedFeatures(t *testing.T) {
	X, y := data(600, 4, 3, 0)
	for r := 0; r < 600; r++ {
		if r%3 == 0 {
			X.Set(r, 1, X.At(r, 0))
		}
	}
	m := train(t, X, y, gbt.Settings{NEstimators: 15, MaxDepth: 4})
	for _, tr := range m.Trees[:15] {
		sw := gbt.Tree{Nodes: append([]gbt.Node(nil), tr.Nodes...)}
		for i := range sw.Nodes {
			switch sw.Nodes[i].Feature {
			case 0:
				sw.Nodes[i].Feature = 1
			case 1:
				sw.Nodes[i].Feature = 0
			}
		}
		m.Trees = append(m.Trees, sw)
	}
	e := explain(t, m, X)
	for r := 0; r < 600; r += 3 {
		a, b := e.Values.At(r, 0), e.Values.At(r, 1)
		if math.Abs(a-b) > 1e-12*math.Max(1, math.Abs(a)) {
			t.Fatalf("row %d: equal features get %v and %v", r, a, b)
		}
	}
}

// bruteForce computes Shapley values from their definition: the value of
// a set S of known features is the tree's output with the other features
// integrated out along the covers, averaged over all orders.
func bruteForce(m *gbt.Model, x []float64) []float64 {
	d := m.NumFeatures
	value := func(known uint) float64 {
		var walk func(t *gbt.Tree, i int) float64
		walk = func(t *gbt.Tree, i int) float64 {
			n := &t.Nodes[i]
			if n.IsLeaf() {
				return float64(n.Value)
			}
			if known&(1<<n.Feature) != 0 {
				return walk(t, n.Next(x[n.Feature]))
			}
			l, r := &t.Nodes[n.Left], &t.Nodes[n.Right]
			return (walk(t, int(n.Left))*l.Cover + walk(t, int(n.Right))*r.Cover) / n.Cover
		}
		s := 0.0
		for i := range m.Trees {
			s += walk(&m.Trees[i], 0)
		}
		return s
	}
	fact := func(k int) float64 { return math.Gamma(float64(k + 1)) }
	phi := make([]float64, d)
	for i := 0; i < d; i++ {
		for S := uint(0); S < 1<<d; S++ {
			if S&(1<<i) != 0 {
				continue
			}
			k := 0
			for b := S; b != 0; b &= b - 1 {
				k++
			}
			w := fact(k) * fact(d-k-1) / fact(d)
			phi[i] += w * (value(S|1<<i) - value(S))
		}
	}
	return phi
}

// The algorithms, full and compact tables and Lundberg's recursion,
// compute the Shapley values of the definition, and agree with each other
// on deep trees that split on the same feature several times.
func TestAlgorithmsMatchDefinition(t *testing.T) {
	X, y := data(400, 5, 4, 0.2)
	small := train(t, X, y, gbt.Settings{NEstimators: 3, MaxDepth: 4})
	deep := train(t, X, y, gbt.Settings{NEstimators: 10, MaxDepth: 10, MinChildWeight: new(0.0)})
	for _, m := range []*gbt.Model{small, deep} {
		for ti := range m.Trees {
			tr := &m.Trees[ti]
			full, compact, classic := newFastTree(tr, true), newFastTree(tr, false), newClassicTree(tr)
			one := &gbt.Model{NumFeatures: 5, BaseScore: 0.5, Trees: []gbt.Tree{*tr}}
			for r := 0; r < 40; r++ {
				x := X.RawRowView(r)
				a, b, c := make([]float64, 5), make([]float64, 5), make([]float64, 5)
				full.explain(x, a, nil)
				classic.explain(x, b, nil)
				compact.explain(x, c, nil)
				var want []float64
				if m == small {
					want = bruteForce(one, x)
				}
				for j := range a {
					if math.Abs(a[j]-b[j]) > 1e-12 || math.Abs(c[j]-b[j]) > 1e-12 {
						t.Fatalf("tree %d row %d feature %d: full tables %v, compact %v, recursion %v", ti, r, j, a[j], c[j], b[j])
					}
					if want != nil && math.Abs(a[j]-want[j]) > 1e-12 {
						t.Fatalf("tree %d row %d feature %d: %v, definition %v", ti, r, j, a[j], want[j])
					}
				}
			}
		}
	}
}

// Trees whose paths are too long to tabulate fall back to the recursion.
func TestLongPathsFallBack(t *testing.T) {
	const depth = maxTablePath + 2
	tr := gbt.Tree{}
	// A chain: node 2k splits feature k, its left child is a leaf, its
	// right child continues.
	for k := 0; k < depth; k++ {
		i := int32(len(tr.Nodes))
		cover := float64(depth - k + 1)
		tr.Nodes = append(tr.Nodes,
			gbt.Node{Left: i + 1, Right: i + 2, Feature: int32(k), Threshold: 0, Cover: cover},
			gbt.Node{Left: -1, Right: -1, Value: float32(k%3) - 1, Cover: 1})
	}
	tr.Nodes = append(tr.Nodes, gbt.Node{Left: -1, Right: -1, Value: 2, Cover: 1})
	m := &gbt.Model{NumFeatures: depth, BaseScore: 0.5, Trees: []gbt.Tree{tr}}
	if e, _ := tableSize(&m.Trees[0]); e != -1 {
		t.Fatal("the chain should be too deep to tabulate")
	}
	x := make([]float64, depth)
	for i := range x {
		x[i] = float64(i%2) - 0.5
	}
	X := mat.NewDense(1, depth, x)
	e := explain(t, m, X)
	margin, _ := m.PredictMargin(context.Background(), X)
	sum := e.Expected
	for _, v := range e.Values.RawRowView(0) {
		sum += v
	}
	if math.Abs(sum-margin[0]) > 1e-9 {
		t.Fatalf("values sum to %v, margin %v", sum, margin[0])
	}
}

func TestExplainDeterministic(t *testing.T) {
	X, y := data(1000, 8, 6, 0.1)
	m := train(t, X, y, gbt.Settings{NEstimators: 10})
	run := func(procs int) *Explanation {
		defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(procs))
		return explain(t, m, X)
	}
	a, b := run(1), run(4)
	if !mat.Equal(a.Values, b.Values) || a.Expected != b.Expected {
		t.Fatal("GOMAXPROCS 1 and 4 give different values")
	}
}

func TestExplainRejects(t *testing.T) {
	X, y := data(50, 3, 7, 0)
	m := train(t, X, y, gbt.Settings{NEstimators: 2})
	for _, tc := range []struct {
		name string
		m    *gbt.Model
		X    *mat.Dense
		want string
	}{
		{"nil model", nil, X, "model is missing"},
		{"nil matrix", m, nil, "matrix is missing"},
		{"width", m, mat.NewDense(2, 4, nil), "4 columns but the model has 3"},
		{"broken model", &gbt.Model{NumFeatures: 3, BaseScore: 2}, X, "base_score"},
	} {
		_, err := Explain(context.Background(), tc.m, tc.X, Settings{})
		if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.HasPrefix(err.Error(), "shap: ") {
			t.Errorf("%s: error %v, want one mentioning %q", tc.name, err, tc.want)
		}
	}
}

func TestExplainProgressAndCancel(t *testing.T) {
	X, y := data(3000, 5, 8, 0)
	m := train(t, X, y, gbt.Settings{NEstimators: 5})
	var last atomic.Int64
	_, err := Explain(context.Background(), m, X, Settings{Progress: func(phase string, done, total int) {
		if phase != "shap" || total != 3000 || done > total {
			t.Errorf("progress(%q, %d, %d)", phase, done, total)
		}
		for {
			old := last.Load()
			if int64(done) <= old || last.CompareAndSwap(old, int64(done)) {
				break
			}
		}
	}})
	if err != nil || last.Load() != 3000 {
		t.Fatalf("err %v, last progress %d", err, last.Load())
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Explain(ctx, m, X, Settings{}); !errors.Is(err, context.Canceled) {
		t.Fatalf("err %v, want context.Canceled", err)
	}
}
