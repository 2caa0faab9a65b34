package frame

import (
	"context"
	"fmt"
	"math"
	"slices"
	"sort"

	"github.com/reckon-dev/reckon/analysis/internal/par"
	"github.com/reckon-dev/reckon/internal/stats"
)

// TopLevels is how many of the most frequent values a Summary lists.
const TopLevels = 5

// A Summary describes one column with the figures of pandas' describe().
type Summary struct {
	Name    string
	Kind    Kind
	Count   int // values present
	Missing int // values missing

	// For numeric columns: the mean, the standard deviation with n-1 in
	// the denominator, and the quartiles by linear interpolation between
	// the nearest values (numpy's default). NaN when there are no values,
	// and Std also when there is only one.
	Mean, Std, Min, Q25, Median, Q75, Max float64

	// For categorical and boolean columns: the number of distinct values
	// and the TopLevels most frequent, most frequent first (ties in order
	// of first appearance).
	Unique int
	Top    []LevelCount
}

// LevelCount is a value of a categorical or boolean column and how often
// it occurs.
type LevelCount struct {
	Level string
	Count int
}

// Describe summarises every column, in order.
func (f *Frame) Describe(ctx context.Context) ([]Summary, error) {
	out := make([]Summary, len(f.cols))
	err := par.For(ctx, len(f.cols), 1, func(i, _, _ int) {
		out[i] = describe(f.cols[i])
	})
	if err != nil {
		return nil, fmt.Errorf("frame: describe interrupted: %w", err)
	}
	return out, nil
}

func describe(c *Column) Summary {
	s := Summary{Name: c.name, Kind: c.kind}
	switch c.kind {
	case Numeric:
		vals := make([]float64, 0, len(c.num))
		for _, v := range c.num {
			if !math.IsNaN(v) {
				vals = append(vals, v)
			}
		}
		s.Count, s.Missing = len(vals), len(c.num)-len(vals)
		nan := math.NaN()
		s.Mean, s.Std, s.Min, s.Q25, s.Median, s.Q75, s.Max = nan, nan, nan, nan, nan, nan, nan
		if len(vals) == 0 {
			return s
		}
		var sum float64
		for _, v := range vals {
			sum += v
		}
		s.Mean = sum / float64(len(vals))
		if len(vals) > 1 {
			var ss float64
			for _, v := range vals {
				ss += (v - s.Mean) * (v - s.Mean)
			}
			s.Std = math.Sqrt(ss / float64(len(vals)-1))
		}
		slices.Sort(vals)
		s.Min, s.Max = vals[0], vals[len(vals)-1]
		s.Q25, s.Median, s.Q75 = stats.Quantile(vals, 0.25), stats.Quantile(vals, 0.5), stats.Quantile(vals, 0.75)
	case Categorical:
		counts := make([]int, len(c.levels))
		for _, code := range c.codes {
			if code >= 0 {
				counts[code]++
			} else {
				s.Missing++
			}
		}
		s.Count = len(c.codes) - s.Missing
		s.Unique, s.Top = top(c.levels, counts)
	case Boolean:
		counts := make([]int, 2)
		first := []int{-1, -1}
		for i, fl := range c.flags {
			if fl < 0 {
				s.Missing++
				continue
			}
			counts[fl]++
			if first[fl] < 0 {
				first[fl] = i
			}
		}
		s.Count = len(c.flags) - s.Missing
		levels := []string{"false", "true"}
		if first[1] >= 0 && (first[0] < 0 || first[1] < first[0]) {
			levels, counts = []string{"true", "false"}, []int{counts[1], counts[0]}
		}
		s.Unique, s.Top = top(levels, counts)
	}
	return s
}

// top counts the levels that occur and lists the most frequent, breaking
// ties by level order.
func top(levels []string, counts []int) (int, []LevelCount) {
	var lc []LevelCount
	for i, n := range counts {
		if n > 0 {
			lc = append(lc, LevelCount{levels[i], n})
		}
	}
	sort.SliceStable(lc, func(i, j int) bool { return lc[i].Count > lc[j].Count })
	return len(lc), lc[:min(len(lc), TopLevels)]
}
