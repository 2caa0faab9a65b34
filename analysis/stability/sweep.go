package stability

import (
	"context"
	"errors"
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"

	"github.com/reckon-dev/reckon/analysis/hdbscan"
	"github.com/reckon-dev/reckon/analysis/metrics"
	"github.com/reckon-dev/reckon/analysis/progress"
)

// Param names the HDBSCAN parameter a sweep varies.
type Param string

// The parameters a sweep can vary.
const (
	MinClusterSize Param = "min_cluster_size"
	MinSamples     Param = "min_samples"
)

// SweepSettings configure Sweep: Vary takes each of Values in turn, the
// other parameters stay as HDBSCAN gives them.
type SweepSettings struct {
	Vary   Param
	Values []int
	// HDBSCAN holds the parameters that stay fixed. When Vary is
	// MinClusterSize and HDBSCAN.MinSamples is set, the hierarchy does not
	// change from value to value: it is built once and only selected
	// again, in milliseconds per value. When MinSamples is 0 it follows
	// min_cluster_size, so every value builds a hierarchy of its own.
	HDBSCAN hdbscan.Options
	// Hierarchy, when set and Vary is MinClusterSize, is a fitted result
	// whose hierarchy every value selects from again (its min_samples,
	// alpha and metric stay; the other selection parameters are
	// HDBSCAN.Selection's): no value fits anything, and x is not read.
	Hierarchy *hdbscan.Result
	// Progress, when set, hears "min_cluster_size=25" (and so on) with the
	// values done.
	Progress progress.Func
}

// Step is the clustering at one value of a sweep.
type Step struct {
	Value  int
	Result *hdbscan.Result
	// Noise is the fraction of rows labelled noise; Largest is the size of
	// the largest cluster.
	Noise   float64
	Largest int
	// ARINext is the adjusted Rand index between this clustering and the
	// next value's: a plateau near 1 is a range of values where the choice
	// does not matter. NaN for the last value.
	ARINext float64
}

// Sweep clusters x once per value of the varied parameter and compares
// each clustering with the next.
func Sweep(ctx context.Context, x *mat.Dense, s SweepSettings) ([]Step, error) {
	if s.Vary != MinClusterSize && s.Vary != MinSamples {
		return nil, fmt.Errorf("stability: a sweep varies %q or %q, not %q", MinClusterSize, MinSamples, s.Vary)
	}
	if len(s.Values) == 0 {
		return nil, errors.New("stability: a sweep needs at least one value")
	}
	steps := make([]Step, len(s.Values))
	var base *hdbscan.Result
	for i, v := range s.Values {
		s.Progress.Report(fmt.Sprintf("%s=%d", s.Vary, v), i, len(s.Values))
		opts := s.HDBSCAN
		var res *hdbscan.Result
		var err error
		switch {
		case s.Vary == MinSamples:
			opts.MinSamples = v
			res, err = hdbscan.Fit(ctx, x, opts)
		case s.Hierarchy != nil:
			opts.Selection.MinClusterSize = v
			res, err = hdbscan.Recluster(ctx, s.Hierarchy, opts.Selection)
		case opts.MinSamples != 0:
			// The hierarchy depends on min_samples alone: fit once, then
			// only select again.
			opts.Selection.MinClusterSize = v
			if base == nil {
				base, err = hdbscan.Fit(ctx, x, opts)
				res = base
			} else {
				res, err = hdbscan.Recluster(ctx, base, opts.Selection)
			}
		default:
			opts.Selection.MinClusterSize = v
			res, err = hdbscan.Fit(ctx, x, opts)
		}
		if err != nil {
			return nil, fmt.Errorf("%s=%d: %w", s.Vary, v, err)
		}
		steps[i] = Step{Value: v, Result: res, ARINext: math.NaN()}
		steps[i].Noise, steps[i].Largest = noiseAndLargest(res.Labels)
		if i > 0 {
			if steps[i-1].ARINext, err = metrics.AdjustedRandIndex(steps[i-1].Result.Labels, res.Labels); err != nil {
				return nil, err
			}
		}
	}
	return steps, nil
}

// noiseAndLargest returns the fraction of rows labelled noise (-1) and the
// size of the largest cluster.
func noiseAndLargest(labels []int) (float64, int) {
	sizes := map[int]int{}
	for _, l := range labels {
		sizes[l]++
	}
	largest := 0
	for l, k := range sizes {
		if l >= 0 {
			largest = max(largest, k)
		}
	}
	return float64(sizes[-1]) / float64(len(labels)), largest
}
