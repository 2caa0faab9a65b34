package umap

import (
	"context"
	"math"
	"math/bits"

	"github.com/reckon-dev/reckon/analysis/internal/par"
	"github.com/reckon-dev/reckon/analysis/progress"
	"github.com/reckon-dev/reckon/internal/distance"
	"github.com/reckon-dev/reckon/internal/randseed"
)

// Stochastic gradient descent on the fuzzy cross entropy, as umap-learn's
// optimize_layout_euclidean: each edge is sampled in proportion to its
// weight (every max/w epochs), pulling its ends together, and each sample
// is followed by negativeSampleRate pushes of the head away from random
// points; gradient components are clipped at 4 and the learning rate
// decays linearly to zero.
//
// umap-learn lets threads update the shared embedding without
// synchronisation, and falls back to one thread when seeded. Here the
// points are numbered so that neighbours get nearby numbers (see
// localityOrder) and cut into a fixed number of chunks, independent of
// GOMAXPROCS. Within an epoch each chunk is one goroutine's: it moves its
// points in place in edge order, exactly as umap-learn's loop does,
// including the tail of an edge when the tail is its own point. Points of
// other chunks it reads from a snapshot taken at the start of the epoch,
// and the moves it owes them it files, to be applied after the epoch in
// chunk order. Random numbers come from a stream per point and epoch.
// Nothing is written while another goroutine may read it and every update
// happens in a fixed order, so the result is identical for any GOMAXPROCS;
// and since most edges stay within a chunk, the optimisation behaves like
// umap-learn's sequential loop (measured on MNIST: the same
// trustworthiness, where a snapshot for all reads lost 0.004 and a doubled
// pull of the head in place of the tail move 0.006).
//
// The negative samples that follow one edge sample are all computed from
// the same head position, against the snapshot, and applied together: they
// are independent then, so the processor overlaps them instead of waiting
// for each update in turn, and a push from a random, mostly distant point
// moves the head too little for the order or an epoch's staleness to
// matter (measured: no loss).

// layoutChunks is the number of chunks of head points. It fixes the result
// and bounds the cores the optimisation uses (16; a smaller number would
// keep more edges within a chunk but idle larger machines).
const layoutChunks = 16

type layout struct {
	n, dim int
	head   []float32 // positions being optimised, n x dim
	// Fitting: snap holds the positions at the start of the epoch, and the
	// tails are heads. Transforming: tails are the fixed training positions.
	snap  []float32
	fixed []float32
	nTail int
	start []int // edges of head i: start[i] to start[i+1]
	to    []int32
	// Per edge: the epochs between samples, the epoch of the next sample
	// (the only array read every epoch, so kept small), and the negative
	// samples drawn so far.
	eps, next []float32
	drawn     []int32
	k         *kernel
	negRate   float64
	chunk     int     // heads per chunk when fitting
	moves     []moves // owed tail moves, [source chunk * layoutChunks + target chunk]
	fit       bool    // optimising an embedding against itself
}

// moves lists moves owed to points of another chunk.
type moves struct {
	j     []int32
	delta []float32 // dim values per move
}

// newLayout prepares the sampling schedule of the edges of g: the
// heaviest edge is sampled every epoch, an edge of weight w every max/w
// epochs. The layout shares g's structure.
func newLayout(g *csr, dim int, negRate float64) *layout {
	var maxW float32
	for _, w := range g.val {
		maxW = max(maxW, w)
	}
	m := len(g.col)
	l := &layout{n: g.n, dim: dim, start: g.start, to: g.col, negRate: negRate,
		eps: make([]float32, m), next: make([]float32, m), drawn: make([]int32, m)}
	for e, w := range g.val {
		l.eps[e] = maxW / w
		l.next[e] = l.eps[e]
	}
	return l
}

// forFit sets the layout up to optimise head against itself.
func (l *layout) forFit(head []float32) {
	l.fit, l.head, l.nTail = true, head, l.n
	l.snap = make([]float32, len(head))
	l.chunk = (l.n + layoutChunks - 1) / layoutChunks
	l.moves = make([]moves, layoutChunks*layoutChunks)
}

// forTransform sets the layout up to move head against the fixed tails.
func (l *layout) forTransform(head, fixed []float32) {
	l.head, l.fixed, l.nTail = head, fixed, len(fixed)/l.dim
	l.chunk = 256
}

// hold keeps head i where it is: none of its edges ever falls due, so it
// is neither pulled nor pushed, and the other heads' schedules are as
// they were.
func (l *layout) hold(i int) {
	for e := l.start[i]; e < l.start[i+1]; e++ {
		l.next[e] = float32(math.Inf(1))
	}
}

// clip bounds a gradient component to [-4, 4], as umap-learn does. It
// compares and branches (rarely taken) rather than use Go's float min and
// max, which also order NaNs and signed zeros, at a cost in this loop.
func clip(v float32) float32 {
	if v > 4 {
		return 4
	}
	if v < -4 {
		return -4
	}
	return v
}

// run optimises for nEpochs epochs from learning rate alpha0, reporting
// phase "epochs".
func (l *layout) run(ctx context.Context, nEpochs int, alpha0 float64, seed uint64, report progress.Func) error {
	alpha := alpha0
	for epoch := range nEpochs {
		if l.fit {
			copy(l.snap, l.head)
		}
		epochSeed := randseed.Mix(seed, uint64(epoch))
		a := float32(alpha)
		err := par.For(ctx, l.n, l.chunk, func(c, lo, hi int) {
			if l.dim == 2 {
				for i := lo; i < hi; i++ {
					l.moveHead2(i, c, lo, hi, float64(epoch), a, epochSeed)
				}
				return
			}
			g := make([]float32, l.dim)
			for i := lo; i < hi; i++ {
				l.moveHead(i, c, lo, hi, float64(epoch), a, epochSeed, g)
			}
		})
		if err != nil {
			return err
		}
		if l.fit {
			if err := l.settle(ctx); err != nil {
				return err
			}
		}
		alpha = alpha0 * (1 - float64(epoch)/float64(nEpochs))
		report.Report("epochs", epoch+1, nEpochs)
	}
	return nil
}

// settle applies the moves owed between chunks, each target chunk taking
// them in source chunk order.
func (l *layout) settle(ctx context.Context) error {
	dim := l.dim
	return par.For(ctx, layoutChunks, 1, func(t, _, _ int) {
		for c := range layoutChunks {
			mv := &l.moves[c*layoutChunks+t]
			for q, j := range mv.j {
				p := l.head[int(j)*dim : int(j+1)*dim]
				for d := range p {
					p[d] += mv.delta[q*dim+d]
				}
			}
			mv.j, mv.delta = mv.j[:0], mv.delta[:0]
		}
	})
}

// owe files a move of point j (of another chunk) by -g, from chunk c.
func (l *layout) owe(c, j int, g []float32) {
	mv := &l.moves[c*layoutChunks+j/l.chunk]
	mv.j = append(mv.j, int32(j))
	for _, v := range g {
		mv.delta = append(mv.delta, -v)
	}
}

// negatives returns how many negative samples edge e draws in epoch n,
// and counts them: umap-learn's schedule, in which an edge has drawn
// floor(n negRate / eps) - 1 negative samples by its sample in epoch n.
func (l *layout) negatives(e int, n float64) int {
	k := int(n*l.negRate/float64(l.eps[e])) - 1 - int(l.drawn[e])
	if k <= 0 {
		return 0
	}
	l.drawn[e] += int32(k)
	return k
}

// point returns where head i (of the chunk [lo, hi)) sees point j: live
// within its chunk, else from the snapshot (fitting) or the fixed tails
// (transforming).
func (l *layout) point(j, lo, hi int) (p []float32, own bool) {
	dim := l.dim
	switch {
	case !l.fit:
		return l.fixed[j*dim : (j+1)*dim : (j+1)*dim], false
	case j >= lo && j < hi:
		return l.head[j*dim : (j+1)*dim : (j+1)*dim], true
	}
	return l.snap[j*dim : (j+1)*dim : (j+1)*dim], false
}

// away returns where a negative sample sees point k: the snapshot when
// fitting (even for the head's own chunk: repulsion from random points is
// insensitive to an epoch's staleness, and the read needs no branch), the
// fixed tails when transforming.
func (l *layout) away(k int) []float32 {
	dim := l.dim
	if l.fit {
		return l.snap[k*dim : (k+1)*dim : (k+1)*dim]
	}
	return l.fixed[k*dim : (k+1)*dim : (k+1)*dim]
}

// moveHead applies the samples of head i, of chunk c = [lo, hi), due in
// epoch n; g is scratch space of dim values.
func (l *layout) moveHead(i, c, lo, hi int, n float64, alpha float32, epochSeed uint64, g []float32) {
	dim := l.dim
	cur := l.head[i*dim : (i+1)*dim : (i+1)*dim]
	var rng wyrand
	seeded := false
	for e := l.start[i]; e < l.start[i+1]; e++ {
		if l.next[e] > float32(n) {
			continue
		}
		j := int(l.to[e])
		other, own := l.point(j, lo, hi)
		if d2 := distance.SqEuclidean(cur, other); d2 > 0 {
			coef := lookup(l.k.attract, d2)
			for d := range cur {
				g[d] = clip(coef*(cur[d]-other[d])) * alpha
				cur[d] += g[d]
			}
			switch {
			case own:
				for d := range other {
					other[d] -= g[d]
				}
			case l.fit:
				l.owe(c, j, g)
			}
		}
		l.next[e] += l.eps[e]
		nNeg := l.negatives(e, n)
		if nNeg > 0 && !seeded {
			rng = wyrand(randseed.Mix(epochSeed, uint64(i)))
			seeded = true
		}
		clear(g)
		for range nNeg {
			k := rng.intn(l.nTail)
			if l.fit && k == i {
				continue
			}
			other := l.away(k)
			if d2 := distance.SqEuclidean(cur, other); d2 > 0 {
				coef := lookup(l.k.repel, d2)
				for d := range cur {
					g[d] += clip(coef * (cur[d] - other[d]))
				}
			}
		}
		for d := range cur {
			cur[d] += g[d] * alpha
		}
	}
}

// moveHead2 is moveHead for two dimensions, with the head's coordinates in
// registers; the arithmetic is the same, in the same order.
func (l *layout) moveHead2(i, c, lo, hi int, n float64, alpha float32, epochSeed uint64) {
	head := l.head
	x, y := head[2*i], head[2*i+1]
	attract, repel := l.k.attract, l.k.repel
	var rng wyrand
	seeded := false
	next, nf := l.next, float32(n)
	for e := l.start[i]; e < l.start[i+1]; e++ {
		if next[e] > nf {
			continue
		}
		j := int(l.to[e])
		other, own := l.point(j, lo, hi)
		dx, dy := x-other[0], y-other[1]
		if d2 := dx*dx + dy*dy; d2 > 0 {
			coef := lookup(attract, d2)
			gx, gy := clip(coef*dx)*alpha, clip(coef*dy)*alpha
			x += gx
			y += gy
			switch {
			case own:
				other[0] -= gx
				other[1] -= gy
			case l.fit:
				l.owe(c, j, []float32{gx, gy})
			}
		}
		next[e] += l.eps[e]
		nNeg := l.negatives(e, n)
		if nNeg > 0 && !seeded {
			rng = wyrand(randseed.Mix(epochSeed, uint64(i)))
			seeded = true
		}
		var gx, gy float32
		for range nNeg {
			k := rng.intn(l.nTail)
			if l.fit && k == i {
				continue
			}
			other := l.away(k)
			dx, dy := x-other[0], y-other[1]
			if d2 := dx*dx + dy*dy; d2 > 0 {
				coef := lookup(repel, d2)
				gx += clip(coef * dx)
				gy += clip(coef * dy)
			}
		}
		x += gx * alpha
		y += gy * alpha
	}
	head[2*i], head[2*i+1] = x, y
}

// wyrand is a small fast generator (Wang Yi's wyrand); one per head and
// epoch keeps the streams independent of scheduling.
type wyrand uint64

func (r *wyrand) next() uint64 {
	*r += 0xa0761d6478bd642f
	hi, lo := bits.Mul64(uint64(*r), uint64(*r)^0xe7037ed1a0b428db)
	return hi ^ lo
}

// intn returns a number in [0, n) by Lemire's multiply-shift.
func (r *wyrand) intn(n int) int {
	hi, _ := bits.Mul64(r.next(), uint64(n))
	return int(hi)
}
