package gbt

import (
	"context"
	"runtime"
	"sync"

	"github.com/reckon-dev/reckon/analysis/internal/par"
)

// histTask accumulates positions [lo, hi) into the slots of feature
// block b of small[k]'s histogram: all of them, or with filtered only
// those whose g.goLeft is want.
type histTask struct {
	k, b, lo, hi int
	chunks       int // how many tasks share (k, b)
	filtered     bool
	want         bool
}

// pairState collects the chunks of one (node, block) histogram.
type pairState struct {
	mu   sync.Mutex
	done int
}

// buildAndEvaluate builds the histograms of the nodes in small from their
// rows in store, turns big[k] (when set, holding the histogram of
// small[k]'s parent) into the histogram of small[k]'s sibling by
// subtraction, and finds the best split of every one of them. Each feature
// block is finished in one go while its slots are in cache.
//
// With parents set, the rows have not been partitioned yet: small[k]'s
// rows are those of parents[k]'s positions that go its way.
func (g *grower) buildAndEvaluate(ctx context.Context, store rowStore, small, big, parents []*node) error {
	ds := g.ds
	nb := len(ds.off)
	blocks := g.blocks
	pairs := len(small) * len(blocks)
	// Rows are cut into chunks only when there are too few (node, block)
	// pairs to keep every core busy. Integer sums make the result the same
	// however the rows are cut.
	target := 4 * runtime.GOMAXPROCS(0)
	chunkRows := 0
	if pairs < target {
		total := 0
		for _, w := range small {
			total += w.end - w.begin
		}
		chunkRows = max(8192, (total*len(blocks)+target-1)/target)
	}
	var tasks []histTask
	for k, w := range small {
		t := histTask{k: k, lo: w.begin, hi: w.end}
		if parents != nil {
			p := parents[k]
			t.lo, t.hi, t.filtered, t.want = p.begin, p.end, true, w.begin == p.begin
		}
		for _, b := range blocks {
			t.b = b
			n := t.hi - t.lo
			if chunkRows == 0 || n <= chunkRows {
				t.chunks = 1
				tasks = append(tasks, t)
				continue
			}
			c := t
			c.chunks = (n + chunkRows - 1) / chunkRows
			for lo := t.lo; lo < t.hi; lo += chunkRows {
				c.lo, c.hi = lo, min(lo+chunkRows, t.hi)
				tasks = append(tasks, c)
			}
		}
	}
	parentGain := func(w *node) float64 {
		return g.gain(float64(w.sum.g)*g.gUnit, float64(w.sum.h)*g.hUnit)
	}
	gains := make([]float64, 2*len(small))
	for k := range small {
		gains[2*k] = parentGain(small[k])
		if big[k] != nil {
			gains[2*k+1] = parentGain(big[k])
		}
	}
	best := make([]split, 2*len(small)*nb)
	states := make([]pairState, len(small)*nb)

	finish := func(k, b int) {
		w := small[k]
		g.fillDefaults(w, b)
		if big[k] != nil {
			src, dst := g.region(w.hist, b), g.region(big[k].hist, b)
			for j := range dst {
				dst[j] = dst[j].sub(src[j])
			}
		}
		f0, f1 := b*ds.block, min((b+1)*ds.block, ds.d)
		for f := f0; f < f1; f++ {
			if !g.feats[f] {
				continue
			}
			g.evalFeature(w, f, gains[2*k], &best[(2*k)*nb+b])
			if big[k] != nil {
				g.evalFeature(big[k], f, gains[2*k+1], &best[(2*k+1)*nb+b])
			}
		}
	}
	err := par.For(ctx, len(tasks), 1, func(i, _, _ int) {
		t := tasks[i]
		dst := g.region(small[t.k].hist, t.b)
		acc := func(h []gpair) {
			off, codes := store.off[t.b], store.codes[t.b]
			if t.filtered {
				accumulateWhere(h, g.pgrad, off, codes, t.lo, t.hi, g.goLeft, t.want)
			} else {
				accumulate(h, g.pgrad, off, codes, t.lo, t.hi)
			}
		}
		if t.chunks == 1 {
			clear(dst)
			acc(dst)
			finish(t.k, t.b)
			return
		}
		sp := g.scratch.Get().(*[]gpair)
		s := (*sp)[:len(dst)]
		clear(s)
		acc(s)
		st := &states[t.k*nb+t.b]
		st.mu.Lock()
		if st.done == 0 {
			copy(dst, s)
		} else {
			for j := range s {
				dst[j] = dst[j].add(s[j])
			}
		}
		st.done++
		last := st.done == t.chunks
		st.mu.Unlock()
		g.scratch.Put(sp)
		if last {
			finish(t.k, t.b)
		}
	})
	if err != nil {
		return err
	}
	for k := range small {
		reduce := func(w *node, which int) {
			w.best = split{}
			for b := 0; b < nb; b++ {
				w.best.merge(best[which*nb+b])
			}
		}
		reduce(small[k], 2*k)
		if big[k] != nil {
			reduce(big[k], 2*k+1)
		}
	}
	return nil
}

// region is feature block b's part of a histogram.
func (g *grower) region(h []gpair, b int) []gpair {
	ds := g.ds
	return h[b*ds.block*ds.stride : min((b+1)*ds.block, ds.d)*ds.stride]
}

// accumulate adds the gradient pair of every position in [lo, hi) to the
// slots of its stored entries.
func accumulate(hist, grad []gpair, off []uint32, codes []uint16, lo, hi int) {
	off = off[lo : hi+1]
	grad = grad[lo:hi]
	for i, gp := range grad {
		for _, c := range codes[off[i]:off[i+1]] {
			h := &hist[c]
			h.g += gp.g
			h.h += gp.h
		}
	}
}

// accumulateWhere is accumulate for the positions whose goLeft is want.
func accumulateWhere(hist, grad []gpair, off []uint32, codes []uint16, lo, hi int, goLeft []bool, want bool) {
	off = off[lo : hi+1]
	grad = grad[lo:hi]
	goLeft = goLeft[lo:hi]
	for i, gp := range grad {
		if goLeft[i] != want {
			continue
		}
		for _, c := range codes[off[i]:off[i+1]] {
			h := &hist[c]
			h.g += gp.g
			h.h += gp.h
		}
	}
}

// fillDefaults sets the implicit slot of every feature of block b to the
// node's total minus the feature's other slots.
func (g *grower) fillDefaults(w *node, b int) {
	ds := g.ds
	for f := b * ds.block; f < min((b+1)*ds.block, ds.d); f++ {
		slots := w.hist[f*ds.stride : f*ds.stride+ds.nbins[f]+1]
		var s gpair
		for _, v := range slots {
			s = s.add(v)
		}
		slots[ds.defSlot[f]] = w.sum.sub(s)
	}
}

// evalFeature scans feature f's histogram as XGBoost's hist method does:
// forward with missing values sent right, and, when the node has missing
// values for f, backward with missing values sent left. Empty slots are
// skipped: they would repeat the previous candidate, which never wins a
// strict comparison. Within one feature a candidate replaces the best so
// far only when it gains strictly more, as XGBoost's tie rule has it.
func (g *grower) evalFeature(w *node, f int, parentGain float64, best *split) {
	ds := g.ds
	nb := ds.nbins[f]
	h := w.hist[f*ds.stride : f*ds.stride+nb+1]
	if h[ds.defSlot[f]] == w.sum {
		return // every row in one slot: nothing to split
	}
	cuts := ds.cuts[f]
	mcw := g.p.minChildWeight
	gu, hu := g.gUnit, g.hUnit
	gain := g.gain
	var local split
	var e gpair
	for i, s := range h[:nb] {
		if s == (gpair{}) {
			continue
		}
		e = e.add(s)
		hl := float64(e.h) * hu
		if hl < mcw {
			continue
		}
		c := w.sum.sub(e)
		hr := float64(c.h) * hu
		if hr < mcw {
			continue
		}
		if loss := gain(float64(e.g)*gu, hl) + gain(float64(c.g)*gu, hr) - parentGain; loss > local.loss {
			local = split{loss: loss, feature: f, bin: i + 1, threshold: cuts[i], left: e, right: c}
		}
	}
	if h[nb] != (gpair{}) {
		e = gpair{}
		for i := nb - 1; i >= 0; i-- {
			if h[i] == (gpair{}) {
				continue
			}
			e = e.add(h[i])
			hr := float64(e.h) * hu
			if hr < mcw {
				continue
			}
			c := w.sum.sub(e)
			hl := float64(c.h) * hu
			if hl < mcw {
				continue
			}
			if loss := gain(float64(c.g)*gu, hl) + gain(float64(e.g)*gu, hr) - parentGain; loss > local.loss {
				thr := ds.minVals[f]
				if i > 0 {
					thr = cuts[i-1]
				}
				local = split{loss: loss, feature: f, bin: i, defaultLeft: true, threshold: thr, left: c, right: e}
			}
		}
	}
	best.merge(local)
}
