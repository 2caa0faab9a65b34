package knn

import (
	"context"
	"fmt"
	"math"
	"slices"

	"gonum.org/v1/gonum/mat"

	"github.com/reckon-dev/reckon/analysis/internal/par"
)

// adjacency is the graph a query walks, in stored positions: each row's
// nearest neighbours and the rows that count it among theirs, nearest
// first, at most maxDegree.
type adjacency struct {
	start []int32
	nbr   []int32
}

func (a *adjacency) of(v int) []int32 { return a.nbr[a.start[v]:a.start[v+1]] }

// searchGraph builds the adjacency from the neighbour graph. Reverse edges
// matter: without them a row that is nobody's neighbour could never be
// reached.
func (ix *Index) searchGraph() *adjacency {
	ix.searchOnce.Do(func() {
		g := ix.graph
		n, k := g.N, g.K
		maxDegree := 2 * k
		type edge struct {
			d float32
			j int32
		}
		counts := make([]int32, n+1)
		// Work in stored positions: the walk reads rows from storage.
		inner := func(i int32) int32 {
			if ix.inner == nil {
				return i
			}
			return ix.inner[i]
		}
		for i := range n {
			idx, _ := g.Row(i)
			pi := inner(int32(i))
			for _, j := range idx {
				if j >= 0 && int(j) != i {
					counts[pi+1]++
					counts[inner(j)+1]++
				}
			}
		}
		for i := range n {
			counts[i+1] += counts[i]
		}
		all := make([]edge, counts[n])
		next := slices.Clone(counts[:n])
		for i := range n {
			idx, dist := g.Row(i)
			pi := inner(int32(i))
			for p, j := range idx {
				if j >= 0 && int(j) != i {
					pj := inner(j)
					all[next[pi]] = edge{dist[p], pj}
					next[pi]++
					all[next[pj]] = edge{dist[p], pi}
					next[pj]++
				}
			}
		}
		a := &adjacency{start: make([]int32, n+1)}
		for i := range n {
			es := all[counts[i]:counts[i+1]]
			slices.SortFunc(es, func(x, y edge) int {
				if x.d != y.d {
					if x.d < y.d {
						return -1
					}
					return 1
				}
				return int(x.j) - int(y.j)
			})
			es = slices.CompactFunc(es, func(x, y edge) bool { return x.j == y.j })
			for _, e := range es[:min(len(es), maxDegree)] {
				a.nbr = append(a.nbr, e.j)
			}
			a.start[i+1] = int32(len(a.nbr))
		}
		ix.search = a
	})
	return ix.search
}

// Query finds the k nearest rows of the index for every row of q: exactly
// when the index was built exactly, otherwise by a best-first walk of the
// neighbour graph that starts from the rows sharing q's leaf of a random
// projection tree, as pynndescent's query does (with its epsilon of 0.12,
// 0.24 for angular metrics, as umap-learn's transform uses). Results are
// deterministic for any GOMAXPROCS.
func (ix *Index) Query(ctx context.Context, q mat.Matrix, k int) (*Neighbours, error) {
	nq, d := q.Dims()
	switch {
	case d != ix.data.d:
		return nil, fmt.Errorf("knn: the query has %d columns but the index has %d", d, ix.data.d)
	case k < 1 || k > ix.data.n:
		return nil, fmt.Errorf("knn: k %d must be between 1 and the %d rows of the index", k, ix.data.n)
	}
	qm, err := newMatrix(q, ix.settings.Metric, "query row")
	if err != nil {
		return nil, err
	}
	metric := ix.settings.Metric
	dist := metric.reduced()
	out := &Neighbours{N: nq, K: k, Indices: make([]int32, nq*k), Distances: make([]float32, nq*k)}
	var adj *adjacency
	if ix.tree != nil {
		adj = ix.searchGraph()
	}
	epsilon := float32(0.12)
	if metric.angular() {
		epsilon = 0.24
	}
	const queriesPerChunk = 64
	err = par.For(ctx, nq, queriesPerChunk, func(_, lo, hi int) {
		h := newHeaps(1, k)
		var w walker
		if adj != nil {
			w.visited = make([]uint32, ix.data.n)
		}
		for i := lo; i < hi; i++ {
			h.reset()
			v := qm.row(i)
			if adj == nil {
				for j := range ix.data.n {
					if dd := dist(v, ix.data.row(j)); dd < h.worst(0) {
						h.push(0, dd, int32(j), 0)
					}
				}
			} else {
				w.search(ix, adj, dist, h, v, 1+epsilon, uint64(i))
			}
			for p := range h.idx {
				h.idx[p] = ix.toOuter(h.idx[p])
			}
			h.sortRow(0, -1)
			copy(out.Indices[i*k:(i+1)*k], h.idx)
			for p, dd := range h.dist {
				out.Distances[i*k+p] = metric.fromReduced(dd)
			}
		}
	})
	if err != nil {
		return nil, fmt.Errorf("knn: %w", err)
	}
	return out, nil
}

func (h *heaps) reset() {
	inf := float32(math.Inf(1))
	for i := range h.idx {
		h.idx[i], h.dist[i], h.flag[i] = -1, inf, 0
	}
}

// walker holds the scratch space of one goroutine's searches.
type walker struct {
	visited []uint32 // visited[j] == stamp: row j seen in this search
	stamp   uint32
	queue   []seed // min-heap by distance
}

type seed struct {
	d float32
	j int32
}

func (w *walker) search(ix *Index, adj *adjacency, dist func(a, b []float32) float32, h *heaps, v []float32, scale float32, qi uint64) {
	w.stamp++
	if w.stamp == 0 {
		clear(w.visited)
		w.stamp = 1
	}
	w.queue = w.queue[:0]
	rng := stream(ix.settings.Seed, tagQuery, qi)
	visit := func(j int32) {
		w.visited[j] = w.stamp
		dd := dist(v, ix.data.row(int(j)))
		if dd < h.worst(0) {
			h.push(0, dd, j, 0)
		}
		w.push(seed{dd, j})
	}
	for _, j := range ix.tree.leafFor(ix.data, v, rng) {
		visit(j)
	}
	for range max(0, h.k-len(w.queue)) {
		if j := int32(rng.IntN(ix.data.n)); w.visited[j] != w.stamp {
			visit(j)
		}
	}
	bound := scale * h.worst(0)
	for len(w.queue) > 0 {
		s := w.pop()
		if !(s.d < bound) {
			break
		}
		for _, c := range adj.of(int(s.j)) {
			if w.visited[c] == w.stamp {
				continue
			}
			w.visited[c] = w.stamp
			dd := dist(v, ix.data.row(int(c)))
			if dd < bound {
				h.push(0, dd, c, 0)
				w.push(seed{dd, c})
				bound = scale * h.worst(0)
			}
		}
	}
}

func (w *walker) push(s seed) {
	q := append(w.queue, s)
	i := len(q) - 1
	for i > 0 {
		p := (i - 1) / 2
		if !less(q[i], q[p]) {
			break
		}
		q[i], q[p] = q[p], q[i]
		i = p
	}
	w.queue = q
}

func (w *walker) pop() seed {
	q := w.queue
	top := q[0]
	last := len(q) - 1
	q[0] = q[last]
	q = q[:last]
	i := 0
	for {
		c := 2*i + 1
		if c >= len(q) {
			break
		}
		if c+1 < len(q) && less(q[c+1], q[c]) {
			c++
		}
		if !less(q[c], q[i]) {
			break
		}
		q[i], q[c] = q[c], q[i]
		i = c
	}
	w.queue = q
	return top
}

func less(a, b seed) bool { return a.d < b.d || (a.d == b.d && a.j < b.j) }
