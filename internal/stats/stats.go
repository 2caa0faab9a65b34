package stats

import (
	"math"

	"gonum.org/v1/gonum/stat"
)

// Quantile returns the q-quantile (0 <= q <= 1) of sorted, which must be in
// increasing order without NaN: it interpolates linearly between the
// values around rank q(n-1), with numpy's formula so that the figures agree
// with numpy.quantile and pandas' describe to the last bit. It is NaN for
// no values.
func Quantile(sorted []float64, q float64) float64 {
	if len(sorted) == 0 {
		return math.NaN()
	}
	pos := q * float64(len(sorted)-1)
	lo := int(math.Floor(pos))
	if lo >= len(sorted)-1 {
		return sorted[len(sorted)-1]
	}
	a, b, t := sorted[lo], sorted[lo+1], pos-float64(lo)
	// numpy's _lerp: from the nearer end, so that t = 1 gives b exactly.
	if t >= 0.5 {
		return b - (b-a)*(1-t)
	}
	return a + (b-a)*t
}

// Correlation is Pearson's correlation of x and y (gonum's stat.Correlation),
// NaN when either does not vary or there are fewer than two pairs, rather
// than a number made of rounding errors.
func Correlation(x, y []float64) float64 {
	if len(x) < 2 || constant(x) || constant(y) {
		return math.NaN()
	}
	return stat.Correlation(x, y, nil)
}

// constant reports whether every value of x is the same.
func constant(x []float64) bool {
	for _, v := range x[1:] {
		if v != x[0] {
			return false
		}
	}
	return true
}
