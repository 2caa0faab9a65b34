package knn

import (
	"context"
	"math"
	"sync/atomic"

	"github.com/reckon-dev/reckon/analysis/internal/par"
	"github.com/reckon-dev/reckon/internal/randseed"
)

// Nearest-neighbour descent (Dong, Moses and Li 2011, as pynndescent does
// it) improves a rough neighbour graph by the observation that a neighbour
// of a neighbour is likely a neighbour: in each iteration every row
// introduces its candidates (its recent forward and reverse neighbours) to
// each other, and every pair that beats a current neighbour of either end
// replaces it.
//
// Parallel and deterministic: the work of one iteration is cut into blocks
// of rows; within a block, fixed chunks of rows compute distances against
// the heaps as they stood at the start of the block (nothing writes them
// meanwhile) and file the resulting updates by the owner of the row they
// change. Each owner then applies its updates in chunk order. No row is
// touched by two goroutines at once and the order of every heap operation
// is fixed, so the graph is the same for any GOMAXPROCS.

// update offers neighbour q at distance d to row p.
type update struct {
	p, q int32
	d    float32
}

// updater collects updates from generation chunks and applies them by
// owner.
type updater struct {
	h         *heaps
	owners    int
	ownerSize int
	buckets   [][]update // chunk*owners + owner
}

const (
	nOwners   = 32   // ranges of rows whose heaps one goroutine updates
	joinChunk = 128  // rows per generation chunk in the local join
	joinBlock = 1024 // rows whose updates are applied together
	leafChunk = 256  // leaves per generation chunk in the tree initialisation
)

func newUpdater(h *heaps, chunks int) *updater {
	owners := min(nOwners, h.n)
	return &updater{
		h:         h,
		owners:    owners,
		ownerSize: (h.n + owners - 1) / owners,
		buckets:   make([][]update, chunks*owners),
	}
}

// offer files the update for row p made by generation chunk c.
func (u *updater) offer(c int, p, q int32, d float32) {
	b := c*u.owners + int(p)/u.ownerSize
	u.buckets[b] = append(u.buckets[b], update{p, q, d})
}

// apply pushes the updates of chunks [0, chunks) and returns how many
// changed a heap. The buckets are emptied for reuse.
func (u *updater) apply(ctx context.Context, chunks int) (int, error) {
	var changed atomic.Int64
	err := par.For(ctx, u.owners, 1, func(o, _, _ int) {
		n := 0
		for c := range chunks {
			b := c*u.owners + o
			for _, up := range u.buckets[b] {
				if u.h.push(int(up.p), up.d, up.q, 1) {
					n++
				}
			}
			u.buckets[b] = u.buckets[b][:0]
		}
		changed.Add(int64(n))
	})
	return int(changed.Load()), err
}

// descent runs the tree initialisation, random filling and NN-descent
// iterations, reporting each step through step.
func descent(ctx context.Context, m *matrix, dist func(a, b []float32) float32, s *Settings, trees []*rpTree, step func()) (*heaps, error) {
	n, k := m.n, s.K
	h := newHeaps(n, k)
	for i := range n {
		// Each row is its own nearest neighbour, as in umap-learn's graphs;
		// entered first, it is never evicted.
		h.push(i, 0, int32(i), 0)
	}
	if err := initFromTrees(ctx, m, dist, h, trees); err != nil {
		return nil, err
	}
	if err := initRandom(ctx, m, dist, h, s.Seed); err != nil {
		return nil, err
	}
	step()
	maxc := s.MaxCandidates
	newCand := make([]int32, n*maxc)
	oldCand := make([]int32, n*maxc)
	rev := &reverse{start: make([]int32, n+1), src: make([]int32, n*k), flag: make([]uint8, n*k)}
	blocks := par.Chunks(n, joinBlock)
	chunksPerBlock := par.Chunks(joinBlock, joinChunk)
	u := newUpdater(h, chunksPerBlock)
	for it := range s.NIters {
		rev.build(h)
		if err := buildCandidates(ctx, h, rev, newCand, oldCand, maxc, randseed.Mix(s.Seed, uint64(it))); err != nil {
			return nil, err
		}
		changed := 0
		for b := range blocks {
			lo, hi := b*joinBlock, min((b+1)*joinBlock, n)
			chunks := par.Chunks(hi-lo, joinChunk)
			err := par.For(ctx, hi-lo, joinChunk, func(c, clo, chi int) {
				for v := lo + clo; v < lo+chi; v++ {
					localJoin(m, dist, h, u, c, newCand[v*maxc:(v+1)*maxc], oldCand[v*maxc:(v+1)*maxc])
				}
			})
			if err != nil {
				return nil, err
			}
			nc, err := u.apply(ctx, chunks)
			if err != nil {
				return nil, err
			}
			changed += nc
		}
		step()
		if float64(changed) <= s.Delta*float64(k)*float64(n) {
			break
		}
	}
	return h, nil
}

// localJoin compares every pair of new candidates, and every new with every
// old candidate, of one row, offering each pair that would improve either
// end's heap.
func localJoin(m *matrix, dist func(a, b []float32) float32, h *heaps, u *updater, c int, newC, oldC []int32) {
	for a, p := range newC {
		if p < 0 {
			break
		}
		xp := m.row(int(p))
		tp := h.worst(int(p))
		for _, q := range newC[a+1:] {
			if q < 0 {
				break
			}
			d := dist(xp, m.row(int(q)))
			if d < tp {
				u.offer(c, p, q, d)
			}
			if d < h.worst(int(q)) {
				u.offer(c, q, p, d)
			}
		}
		for _, q := range oldC {
			if q < 0 {
				break
			}
			if q == p {
				continue
			}
			d := dist(xp, m.row(int(q)))
			if d < tp {
				u.offer(c, p, q, d)
			}
			if d < h.worst(int(q)) {
				u.offer(c, q, p, d)
			}
		}
	}
}

// reverse lists, for every row v, the rows u whose heaps hold v, with the
// flag of that entry, in increasing u.
type reverse struct {
	start []int32
	src   []int32
	flag  []uint8
}

func (r *reverse) build(h *heaps) {
	n, k := h.n, h.k
	clear(r.start)
	for p, j := range h.idx {
		if j >= 0 && int(j) != p/k {
			r.start[j+1]++
		}
	}
	for v := range n {
		r.start[v+1] += r.start[v]
	}
	next := make([]int32, n)
	copy(next, r.start[:n])
	for p, j := range h.idx {
		if j >= 0 && int(j) != p/k {
			r.src[next[j]] = int32(p / k)
			r.flag[next[j]] = h.flag[p]
			next[j]++
		}
	}
}

// buildCandidates chooses for every row up to maxc new and maxc old
// candidates among its forward and reverse neighbours, keeping those of
// smallest random priority, and marks the forward neighbours chosen as new
// candidates as used. The priority of an edge is a hash of its ends, so
// both ends of an edge see the same priority, as in pynndescent.
func buildCandidates(ctx context.Context, h *heaps, r *reverse, newCand, oldCand []int32, maxc int, seed uint64) error {
	k := h.k
	return par.For(ctx, h.n, 1024, func(_, lo, hi int) {
		newPri := make([]uint64, maxc)
		oldPri := make([]uint64, maxc)
		for v := lo; v < hi; v++ {
			nc := candHeap{idx: newCand[v*maxc : (v+1)*maxc], pri: newPri}
			oc := candHeap{idx: oldCand[v*maxc : (v+1)*maxc], pri: oldPri}
			nc.reset()
			oc.reset()
			for p := v * k; p < (v+1)*k; p++ {
				j := h.idx[p]
				if j < 0 || int(j) == v {
					continue
				}
				pri := randseed.Mix(seed, uint64(v)<<32|uint64(j))
				if h.flag[p] != 0 {
					nc.push(pri, j)
				} else {
					oc.push(pri, j)
				}
			}
			for e := r.start[v]; e < r.start[v+1]; e++ {
				u := r.src[e]
				pri := randseed.Mix(seed, uint64(u)<<32|uint64(v))
				if r.flag[e] != 0 {
					nc.push(pri, u)
				} else {
					oc.push(pri, u)
				}
			}
			nc.compact()
			oc.compact()
			for p := v * k; p < (v+1)*k; p++ {
				if h.flag[p] == 0 {
					continue
				}
				for _, c := range nc.idx {
					if c < 0 {
						break
					}
					if c == h.idx[p] {
						h.flag[p] = 0
						break
					}
				}
			}
		}
	})
}

// candHeap keeps the candidates of smallest priority in a max-heap.
type candHeap struct {
	idx []int32
	pri []uint64
}

func (c *candHeap) reset() {
	for i := range c.idx {
		c.idx[i] = -1
		c.pri[i] = math.MaxUint64
	}
}

func (c *candHeap) push(pri uint64, j int32) {
	if pri >= c.pri[0] {
		return
	}
	for _, x := range c.idx {
		if x == j {
			return
		}
	}
	n := len(c.idx)
	p := 0
	for {
		ch := 2*p + 1
		if ch >= n {
			break
		}
		if ch+1 < n && c.pri[ch+1] > c.pri[ch] {
			ch++
		}
		if c.pri[ch] <= pri {
			break
		}
		c.pri[p], c.idx[p] = c.pri[ch], c.idx[ch]
		p = ch
	}
	c.pri[p], c.idx[p] = pri, j
}

// compact moves the empty slots to the end, so that loops over the
// candidates can stop at the first -1.
func (c *candHeap) compact() {
	w := 0
	for _, x := range c.idx {
		if x >= 0 {
			c.idx[w] = x
			w++
		}
	}
	for ; w < len(c.idx); w++ {
		c.idx[w] = -1
	}
}

// initFromTrees offers every pair of rows that share a leaf.
func initFromTrees(ctx context.Context, m *matrix, dist func(a, b []float32) float32, h *heaps, trees []*rpTree) error {
	var leaves [][]int32
	for _, t := range trees {
		t.leaves(func(rows []int32) { leaves = append(leaves, rows) })
	}
	const leafBlock = 16 * leafChunk
	u := newUpdater(h, leafBlock/leafChunk)
	for lo := 0; lo < len(leaves); lo += leafBlock {
		block := leaves[lo:min(lo+leafBlock, len(leaves))]
		chunks := par.Chunks(len(block), leafChunk)
		err := par.For(ctx, len(block), leafChunk, func(c, clo, chi int) {
			for _, leaf := range block[clo:chi] {
				for a, p := range leaf {
					xp := m.row(int(p))
					for _, q := range leaf[a+1:] {
						d := dist(xp, m.row(int(q)))
						if d < h.worst(int(p)) {
							u.offer(c, p, q, d)
						}
						if d < h.worst(int(q)) {
							u.offer(c, q, p, d)
						}
					}
				}
			}
		})
		if err != nil {
			return err
		}
		if _, err := u.apply(ctx, chunks); err != nil {
			return err
		}
	}
	return nil
}

// initRandom fills the empty slots of every heap with random rows, each
// row drawing from its own stream.
func initRandom(ctx context.Context, m *matrix, dist func(a, b []float32) float32, h *heaps, seed uint64) error {
	return par.For(ctx, h.n, 1024, func(_, lo, hi int) {
		for i := lo; i < hi; i++ {
			missing := 0
			for p := i * h.k; p < (i+1)*h.k; p++ {
				if h.idx[p] < 0 {
					missing++
				}
			}
			if missing == 0 {
				continue
			}
			rng := stream(seed, tagRandomInit, uint64(i))
			xi := m.row(i)
			for try := 0; missing > 0 && try < 4*h.k; try++ {
				j := rng.IntN(h.n)
				if h.push(i, dist(xi, m.row(j)), int32(j), 1) {
					missing--
				}
			}
		}
	})
}
