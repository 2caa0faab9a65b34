package umap

import (
	"context"
	"math"
	"math/rand/v2"

	"github.com/reckon-dev/reckon/analysis/pca"
)

// pcaLayout returns the scores of the n rows on their leading dim principal
// components (n x dim, row-major), as umap-learn's init="pca" does, from
// the rows as they are, without a float64 copy of the data.
func pcaLayout(ctx context.Context, n, d int, row func(i int) []float32, dim int, seed uint64) ([]float64, error) {
	return pca.StreamScores(ctx, n, d, row, dim, seed)
}

// randomLayout places n points uniformly in [-10, 10]^dim.
func randomLayout(n, dim int, rng *rand.Rand) []float64 {
	out := make([]float64, n*dim)
	for i := range out {
		out[i] = rng.Float64()*20 - 10
	}
	return out
}

// noisyScale scales coordinates so the largest magnitude is 10 and adds
// Gaussian noise of standard deviation 1e-4, as umap-learn does to spectral
// and PCA layouts so that no two points start on top of each other.
func noisyScale(coords []float64, rng *rand.Rand) {
	m := 0.0
	for _, v := range coords {
		m = max(m, math.Abs(v))
	}
	scale := 1.0
	if m > 0 && !math.IsInf(m, 0) {
		scale = 10 / m
	}
	for i, v := range coords {
		coords[i] = float64(float32(v*scale)) + rng.NormFloat64()*1e-4
	}
}

// toUnitBox rescales each coordinate to [0, 10] and converts to float32,
// as umap-learn does before optimising. It reports false when a coordinate
// is constant or not finite, so that the caller can pick another layout
// rather than divide by zero.
func toUnitBox(coords []float64, n, dim int) ([]float32, bool) {
	out := make([]float32, n*dim)
	for c := range dim {
		lo, hi := math.Inf(1), math.Inf(-1)
		for i := range n {
			v := coords[i*dim+c]
			lo, hi = min(lo, v), max(hi, v)
		}
		if !(hi > lo) || math.IsInf(hi-lo, 0) {
			return nil, false
		}
		for i := range n {
			out[i*dim+c] = float32(10 * (coords[i*dim+c] - lo) / (hi - lo))
		}
	}
	return out, true
}
