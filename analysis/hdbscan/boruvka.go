package hdbscan

import (
	"context"
	"fmt"
	"math"
	"slices"
	"sync/atomic"

	"github.com/reckon-dev/reckon/analysis/internal/par"
	"github.com/reckon-dev/reckon/internal/distance"
)

// edge joins points a and b at reduced mutual-reachability weight w.
type edge struct {
	a, b int32
	w    float64
}

// edgeLess orders edges by weight and then by the ranks of their endpoints,
// lower rank first (lo1 <= hi1 and lo2 <= hi2). It is a strict total order
// on the edges of distinct points, so the minimum spanning tree it defines
// is unique: Borůvka and Prim find the same one, whatever the row order.
func edgeLess(w1 float64, lo1, hi1 int32, w2 float64, lo2, hi2 int32) bool {
	if w1 != w2 {
		return w1 < w2
	}
	if lo1 != lo2 {
		return lo1 < lo2
	}
	return hi1 < hi2
}

func ordered(x, y int32) (int32, int32) {
	if x < y {
		return x, y
	}
	return y, x
}

// unionFind is a disjoint-set forest with union by rank and path halving.
type unionFind struct {
	parent []int32
	rank   []uint8
}

func newUnionFind(n int) *unionFind {
	u := &unionFind{parent: make([]int32, n), rank: make([]uint8, n)}
	for i := range u.parent {
		u.parent[i] = int32(i)
	}
	return u
}

func (u *unionFind) find(x int32) int32 {
	for u.parent[x] != x {
		u.parent[x] = u.parent[u.parent[x]]
		x = u.parent[x]
	}
	return x
}

// union joins the sets of x and y and reports whether they were apart.
func (u *unionFind) union(x, y int32) bool {
	x, y = u.find(x), u.find(y)
	if x == y {
		return false
	}
	switch {
	case u.rank[x] < u.rank[y]:
		u.parent[x] = y
	case u.rank[x] > u.rank[y]:
		u.parent[y] = x
	default:
		u.parent[y] = x
		u.rank[x]++
	}
	return true
}

// boruvka finds the minimum spanning tree of the mutual-reachability graph
// of the points of a k-d tree. Each round, every component finds its
// lightest outgoing edge and all those edges are added; components at least
// halve each round.
//
// A point's lightest edge out of its component weighs at least its core
// distance. The neighbour lists from the core-distance pass hold the points
// within that distance (in more than two dimensions, points tied at exactly
// that distance may be missing), so when one of them lies in another
// component and is no less dense, the edge to the lowest-ranked such
// neighbour is the point's answer and needs no search; this settles nearly
// every point of the first round. The lists also give each component a
// good first bound. The remaining points search the tree, skipping nodes
// wholly inside their own component and nodes that cannot beat their
// component's best edge so far.
//
// The searches of a round run in parallel and share each component's best
// weight through an atomic bound. Pruning is strict (only candidates
// strictly heavier than a weight already found are dropped), so the edge a
// component ends with is the minimum under edgeLess whatever the schedule:
// the tree does not depend on GOMAXPROCS.
type boruvka struct {
	t     *kdTree
	sp    space
	core  []float64 // reduced core distance per tree position
	rank  []int32   // tie-break rank per tree position
	lists *neighbourLists
	// exact reports whether a neighbour list holds every edge of weight
	// equal to the point's core distance: true unless alpha > 1 stretches
	// that weight beyond the core distance.
	exact   bool
	comp    []int32 // component (a root position) of each point
	ncomp   []int32 // component of each node, -1 when mixed
	minCr   []float64
	bound   []atomic.Uint64
	bestW   []float64
	bestQ   []int32
	settled []bool // the point's best edge is known without a search
	inside  []bool // the point's whole neighbour list lies in its component
}

// boruvkaMST returns the spanning tree's edges between tree positions.
func boruvkaMST(ctx context.Context, t *kdTree, sp space, core []float64, rank []int32, lists *neighbourLists, report func(done int)) ([]edge, error) {
	n := len(core)
	b := &boruvka{
		t: t, sp: sp, core: core, rank: rank, lists: lists,
		exact:   sp.scale >= 1,
		comp:    make([]int32, n),
		ncomp:   make([]int32, t.numNodes()),
		minCr:   make([]float64, t.numNodes()),
		bound:   make([]atomic.Uint64, n),
		bestW:   make([]float64, n),
		bestQ:   make([]int32, n),
		settled: make([]bool, n),
		inside:  make([]bool, n),
	}
	for node := t.numNodes() - 1; node >= 0; node-- {
		if t.left[node] < 0 {
			m := math.Inf(1)
			for i := t.start[node]; i < t.end[node]; i++ {
				m = min(m, core[i])
			}
			b.minCr[node] = m
		} else {
			b.minCr[node] = min(b.minCr[t.left[node]], b.minCr[t.right[node]])
		}
	}
	leaves := t.leaves()
	uf := newUnionFind(n)
	edges := make([]edge, 0, max(n-1, 0))
	inf := math.Float64bits(math.Inf(1))
	type best struct {
		w      float64
		p, q   int32
		lo, hi int32
	}
	compBest := make([]best, n)
	for len(edges) < n-1 {
		for i := range b.comp {
			b.comp[i] = uf.find(int32(i))
		}
		b.labelNodes()
		for i := range n {
			if b.comp[i] == int32(i) {
				b.bound[i].Store(inf)
				compBest[i] = best{w: math.Inf(1), p: -1}
			}
		}
		// Seed from the neighbour lists first, so that the searches start
		// with tight component bounds.
		err := par.For(ctx, n, 1024, func(_, lo, hi int) {
			for p := lo; p < hi; p++ {
				b.seed(int32(p))
			}
		})
		if err != nil {
			return nil, err
		}
		err = par.For(ctx, len(leaves), 32, func(_, lo, hi int) {
			s := &searcher{b: b}
			for _, leaf := range leaves[lo:hi] {
				s.leaf(leaf)
			}
		})
		if err != nil {
			return nil, err
		}
		for p := range n {
			q := b.bestQ[p]
			if q < 0 {
				continue
			}
			c := b.comp[p]
			lo, hi := ordered(rank[p], rank[q])
			cb := &compBest[c]
			if cb.p < 0 || edgeLess(b.bestW[p], lo, hi, cb.w, cb.lo, cb.hi) {
				*cb = best{w: b.bestW[p], p: int32(p), q: q, lo: lo, hi: hi}
			}
		}
		var round []best
		for i := range n {
			if b.comp[i] == int32(i) && compBest[i].p >= 0 {
				round = append(round, compBest[i])
			}
		}
		if len(round) == 0 {
			// Every component has an outgoing edge while there are two or
			// more; stop rather than loop if that ever fails.
			return nil, fmt.Errorf("hdbscan: internal error: a Borůvka round over %d components found no edge", n-len(edges))
		}
		slices.SortFunc(round, func(x, y best) int {
			if edgeLess(x.w, x.lo, x.hi, y.w, y.lo, y.hi) {
				return -1
			}
			if edgeLess(y.w, y.lo, y.hi, x.w, x.lo, x.hi) {
				return 1
			}
			return 0
		})
		for _, e := range round {
			if uf.union(e.p, e.q) {
				edges = append(edges, edge{a: e.p, b: e.q, w: e.w})
			}
		}
		report(len(edges))
	}
	return edges, nil
}

// seed takes point p's best edge among its neighbour list and settles p
// when that edge weighs p's core distance, the least any edge from p can.
func (b *boruvka) seed(p int32) {
	b.bestQ[p] = -1
	b.settled[p] = false
	if b.lists == nil || b.inside[p] {
		return
	}
	c := b.comp[p]
	cp := b.core[p]
	rp := b.rank[p]
	if b.sp.scale != 1 {
		b.seedScaled(p, c, cp, rp)
		return
	}
	// A neighbour no less dense than p joins it at p's core distance, and
	// among those the lowest rank wins; otherwise the least dense
	// neighbour's core distance is the weight.
	lowQ, low := int32(-1), int32(math.MaxInt32)
	bestQ, bestW, bestR := int32(-1), math.Inf(1), int32(math.MaxInt32)
	for _, q := range b.lists.of(p) {
		if b.comp[q] == c {
			continue
		}
		cq, rq := b.core[q], b.rank[q]
		if cq <= cp {
			if rq < low {
				lowQ, low = q, rq
			}
		} else if cq < bestW || cq == bestW && rq < bestR {
			bestQ, bestW, bestR = q, cq, rq
		}
	}
	switch {
	case lowQ >= 0:
		b.bestW[p], b.bestQ[p] = cp, lowQ
		b.settled[p] = true
	case bestQ >= 0:
		b.bestW[p], b.bestQ[p] = bestW, bestQ
	default:
		b.inside[p] = true
		return
	}
	atomicMin(&b.bound[c], b.bestW[p])
}

// seedScaled is seed when alpha scales the distances, so that an edge's
// weight may exceed both core distances.
func (b *boruvka) seedScaled(p, c int32, cp float64, rp int32) {
	bw, bq := math.Inf(1), int32(-1)
	var blo, bhi int32
	for _, q := range b.lists.of(p) {
		if b.comp[q] == c {
			continue
		}
		w := max(cp, b.core[q], b.sp.rd(b.t.point(p), b.t.point(q))*b.sp.scale)
		lo, hi := ordered(rp, b.rank[q])
		if bq < 0 || edgeLess(w, lo, hi, bw, blo, bhi) {
			bw, bq, blo, bhi = w, q, lo, hi
		}
	}
	if bq < 0 {
		b.inside[p] = true
		return
	}
	b.bestW[p], b.bestQ[p] = bw, bq
	atomicMin(&b.bound[c], bw)
	b.settled[p] = b.exact && bw == cp
}

// labelNodes marks each node whose points all lie in one component.
func (b *boruvka) labelNodes() {
	t := b.t
	for node := t.numNodes() - 1; node >= 0; node-- {
		if l := t.left[node]; l >= 0 {
			if c := b.ncomp[l]; c >= 0 && c == b.ncomp[t.right[node]] {
				b.ncomp[node] = c
			} else {
				b.ncomp[node] = -1
			}
			continue
		}
		c := b.comp[t.start[node]]
		for i := t.start[node] + 1; i < t.end[node]; i++ {
			if b.comp[i] != c {
				c = -1
				break
			}
		}
		b.ncomp[node] = c
	}
}

// seeker is one point's search for its lightest edge out of its
// component: the best edge found so far and what is needed to compare.
type seeker struct {
	p        int32
	q        []float64
	coreP    float64
	rankP    int32
	bw       float64
	bq       int32
	blo, bhi int32
}

// searcher runs the searches of one chunk of leaves. A leaf whose points
// all lie in one component walks the tree once for all of them; the others
// walk it point by point.
type searcher struct {
	b       *boruvka
	c       int32
	bound   *atomic.Uint64
	pts     []seeker // the leaf's points that search
	lo, hi  []float64
	minCore float64
	euclid  bool
}

func (s *searcher) start(p int32) (seeker, bool) {
	b := s.b
	k := seeker{p: p, coreP: b.core[p], rankP: b.rank[p], bw: b.bestW[p], bq: b.bestQ[p]}
	if k.bq < 0 {
		k.bw = math.Inf(1)
	} else {
		k.blo, k.bhi = ordered(k.rankP, b.rank[k.bq])
	}
	// Every edge from p weighs at least its core distance.
	if b.settled[p] || k.coreP > math.Float64frombits(b.bound[b.comp[p]].Load()) {
		return k, false
	}
	k.q = b.t.point(p)
	return k, true
}

func (s *searcher) finish(k *seeker) {
	s.b.bestW[k.p], s.b.bestQ[k.p] = k.bw, k.bq
}

// leaf searches for the points of a leaf.
func (s *searcher) leaf(leaf int32) {
	b := s.b
	t := b.t
	s.euclid = b.sp.metric == Euclidean
	if c := b.ncomp[leaf]; c < 0 {
		for p := t.start[leaf]; p < t.end[leaf]; p++ {
			k, ok := s.start(p)
			if !ok {
				continue
			}
			s.c, s.bound = b.comp[p], &b.bound[b.comp[p]]
			s.pts = append(s.pts[:0], k)
			s.lo, s.hi = k.q, k.q
			s.minCore = k.coreP
			s.visit(0)
			s.finish(&s.pts[0])
		}
		return
	}
	s.c = b.ncomp[leaf]
	s.bound = &b.bound[s.c]
	s.pts = s.pts[:0]
	s.minCore = math.Inf(1)
	for p := t.start[leaf]; p < t.end[leaf]; p++ {
		if k, ok := s.start(p); ok {
			s.pts = append(s.pts, k)
			s.minCore = min(s.minCore, k.coreP)
		}
	}
	if len(s.pts) == 0 {
		return
	}
	s.lo, s.hi = t.box(leaf)
	s.visit(0)
	for i := range s.pts {
		s.finish(&s.pts[i])
	}
}

func (s *searcher) limit() float64 {
	return math.Float64frombits(s.bound.Load())
}

// lb bounds from below the weight of any edge from the searching points to
// a node.
func (s *searcher) lb(node int32) float64 {
	b := s.b
	lo, hi := b.t.box(node)
	return max(s.minCore, b.minCr[node], b.sp.boxBoxLB(s.lo, s.hi, lo, hi)*b.sp.scale)
}

func (s *searcher) visit(node int32) {
	b := s.b
	if b.ncomp[node] == s.c || s.lb(node) > s.limit() {
		return
	}
	t := b.t
	if l := t.left[node]; l >= 0 {
		r := t.right[node]
		if s.lb(l) <= s.lb(r) {
			s.visit(l)
			s.visit(r)
		} else {
			s.visit(r)
			s.visit(l)
		}
		return
	}
	for i := range s.pts {
		s.scan(&s.pts[i], node)
	}
}

// scan offers the points of a leaf to one searching point.
func (s *searcher) scan(k *seeker, node int32) {
	b := s.b
	t := b.t
	d := t.d
	lo, hi := t.box(node)
	lim := min(k.bw, s.limit())
	if max(k.coreP, b.minCr[node], b.sp.boxLB(k.q, lo, hi)*b.sp.scale) > lim {
		return
	}
	for i := t.start[node]; i < t.end[node]; i++ {
		if b.comp[i] == s.c {
			continue
		}
		cq := b.core[i]
		if cq > lim {
			continue
		}
		var r float64
		if s.euclid {
			r = distance.SqEuclidean(k.q, t.pts[int(i)*d:int(i)*d+d])
		} else {
			r = b.sp.rd(k.q, t.pts[int(i)*d:int(i)*d+d])
		}
		w := max(k.coreP, cq, r*b.sp.scale)
		if w > lim {
			continue
		}
		lo, hi := ordered(k.rankP, b.rank[i])
		if k.bq < 0 || edgeLess(w, lo, hi, k.bw, k.blo, k.bhi) {
			k.bw, k.bq, k.blo, k.bhi = w, i, lo, hi
			atomicMin(s.bound, w)
			lim = min(k.bw, s.limit())
		}
	}
}

// atomicMin lowers the float64 stored in a to w if w is smaller. Bit
// patterns of non-negative floats order like the floats themselves.
func atomicMin(a *atomic.Uint64, w float64) {
	wb := math.Float64bits(w)
	for {
		old := a.Load()
		if old <= wb || a.CompareAndSwap(old, wb) {
			return
		}
	}
}
