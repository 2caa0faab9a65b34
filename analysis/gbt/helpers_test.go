package gbt

import (
	"math"
	"math/rand/v2"

	"gonum.org/v1/gonum/mat"
)

// synthetic makes n rows of d features and binary labels that depend on
// the first three features (one of them through an interaction). With
// coarse set, values are rounded to one decimal, so that every feature has
// fewer distinct values than max_bin and histogram splits are exact. A
// fraction missing of the values is NaN.
func synthetic(n, d int, seed uint64, missing float64, coarse bool) (*mat.Dense, []float64) {
	rng := rand.New(rand.NewPCG(seed, 17))
	X := mat.NewDense(n, d, nil)
	y := make([]float64, n)
	for i := 0; i < n; i++ {
		row := X.RawRowView(i)
		for j := range row {
			v := rng.NormFloat64() * 2
			if coarse {
				v = math.Round(v*10) / 10
			}
			row[j] = v
		}
		z := row[0] + 0.5*row[1]*row[2] + rng.NormFloat64()*0.7
		if z > 0.3 {
			y[i] = 1
		}
		for j := range row {
			if rng.Float64() < missing {
				row[j] = math.NaN()
			}
		}
	}
	return X, y
}

// marginFloat32 sums a row's leaf values the way XGBoost's predictor
// does: in float32, tree after tree, from the base margin.
func marginFloat32(m *Model, x []float64) float32 {
	s := float32(m.BaseMargin())
	for t := range m.Trees {
		tr := &m.Trees[t]
		s += tr.Nodes[tr.Leaf(x)].Value
	}
	return s
}
