package gbt

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"

	"gonum.org/v1/gonum/mat"

	"github.com/reckon-dev/reckon/analysis/internal/par"
	"github.com/reckon-dev/reckon/internal/randseed"
)

// Train fits a binary:logistic model to X (rows are observations, NaN is
// a missing value) and the labels y, one per row, in [0, 1] (1 is the
// positive class).
func Train(ctx context.Context, X *mat.Dense, y []float64, s Settings) (*Model, error) {
	p, err := s.resolve()
	if err != nil {
		return nil, err
	}
	if X != nil {
		if n, _ := X.Dims(); n != len(y) {
			return nil, fmt.Errorf("gbt: the matrix has %d rows but there are %d labels", n, len(y))
		}
	}
	ds, err := NewDataset(ctx, X, p.maxBin)
	if err != nil {
		return nil, err
	}
	return train(ctx, ds, nil, y, p)
}

// TrainOn fits a model to the rows of ds listed in rows (all rows when
// rows is nil), with labels y indexed like the rows of ds (len(y) ==
// ds.Rows(); labels of rows not listed are ignored). s.MaxBin must be 0 or
// the max_bin ds was binned with.
func TrainOn(ctx context.Context, ds *Dataset, rows []int, y []float64, s Settings) (*Model, error) {
	p, err := s.resolve()
	if err != nil {
		return nil, err
	}
	if ds == nil {
		return nil, fmt.Errorf("gbt: the dataset is missing")
	}
	if s.MaxBin != 0 && s.MaxBin != ds.maxBin {
		return nil, fmt.Errorf("gbt: max_bin %d differs from the dataset's %d; bin the data again with NewDataset", s.MaxBin, ds.maxBin)
	}
	return train(ctx, ds, rows, y, p)
}

func train(ctx context.Context, ds *Dataset, rows []int, y []float64, p params) (*Model, error) {
	if len(y) != ds.n {
		return nil, fmt.Errorf("gbt: the dataset has %d rows but there are %d labels", ds.n, len(y))
	}
	var use []int32
	if rows == nil {
		use = make([]int32, ds.n)
		for i := range use {
			use[i] = int32(i)
		}
	} else {
		if len(rows) == 0 {
			return nil, fmt.Errorf("gbt: no rows to train on")
		}
		use = make([]int32, len(rows))
		for i, r := range rows {
			if r < 0 || r >= ds.n {
				return nil, fmt.Errorf("gbt: row %d is out of range; the dataset has %d rows", r, ds.n)
			}
			use[i] = int32(r)
		}
		slices.Sort(use)
		if len(slices.Compact(slices.Clone(use))) != len(use) {
			return nil, fmt.Errorf("gbt: the training rows list some row twice")
		}
	}
	for _, r := range use {
		if v := y[r]; !(v >= 0 && v <= 1) {
			return nil, fmt.Errorf("gbt: label %v of row %d is not in [0, 1]", v, r)
		}
	}

	g := newGrower(ds, p, use)
	m := &Model{NumFeatures: ds.d, BaseScore: p.baseScore, Trees: make([]Tree, 0, p.nEstimators)}
	margin := make([]float64, ds.n)
	base := m.BaseMargin()
	for _, r := range use {
		margin[r] = base
	}
	for t := 0; t < p.nEstimators; t++ {
		stopped := func(err error) error {
			return fmt.Errorf("gbt: training stopped after %d of %d trees: %w", t, p.nEstimators, err)
		}
		if err := ctx.Err(); err != nil {
			return nil, stopped(err)
		}
		if err := g.gradients(ctx, use, y, margin); err != nil {
			return nil, stopped(err)
		}
		rng := randseed.New(p.seed, uint64(t))
		g.subsample(use, rng)
		g.sampleFeatures(rng)
		tree, leaves, err := g.grow(ctx)
		if err != nil {
			return nil, stopped(err)
		}
		for _, lf := range leaves {
			v := float64(tree.Nodes[lf.id].Value)
			for _, r := range g.prow[lf.begin:lf.end] {
				margin[r] += v
			}
		}
		m.Trees = append(m.Trees, tree)
		p.progress.Report("trees", t+1, p.nEstimators)
	}
	return m, nil
}

// gradients computes the logistic loss gradients at the current margins
// and converts them to fixed point with a power-of-two scale chosen so
// that no sum of them can overflow.
func (g *grower) gradients(ctx context.Context, use []int32, y, margin []float64) error {
	const chunk = 4096
	nc := par.Chunks(len(use), chunk)
	absG := make([]float64, nc)
	sumH := make([]float64, nc)
	spw := g.p.scalePosWeight
	err := par.For(ctx, len(use), chunk, func(c, lo, hi int) {
		var sg, sh float64
		for _, r := range use[lo:hi] {
			pr := sigmoid(margin[r])
			w := 1.0
			if y[r] == 1 {
				w = spw
			}
			gv := (pr - y[r]) * w
			hv := max(pr*(1-pr), 1e-16) * w
			g.gf[r], g.hf[r] = gv, hv
			sg += math.Abs(gv)
			sh += hv
		}
		absG[c], sumH[c] = sg, sh
	})
	if err != nil {
		return err
	}
	var tg, th float64
	for c := range absG {
		tg += absG[c]
		th += sumH[c]
	}
	gScale, hScale := fixedScale(tg), fixedScale(th)
	g.gUnit, g.hUnit = 1/gScale, 1/hScale
	return par.For(ctx, len(use), chunk, func(_, lo, hi int) {
		for _, r := range use[lo:hi] {
			g.grad[r] = gpair{int64(math.Round(g.gf[r] * gScale)), int64(math.Round(g.hf[r] * hScale))}
		}
	})
}

// fixedScale returns a power of two s with s*total < 2^61, so that the sum
// of any subset of values rounded after scaling stays below 2^62.
func fixedScale(total float64) float64 {
	_, e := math.Frexp(total) // total < 2^e
	return math.Ldexp(1, 61-e)
}

// subsample draws the rows of one tree as XGBoost's uniform sampling does,
// each with probability subsample, and zeroes the gradients of the others:
// they still follow the splits, so their margins are updated with
// everyone else's, but add nothing to any sum.
func (g *grower) subsample(use []int32, rng *rand.Rand) {
	if g.p.subsample >= 1 {
		return
	}
	for _, r := range use {
		if rng.Float64() >= g.p.subsample {
			g.grad[r] = gpair{}
		}
	}
}

// sampleFeatures picks the features of one tree (colsample_bytree).
func (g *grower) sampleFeatures(rng *rand.Rand) {
	d := g.ds.d
	k := d
	if g.p.colsample < 1 {
		k = max(1, int(g.p.colsample*float64(d)))
	}
	if k == d {
		for f := range g.feats {
			g.feats[f] = true
		}
	} else {
		clear(g.feats)
		for _, f := range rng.Perm(d)[:k] {
			g.feats[f] = true
		}
	}
	clear(g.blockUsed)
	for f, ok := range g.feats {
		if ok {
			g.blockUsed[f/g.ds.block] = true
		}
	}
	g.blocks = g.blocks[:0]
	for b, ok := range g.blockUsed {
		if ok {
			g.blocks = append(g.blocks, b)
		}
	}
}
