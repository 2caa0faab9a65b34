package hdbscan

import (
	"context"
	"math"
	"sync"
	"sync/atomic"

	"github.com/reckon-dev/reckon/analysis/internal/par"
	"github.com/reckon-dev/reckon/internal/distance"
)

// nearest keeps the nearest distinct points seen so far, each standing for
// cnt identical rows, in a max-heap on reduced distance. It holds just
// enough points to cover k rows: once the rows beyond the farthest point
// reach k, that point is dropped. The farthest kept point is then the k-th
// nearest row.
type nearest struct {
	k     int
	total int // rows covered by the heap
	rd    []float64
	cnt   []int32
	id    []int32
}

func newNearest(k int) *nearest {
	return &nearest{k: k, rd: make([]float64, 0, k+1), cnt: make([]int32, 0, k+1), id: make([]int32, 0, k+1)}
}

func (h *nearest) reset() {
	h.total = 0
	h.rd, h.cnt, h.id = h.rd[:0], h.cnt[:0], h.id[:0]
}

func (h *nearest) full() bool { return h.total >= h.k }

func (h *nearest) push(rd float64, cnt, id int32) {
	h.rd = append(h.rd, rd)
	h.cnt = append(h.cnt, cnt)
	h.id = append(h.id, id)
	h.total += int(cnt)
	for i := len(h.rd) - 1; i > 0; {
		p := (i - 1) / 2
		if h.rd[p] >= h.rd[i] {
			break
		}
		h.swap(i, p)
		i = p
	}
	for h.total-int(h.cnt[0]) >= h.k {
		h.pop()
	}
}

func (h *nearest) pop() {
	h.total -= int(h.cnt[0])
	last := len(h.rd) - 1
	h.swap(0, last)
	h.rd, h.cnt, h.id = h.rd[:last], h.cnt[:last], h.id[:last]
	for i := 0; ; {
		l := 2*i + 1
		if l >= last {
			return
		}
		m := l
		if r := l + 1; r < last && h.rd[r] > h.rd[l] {
			m = r
		}
		if h.rd[i] >= h.rd[m] {
			return
		}
		h.swap(i, m)
		i = m
	}
}

func (h *nearest) swap(i, j int) {
	h.rd[i], h.rd[j] = h.rd[j], h.rd[i]
	h.cnt[i], h.cnt[j] = h.cnt[j], h.cnt[i]
	h.id[i], h.id[j] = h.id[j], h.id[i]
}

// kth returns the reduced distances to the k-th and (k-1)-th nearest rows.
// The rows other than the farthest kept point number fewer than k; if they
// number k-1, the (k-1)-th row is the farthest of them, else it is a copy of
// the farthest point.
func (h *nearest) kth() (k, k1 float64) {
	k, k1 = h.rd[0], h.rd[0]
	if h.k > 1 && h.total-int(h.cnt[0]) >= h.k-1 {
		k1 = h.rd[1]
		if len(h.rd) > 2 && h.rd[2] > k1 {
			k1 = h.rd[2]
		}
	}
	return k, k1
}

// treeSearch answers nearest-row queries on a k-d tree whose points stand
// for cnt rows each.
type treeSearch struct {
	t   *kdTree
	sp  space
	cnt []int32 // per tree position
	h   *nearest
	q   []float64
}

func (s *treeSearch) query(q []float64) {
	s.q = q
	s.h.reset()
	lo, hi := s.t.box(0)
	s.visit(0, s.sp.boxLB(q, lo, hi))
}

func (s *treeSearch) visit(node int32, lb float64) {
	h := s.h
	if h.full() && lb >= h.rd[0] {
		return
	}
	t := s.t
	if t.left[node] < 0 {
		d := t.d
		euclid := s.sp.metric == Euclidean
		for i := t.start[node]; i < t.end[node]; i++ {
			p := t.pts[int(i)*d : int(i)*d+d]
			var r float64
			switch {
			case euclid && h.full():
				var ok bool
				if r, ok = sqDistBelow(s.q, p, h.rd[0]); !ok {
					continue
				}
			case euclid:
				r = distance.SqEuclidean(s.q, p)
			default:
				r = s.sp.rd(s.q, p)
			}
			if !h.full() || r < h.rd[0] {
				h.push(r, s.cnt[i], i)
			}
		}
		return
	}
	l, r := t.left[node], t.right[node]
	llo, lhi := t.box(l)
	rlo, rhi := t.box(r)
	ll, lr := s.sp.boxLB(s.q, llo, lhi), s.sp.boxLB(s.q, rlo, rhi)
	if ll <= lr {
		s.visit(l, ll)
		s.visit(r, lr)
	} else {
		s.visit(r, lr)
		s.visit(l, ll)
	}
}

// neighbourLists holds, for every point of a tree, the other points within
// its core distance, in per-chunk buffers as coreDistances computed them:
// point p's list ends at end[p] in chunks[chunkOf[p]] and starts where the
// list of p-1 ends, or at 0 if p-1 belongs to another chunk.
type neighbourLists struct {
	chunkOf []int32
	end     []int32
	chunks  [][]int32
}

func (l *neighbourLists) of(p int32) []int32 {
	c := l.chunkOf[p]
	s := int32(0)
	if p > 0 && l.chunkOf[p-1] == c {
		s = l.end[p-1]
	}
	return l.chunks[c][s:l.end[p]]
}

// maxListEntries caps the memory given to neighbour lists (4 bytes each, so
// 128 MB); beyond it Borůvka searches for every point.
const maxListEntries = 1 << 25

// leavesPerChunk sets the unit of parallel work: about 256 points.
const leavesPerChunk = 16

// coreDistances returns, for every distinct point in tree order, the
// reduced distance to its (minSamples+1)-th nearest row counting its own
// copies (hdbscan's core distance) and to its minSamples-th (the core
// distance hdbscan's prediction data uses). Unless they would take too much
// memory, it also returns the lists of points within each core distance,
// with which Borůvka settles most points without a search.
//
// In the plane, leaves are processed in tree order, so the points just done
// are close to the next ones: by the triangle inequality a done point's
// core distance plus its distance to a new point bounds the new point's
// core distance. For each leaf, one walk of the tree gathers every point
// within the largest such bound of the leaf's box; each point of the leaf
// then selects its k-th nearest row from those candidates. For the k of a
// hundred or so that HDBSCAN uses this is twice as fast as a k-nearest
// heap search per point, which is what the other dimensions use.
func coreDistances(ctx context.Context, t *kdTree, sp space, cnt []int32, minSamples int, report func(done int)) (core, pred []float64, lists *neighbourLists, err error) {
	n := len(cnt)
	core = make([]float64, n)
	pred = make([]float64, n)
	k := minSamples + 1
	leaves := t.leaves()
	if n*k <= maxListEntries {
		lists = &neighbourLists{chunkOf: make([]int32, n), end: make([]int32, n), chunks: make([][]int32, par.Chunks(len(leaves), leavesPerChunk))}
	}
	var done atomic.Int64
	unit := true
	for _, c := range cnt {
		unit = unit && c == 1
	}
	// Chunks reuse the candidate buffers of chunks done before them.
	var pool sync.Pool
	err = par.For(ctx, len(leaves), leavesPerChunk, func(chunk, lo, hi int) {
		c, _ := pool.Get().(*coreBatch)
		if c == nil {
			c = &coreBatch{t: t, sp: sp, cnt: cnt, k: k, unit: unit, core: core, pred: pred, batch: t.d <= batchMaxDims,
				heap:  &treeSearch{t: t, sp: sp, cnt: cnt, h: newNearest(k)},
				point: &gather{t: t, sp: sp, cnt: cnt}}
		}
		defer pool.Put(c)
		c.known, c.list = c.known[:0], nil
		if lists != nil {
			first, last := t.start[leaves[lo]], t.end[leaves[hi-1]]
			c.list = make([]int32, 0, int(last-first)*k)
		}
		for _, leaf := range leaves[lo:hi] {
			c.leaf(leaf)
			if lists == nil {
				continue
			}
			for p := t.start[leaf]; p < t.end[leaf]; p++ {
				lists.chunkOf[p] = int32(chunk)
				lists.end[p] = c.ends[p-t.start[leaf]]
			}
		}
		if lists != nil {
			lists.chunks[chunk] = c.list
		}
		report(int(done.Add(int64(t.end[leaves[hi-1]] - t.start[leaves[lo]]))))
	})
	return core, pred, lists, err
}

// batchMaxDims is the most dimensions in which gathering candidates per
// leaf pays (measured: it halves the time in the plane and doubles it in
// three dimensions). Beyond, the triangle-inequality bounds are too loose
// and a k-nearest search per point is faster.
const batchMaxDims = 2

// coreBatch computes the core distances of the leaves of one chunk.
type coreBatch struct {
	batch      bool
	t          *kdTree
	sp         space
	cnt        []int32
	k          int
	unit       bool
	core, pred []float64
	heap       *treeSearch
	point      *gather

	known []int32 // the last points done, most recent last
	// the leaf's candidates: positions, coordinates and counts
	cand  []int32
	cpts  []float64
	ccnt  []int32
	rleaf float64
	// one point's candidates: those surely among its k nearest, and the
	// band where the k-th nearest lies
	sure    []int32
	sureN   int
	sureMax float64
	band    int
	rd      []float64
	w       []int32
	id      []int32

	list []int32 // neighbour lists, or nil
	ends []int32 // end of each leaf point's list
}

// bounds are the tightest bounds on p's core distance (true distances)
// that the known points give by the triangle inequality, with the reduced
// core distance of the point giving the upper one as a first guess.
func (c *coreBatch) bounds(p []float64) (lower, upper, guess float64) {
	upper = math.Inf(1)
	for _, j := range c.known {
		cj, dj := c.sp.toTrue(c.core[j]), c.sp.toTrue(c.sp.rd(p, c.t.point(j)))
		if cj+dj < upper {
			upper, guess = cj+dj, c.core[j]
		}
		lower = max(lower, cj-dj)
	}
	return lower, upper, guess
}

func (c *coreBatch) remember(p int32) {
	if len(c.known) == leafSize {
		copy(c.known, c.known[1:])
		c.known = c.known[:leafSize-1]
	}
	c.known = append(c.known, p)
}

func (c *coreBatch) leaf(leaf int32) {
	t := c.t
	s, e := t.start[leaf], t.end[leaf]
	c.ends = c.ends[:0]
	if !c.batch {
		for p := s; p < e; p++ {
			c.byHeap(p)
		}
		return
	}
	if len(c.known) == 0 {
		c.bySearch(s)
		c.remember(s)
		s++
	}
	c.rleaf = 0
	for p := s; p < e; p++ {
		_, r, _ := c.bounds(t.point(p))
		c.rleaf = max(c.rleaf, r)
	}
	c.rleaf = c.sp.fromTrue(c.rleaf) * (1 + 1e-12)
	c.cand, c.cpts, c.ccnt = c.cand[:0], c.cpts[:0], c.ccnt[:0]
	llo, lhi := t.box(leaf)
	c.collect(0, llo, lhi)
	d := t.d
	euclid := c.sp.metric == Euclidean
	for p := s; p < e; p++ {
		q := t.point(p)
		lower, upper, guess := c.bounds(q)
		// Candidates below the lower bound are surely among the k nearest;
		// only the band up to the upper bound needs selecting.
		lr := c.sp.fromTrue(lower) * (1 - 1e-12)
		ur := c.sp.fromTrue(upper) * (1 + 1e-12)
		c.rd, c.w, c.id = c.rd[:0], c.w[:0], c.id[:0]
		c.sure, c.sureN, c.sureMax = c.sure[:0], 0, 0
		c.band = 0
		if euclid && d == 2 {
			c.split2(q[0], q[1], lr, ur)
		} else {
			for j := range c.cand {
				x := c.cpts[j*d : j*d+d]
				var v float64
				if euclid {
					v = distance.SqEuclidean(q, x)
				} else {
					v = c.sp.rd(q, x)
				}
				c.place(j, v, lr, ur)
			}
		}
		if c.sureN+c.band < c.k || c.sureN >= c.k {
			// rounding defeated the bounds; search instead
			c.bySearch(p)
		} else {
			c.selectCore(p, guess)
		}
		c.remember(p)
	}
}

// place files candidate j at reduced distance v as sure (below lr), in the
// band (up to ur), or too far.
func (c *coreBatch) place(j int, v, lr, ur float64) {
	switch {
	case v < lr:
		c.sure = append(c.sure, c.cand[j])
		c.sureN += int(c.ccnt[j])
		c.sureMax = max(c.sureMax, v)
	case v <= ur:
		c.rd = append(c.rd, v)
		c.w = append(c.w, c.ccnt[j])
		c.id = append(c.id, c.cand[j])
		c.band += int(c.ccnt[j])
	}
}

// split2 is the candidate loop for the plane, the usual case of clustering
// an embedding.
func (c *coreBatch) split2(x, y, lr, ur float64) {
	pts := c.cpts[:2*len(c.cand)]
	for j := range c.cand {
		dx, dy := pts[2*j]-x, pts[2*j+1]-y
		if v := dx*dx + dy*dy; v <= ur {
			c.place(j, v, lr, ur)
		}
	}
}

// selectCore takes p's core distances from the sure candidates and the
// band.
func (c *coreBatch) selectCore(p int32, guess float64) {
	need := c.k - c.sureN
	scratch := append(c.point.rd[:0], c.rd...)
	var kth, kth1 float64
	if c.unit {
		kth, kth1 = selectKth2(scratch, need, guess)
	} else {
		w := append(c.point.c[:0], c.w...)
		kth, kth1 = weightedSelect(scratch, w, need)
	}
	if need == 1 {
		kth1 = c.sureMax
	}
	c.core[p], c.pred[p] = kth, kth1
	c.point.rd = scratch
	if c.list != nil {
		c.list = append(c.list, c.sure...)
		c.addList(p, c.rd, c.id)
	}
}

// bySearch finds p's core distances by a k-nearest search and its list by
// gathering the points within the core distance.
func (c *coreBatch) bySearch(p int32) {
	q := c.t.point(p)
	c.heap.query(q)
	c.core[p], c.pred[p] = c.heap.h.kth()
	if c.list != nil {
		c.point.query(p, q, c.core[p])
		c.addList(p, c.point.rd, c.point.id)
	}
}

// byHeap finds p's core distances by a k-nearest search and takes its list
// from the search's heap: the points within the core distance, but for
// points tied at exactly that distance, which the heap may have dropped.
func (c *coreBatch) byHeap(p int32) {
	c.heap.query(c.t.point(p))
	c.core[p], c.pred[p] = c.heap.h.kth()
	c.addList(p, c.heap.h.rd, c.heap.h.id)
}

func (c *coreBatch) addList(p int32, rd []float64, id []int32) {
	if c.list == nil {
		return
	}
	for j, x := range rd {
		if x <= c.core[p] && id[j] != p {
			c.list = append(c.list, id[j])
		}
	}
	c.ends = append(c.ends, int32(len(c.list)))
}

// collect gathers the points within reduced distance rleaf of the box
// [llo, lhi].
func (c *coreBatch) collect(node int32, llo, lhi []float64) {
	t := c.t
	lo, hi := t.box(node)
	if c.sp.boxBoxLB(llo, lhi, lo, hi) > c.rleaf {
		return
	}
	if t.left[node] >= 0 {
		c.collect(t.left[node], llo, lhi)
		c.collect(t.right[node], llo, lhi)
		return
	}
	if c.sp.metric == Euclidean && t.d == 2 {
		x0, x1, y0, y1 := llo[0], lhi[0], llo[1], lhi[1]
		pts := t.pts[2*t.start[node] : 2*t.end[node]]
		for i := t.start[node]; i < t.end[node]; i++ {
			x, y := pts[0], pts[1]
			pts = pts[2:]
			gx := max(x0-x, x-x1, 0)
			gy := max(y0-y, y-y1, 0)
			if gx*gx+gy*gy <= c.rleaf {
				c.cand = append(c.cand, i)
				c.cpts = append(c.cpts, x, y)
				c.ccnt = append(c.ccnt, c.cnt[i])
			}
		}
		return
	}
	for i := t.start[node]; i < t.end[node]; i++ {
		x := t.point(i)
		if c.sp.boxLB(x, llo, lhi) <= c.rleaf {
			c.cand = append(c.cand, i)
			c.cpts = append(c.cpts, x...)
			c.ccnt = append(c.ccnt, c.cnt[i])
		}
	}
}

// gather collects the reduced distances, row counts and tree positions of
// all points of a tree within a radius of a query point.
type gather struct {
	t     *kdTree
	sp    space
	cnt   []int32
	q     []float64
	r     float64
	rd    []float64
	c     []int32
	id    []int32
	total int
}

// query gathers the points within reduced distance radius of q, the
// point at tree position i.
func (g *gather) query(i int32, q []float64, radius float64) {
	g.q, g.r = q, radius
	g.rd, g.c, g.id, g.total = g.rd[:0], g.c[:0], g.id[:0], 0
	g.visit(g.t.enclosing(i, q, g.sp.toTrue(radius)))
}

func (g *gather) visit(node int32) {
	t := g.t
	lo, hi := t.box(node)
	if g.sp.boxLB(g.q, lo, hi) > g.r {
		return
	}
	if t.left[node] >= 0 {
		g.visit(t.left[node])
		g.visit(t.right[node])
		return
	}
	d := t.d
	euclid := g.sp.metric == Euclidean
	for i := t.start[node]; i < t.end[node]; i++ {
		p := t.pts[int(i)*d : int(i)*d+d]
		var r float64
		if euclid {
			r = distance.SqEuclidean(g.q, p)
		} else {
			r = g.sp.rd(g.q, p)
		}
		if r <= g.r {
			g.rd = append(g.rd, r)
			g.c = append(g.c, g.cnt[i])
			g.id = append(g.id, i)
			g.total += int(g.cnt[i])
		}
	}
}

// weightedSelect returns the k-th and (k-1)-th smallest of a multiset in
// which vals[i] occurs w[i] times (the weights must sum to at least k; the
// second value means nothing when k is 1). It reorders vals and w.
func weightedSelect(vals []float64, w []int32, k int) (kth, kth1 float64) {
	lo, hi := 0, len(vals)
	need := k
	for {
		// three-way partition of [lo, hi) around the median of three
		a, b, c := vals[lo], vals[lo+(hi-lo)/2], vals[hi-1]
		pivot := max(min(a, b), min(max(a, b), c))
		lt, i, gt := lo, lo, hi
		var wl, we int
		for i < gt {
			switch v := vals[i]; {
			case v < pivot:
				vals[lt], vals[i] = v, vals[lt]
				w[lt], w[i] = w[i], w[lt]
				wl += int(w[lt])
				lt++
				i++
			case v > pivot:
				gt--
				vals[gt], vals[i] = v, vals[gt]
				w[gt], w[i] = w[i], w[gt]
			default:
				we += int(w[i])
				i++
			}
		}
		switch {
		case need <= wl:
			hi = lt
		case need <= wl+we:
			// Everything before lt is below the pivot and weighs k-need+wl.
			if need-1 > wl || lt == 0 {
				return pivot, pivot
			}
			return pivot, maxOf(vals[:lt])
		default:
			need -= wl + we
			lo = gt
		}
	}
}

// selectKth2 is weightedSelect with unit weights. The first partition is
// around guess, a value expected near the answer.
func selectKth2(vals []float64, k int, guess float64) (kth, kth1 float64) {
	lo, hi := 0, len(vals)
	need := k
	pivot := guess
	for {
		lt, i, gt := lo, lo, hi
		for i < gt {
			switch v := vals[i]; {
			case v < pivot:
				vals[lt], vals[i] = v, vals[lt]
				lt++
				i++
			case v > pivot:
				gt--
				vals[gt], vals[i] = v, vals[gt]
			default:
				i++
			}
		}
		wl, we := lt-lo, gt-lt
		switch {
		case need <= wl:
			hi = lt
		case need <= wl+we:
			if need-1 > wl || lt == 0 {
				return pivot, pivot
			}
			return pivot, maxOf(vals[:lt])
		default:
			need -= wl + we
			lo = gt
		}
		a, b, c := vals[lo], vals[lo+(hi-lo)/2], vals[hi-1]
		pivot = max(min(a, b), min(max(a, b), c))
	}
}

func maxOf(v []float64) float64 {
	m := v[0]
	for _, x := range v[1:] {
		m = max(m, x)
	}
	return m
}

// bruteCoreDistances is coreDistances without a tree, for the dimensions
// where a k-d tree prunes nothing.
func bruteCoreDistances(ctx context.Context, pts []float64, d int, sp space, cnt []int32, minSamples int, report func(done int)) (core, pred []float64, err error) {
	n := len(cnt)
	core = make([]float64, n)
	pred = make([]float64, n)
	var done atomic.Int64
	err = par.For(ctx, n, 64, func(_, lo, hi int) {
		h := newNearest(minSamples + 1)
		for i := lo; i < hi; i++ {
			h.reset()
			q := pts[i*d : i*d+d]
			for j := range n {
				r := sp.rd(q, pts[j*d:j*d+d])
				if !h.full() || r < h.rd[0] {
					h.push(r, cnt[j], int32(j))
				}
			}
			core[i], pred[i] = h.kth()
		}
		report(int(done.Add(int64(hi - lo))))
	})
	return core, pred, err
}
