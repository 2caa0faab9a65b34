package umap

import (
	"context"
	"errors"
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"

	"github.com/reckon-dev/reckon/analysis/knn"
	"github.com/reckon-dev/reckon/internal/randseed"
)

// Model is a fitted embedding.
type Model struct {
	// Embedding holds one row per input row and NComponents columns.
	Embedding *mat.Dense
	// Init is the initialisation actually used. It differs from the one
	// asked for when that was impossible; InitNote then says why, in a
	// sentence fit to show the user.
	Init     Init
	InitNote string
	// A and B are the membership curve parameters used.
	A, B float64
	// NEpochs is the number of epochs run.
	NEpochs int
	// Settings are the settings used, defaults filled in.
	Settings Settings

	index *knn.Index // nil when fitted from a graph alone
	emb   []float32
	r     resolved
}

// Index returns the neighbour index the model was fitted with (nil for a
// model fitted by FitGraph).
func (m *Model) Index() *knn.Index { return m.index }

// Fit embeds the rows of x: it finds their neighbours (phase
// "neighbours"), builds the fuzzy graph ("graph"), places the points
// ("init") and optimises ("epochs").
func Fit(ctx context.Context, x mat.Matrix, s Settings) (*Model, error) {
	r, err := s.resolve()
	if err != nil {
		return nil, err
	}
	if err := checkData(x, "row"); err != nil {
		return nil, err
	}
	if n, _ := x.Dims(); r.NNeighbors >= n {
		if n == 1 {
			return nil, errors.New("umap: a single row cannot be embedded; it has no neighbours")
		}
		return nil, fmt.Errorf("umap: n_neighbors %d must be smaller than the %d rows", r.NNeighbors, n)
	}
	ks := NeighbourSettings(s)
	ks.Progress = r.Progress
	idx, err := knn.Build(ctx, x, ks)
	if err != nil {
		return nil, fmt.Errorf("umap: finding neighbours: %w", err)
	}
	return fit(ctx, idx.Graph(), idx, r)
}

// NeighbourSettings returns the knn settings Fit uses for s: a caller that
// keeps neighbour indexes (keyed by knn.KeyOf(x, NeighbourSettings(s))) can
// build one with knn.Build and pass it to FitIndex, getting what Fit would
// return. They depend only on n_neighbors and the metric, not on the seed.
func NeighbourSettings(s Settings) knn.Settings {
	k := s.NNeighbors
	if k == 0 {
		k = 15
	}
	m, err := knn.ParseMetric(string(s.Metric))
	if err != nil {
		m = s.Metric // left for knn.Build to reject
	}
	return knn.Settings{K: k, Metric: m}
}

// FitIndex embeds the rows of a neighbour index built earlier by
// knn.Build, skipping the neighbour search: a caller that keeps indexes by
// knn.KeyOf can re-run UMAP with another min_dist, n_epochs or seed at the
// cost of the optimisation alone. The index must hold at least NNeighbors
// neighbours per row; its metric is used (Settings.Metric, when set, must
// match it).
func FitIndex(ctx context.Context, idx *knn.Index, s Settings) (*Model, error) {
	r, err := s.resolve()
	if err != nil {
		return nil, err
	}
	is := idx.Settings()
	if s.Metric != "" && r.Metric != is.Metric {
		return nil, fmt.Errorf("umap: the index was built with metric %s, not %s", is.Metric, r.Metric)
	}
	r.Metric = is.Metric
	if err := checkGraph(idx.Graph(), r.NNeighbors); err != nil {
		return nil, err
	}
	return fit(ctx, idx.Graph(), idx, r)
}

// FitGraph embeds from a precomputed neighbour graph alone (each row
// listing itself first, as knn.Graph does). Without the data, PCA
// initialisation and Transform are unavailable: a disconnected graph falls
// back to random initialisation.
func FitGraph(ctx context.Context, g *knn.Graph, s Settings) (*Model, error) {
	r, err := s.resolve()
	if err != nil {
		return nil, err
	}
	if r.Init == PCA {
		return nil, errors.New("umap: init pca needs the data, which a graph alone does not carry; use FitIndex or Fit")
	}
	r.Metric = g.Metric
	if err := checkGraph(g, r.NNeighbors); err != nil {
		return nil, err
	}
	return fit(ctx, g, nil, r)
}

func checkGraph(g *knn.Graph, k int) error {
	switch {
	case g.N == 0:
		return errors.New("umap: the neighbour graph is empty")
	case k >= g.N:
		return fmt.Errorf("umap: n_neighbors %d must be smaller than the %d rows", k, g.N)
	case g.K < k:
		return fmt.Errorf("umap: the neighbour graph holds %d neighbours per row, fewer than n_neighbors %d", g.K, k)
	case len(g.Indices) != g.N*g.K || len(g.Distances) != g.N*g.K:
		return fmt.Errorf("umap: the neighbour graph has %d indices and %d distances for %d rows of %d", len(g.Indices), len(g.Distances), g.N, g.K)
	}
	for i := range g.N {
		idx, d := g.Row(i)
		for q := range k {
			if j := idx[q]; j < 0 || int(j) >= g.N {
				return fmt.Errorf("umap: neighbour %d of row %d is %d, outside the %d rows", q, i, j, g.N)
			}
			if v := float64(d[q]); math.IsNaN(v) || math.IsInf(v, 0) || v < 0 {
				return fmt.Errorf("umap: the distance from row %d to neighbour %d is %v", i, q, v)
			}
		}
	}
	return nil
}

// checkData rejects empty data and non-finite values, naming the first.
func checkData(x mat.Matrix, what string) error {
	n, d := x.Dims()
	if n == 0 || d == 0 {
		return errors.New("umap: the data is empty")
	}
	raw, _ := x.(mat.RawMatrixer)
	row := make([]float64, d)
	for i := range n {
		if raw != nil {
			r := raw.RawMatrix()
			row = r.Data[i*r.Stride : i*r.Stride+d]
		} else {
			mat.Row(row, i, x)
		}
		for j, v := range row {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return fmt.Errorf("umap: %s %d, column %d is %v; remove or impute non-finite values first", what, i, j, v)
			}
		}
	}
	return nil
}

// Stream tags keep the random streams of the phases apart.
const (
	tagInit uint64 = iota + 1
	tagEpochs
	tagTransform
	// tagLanczos draws the spectral layout's start vectors from the
	// initialisation's seed; its value is the one it always had, so that
	// layouts keep their bytes.
	tagLanczos = 0x5bec
)

func fit(ctx context.Context, g *knn.Graph, idx *knn.Index, r resolved) (*Model, error) {
	n, dim := g.N, r.NComponents
	a, b := r.A, r.B
	if a == 0 {
		a, b = fitAB(r.Spread, r.minDist)
	}
	defaultEpochs := 200
	if n <= 10000 {
		defaultEpochs = 500
	}
	nEpochs := r.NEpochs
	if nEpochs == 0 {
		nEpochs = defaultEpochs
	}
	// Edges too light to be sampled once in the run are dropped before the
	// layout starts, the initialisation included.
	cutEpochs := nEpochs
	if cutEpochs <= 10 {
		cutEpochs = defaultEpochs
	}
	r.Progress.Report("graph", 0, 1)
	fg, err := fuzzyGraph(ctx, &g.Neighbours, r.NNeighbors, r.LocalConnectivity, r.mixRatio, cutEpochs)
	if err != nil {
		return nil, fmt.Errorf("umap: %w", err)
	}
	r.Progress.Report("graph", 1, 1)

	r.Progress.Report("init", 0, 1)
	m := &Model{A: a, B: b, NEpochs: nEpochs, index: idx, r: r}
	if err := m.initialise(ctx, fg, idx, r); err != nil {
		return nil, err
	}
	r.Progress.Report("init", 1, 1)

	order := localityOrder(m.emb, n, dim)
	pg, pemb := permute(fg, m.emb, dim, order)
	l := newLayout(pg, dim, float64(r.NegativeSampleRate))
	l.forFit(pemb)
	l.k = newKernel(a, b, r.RepulsionStrength)
	if err := l.run(ctx, nEpochs, r.LearningRate, randseed.Mix(r.Seed, tagEpochs), r.Progress); err != nil {
		return nil, fmt.Errorf("umap: %w", err)
	}
	for p, i := range order {
		copy(m.emb[int(i)*dim:int(i+1)*dim], pemb[p*dim:(p+1)*dim])
	}
	m.Embedding = toDense(m.emb, n, dim)
	m.Settings = r.Settings
	m.Settings.NNeighbors, m.Settings.NComponents, m.Settings.Metric = r.NNeighbors, dim, r.Metric
	m.Settings.MinDist, m.Settings.SetOpMixRatio = Float(r.minDist), Float(r.mixRatio)
	m.Settings.Spread, m.Settings.LearningRate, m.Settings.NegativeSampleRate = r.Spread, r.LearningRate, r.NegativeSampleRate
	m.Settings.RepulsionStrength, m.Settings.LocalConnectivity = r.RepulsionStrength, r.LocalConnectivity
	m.Settings.NEpochs, m.Settings.A, m.Settings.B = nEpochs, a, b
	return m, nil
}

// dropLight removes the edges lighter than max/nEpochs.
func dropLight(g *csr, nEpochs int) *csr {
	var maxW float32
	for _, w := range g.val {
		maxW = max(maxW, w)
	}
	cut := maxW / float32(nEpochs)
	kept := 0
	for _, w := range g.val {
		if w >= cut {
			kept++
		}
	}
	out := &csr{n: g.n, start: make([]int, g.n+1), col: make([]int32, 0, kept), val: make([]float32, 0, kept)}
	for i := range g.n {
		cols, ws := g.row(i)
		for q, j := range cols {
			if ws[q] >= cut {
				out.col = append(out.col, j)
				out.val = append(out.val, ws[q])
			}
		}
		out.start[i+1] = len(out.col)
	}
	return out
}

// initialise places the points, falling back from spectral to PCA (or
// random, without data) when the graph is disconnected or the eigensolver
// fails, and to random when a layout is degenerate.
func (m *Model) initialise(ctx context.Context, g *csr, idx *knn.Index, r resolved) error {
	n, dim := g.n, r.NComponents
	rng := randseed.New(r.Seed, tagInit)
	fallback := PCA
	if idx == nil {
		fallback = Random
	}
	init := r.Init
	var coords []float64
	if init == Spectral {
		if c := components(g); c > 1 {
			m.InitNote = fmt.Sprintf("the neighbour graph falls apart into %d disconnected components, and spectral initialisation needs a connected graph, so %s initialisation was used instead", c, fallback.name())
			init = fallback
		} else {
			var err error
			coords, err = spectralLayout(ctx, g, dim, randseed.Mix(r.Seed, tagInit))
			if ctx.Err() != nil {
				return fmt.Errorf("umap: %w", ctx.Err())
			}
			if err != nil {
				m.InitNote = fmt.Sprintf("spectral initialisation failed (%v), so %s initialisation was used instead", err, fallback.name())
				init = fallback
			}
		}
	}
	if init == PCA {
		var err error
		coords, err = pcaLayout(ctx, n, idx.Dim(), idx.Row, dim, randseed.Mix(r.Seed, tagInit))
		if ctx.Err() != nil {
			return fmt.Errorf("umap: %w", ctx.Err())
		}
		if err != nil {
			m.InitNote = joinNote(m.InitNote, fmt.Sprintf("PCA initialisation failed (%v), so random initialisation was used instead", err))
			init = Random
		}
	}
	if init != Random {
		noisyScale(coords, rng)
		if emb, ok := toUnitBox(coords, n, dim); ok {
			m.emb, m.Init = emb, init
			return nil
		}
		m.InitNote = joinNote(m.InitNote, fmt.Sprintf("the %s layout put all points on a line or a point, so random initialisation was used instead", init.name()))
	}
	emb, _ := toUnitBox(randomLayout(n, dim, rng), n, dim)
	m.emb, m.Init = emb, Random
	return nil
}

func joinNote(a, b string) string {
	if a == "" {
		return b
	}
	return a + "; " + b
}

// components counts the connected components of a symmetric graph.
func components(g *csr) int {
	parent := make([]int32, g.n)
	for i := range parent {
		parent[i] = int32(i)
	}
	find := func(i int32) int32 {
		for parent[i] != i {
			parent[i] = parent[parent[i]]
			i = parent[i]
		}
		return i
	}
	count := g.n
	for i := range g.n {
		cols, _ := g.row(i)
		for _, j := range cols {
			if a, b := find(int32(i)), find(j); a != b {
				parent[a] = b
				count--
			}
		}
	}
	return count
}

func toDense(v []float32, n, dim int) *mat.Dense {
	data := make([]float64, len(v))
	for i, x := range v {
		data[i] = float64(x)
	}
	return mat.NewDense(n, dim, data)
}

// Requested returns the settings the model was fitted with as they were
// given, zero values meaning defaults and without the progress callback.
// With the rows fitted and the embedding they are what Restore needs to
// place new rows exactly as this model does.
func (m *Model) Requested() Settings {
	s := m.r.Settings
	s.Progress = nil
	return s
}

// Restore rebuilds, for Transform, a model fitted earlier from what a saved
// model keeps: the rows x it was fitted to, its embedding and its
// Requested settings. The neighbour index is built again as Fit built it
// (knn.Build is deterministic), so the restored model places new rows to
// the byte as the fitted one did.
func Restore(ctx context.Context, x mat.Matrix, embedding *mat.Dense, s Settings) (*Model, error) {
	r, err := s.resolve()
	if err != nil {
		return nil, err
	}
	if err := checkData(x, "row"); err != nil {
		return nil, err
	}
	n, _ := x.Dims()
	en, dim := embedding.Dims()
	if en != n || dim != r.NComponents {
		return nil, fmt.Errorf("umap: the embedding is %d × %d but the model needs %d × %d", en, dim, n, r.NComponents)
	}
	if r.NNeighbors >= n {
		return nil, fmt.Errorf("umap: n_neighbors %d must be smaller than the %d rows", r.NNeighbors, n)
	}
	idx, err := knn.Build(ctx, x, NeighbourSettings(s))
	if err != nil {
		return nil, fmt.Errorf("umap: finding neighbours: %w", err)
	}
	a, b := r.A, r.B
	if a == 0 {
		a, b = fitAB(r.Spread, r.minDist)
	}
	emb := make([]float32, n*dim)
	for i := range n {
		for j := range dim {
			emb[i*dim+j] = float32(embedding.At(i, j))
		}
	}
	return &Model{Embedding: embedding, Init: r.Init, A: a, B: b, NEpochs: r.NEpochs, Settings: r.Settings, index: idx, emb: emb, r: r}, nil
}
