package knn

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
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
	order, err := ix.searchOrder(ctx, qm)
	if err != nil {
		return nil, fmt.Errorf("knn: %w", err)
	}
	const queriesPerChunk = 64
	err = par.For(ctx, nq, queriesPerChunk, func(_, lo, hi int) {
		h := newHeaps(1, k)
		var w *walker
		if adj != nil {
			w = newWalker(ix.data.n)
		}
		for p := lo; p < hi; p++ {
			i := p
			if order != nil {
				i = int(order[p])
			}
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

// searchOrder returns the queries in the order of the leaves of the
// search tree they fall in (nil when the index was built exactly). The
// rows are stored in the leaf order of that tree, so queries searched one
// after the other then walk the same stretch of rows and graph, which stay
// in cache. Each query's search depends on nothing but the query, so the
// order changes the time, not the answer.
func (ix *Index) searchOrder(ctx context.Context, qm *matrix) ([]int32, error) {
	if ix.tree == nil {
		return nil, nil
	}
	leaf := make([]int32, qm.n)
	err := par.For(ctx, qm.n, 1024, func(_, lo, hi int) {
		for i := lo; i < hi; i++ {
			if rows := ix.tree.leafFor(ix.data, qm.row(i), nil); len(rows) > 0 {
				leaf[i] = rows[0]
			}
		}
	})
	if err != nil {
		return nil, err
	}
	order := make([]int32, qm.n)
	for i := range order {
		order[i] = int32(i)
	}
	slices.SortStableFunc(order, func(a, b int32) int { return int(leaf[a]) - int(leaf[b]) })
	return order, nil
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
	queue   []uint64 // min-heap of rows to expand, by candidate key
	hole    bool     // queue[0] has been popped
	pcg     *rand.PCG
	rng     *rand.Rand // query i's stream: pcg reseeded, see stream
}

func newWalker(n int) *walker {
	w := &walker{visited: make([]uint32, n), pcg: rand.NewPCG(0, 0)}
	w.rng = rand.New(w.pcg)
	return w
}

// candidate packs a distance and a row into one key whose unsigned order
// is the order (distance, row): the bits of a float32 that is not negative
// order as unsigned integers, and the walk expands the nearest candidate
// first, ties by row, as pynndescent's heap does. Reduced distances are
// never negative; a negative zero is counted as zero, as < does.
func candidate(d float32, j int32) uint64 {
	if d == 0 {
		d = 0
	}
	return uint64(math.Float32bits(d))<<32 | uint64(uint32(j))
}

func (w *walker) search(ix *Index, adj *adjacency, dist func(a, b []float32) float32, h *heaps, v []float32, scale float32, qi uint64) {
	w.stamp++
	if w.stamp == 0 {
		clear(w.visited)
		w.stamp = 1
	}
	w.queue, w.hole = w.queue[:0], false
	w.pcg.Seed(streamSeeds(ix.settings.Seed, tagQuery, qi))
	rng := w.rng
	visit := func(j int32) {
		w.visited[j] = w.stamp
		dd := dist(v, ix.data.row(int(j)))
		if dd < h.worst(0) {
			h.push(0, dd, j, 0)
		}
		w.push(candidate(dd, j))
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
	for {
		top, ok := w.pop()
		if !ok || !(math.Float32frombits(uint32(top>>32)) < bound) {
			break
		}
		for _, c := range adj.of(int(uint32(top))) {
			if w.visited[c] == w.stamp {
				continue
			}
			w.visited[c] = w.stamp
			dd := dist(v, ix.data.row(int(c)))
			if dd < bound {
				h.push(0, dd, c, 0)
				w.push(candidate(dd, c))
				bound = scale * h.worst(0)
			}
		}
	}
}

// The queue is a four-ary min-heap: half the levels of a binary heap,
// and the four children of a node share a cache line. A pop leaves a hole
// at the root that the next push fills, so that a pop followed by a push
// sifts once: most expansions push a neighbour or more.

func (w *walker) push(key uint64) {
	if w.hole {
		w.hole = false
		w.siftDown(key)
		return
	}
	q := append(w.queue, key)
	i := len(q) - 1
	for i > 0 {
		p := (i - 1) / 4
		if q[p] <= key {
			break
		}
		q[i] = q[p]
		i = p
	}
	q[i] = key
	w.queue = q
}

// pop removes the smallest key; ok is false when the queue is empty.
func (w *walker) pop() (key uint64, ok bool) {
	if w.hole {
		last := len(w.queue) - 1
		key, w.queue = w.queue[last], w.queue[:last]
		if last == 0 {
			w.hole = false
			return 0, false
		}
		w.siftDown(key)
	} else if len(w.queue) == 0 {
		return 0, false
	}
	w.hole = true
	return w.queue[0], true
}

// siftDown places key in the hole at the root.
func (w *walker) siftDown(key uint64) {
	q := w.queue
	n := len(q)
	i := 0
	for {
		c := 4*i + 1
		if c+3 < n {
			// A tournament of index selections, which compile to
			// conditional moves: the comparisons are unpredictable.
			ch := q[c : c+4 : c+4]
			a := 0
			if ch[1] < ch[0] {
				a = 1
			}
			b := 2
			if ch[3] < ch[2] {
				b = 3
			}
			if ch[b] < ch[a] {
				a = b
			}
			if key <= ch[a] {
				break
			}
			q[i] = ch[a]
			i = c + a
			continue
		}
		if c >= n {
			break
		}
		m, mv := c, q[c]
		for j := c + 1; j < n; j++ {
			if v := q[j]; v < mv {
				m, mv = j, v
			}
		}
		if key > mv {
			q[i] = mv
			i = m
		}
		break
	}
	q[i] = key
}
