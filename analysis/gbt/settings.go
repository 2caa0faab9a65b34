package gbt

import (
	"fmt"
	"math"

	"github.com/reckon-dev/reckon/analysis/progress"
)

// Settings are the training parameters, named after XGBoost's. The zero
// value trains XGBoost's default model: 100 trees of depth 6 with learning
// rate 0.3, min_child_weight 1, lambda 1 and 256 bins.
type Settings struct {
	// NEstimators is n_estimators, the number of boosting rounds, each of
	// which adds one tree. Zero means 100.
	NEstimators int

	// MaxDepth is max_depth, the depth of every tree (the root has depth
	// 0). Zero means 6.
	MaxDepth int

	// LearningRate is learning_rate (eta), the factor applied to every
	// leaf weight, in (0, 1]. Zero means 0.3.
	LearningRate float64

	// MinChildWeight is min_child_weight, the smallest sum of hessians a
	// child may have for its parent to split. Nil means 1; new(0.0) allows
	// any split.
	MinChildWeight *float64

	// Lambda is reg_lambda (lambda), the L2 penalty on leaf weights. Nil
	// means 1; new(0.0) switches it off.
	Lambda *float64

	// Alpha is reg_alpha (alpha), the L1 penalty on leaf weights. Default 0.
	Alpha float64

	// Gamma is gamma (min_split_loss): a split must reduce the loss by at
	// least this much. The loss reduction is measured as XGBoost's code
	// measures it, G_L²/(H_L+λ) + G_R²/(H_R+λ) - G²/(H+λ) without the
	// paper's factor ½, so that a gamma means the same here as in XGBoost.
	// Default 0.
	Gamma float64

	// Subsample is subsample, the fraction of rows each tree is grown on,
	// drawn afresh for every tree, in (0, 1]. Zero means 1.
	Subsample float64

	// ColsampleByTree is colsample_bytree, the fraction of features each
	// tree may split on, in (0, 1]. Zero means 1.
	ColsampleByTree float64

	// MaxBin is max_bin, the largest number of histogram bins per feature,
	// in [2, 65534]. Zero means 256.
	MaxBin int

	// ScalePosWeight is scale_pos_weight, the weight of every positive row
	// relative to the negatives. Zero means 1.
	ScalePosWeight float64

	// BaseScore is base_score, the probability every row starts from, in
	// (0, 1). Zero means 0.5, XGBoost 1.7's default.
	BaseScore float64

	// Seed is seed; it drives subsample and colsample_bytree only, so with
	// both at 1 every seed grows the same trees.
	Seed uint64

	// Progress, when set, is called with phase "trees" after every tree.
	Progress progress.Func
}

// Validate reports the first parameter that is out of range, in a
// sentence naming it by its XGBoost name.
func (s Settings) Validate() error {
	_, err := s.resolve()
	return err
}

// params is Settings with the defaults filled in and every value checked.
type params struct {
	nEstimators    int
	maxDepth       int
	eta            float64
	minChildWeight float64
	lambda         float64
	alpha          float64
	gamma          float64
	subsample      float64
	colsample      float64
	maxBin         int
	scalePosWeight float64
	baseScore      float64
	seed           uint64
	progress       progress.Func
}

// maxMaxDepth bounds max_depth so that node counts stay within int32 and
// the per-level bookkeeping stays small; deeper trees than this are never
// useful with boosting.
const maxMaxDepth = 24

func (s Settings) resolve() (params, error) {
	p := params{
		nEstimators:    s.NEstimators,
		maxDepth:       s.MaxDepth,
		eta:            s.LearningRate,
		minChildWeight: 1,
		lambda:         1,
		alpha:          s.Alpha,
		gamma:          s.Gamma,
		subsample:      s.Subsample,
		colsample:      s.ColsampleByTree,
		maxBin:         s.MaxBin,
		scalePosWeight: s.ScalePosWeight,
		baseScore:      s.BaseScore,
		seed:           s.Seed,
		progress:       s.Progress,
	}
	if s.MinChildWeight != nil {
		p.minChildWeight = *s.MinChildWeight
	}
	if s.Lambda != nil {
		p.lambda = *s.Lambda
	}
	zeroDefault := func(v *float64, def float64) {
		if *v == 0 {
			*v = def
		}
	}
	if p.nEstimators == 0 {
		p.nEstimators = 100
	}
	if p.maxDepth == 0 {
		p.maxDepth = 6
	}
	if p.maxBin == 0 {
		p.maxBin = 256
	}
	zeroDefault(&p.eta, 0.3)
	zeroDefault(&p.subsample, 1)
	zeroDefault(&p.colsample, 1)
	zeroDefault(&p.scalePosWeight, 1)
	zeroDefault(&p.baseScore, 0.5)

	switch {
	case p.nEstimators < 0:
		return p, fmt.Errorf("gbt: n_estimators %d must be positive", p.nEstimators)
	case p.maxDepth < 0 || p.maxDepth > maxMaxDepth:
		return p, fmt.Errorf("gbt: max_depth %d must be between 1 and %d", p.maxDepth, maxMaxDepth)
	case p.maxBin < 2 || p.maxBin > maxMaxBin:
		return p, fmt.Errorf("gbt: max_bin %d must be between 2 and %d", p.maxBin, maxMaxBin)
	}
	for _, c := range []struct {
		name   string
		v      float64
		lo, hi float64
		openLo bool
	}{
		{"learning_rate", p.eta, 0, 1, true},
		{"min_child_weight", p.minChildWeight, 0, math.Inf(1), false},
		{"lambda", p.lambda, 0, math.Inf(1), false},
		{"alpha", p.alpha, 0, math.Inf(1), false},
		{"gamma", p.gamma, 0, math.Inf(1), false},
		{"subsample", p.subsample, 0, 1, true},
		{"colsample_bytree", p.colsample, 0, 1, true},
		{"scale_pos_weight", p.scalePosWeight, 0, math.Inf(1), true},
	} {
		bad := math.IsNaN(c.v) || math.IsInf(c.v, 0) || c.v < c.lo || c.v > c.hi || (c.openLo && c.v == c.lo)
		if !bad {
			continue
		}
		switch {
		case math.IsInf(c.hi, 1) && c.openLo:
			return p, fmt.Errorf("gbt: %s %v must be a positive number", c.name, c.v)
		case math.IsInf(c.hi, 1):
			return p, fmt.Errorf("gbt: %s %v must be a number of at least 0", c.name, c.v)
		default:
			return p, fmt.Errorf("gbt: %s %v must be in (%v, %v]", c.name, c.v, c.lo, c.hi)
		}
	}
	if math.IsNaN(p.baseScore) || p.baseScore <= 0 || p.baseScore >= 1 {
		return p, fmt.Errorf("gbt: base_score %v must be a probability strictly between 0 and 1", p.baseScore)
	}
	return p, nil
}
