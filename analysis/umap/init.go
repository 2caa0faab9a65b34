package umap

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"

	"gonum.org/v1/gonum/mat"

	"github.com/reckon-dev/reckon/analysis/internal/par"
)

// pcaLayout returns the scores of the n rows on their leading dim principal
// components (n x dim, row-major), by randomised subspace iteration
// (Halko, Martinsson and Tropp 2011): a handful of passes over the data
// instead of a d x d covariance.
func pcaLayout(ctx context.Context, n, d int, row func(i int) []float32, dim int, seed uint64) ([]float64, error) {
	if d < dim {
		return nil, fmt.Errorf("the data has %d columns, fewer than the %d components", d, dim)
	}
	const chunk = 2048
	chunks := par.Chunks(n, chunk)
	mean := make([]float64, d)
	for i := range n {
		for j, v := range row(i) {
			mean[j] += float64(v)
		}
	}
	for j := range mean {
		mean[j] /= float64(n)
	}
	l := min(dim+8, d, n)
	rng := rand.New(rand.NewPCG(seed, 0x9ca))
	// omega: d x l; q: n x l; z: d x l, all row-major.
	z := make([]float64, d*l)
	for i := range z {
		z[i] = rng.NormFloat64()
	}
	q := make([]float64, n*l)
	partial := make([]float64, chunks*d*l)
	// mulX sets q = (X - mean) z.
	mulX := func() error {
		return par.For(ctx, n, chunk, func(_, lo, hi int) {
			for i := lo; i < hi; i++ {
				out := q[i*l : (i+1)*l]
				clear(out)
				for j, v := range row(i) {
					x := float64(v) - mean[j]
					zr := z[j*l : (j+1)*l]
					for c := range out {
						out[c] += x * zr[c]
					}
				}
			}
		})
	}
	// mulXT sets z = (X - mean)' q, summing fixed chunks in order.
	mulXT := func() error {
		err := par.For(ctx, n, chunk, func(c, lo, hi int) {
			p := partial[c*d*l : (c+1)*d*l]
			clear(p)
			for i := lo; i < hi; i++ {
				qr := q[i*l : (i+1)*l]
				for j, v := range row(i) {
					x := float64(v) - mean[j]
					pr := p[j*l : (j+1)*l]
					for c, w := range qr {
						pr[c] += x * w
					}
				}
			}
		})
		if err != nil {
			return err
		}
		clear(z)
		for c := range chunks {
			for i, v := range partial[c*d*l : (c+1)*d*l] {
				z[i] += v
			}
		}
		return nil
	}
	for it := range 5 {
		if err := mulX(); err != nil {
			return nil, err
		}
		orthonormalize(q, n, l)
		if err := mulXT(); err != nil {
			return nil, err
		}
		if it < 4 {
			orthonormalize(z, d, l)
		}
	}
	// Now z = B' with B = Q'(X - mean) (l x d). Its top right singular
	// vectors are the principal axes.
	var svd mat.SVD
	if !svd.Factorize(mat.NewDense(d, l, z), mat.SVDThin) {
		return nil, errNoConvergence
	}
	var u mat.Dense
	svd.UTo(&u) // d x l: columns are the principal axes
	out := make([]float64, n*dim)
	err := par.For(ctx, n, chunk, func(_, lo, hi int) {
		for i := lo; i < hi; i++ {
			for j, v := range row(i) {
				x := float64(v) - mean[j]
				for c := range dim {
					out[i*dim+c] += x * u.At(j, c)
				}
			}
		}
	})
	return out, err
}

// orthonormalize makes the l columns of the row-major r x l matrix a
// orthonormal by modified Gram-Schmidt; a column that vanishes becomes zero.
func orthonormalize(a []float64, r, l int) {
	for c := range l {
		for p := range c {
			s := 0.0
			for i := range r {
				s += a[i*l+c] * a[i*l+p]
			}
			for i := range r {
				a[i*l+c] -= s * a[i*l+p]
			}
		}
		s := 0.0
		for i := range r {
			s += a[i*l+c] * a[i*l+c]
		}
		if s = math.Sqrt(s); s > 0 {
			for i := range r {
				a[i*l+c] /= s
			}
		}
	}
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
