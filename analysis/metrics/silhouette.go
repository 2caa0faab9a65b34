package metrics

import (
	"context"
	"errors"
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"

	"github.com/reckon-dev/reckon/analysis/internal/par"
	"github.com/reckon-dev/reckon/analysis/progress"
	"github.com/reckon-dev/reckon/internal/randseed"
)

// SilhouetteOptions configures Silhouette. The zero value scores every row.
type SilhouetteOptions struct {
	// SampleSize is sample_size: when positive and below the number of
	// rows, the score is computed on that many rows drawn without
	// replacement, which bounds the quadratic cost on large data. Default:
	// all rows.
	SampleSize int
	// Seed is random_state, the seed of the sample. The draw is Go's, not
	// NumPy's: a seed picks other rows than in scikit-learn.
	Seed uint64
	// Progress, when set, receives phase "silhouette" with rows done.
	Progress progress.Func
}

// Silhouette is scikit-learn's silhouette_score with the euclidean metric:
// the mean over rows of (b - a) / max(a, b), where a is the row's mean
// distance to the other rows of its cluster and b its mean distance to the
// rows of the nearest other cluster; a row alone in its cluster scores 0.
// It ranges from -1 to 1, higher meaning tighter, better separated
// clusters. It needs between 2 and rows-1 distinct labels (among the
// sampled rows). Cost: O(rows² x columns).
func Silhouette(ctx context.Context, X *mat.Dense, labels []int, opts SilhouetteOptions) (float64, error) {
	if X == nil || X.IsEmpty() {
		return 0, errors.New("metrics: the data has no rows")
	}
	n, d := X.Dims()
	if len(labels) != n {
		return 0, fmt.Errorf("metrics: %d labels for %d rows", len(labels), n)
	}
	if opts.SampleSize < 0 {
		return 0, fmt.Errorf("metrics: sample size %d must be positive", opts.SampleSize)
	}
	rows := make([]int, n)
	for i := range rows {
		rows[i] = i
	}
	if opts.SampleSize > 0 && opts.SampleSize < n {
		rng := randseed.New(opts.Seed, 0x5111)
		rng.Shuffle(n, func(i, j int) { rows[i], rows[j] = rows[j], rows[i] })
		rows = rows[:opts.SampleSize]
	}
	m := len(rows)
	data := make([]float64, 0, m*d)
	for _, r := range rows {
		for j, x := range X.RawRowView(r) {
			if math.IsNaN(x) || math.IsInf(x, 0) {
				return 0, fmt.Errorf("metrics: row %d, column %d holds %v", r, j, x)
			}
		}
		data = append(data, X.RawRowView(r)...)
	}
	lab := make([]int, m)
	for i, r := range rows {
		lab[i] = labels[r]
	}
	distinct := distinctLabels(lab)
	if k := len(distinct); k < 2 || k > m-1 {
		return 0, fmt.Errorf("metrics: the silhouette needs between 2 and %d distinct labels, got %d", m-1, k)
	}
	index := indexLabels(distinct)
	k := len(distinct)
	cluster := make([]int, m)
	size := make([]float64, k)
	for i, l := range lab {
		cluster[i] = index[l]
		size[cluster[i]]++
	}
	scores := make([]float64, m)
	err := par.For(ctx, m, 64, func(_, lo, hi int) {
		sums := make([]float64, k)
		for i := lo; i < hi; i++ {
			clear(sums)
			x := data[i*d : i*d+d]
			for j := range m {
				y := data[j*d : j*d+d]
				var s float64
				for c, v := range x {
					t := v - y[c]
					s += t * t
				}
				sums[cluster[j]] += math.Sqrt(s)
			}
			own := cluster[i]
			if size[own] == 1 {
				continue // a lone row scores 0
			}
			a := sums[own] / (size[own] - 1)
			b := math.Inf(1)
			for c, s := range sums {
				if c != own {
					b = min(b, s/size[c])
				}
			}
			if den := max(a, b); den > 0 {
				scores[i] = (b - a) / den
			}
		}
		opts.Progress.Report("silhouette", hi, m)
	})
	if err != nil {
		return 0, fmt.Errorf("metrics: %w", err)
	}
	var total float64
	for _, s := range scores {
		total += s
	}
	return total / float64(m), nil
}
