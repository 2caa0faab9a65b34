package knn

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"sync"
	"sync/atomic"

	"gonum.org/v1/gonum/mat"

	"github.com/reckon-dev/reckon/analysis/internal/par"
	"github.com/reckon-dev/reckon/analysis/progress"
)

// Method chooses between exact search and NN-descent.
type Method string

const (
	// Auto searches exactly below ExactLimit rows and by NN-descent above,
	// as umap-learn does.
	Auto Method = ""
	// Exact compares every pair of rows.
	Exact Method = "exact"
	// NNDescent runs nearest-neighbour descent from random projection trees
	// (umap-learn's force_approximation_algorithm=True).
	NNDescent Method = "nndescent"
)

// ExactLimit is the number of rows from which Auto uses NN-descent.
const ExactLimit = 4096

// Settings configure Build. The zero value asks for umap-learn's defaults.
type Settings struct {
	// K is the number of neighbours of each row, the row itself included,
	// as umap-learn counts n_neighbors. Default 15.
	K int
	// Metric is the distance (umap-learn's metric). Default Euclidean.
	Metric Metric
	// Method chooses exact search or NN-descent. Default Auto.
	Method Method
	// Seed seeds the random projection trees and NN-descent; the same seed
	// gives the same graph for any GOMAXPROCS.
	Seed uint64
	// NTrees is the number of random projection trees that seed NN-descent
	// (pynndescent's n_trees). Default min(64, 5 + round(sqrt(rows)/20)),
	// umap-learn's choice.
	NTrees int
	// NIters is the maximum number of NN-descent iterations (n_iters).
	// Default max(5, round(log2(rows))), umap-learn's choice.
	NIters int
	// MaxCandidates bounds the candidates each row introduces to each other
	// per iteration (max_candidates). Default 60, umap-learn's choice.
	MaxCandidates int
	// Delta stops NN-descent once an iteration changes fewer than
	// Delta*K*rows graph entries (delta). Default 0.001.
	Delta float64
	// LeafSize is the largest leaf of a random projection tree
	// (leaf_size). Default max(10, K).
	LeafSize int
	// Progress, when set, receives phase "neighbours" with the steps done
	// (trees and descent iterations, or rows for exact search).
	Progress progress.Func
}

// withDefaults fills in the defaults for n rows and checks the settings.
func (s Settings) withDefaults(n int) (Settings, error) {
	var err error
	if s.Metric, err = s.Metric.resolve(); err != nil {
		return s, err
	}
	switch s.Method {
	case Auto, Exact, NNDescent:
	default:
		return s, fmt.Errorf("knn: unknown method %q; use exact or nndescent", s.Method)
	}
	if s.K == 0 {
		s.K = 15
	}
	if s.NTrees == 0 {
		s.NTrees = min(64, 5+int(math.Round(math.Sqrt(float64(n))/20)))
	}
	if s.NIters == 0 {
		s.NIters = max(5, int(math.Round(math.Log2(float64(max(n, 1))))))
	}
	if s.MaxCandidates == 0 {
		s.MaxCandidates = 60
	}
	if s.Delta == 0 {
		s.Delta = 0.001
	}
	if s.LeafSize == 0 {
		s.LeafSize = max(10, s.K)
	}
	switch {
	case s.K < 1:
		return s, fmt.Errorf("knn: k %d must be at least 1", s.K)
	case s.NTrees < 1 || s.NIters < 1 || s.MaxCandidates < 1 || s.LeafSize < 2:
		return s, fmt.Errorf("knn: n_trees %d, n_iters %d, max_candidates %d must be at least 1 and leaf_size %d at least 2",
			s.NTrees, s.NIters, s.MaxCandidates, s.LeafSize)
	case !(s.Delta >= 0):
		return s, fmt.Errorf("knn: delta %v must not be negative", s.Delta)
	}
	return s, nil
}

// useExact reports whether the settings ask for exact search on n rows.
func (s *Settings) useExact(n int) bool {
	return s.Method == Exact || (s.Method == Auto && n < ExactLimit)
}

// Neighbours lists K neighbours for each of N rows in row-major order, each
// row by increasing distance. Index -1 (distance +Inf) marks a neighbour
// that could not be found, which happens only for queries against fewer
// than K rows.
type Neighbours struct {
	N, K      int
	Indices   []int32
	Distances []float32
}

// Row returns the neighbours of row i and their distances.
func (nb *Neighbours) Row(i int) ([]int32, []float32) {
	return nb.Indices[i*nb.K : (i+1)*nb.K], nb.Distances[i*nb.K : (i+1)*nb.K]
}

// Graph is the k-nearest-neighbour graph of a set of rows: row i lists i
// itself first (at distance 0), then its K-1 nearest other rows.
type Graph struct {
	Neighbours
	Metric Metric
	// Key identifies the data and settings the graph was built from.
	Key Key
}

// Index is a built neighbour graph together with the data it came from, so
// that new rows can be searched against it.
type Index struct {
	data     *matrix
	settings Settings
	graph    *Graph
	tree     *rpTree // search entry points; nil when built exactly
	// NN-descent stores the rows in the leaf order of the first tree, so
	// that rows processed together are near each other in memory too.
	// inner[i] is the stored position of row i, outer its inverse; both are
	// nil when the rows are stored in their original order.
	inner, outer []int32

	searchOnce sync.Once
	search     *adjacency
}

// Graph returns the k-nearest-neighbour graph of the index's rows.
func (ix *Index) Graph() *Graph { return ix.graph }

// Settings returns the settings the index was built with, defaults filled in.
func (ix *Index) Settings() Settings { return ix.settings }

// Len is the number of rows in the index.
func (ix *Index) Len() int { return ix.data.n }

// Dim is the number of columns of the rows.
func (ix *Index) Dim() int { return ix.data.d }

// Row returns row i as the index holds it: float32, centred (correlation)
// and scaled to unit length (cosine, correlation). The slice must not be
// modified.
func (ix *Index) Row(i int) []float32 { return ix.vec(i)[:ix.data.d] }

// vec returns row i (original numbering) with its padding.
func (ix *Index) vec(i int) []float32 {
	if ix.inner != nil {
		i = int(ix.inner[i])
	}
	return ix.data.row(i)
}

// toOuter maps a stored position to the original row number.
func (ix *Index) toOuter(p int32) int32 {
	if ix.outer == nil || p < 0 {
		return p
	}
	return ix.outer[p]
}

// Build finds the K nearest neighbours of every row of x.
func Build(ctx context.Context, x mat.Matrix, s Settings) (*Index, error) {
	n, d := x.Dims()
	s, err := s.withDefaults(n)
	if err != nil {
		return nil, err
	}
	if n == 0 || d == 0 {
		return nil, errors.New("knn: the data is empty")
	}
	if s.K > n {
		return nil, fmt.Errorf("knn: k %d must not exceed the %d rows", s.K, n)
	}
	key, err := KeyOf(x, s)
	if err != nil {
		return nil, err
	}
	m, err := newMatrix(x, s.Metric, "row")
	if err != nil {
		return nil, err
	}
	dist := s.Metric.reduced()
	ix := &Index{data: m, settings: s}
	var h *heaps
	if s.useExact(n) {
		h, err = exact(ctx, m, dist, s.K, s.Progress)
	} else {
		h, err = approximate(ctx, m, dist, &s, ix)
	}
	if err != nil {
		return nil, fmt.Errorf("knn: %w", err)
	}
	g := &Graph{Neighbours: Neighbours{N: n, K: s.K, Indices: make([]int32, n*s.K), Distances: make([]float32, n*s.K)}, Metric: s.Metric, Key: key}
	err = par.For(ctx, n, 4096, func(_, lo, hi int) {
		for i := lo; i < hi; i++ {
			src := i
			if ix.inner != nil {
				src = int(ix.inner[i])
			}
			h.sortRow(src, int32(src))
			for q := range s.K {
				j := h.idx[src*s.K+q]
				if ix.outer != nil && j >= 0 {
					j = ix.outer[j]
				}
				g.Indices[i*s.K+q] = j
				g.Distances[i*s.K+q] = s.Metric.fromReduced(h.dist[src*s.K+q])
			}
		}
	})
	if err != nil {
		return nil, fmt.Errorf("knn: %w", err)
	}
	ix.graph = g
	return ix, nil
}

// approximate builds the random projection forest and runs NN-descent. The
// first tree is kept for searching.
func approximate(ctx context.Context, m *matrix, dist func(a, b []float32) float32, s *Settings, ix *Index) (*heaps, error) {
	total := s.NTrees + 1 + s.NIters
	var done atomic.Int64
	step := func() { s.Progress.Report("neighbours", int(done.Add(1)), total) }
	// The first tree also orders the rows: stored in its leaf order, rows
	// that are near in space are near in memory, which makes the other
	// trees and the descent find their rows in cache.
	trees := make([]*rpTree, s.NTrees)
	trees[0] = buildTree(ctx, m, s.Metric.angular(), s.LeafSize, stream(s.Seed, tagTree, 0))
	if trees[0] == nil {
		return nil, ctx.Err()
	}
	step()
	ix.tree = trees[0]
	ix.outer = slices.Clone(trees[0].order)
	ix.inner = make([]int32, m.n)
	for p, i := range ix.outer {
		ix.inner[i] = int32(p)
	}
	m.permute(ix.inner)
	for p := range ix.tree.order {
		ix.tree.order[p] = int32(p)
	}
	for q := range ix.tree.nodes {
		nd := &ix.tree.nodes[q]
		if nd.left >= 0 {
			nd.a, nd.b = ix.inner[nd.a], ix.inner[nd.b]
		}
	}
	err := par.For(ctx, s.NTrees-1, 1, func(t, _, _ int) {
		trees[t+1] = buildTree(ctx, m, s.Metric.angular(), s.LeafSize, stream(s.Seed, tagTree, uint64(t+1)))
		step()
	})
	if err != nil {
		return nil, err
	}
	h, err := descent(ctx, m, dist, s, trees, step)
	if err != nil {
		return nil, err
	}
	// Descent may stop early; the progress display should still end full.
	s.Progress.Report("neighbours", total, total)
	return h, nil
}

// exact compares every row with every other, in tiles that keep a block of
// rows in cache while the others stream past.
func exact(ctx context.Context, m *matrix, dist func(a, b []float32) float32, k int, report progress.Func) (*heaps, error) {
	n := m.n
	h := newHeaps(n, k)
	const rowsPerChunk, tile = 32, 256
	var done atomic.Int64
	err := par.For(ctx, n, rowsPerChunk, func(_, lo, hi int) {
		for i := lo; i < hi; i++ {
			h.push(i, 0, int32(i), 0)
		}
		for j0 := 0; j0 < n; j0 += tile {
			j1 := min(j0+tile, n)
			for i := lo; i < hi; i++ {
				xi := m.row(i)
				for j := j0; j < j1; j++ {
					if j == i {
						continue
					}
					if d := dist(xi, m.row(j)); d < h.worst(i) {
						h.push(i, d, int32(j), 0)
					}
				}
			}
		}
		report.Report("neighbours", int(done.Add(int64(hi-lo))), n)
	})
	return h, err
}
