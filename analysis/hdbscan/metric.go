package hdbscan

import (
	"math"

	"github.com/reckon-dev/reckon/internal/distance"
)

// space measures distances between rows in reduced form: a monotone function
// of the true distance that is cheaper to compute (the squared distance for
// euclidean, the distance itself otherwise). Searches compare reduced
// distances and only the final spanning-tree weights go back to true
// distances, as scikit-learn's trees do with their "rdist".
type space struct {
	metric Metric
	d      int
	// scale multiplies a reduced raw distance to give the reduced form of
	// distance/alpha; it is exactly 1 when alpha is 1.
	scale float64
}

func newSpace(m Metric, d int, alpha float64) space {
	s := space{metric: m, d: d, scale: 1 / alpha}
	if m == Euclidean {
		s.scale = 1 / (alpha * alpha)
	}
	return s
}

// rd is the reduced distance between rows a and b.
func (s space) rd(a, b []float64) float64 {
	switch s.metric {
	case Manhattan:
		var sum float64
		for j, x := range a {
			sum += math.Abs(x - b[j])
		}
		return sum
	case Chebyshev:
		var m float64
		for j, x := range a {
			m = max(m, math.Abs(x-b[j]))
		}
		return m
	default:
		return distance.SqEuclidean(a, b)
	}
}

// sqDistBelow is distance.SqEuclidean, given up as soon as the partial
// sum reaches bound: ok reports whether the distance is below bound.
// Checking every four terms keeps the sum the same as SqEuclidean's.
func sqDistBelow(a, b []float64, bound float64) (sum float64, ok bool) {
	b = b[:len(a)]
	for j := 0; j < len(a); j += 4 {
		for k := j; k < min(j+4, len(a)); k++ {
			t := a[k] - b[k]
			sum += t * t
		}
		if sum >= bound {
			return sum, false
		}
	}
	return sum, true
}

// boxLB is a lower bound on the reduced distance from p to any point of the
// box [lo, hi].
func (s space) boxLB(p, lo, hi []float64) float64 {
	lo = lo[:len(p)]
	hi = hi[:len(p)]
	var acc float64
	for j, x := range p {
		g := 0.0
		if x < lo[j] {
			g = lo[j] - x
		} else if x > hi[j] {
			g = x - hi[j]
		}
		switch s.metric {
		case Manhattan:
			acc += g
		case Chebyshev:
			acc = max(acc, g)
		default:
			acc += g * g
		}
	}
	return acc
}

// boxBoxLB is a lower bound on the reduced distance between any point of
// the box [lo1, hi1] and any point of [lo2, hi2].
func (s space) boxBoxLB(lo1, hi1, lo2, hi2 []float64) float64 {
	hi1 = hi1[:len(lo1)]
	lo2 = lo2[:len(lo1)]
	hi2 = hi2[:len(lo1)]
	var acc float64
	for j, a := range lo1 {
		g := 0.0
		if lo2[j] > hi1[j] {
			g = lo2[j] - hi1[j]
		} else if a > hi2[j] {
			g = a - hi2[j]
		}
		switch s.metric {
		case Manhattan:
			acc += g
		case Chebyshev:
			acc = max(acc, g)
		default:
			acc += g * g
		}
	}
	return acc
}

// toTrue turns a reduced distance back into a distance.
func (s space) toTrue(r float64) float64 {
	if s.metric == Euclidean {
		return math.Sqrt(r)
	}
	return r
}

// fromTrue turns a distance into its reduced form.
func (s space) fromTrue(d float64) float64 {
	if s.metric == Euclidean {
		return d * d
	}
	return d
}
