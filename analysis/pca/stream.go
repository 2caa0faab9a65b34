package pca

import (
	"context"
	"errors"
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"

	"github.com/reckon-dev/reckon/analysis/internal/par"
	"github.com/reckon-dev/reckon/internal/randseed"
)

// StreamScores returns the scores of n rows on their leading dim principal
// components (n x dim, row-major), reading each row through row as float32
// and never holding the data as a matrix: randomised subspace iteration
// (Halko, Martinsson and Tropp 2011) with five passes over the rows and a
// modified Gram-Schmidt between them. UMAP's init="pca" uses it, where a
// float64 copy of a wide table would double the memory of the fit. Fit's
// randomized solver is scikit-learn's and gives its axes; StreamScores
// gives the same subspace by fewer, leaner passes, and a seeded call gives
// the same bytes for any GOMAXPROCS.
func StreamScores(ctx context.Context, n, d int, row func(i int) []float32, dim int, seed uint64) ([]float64, error) {
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
	rng := randseed.New(seed, streamSketch)
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
		gramSchmidt(q, n, l)
		if err := mulXT(); err != nil {
			return nil, err
		}
		if it < 4 {
			gramSchmidt(z, d, l)
		}
	}
	// Now z = B' with B = Q'(X - mean) (l x d). Its top right singular
	// vectors are the principal axes.
	var svd mat.SVD
	if !svd.Factorize(mat.NewDense(d, l, z), mat.SVDThin) {
		return nil, errors.New("pca: the SVD of the sketch did not converge")
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
func gramSchmidt(a []float64, r, l int) {
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
