package gbt

import (
	"context"
	"math"
	"sync"

	"github.com/reckon-dev/reckon/analysis/internal/par"
)

// gpair is a gradient and a hessian in fixed point. Sums of integers do
// not depend on the order they are added in, so histograms come out the
// same whatever the parallel split of the work, and histogram subtraction
// is exact.
type gpair struct{ g, h int64 }

func (a gpair) add(b gpair) gpair { return gpair{a.g + b.g, a.h + b.h} }
func (a gpair) sub(b gpair) gpair { return gpair{a.g - b.g, a.h - b.h} }

// rowStore holds the sparse rows of every feature block in some order of
// the training rows ("positions"): block b of position i is
// codes[b][off[b][i]:off[b][i+1]].
type rowStore struct {
	off   [][]uint32
	codes [][]uint16
}

// grower grows the trees of one training run. While a tree grows, the
// rows of each node occupy a contiguous range of positions, and the
// sparse rows themselves are moved along with every split (into the other
// of two buffers), so that building a histogram reads memory in order
// however small and scattered the node's rows are.
type grower struct {
	ds *Dataset
	p  params

	m       int      // number of training rows
	baseRow []int32  // the training rows, ascending: positions at the root
	base    rowStore // their sparse rows in that order
	work    [2]rowStore

	grad         []gpair // per dataset row, for the current tree
	gUnit, hUnit float64 // the value of one fixed-point step
	gf, hf       []float64

	prow    []int32 // per position: the dataset row
	pgrad   []gpair // per position: its gradient pair
	perm    []int32 // per position: where it was before the last reorder
	tmpRow  []int32
	tmpGrad []gpair
	tmpPerm []int32
	goLeft  []bool

	feats     []bool // features the current tree may split on
	blockUsed []bool // blocks holding at least one of them
	blocks    []int  // the indices of those blocks

	pool    [][]gpair // free histograms
	scratch sync.Pool
}

func newGrower(ds *Dataset, p params, use []int32) *grower {
	nb := len(ds.off)
	m := len(use)
	g := &grower{
		ds: ds, p: p, m: m,
		baseRow:   use,
		grad:      make([]gpair, ds.n),
		gf:        make([]float64, ds.n),
		hf:        make([]float64, ds.n),
		prow:      make([]int32, m),
		pgrad:     make([]gpair, m),
		perm:      make([]int32, m),
		tmpRow:    make([]int32, m),
		tmpGrad:   make([]gpair, m),
		tmpPerm:   make([]int32, m),
		goLeft:    make([]bool, m),
		feats:     make([]bool, ds.d),
		blockUsed: make([]bool, nb),
	}
	g.scratch.New = func() any { s := make([]gpair, ds.block*ds.stride); return &s }
	if m == ds.n {
		g.base = rowStore{off: ds.off, codes: ds.codes}
	} else {
		g.base = rowStore{off: make([][]uint32, nb), codes: make([][]uint16, nb)}
		for b := 0; b < nb; b++ {
			off := make([]uint32, m+1)
			total := 0
			for i, r := range use {
				total += int(ds.off[b][r+1] - ds.off[b][r])
				off[i+1] = uint32(total)
			}
			codes := make([]uint16, 0, total)
			for _, r := range use {
				codes = append(codes, ds.codes[b][ds.off[b][r]:ds.off[b][r+1]]...)
			}
			g.base.off[b], g.base.codes[b] = off, codes
		}
	}
	for i := range g.work {
		g.work[i] = rowStore{off: make([][]uint32, nb), codes: make([][]uint16, nb)}
		for b := 0; b < nb; b++ {
			g.work[i].off[b] = make([]uint32, m+1)
			g.work[i].codes[b] = make([]uint16, len(g.base.codes[b]))
		}
	}
	return g
}

// node is a node of the tree being grown.
type node struct {
	id         int32
	begin, end int // its positions
	mid        int // after partition: the left child's positions are [begin, mid)
	sum        gpair
	hist       []gpair
	best       split
}

// split is a candidate split. Slots below bin go left; missing values go
// to defaultLeft.
type split struct {
	loss        float64
	feature     int
	bin         int
	defaultLeft bool
	threshold   float32
	left, right gpair
}

// replaces reports whether a candidate with loss change loss on feature f
// beats s, breaking ties towards the lower feature index as XGBoost does.
func (s *split) replaces(loss float64, f int) bool {
	if math.IsInf(loss, 0) || math.IsNaN(loss) {
		return false
	}
	if s.feature <= f {
		return loss > s.loss
	}
	return !(s.loss > loss)
}

func (s *split) merge(o split) {
	if s.replaces(o.loss, o.feature) {
		*s = o
	}
}

// kRtEps is the smallest loss change XGBoost accepts for a split.
const kRtEps = 1e-6

func (g *grower) valid(w *node) bool {
	b := &w.best
	return b.loss > kRtEps && b.left.h != 0 && b.right.h != 0 && b.loss >= g.p.gamma
}

func (g *grower) gain(gs, hs float64) float64 {
	if hs <= 0 {
		return 0
	}
	t := thresholdL1(gs, g.p.alpha)
	return t * t / (hs + g.p.lambda)
}

func (g *grower) weight(s gpair) float64 {
	gs, hs := float64(s.g)*g.gUnit, float64(s.h)*g.hUnit
	if hs < g.p.minChildWeight || hs <= 0 {
		return 0
	}
	return -thresholdL1(gs, g.p.alpha) / (hs + g.p.lambda)
}

func thresholdL1(w, alpha float64) float64 {
	switch {
	case w > alpha:
		return w - alpha
	case w < -alpha:
		return w + alpha
	}
	return 0
}

func (g *grower) newNode(s gpair) Node {
	return Node{
		Left: -1, Right: -1,
		Value: float32(g.p.eta * g.weight(s)),
		Cover: float64(s.h) * g.hUnit,
	}
}

func (g *grower) getHist() []gpair {
	if k := len(g.pool); k > 0 {
		h := g.pool[k-1]
		g.pool = g.pool[:k-1]
		return h
	}
	return make([]gpair, g.ds.d*g.ds.stride)
}

func (g *grower) putHist(w *node) {
	if w.hist != nil {
		g.pool = append(g.pool, w.hist)
		w.hist = nil
	}
}

// grow builds one tree depth-wise and returns it with its leaves, whose
// position ranges index g.prow.
func (g *grower) grow(ctx context.Context) (Tree, []*node, error) {
	copy(g.prow, g.baseRow)
	var total gpair
	for i, r := range g.prow {
		g.pgrad[i] = g.grad[r]
		total = total.add(g.grad[r])
	}
	nodes := []Node{g.newNode(total)}
	root := &node{id: 0, begin: 0, end: g.m, sum: total}
	level := []*node{root}
	var leaves []*node
	// Histograms go back to the pool whatever happens, for the next tree.
	defer func() {
		for _, w := range level {
			g.putHist(w)
		}
	}()

	// src holds the sparse rows in position order, or, when moved is
	// false, in the order before the last reorder (see perm).
	src, moved := g.base, true
	if g.p.maxDepth > 0 {
		root.hist = g.getHist()
		if err := g.buildAndEvaluate(ctx, src, []*node{root}, []*node{nil}, nil); err != nil {
			return Tree{}, nil, err
		}
	}
	for depth := 0; ; depth++ {
		if depth == g.p.maxDepth {
			leaves = append(leaves, level...)
			break
		}
		var parents []*node
		for _, w := range level {
			if g.valid(w) {
				parents = append(parents, w)
			} else {
				leaves = append(leaves, w)
				g.putHist(w)
			}
		}
		if len(parents) == 0 {
			break
		}
		// Children below the last level get no histogram. Children on the
		// last level that does get theirs straight from the parents'
		// rows, which need not move: their own children will not be
		// built from rows.
		more := depth+1 < g.p.maxDepth
		moveRows := depth+2 < g.p.maxDepth
		dst := g.work[depth%2]
		if err := g.decide(ctx, parents, src, moved); err != nil {
			return Tree{}, nil, err
		}
		if moveRows {
			if err := g.moveRows(ctx, parents, src, dst); err != nil {
				return Tree{}, nil, err
			}
		}
		next := make([]*node, 0, 2*len(parents))
		var small, big []*node
		for _, w := range parents {
			b := w.best
			li := int32(len(nodes))
			nd := &nodes[w.id]
			nd.Left, nd.Right = li, li+1
			nd.Feature, nd.Threshold, nd.DefaultLeft = int32(b.feature), b.threshold, b.defaultLeft
			nd.Gain = b.loss
			nd.Value = float32(g.weight(w.sum)) // XGBoost's base weight: no learning rate
			nodes = append(nodes, g.newNode(b.left), g.newNode(b.right))
			l := &node{id: li, begin: w.begin, end: w.mid, sum: b.left}
			r := &node{id: li + 1, begin: w.mid, end: w.end, sum: b.right}
			next = append(next, l, r)
			if !more {
				g.putHist(w)
				continue
			}
			// The child with fewer rows gets a histogram built from its
			// rows; the other takes over the parent's and becomes parent
			// minus sibling.
			s, t := l, r
			if r.end-r.begin < l.end-l.begin {
				s, t = r, l
			}
			s.hist = g.getHist()
			t.hist, w.hist = w.hist, nil
			small, big = append(small, s), append(big, t)
		}
		level = next
		switch {
		case moveRows:
			if err := g.reorder(ctx, parents); err != nil {
				return Tree{}, nil, err
			}
			if err := g.buildAndEvaluate(ctx, dst, small, big, nil); err != nil {
				return Tree{}, nil, err
			}
			src = dst
		case more:
			if err := g.buildAndEvaluate(ctx, src, small, big, parents); err != nil {
				return Tree{}, nil, err
			}
			fallthrough
		default:
			if err := g.reorder(ctx, parents); err != nil {
				return Tree{}, nil, err
			}
			moved = false
		}
	}
	return Tree{Nodes: nodes}, leaves, nil
}

// decide sends every position of every node in parents left or right
// (g.goLeft) by its split, and sets the node's mid. Unless moved, the rows
// in src are in the order before the last reorder, and position i's row
// is src's position perm[i].
func (g *grower) decide(ctx context.Context, parents []*node, src rowStore, moved bool) error {
	ds := g.ds
	return par.For(ctx, len(parents), 1, func(k, _, _ int) {
		w := parents[k]
		f := w.best.feature
		b := f / ds.block
		lo := uint16((f - b*ds.block) * ds.stride)
		miss := ds.nbins[f]
		off, codes := src.off[b], src.codes[b]
		def := int(ds.defSlot[f])
		nl := 0
		for i := w.begin; i < w.end; i++ {
			j := i
			if !moved {
				j = int(g.perm[i])
			}
			s := slotIn(codes[off[j]:off[j+1]], lo, lo+uint16(miss), def)
			left := s < w.best.bin
			if s == miss {
				left = w.best.defaultLeft
			}
			g.goLeft[i] = left
			if left {
				nl++
			}
		}
		w.mid = w.begin + nl
	})
}

// reorder puts the positions of every node in parents in the order
// decide chose: its left rows, then its right rows, each in their former
// order (so the result does not depend on scheduling), and records in perm
// where each came from.
func (g *grower) reorder(ctx context.Context, parents []*node) error {
	return par.For(ctx, len(parents), 1, func(k, _, _ int) {
		w := parents[k]
		l, r := w.begin, w.begin
		for i := w.begin; i < w.end; i++ {
			if g.goLeft[i] {
				g.prow[l], g.pgrad[l], g.perm[l] = g.prow[i], g.pgrad[i], int32(i)
				l++
			} else {
				g.tmpRow[r], g.tmpGrad[r], g.tmpPerm[r] = g.prow[i], g.pgrad[i], int32(i)
				r++
			}
		}
		copy(g.prow[l:w.end], g.tmpRow[w.begin:r])
		copy(g.pgrad[l:w.end], g.tmpGrad[w.begin:r])
		copy(g.perm[l:w.end], g.tmpPerm[w.begin:r])
	})
}

// moveRows copies the sparse rows of the used blocks from src to dst in
// the order decide chose.
func (g *grower) moveRows(ctx context.Context, parents []*node, src, dst rowStore) error {
	nb := len(g.blocks)
	err := par.For(ctx, len(parents)*nb, 1, func(i, _, _ int) {
		w, b := parents[i/nb], g.blocks[i%nb]
		so, sc := src.off[b], src.codes[b]
		do, dc := dst.off[b], dst.codes[b]
		k := so[w.begin]
		p := w.begin
		// Runs of consecutive positions going the same way are contiguous
		// in src, and move with one copy.
		for pass := 0; pass < 2; pass++ {
			wantLeft := pass == 0
			for i := w.begin; i < w.end; {
				if g.goLeft[i] != wantLeft {
					i++
					continue
				}
				j := i + 1
				for j < w.end && g.goLeft[j] == wantLeft {
					j++
				}
				shift := k - so[i]
				for q := i; q < j; q++ {
					do[p] = so[q] + shift
					p++
				}
				k += uint32(copy(dc[k:], sc[so[i]:so[j]]))
				i = j
			}
		}
	})
	if err != nil {
		return err
	}
	// Each task wrote the offsets of its own positions only; the offsets
	// that close a range come from the source.
	for _, w := range parents {
		for _, b := range g.blocks {
			dst.off[b][w.end] = src.off[b][w.end]
		}
	}
	return nil
}

// slotIn finds the slot of the feature whose codes lie in [lo, hi] among
// one row's sorted block codes; def when the row stores none.
func slotIn(codes []uint16, lo, hi uint16, def int) int {
	// Short rows are scanned, long ones searched.
	if len(codes) > 16 {
		i, j := 0, len(codes)
		for i < j {
			h := int(uint(i+j) >> 1)
			if codes[h] < lo {
				i = h + 1
			} else {
				j = h
			}
		}
		codes = codes[i:]
	}
	for _, c := range codes {
		if c > hi {
			break
		}
		if c >= lo {
			return int(c - lo)
		}
	}
	return def
}
