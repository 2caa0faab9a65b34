package umap

import (
	"math"
)

// fitAB finds a and b such that 1 / (1 + a x^(2b)) best matches, in least
// squares over 300 points of [0, 3 spread], the curve that is 1 up to
// minDist and decays as exp(-(x - minDist) / spread) beyond: the smooth
// membership strength UMAP optimises in the embedding. umap-learn fits the
// same curve with scipy's curve_fit (Levenberg-Marquardt from a = b = 1);
// this is Levenberg-Marquardt too, with the analytic Jacobian.
func fitAB(spread, minDist float64) (a, b float64) {
	const points = 300
	xs := make([]float64, points)
	ys := make([]float64, points)
	for i := range xs {
		x := 3 * spread * float64(i) / (points - 1)
		xs[i] = x
		if x < minDist {
			ys[i] = 1
		} else {
			ys[i] = math.Exp(-(x - minDist) / spread)
		}
	}
	cost := func(a, b float64) float64 {
		s := 0.0
		for i, x := range xs {
			r := 1/(1+a*math.Pow(x, 2*b)) - ys[i]
			s += r * r
		}
		return s
	}
	a, b = 1, 1
	c := cost(a, b)
	lambda := 1e-3
	for range 500 {
		// Normal equations J^T J d = -J^T r of the two parameters.
		var jaa, jab, jbb, ga, gb float64
		for i, x := range xs {
			if x == 0 {
				continue // f(0) = 1 whatever a and b: no gradient
			}
			p := math.Pow(x, 2*b)
			den := 1 + a*p
			f := 1 / den
			r := f - ys[i]
			da := -p / (den * den)
			db := -a * p * 2 * math.Log(x) / (den * den)
			jaa += da * da
			jab += da * db
			jbb += db * db
			ga += da * r
			gb += db * r
		}
		improved := false
		for range 30 {
			m11, m22 := jaa*(1+lambda), jbb*(1+lambda)
			det := m11*m22 - jab*jab
			if det == 0 {
				lambda *= 10
				continue
			}
			stepA := -(m22*ga - jab*gb) / det
			stepB := -(m11*gb - jab*ga) / det
			na, nb := a+stepA, b+stepB
			if na > 0 && nb > 0 {
				if nc := cost(na, nb); nc < c {
					done := math.Abs(stepA) <= 1e-12*(1+a) && math.Abs(stepB) <= 1e-12*(1+b)
					a, b, c = na, nb, nc
					lambda = max(lambda/10, 1e-12)
					improved = !done
					break
				}
			}
			lambda *= 10
		}
		if !improved {
			break
		}
	}
	return a, b
}
