package umap

import (
	"context"
	"errors"
	"math"
	"math/rand/v2"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"gonum.org/v1/gonum/mat"

	"github.com/reckon-dev/reckon/analysis/knn"
	"github.com/reckon-dev/reckon/analysis/metrics"
)

// blobs returns n rows in d dimensions around c centres spread far apart
// relative to the unit noise, with the index of each row's centre.
func blobs(n, d, c int, spread float64, seed uint64) (*mat.Dense, []int) {
	rng := rand.New(rand.NewPCG(seed, 11))
	centres := make([]float64, c*d)
	for i := range centres {
		centres[i] = rng.NormFloat64() * spread
	}
	x := mat.NewDense(n, d, nil)
	labels := make([]int, n)
	for i := range n {
		k := i % c
		labels[i] = k
		for j := range d {
			x.Set(i, j, centres[k*d+j]+rng.NormFloat64())
		}
	}
	return x, labels
}

func finite(t *testing.T, m *mat.Dense) {
	t.Helper()
	r, c := m.Dims()
	for i := range r {
		for j := range c {
			if v := m.At(i, j); math.IsNaN(v) || math.IsInf(v, 0) {
				t.Fatalf("embedding[%d][%d] = %v", i, j, v)
			}
		}
	}
}

func TestFitSeparatesClusters(t *testing.T) {
	x, labels := blobs(600, 12, 4, 1.5, 1)
	m, err := Fit(context.Background(), x, Settings{Seed: 1, NEpochs: 200})
	if err != nil {
		t.Fatal(err)
	}
	if r, c := m.Embedding.Dims(); r != 600 || c != 2 {
		t.Fatalf("embedding is %dx%d", r, c)
	}
	finite(t, m.Embedding)
	if m.Init != Spectral || m.InitNote != "" {
		t.Errorf("init %s (%q), want spectral without a note", m.Init, m.InitNote)
	}
	if math.Abs(m.A-1.5769) > 1e-3 || math.Abs(m.B-0.8951) > 1e-3 {
		t.Errorf("a, b = %v, %v; want umap-learn's 1.577, 0.895", m.A, m.B)
	}
	acc, err := metrics.KNNAccuracy(context.Background(), m.Embedding, labels, 10)
	if err != nil {
		t.Fatal(err)
	}
	tw, err := metrics.Trustworthiness(context.Background(), x, m.Embedding, 10)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("10-NN accuracy %.3f, trustworthiness %.3f", acc, tw)
	if acc < 0.97 || tw < 0.85 {
		t.Errorf("10-NN accuracy %.3f, trustworthiness %.3f: clusters not kept apart", acc, tw)
	}
}

func TestDeterministicAcrossGOMAXPROCS(t *testing.T) {
	x, _ := blobs(1500, 8, 5, 1.5, 2)
	fit := func(procs int) (*Model, *mat.Dense) {
		defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(procs))
		m, err := Fit(context.Background(), x, Settings{Seed: 7, NEpochs: 60})
		if err != nil {
			t.Fatal(err)
		}
		q, _ := blobs(40, 8, 5, 1.5, 3)
		y, err := m.Transform(context.Background(), q)
		if err != nil {
			t.Fatal(err)
		}
		return m, y
	}
	m1, y1 := fit(1)
	m4, y4 := fit(4)
	if !slices.Equal(m1.Embedding.RawMatrix().Data, m4.Embedding.RawMatrix().Data) {
		t.Error("embeddings differ between GOMAXPROCS 1 and 4")
	}
	if !slices.Equal(y1.RawMatrix().Data, y4.RawMatrix().Data) {
		t.Error("transforms differ between GOMAXPROCS 1 and 4")
	}
	m5, err := Fit(context.Background(), x, Settings{Seed: 8, NEpochs: 60})
	if err != nil {
		t.Fatal(err)
	}
	if slices.Equal(m1.Embedding.RawMatrix().Data, m5.Embedding.RawMatrix().Data) {
		t.Error("a different seed gave the same embedding")
	}
}

func TestFitIndexReusesNeighbours(t *testing.T) {
	x, _ := blobs(400, 6, 3, 2, 4)
	idx, err := knn.Build(context.Background(), x, NeighbourSettings(Settings{}))
	if err != nil {
		t.Fatal(err)
	}
	s := Settings{Seed: 3, NEpochs: 50}
	a, err := Fit(context.Background(), x, s)
	if err != nil {
		t.Fatal(err)
	}
	b, err := FitIndex(context.Background(), idx, s)
	if err != nil {
		t.Fatal(err)
	}
	if !mat.Equal(a.Embedding, b.Embedding) {
		t.Error("FitIndex on knn.Build's index differs from Fit")
	}
	c, err := FitGraph(context.Background(), idx.Graph(), s)
	if err != nil {
		t.Fatal(err)
	}
	if !mat.Equal(a.Embedding, c.Embedding) {
		t.Error("FitGraph on the index's graph differs from Fit")
	}
	if _, err := c.Transform(context.Background(), x); err == nil || !strings.Contains(err.Error(), "neighbour graph alone") {
		t.Errorf("Transform of a graph-fitted model: %v", err)
	}
	// A wider index serves a smaller n_neighbors.
	wide, err := knn.Build(context.Background(), x, knn.Settings{K: 30})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := FitIndex(context.Background(), wide, Settings{NNeighbors: 10, NEpochs: 20}); err != nil {
		t.Error(err)
	}
	if _, err := FitIndex(context.Background(), idx, Settings{NNeighbors: 20, NEpochs: 20}); err == nil || !strings.Contains(err.Error(), "fewer than n_neighbors 20") {
		t.Errorf("narrow index: %v", err)
	}
	if _, err := FitIndex(context.Background(), idx, Settings{Metric: knn.Cosine}); err == nil || !strings.Contains(err.Error(), "built with metric euclidean") {
		t.Errorf("metric mismatch: %v", err)
	}
	// The neighbour settings, and so the cache key, ignore the seed.
	k1, _ := knn.KeyOf(x, NeighbourSettings(Settings{Seed: 1, MinDist: Float(0)}))
	k2, _ := knn.KeyOf(x, NeighbourSettings(Settings{Seed: 2}))
	k3, _ := knn.KeyOf(x, NeighbourSettings(Settings{NNeighbors: 10}))
	if k1 != k2 || k1 != idx.Graph().Key || k1 == k3 {
		t.Error("the neighbour key changes with the seed or ignores n_neighbors")
	}
}

func TestTransform(t *testing.T) {
	all, labels := blobs(700, 10, 4, 4, 5)
	train := mat.DenseCopyOf(all.Slice(0, 600, 0, 10))
	test := mat.DenseCopyOf(all.Slice(600, 700, 0, 10))
	m, err := Fit(context.Background(), train, Settings{Seed: 5, NEpochs: 150})
	if err != nil {
		t.Fatal(err)
	}
	y, err := m.Transform(context.Background(), test)
	if err != nil {
		t.Fatal(err)
	}
	finite(t, y)
	// Each new point lands among the training points of its own cluster.
	both := mat.NewDense(700, 2, nil)
	both.Stack(m.Embedding, y)
	hit := 0
	for i := range 100 {
		best, bestD := -1, math.Inf(1)
		for j := range 600 {
			dx, dy := y.At(i, 0)-both.At(j, 0), y.At(i, 1)-both.At(j, 1)
			if d := dx*dx + dy*dy; d < bestD {
				best, bestD = j, d
			}
		}
		if labels[best] == labels[600+i] {
			hit++
		}
	}
	if hit < 97 {
		t.Errorf("%d of 100 new points land next to their own cluster", hit)
	}
	// Training rows keep their embedded positions exactly, among new rows
	// too, as umap-learn returns embedding_ for the training data.
	mixed := mat.NewDense(120, 10, nil)
	mixed.Stack(test, train.Slice(0, 20, 0, 10))
	back, err := m.Transform(context.Background(), mixed)
	if err != nil {
		t.Fatal(err)
	}
	for i := range 20 {
		if got, want := back.RawRowView(100+i), m.Embedding.RawRowView(i); !slices.Equal(got, want) {
			t.Errorf("training row %d transformed to %v, embedded at %v", i, got, want)
		}
	}
	if _, err := m.Transform(context.Background(), mat.NewDense(2, 3, nil)); err == nil || !strings.Contains(err.Error(), "3 columns but the model was fitted on 10") {
		t.Errorf("wrong width: %v", err)
	}
}

func TestDisconnectedGraphFallsBackToPCA(t *testing.T) {
	// Three clusters so far apart that no neighbour list crosses between
	// them.
	x, _ := blobs(300, 5, 3, 1000, 6)
	m, err := Fit(context.Background(), x, Settings{Seed: 1, NNeighbors: 10, NEpochs: 50})
	if err != nil {
		t.Fatal(err)
	}
	finite(t, m.Embedding)
	if m.Init != PCA || !strings.Contains(m.InitNote, "3 disconnected components") {
		t.Errorf("init %s, note %q; want PCA because of 3 components", m.Init, m.InitNote)
	}
	g, err := knn.Build(context.Background(), x, knn.Settings{K: 10})
	if err != nil {
		t.Fatal(err)
	}
	mg, err := FitGraph(context.Background(), g.Graph(), Settings{Seed: 1, NNeighbors: 10, NEpochs: 50})
	if err != nil {
		t.Fatal(err)
	}
	if mg.Init != Random || !strings.Contains(mg.InitNote, "random initialisation was used") {
		t.Errorf("graph alone: init %s, note %q; want random", mg.Init, mg.InitNote)
	}
}

func TestInitChoices(t *testing.T) {
	x, _ := blobs(300, 6, 3, 2, 7)
	for _, init := range []Init{Spectral, PCA, Random} {
		m, err := Fit(context.Background(), x, Settings{Seed: 2, NEpochs: 30, Init: init})
		if err != nil {
			t.Fatal(err)
		}
		finite(t, m.Embedding)
		if m.Init != init || m.InitNote != "" {
			t.Errorf("asked %s, got %s (%q)", init, m.Init, m.InitNote)
		}
	}
	// Three components for a 3-D embedding, with min_dist 0.
	m, err := Fit(context.Background(), x, Settings{Seed: 2, NEpochs: 30, NComponents: 3, MinDist: Float(0)})
	if err != nil {
		t.Fatal(err)
	}
	if _, c := m.Embedding.Dims(); c != 3 {
		t.Errorf("%d components, want 3", c)
	}
	finite(t, m.Embedding)
	if m.Settings.MinDist == nil || *m.Settings.MinDist != 0 {
		t.Error("min_dist 0 was not kept")
	}
}

// Degenerate data: duplicates (zero distances), constant columns, and rows
// that are all the same point. None may give NaN.
func TestDegenerateData(t *testing.T) {
	base, _ := blobs(50, 4, 2, 3, 8)
	dups := mat.NewDense(400, 6, nil)
	for i := range 400 {
		row := append(slices.Clone(base.RawRowView(i%50)), 5, -2) // two constant columns
		dups.SetRow(i, row)
	}
	same := mat.NewDense(100, 3, nil)
	for i := range 100 {
		same.SetRow(i, []float64{1, 2, 3})
	}
	for name, x := range map[string]*mat.Dense{"duplicates and constant columns": dups, "one point repeated": same} {
		for _, metric := range []knn.Metric{knn.Euclidean, knn.Manhattan, knn.Cosine} {
			m, err := Fit(context.Background(), x, Settings{Seed: 3, NEpochs: 40, Metric: metric})
			if err != nil {
				t.Fatalf("%s, %s: %v", name, metric, err)
			}
			finite(t, m.Embedding)
			y, err := m.Transform(context.Background(), x.Slice(0, 5, 0, x.RawMatrix().Cols))
			if err != nil {
				t.Fatalf("%s, %s: transform: %v", name, metric, err)
			}
			finite(t, y)
		}
	}
}

func TestBadInput(t *testing.T) {
	x, _ := blobs(30, 3, 2, 2, 9)
	nan := mat.DenseCopyOf(x)
	nan.Set(7, 2, math.NaN())
	inf := mat.DenseCopyOf(x)
	inf.Set(3, 0, math.Inf(1))
	zero := mat.DenseCopyOf(x)
	zero.SetRow(4, []float64{0, 0, 0})
	for _, tc := range []struct {
		name string
		x    mat.Matrix
		s    Settings
		want string
	}{
		{"empty", &mat.Dense{}, Settings{}, "the data is empty"},
		{"one row", mat.NewDense(1, 3, []float64{1, 2, 3}), Settings{}, "a single row cannot be embedded"},
		{"too few rows", x, Settings{NNeighbors: 30}, "n_neighbors 30 must be smaller than the 30 rows"},
		{"nan", nan, Settings{NNeighbors: 5}, "row 7, column 2 is NaN"},
		{"inf", inf, Settings{NNeighbors: 5}, "row 3, column 0 is +Inf"},
		{"zero row for cosine", zero, Settings{NNeighbors: 5, Metric: knn.Cosine}, "row 4 is all zeros"},
		{"n_neighbors 1", x, Settings{NNeighbors: 1}, "n_neighbors 1 must be at least 2"},
		{"min_dist > spread", x, Settings{MinDist: Float(2)}, "min_dist 2 must not exceed spread 1"},
		{"negative min_dist", x, Settings{MinDist: Float(-0.1)}, "min_dist -0.1 must be a non-negative number"},
		{"mix ratio", x, Settings{SetOpMixRatio: Float(1.5)}, "set_op_mix_ratio 1.5 must be between 0 and 1"},
		{"unknown init", x, Settings{Init: "tswspectral"}, `unknown init "tswspectral"`},
		{"unknown metric", x, Settings{Metric: "hamming"}, `unknown metric "hamming"`},
		{"a without b", x, Settings{A: 1}, "a 1 and b 0 must both be positive"},
		{"negative epochs", x, Settings{NEpochs: -1}, "n_epochs -1 must not be negative"},
	} {
		_, err := Fit(context.Background(), tc.x, tc.s)
		if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.HasPrefix(err.Error(), "umap: ") {
			t.Errorf("%s: error %v, want one containing %q", tc.name, err, tc.want)
		}
	}
	m, err := Fit(context.Background(), x, Settings{NNeighbors: 5, NEpochs: 10})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := m.Transform(context.Background(), nan.Slice(0, 10, 0, 3)); err == nil || !strings.Contains(err.Error(), "row 7, column 2 is NaN") {
		t.Errorf("transform of NaN: %v", err)
	}
}

func TestProgressAndCancel(t *testing.T) {
	x, _ := blobs(3000, 16, 6, 2, 10)
	var mu sync.Mutex
	var phases []string
	last := map[string][2]int{}
	_, err := Fit(context.Background(), x, Settings{NEpochs: 20, Progress: func(phase string, done, total int) {
		mu.Lock()
		defer mu.Unlock()
		if len(phases) == 0 || phases[len(phases)-1] != phase {
			phases = append(phases, phase)
		}
		last[phase] = [2]int{done, total}
	}})
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"neighbours", "graph", "init", "epochs"}; !slices.Equal(phases, want) {
		t.Errorf("phases %v, want %v", phases, want)
	}
	if e := last["epochs"]; e != [2]int{20, 20} {
		t.Errorf("last epochs report %v, want 20 of 20", e)
	}

	ctx, cancel := context.WithCancel(context.Background())
	var once sync.Once
	var cancelled time.Time
	_, err = Fit(ctx, x, Settings{NEpochs: 5000, Progress: func(phase string, done, total int) {
		if phase == "epochs" && done == 3 {
			once.Do(func() { cancelled = time.Now(); cancel() })
		}
	}})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	if d := time.Since(cancelled); d > time.Second {
		t.Errorf("returned %v after cancellation", d)
	}
}
