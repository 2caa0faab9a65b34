package plot

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/reckon-dev/reckon/internal/stats"
)

// Explanation is what the SHAP plots draw, as the shap library's
// Explanation object holds it: one row of SHAP values per explained row,
// the feature values of those rows, the feature names and the expected
// value of the model output.
type Explanation struct {
	// Values are the SHAP values, Values[row][feature]; all finite.
	Values [][]float64
	// Data are the feature values of the same rows, Data[row][feature];
	// NaN marks a missing value, drawn grey. Data may be nil, and then the
	// points are not coloured by value and Dependence cannot be drawn.
	Data [][]float64
	// Names are the feature names; nil means "Feature 0", "Feature 1", …
	// as shap names them.
	Names []string
	// Base is the expected value E[f(X)] that the SHAP values of a row add
	// to, giving the model output f(x) for that row.
	Base float64
	// Directions say, per feature, how its value moves its SHAP value
	// ("high values raise the output"), as the explaining side decided it
	// (analysis/explain owns that rule); the plots only repeat it in their
	// text. Nil shows none.
	Directions []string
}

// check validates the explanation and returns its numbers of rows and
// features.
func (e Explanation) check(what string) (rows, features int, err error) {
	if len(e.Values) == 0 || len(e.Values[0]) == 0 {
		return 0, 0, fmt.Errorf("plot: %s: there are no SHAP values to plot", what)
	}
	rows, features = len(e.Values), len(e.Values[0])
	for i, r := range e.Values {
		if len(r) != features {
			return 0, 0, fmt.Errorf("plot: %s: row %d has %d SHAP values but row 0 has %d", what, i, len(r), features)
		}
		for j, v := range r {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return 0, 0, fmt.Errorf("plot: %s: the SHAP value of row %d, feature %d is %v; SHAP values must be finite", what, i, j, v)
			}
		}
	}
	if e.Data != nil {
		if len(e.Data) != rows {
			return 0, 0, fmt.Errorf("plot: %s: %d rows of feature values for %d rows of SHAP values", what, len(e.Data), rows)
		}
		for i, r := range e.Data {
			if len(r) != features {
				return 0, 0, fmt.Errorf("plot: %s: row %d has %d feature values for %d SHAP values", what, i, len(r), features)
			}
			for j, v := range r {
				if math.IsInf(v, 0) {
					return 0, 0, fmt.Errorf("plot: %s: the value of row %d, feature %d is infinite; use NaN for a missing value", what, i, j)
				}
			}
		}
	}
	if e.Names != nil && len(e.Names) != features {
		return 0, 0, fmt.Errorf("plot: %s: %d feature names for %d features", what, len(e.Names), features)
	}
	if e.Directions != nil && len(e.Directions) != features {
		return 0, 0, fmt.Errorf("plot: %s: %d feature directions for %d features", what, len(e.Directions), features)
	}
	if math.IsNaN(e.Base) || math.IsInf(e.Base, 0) {
		return 0, 0, fmt.Errorf("plot: %s: the expected value %v is not a finite number", what, e.Base)
	}
	return rows, features, nil
}

func (e Explanation) name(j int) string {
	if e.Names == nil {
		return fmt.Sprintf("Feature %d", j)
	}
	return e.Names[j]
}

// feature finds a feature by name.
func (e Explanation) feature(what, name string) (int, error) {
	found := -1
	for j := range e.Values[0] {
		if e.name(j) == name {
			if found >= 0 {
				return 0, fmt.Errorf("plot: %s: two features are named %q (%d and %d)", what, name, found, j)
			}
			found = j
		}
	}
	if found < 0 {
		names := make([]string, len(e.Values[0]))
		for j := range names {
			names[j] = e.name(j)
		}
		return 0, fmt.Errorf("plot: %s: no feature is named %q; the features are %s", what, name, listNames(names, 10))
	}
	return found, nil
}

func (e Explanation) column(j int) []float64 {
	c := make([]float64, len(e.Values))
	for i, r := range e.Values {
		c[i] = r[j]
	}
	return c
}

func (e Explanation) dataColumn(j int) []float64 {
	c := make([]float64, len(e.Data))
	for i, r := range e.Data {
		c[i] = r[j]
	}
	return c
}

// meanAbs returns mean |SHAP| per feature.
func (e Explanation) meanAbs() []float64 {
	m := make([]float64, len(e.Values[0]))
	for _, r := range e.Values {
		for j, v := range r {
			m[j] += math.Abs(v)
		}
	}
	for j := range m {
		m[j] /= float64(len(e.Values))
	}
	return m
}

// importanceOrder returns the features by decreasing mean |SHAP|, ties in
// feature order.
func importanceOrder(meanAbs []float64) []int {
	order := make([]int, len(meanAbs))
	for j := range order {
		order[j] = j
	}
	slices.SortStableFunc(order, func(a, b int) int { return cmpFloat(meanAbs[b], meanAbs[a]) })
	return order
}

// direction is feature j's direction as the explanation gives it, "" for
// none.
func (e Explanation) direction(j int) string {
	if j >= len(e.Directions) {
		return ""
	}
	return e.Directions[j]
}

// colorRange is shap's trimmed colour range for a feature: its 5th to
// 95th percentile, widening to the 1st to 99th and then the full range
// when the narrower one collapses.
func colorRange(values []float64) (lo, hi float64, ok bool) {
	known := make([]float64, 0, len(values))
	for _, v := range values {
		if !math.IsNaN(v) {
			known = append(known, v)
		}
	}
	if len(known) == 0 {
		return 0, 0, false
	}
	slices.Sort(known)
	lo, hi = stats.Quantile(known, 0.05), stats.Quantile(known, 0.95)
	if lo == hi {
		lo, hi = stats.Quantile(known, 0.01), stats.Quantile(known, 0.99)
		if lo == hi {
			lo, hi = known[0], known[len(known)-1]
		}
	}
	return lo, math.Max(lo, hi), true
}

// normalizer maps a value to [0, 1] over [lo, hi], clipping; a collapsed
// range maps everything to the middle of the colour map.
func normalizer(lo, hi float64) func(float64) float64 {
	return func(v float64) float64 {
		if !(hi > lo) {
			return 0.5
		}
		return math.Min(1, math.Max(0, (v-lo)/(hi-lo)))
	}
}

// topFeatures summarises the most important features for alt text.
func (e Explanation) topFeatures(order []int, meanAbs []float64, n int) string {
	var parts []string
	for _, j := range order[:min(n, len(order))] {
		s := fmt.Sprintf("%s (%s", e.name(j), num(meanAbs[j]))
		if d := e.direction(j); d != "" {
			s += ", " + d
		}
		parts = append(parts, s+")")
	}
	return strings.Join(parts, "; ")
}
