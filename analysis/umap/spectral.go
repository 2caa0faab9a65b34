package umap

import (
	"context"
	"errors"
	"fmt"
	"math"
	"sort"

	"gonum.org/v1/gonum/mat"

	"github.com/reckon-dev/reckon/analysis/internal/par"
	"github.com/reckon-dev/reckon/internal/randseed"
)

// Spectral initialisation: the eigenvectors of the normalised Laplacian
// L = I - D^-1/2 W D^-1/2 with the smallest nonzero eigenvalues place
// strongly connected points together. They are the eigenvectors of
// M = D^-1/2 W D^-1/2 with the largest eigenvalues after the first, whose
// eigenvector D^1/2 1 (eigenvalue 1) is known and is projected out.

// errNoConvergence reports that the eigensolver ran out of iterations.
var errNoConvergence = errors.New("the eigensolver did not converge")

// spectralLayout returns n x dim coordinates (row-major).
func spectralLayout(ctx context.Context, g *csr, dim int, seed uint64) ([]float64, error) {
	n := g.n
	if n <= dim+1 {
		return nil, fmt.Errorf("%d points are too few for a %d-dimensional spectral layout", n, dim)
	}
	deg := make([]float64, n)
	for i := range n {
		_, w := g.row(i)
		for _, v := range w {
			deg[i] += float64(v)
		}
		if deg[i] == 0 {
			return nil, fmt.Errorf("point %d has no edges", i)
		}
	}
	dinv := make([]float64, n)
	u0 := make([]float64, n)
	var norm float64
	for i, d := range deg {
		dinv[i] = 1 / math.Sqrt(d)
		u0[i] = math.Sqrt(d)
		norm += d
	}
	for i := range u0 {
		u0[i] /= math.Sqrt(norm)
	}
	scaled := make([]float64, len(g.val))
	for i := range n {
		for e := g.start[i]; e < g.start[i+1]; e++ {
			scaled[e] = dinv[i] * float64(g.val[e]) * dinv[g.col[e]]
		}
	}
	if n <= denseEigenLimit {
		return denseTop(g, scaled, u0, dim)
	}
	op := func(dst, src []float64) error {
		return par.For(ctx, n, 4096, func(_, lo, hi int) {
			for i := lo; i < hi; i++ {
				var s float64
				for e := g.start[i]; e < g.start[i+1]; e++ {
					s += scaled[e] * src[g.col[e]]
				}
				dst[i] = s
			}
		})
	}
	return lanczos(ctx, n, op, u0, dim, seed)
}

// denseEigenLimit is the size up to which M is decomposed densely.
const denseEigenLimit = 128

func denseTop(g *csr, scaled, u0 []float64, dim int) ([]float64, error) {
	n := g.n
	m := mat.NewSymDense(n, nil)
	for i := range n {
		for e := g.start[i]; e < g.start[i+1]; e++ {
			m.SetSym(i, int(g.col[e]), scaled[e])
		}
	}
	// Shift the known top eigenvector far below the rest of the spectrum
	// (which lies in [-1, 1]) so that the top dim eigenvectors are the
	// ones wanted.
	for i := range n {
		for j := i; j < n; j++ {
			m.SetSym(i, j, m.At(i, j)-3*u0[i]*u0[j])
		}
	}
	var es mat.EigenSym
	if !es.Factorize(m, true) {
		return nil, errNoConvergence
	}
	var vecs mat.Dense
	es.VectorsTo(&vecs)
	out := make([]float64, n*dim)
	for c := range dim {
		col := n - 1 - c // eigenvalues ascend
		for i := range n {
			out[i*dim+c] = vecs.At(i, col)
		}
	}
	return out, nil
}

// lanczos returns the eigenvectors (n x want, row-major) of the want
// largest eigenvalues of the symmetric operator op on the orthogonal
// complement of the unit vector u0, by thick-restart Lanczos with full
// reorthogonalisation. The basis is stored row-major (n x cap) so that the
// projections stream through it once per step, in fixed chunks whose
// partial sums are added in order: the result does not depend on
// GOMAXPROCS.
func lanczos(ctx context.Context, n int, op func(dst, src []float64) error, u0 []float64, want int, seed uint64) ([]float64, error) {
	const (
		tol        = 1e-4 // relative residual, as umap-learn asks of ARPACK
		chunk      = 4096
		maxMatvecs = 20000
	)
	m := min(n-1, max(2*want+10, 40))
	keep := min(m-1, max(want+4, m/2))
	stride := m + 1
	V := make([]float64, n*stride)
	col := func(j int, dst []float64) {
		for r := range n {
			dst[r] = V[r*stride+j]
		}
	}
	setCol := func(j int, src []float64) {
		for r := range n {
			V[r*stride+j] = src[r]
		}
	}
	chunks := par.Chunks(n, chunk)
	partial := make([]float64, chunks*stride)
	// project returns h = V[:, :j]' w and subtracts V[:, :j] h from w.
	project := func(w []float64, j int, h []float64) error {
		err := par.For(ctx, n, chunk, func(c, lo, hi int) {
			p := partial[c*stride : c*stride+j]
			clear(p)
			for r := lo; r < hi; r++ {
				row := V[r*stride : r*stride+j]
				for i, v := range row {
					p[i] += v * w[r]
				}
			}
		})
		if err != nil {
			return err
		}
		clear(h[:j])
		for c := range chunks {
			for i := range j {
				h[i] += partial[c*stride+i]
			}
		}
		return par.For(ctx, n, chunk, func(_, lo, hi int) {
			for r := lo; r < hi; r++ {
				row := V[r*stride : r*stride+j]
				s := 0.0
				for i, v := range row {
					s += v * h[i]
				}
				w[r] -= s
			}
		})
	}
	dotU0 := func(w []float64) {
		s := 0.0
		for r := range n {
			s += u0[r] * w[r]
		}
		for r := range n {
			w[r] -= s * u0[r]
		}
	}
	normalize := func(w []float64) float64 {
		s := 0.0
		for _, v := range w {
			s += v * v
		}
		s = math.Sqrt(s)
		if s > 0 {
			for r := range w {
				w[r] /= s
			}
		}
		return s
	}
	rng := randseed.New(seed, tagLanczos)
	w := make([]float64, n)
	x := make([]float64, n)
	h := make([]float64, stride)
	h2 := make([]float64, stride)
	// startVector fills w with a random unit vector orthogonal to u0 and
	// the first j basis vectors.
	startVector := func(j int) error {
		for r := range w {
			w[r] = rng.NormFloat64()
		}
		dotU0(w)
		if err := project(w, j, h2); err != nil {
			return err
		}
		if normalize(w) == 0 {
			return errNoConvergence
		}
		return nil
	}
	if err := startVector(0); err != nil {
		return nil, err
	}
	setCol(0, w)
	T := mat.NewSymDense(m, nil)
	k := 0 // basis vectors kept from the last restart
	var beta float64
	matvecs := 0
	var es mat.EigenSym
	var S mat.Dense
	for {
		for j := k; j < m; j++ {
			col(j, x)
			if err := op(w, x); err != nil {
				return nil, err
			}
			matvecs++
			dotU0(w)
			if err := project(w, j+1, h); err != nil {
				return nil, err
			}
			// A second pass removes what rounding left of the basis.
			if err := project(w, j+1, h2); err != nil {
				return nil, err
			}
			for i := 0; i <= j; i++ {
				if i >= k || i == j {
					T.SetSym(i, j, h[i]+h2[i])
				}
			}
			beta = normalize(w)
			if beta < 1e-10 {
				// An invariant subspace: continue from a fresh direction.
				beta = 0
				if err := startVector(j + 1); err != nil {
					return nil, err
				}
			}
			if j+1 < m {
				T.SetSym(j, j+1, beta)
			}
			setCol(j+1, w)
		}
		if !es.Factorize(T, true) {
			return nil, errNoConvergence
		}
		es.VectorsTo(&S)
		theta := es.Values(nil)
		order := make([]int, m)
		for i := range order {
			order[i] = i
		}
		sort.SliceStable(order, func(a, b int) bool { return theta[order[a]] > theta[order[b]] })
		converged := true
		for _, i := range order[:want] {
			if math.Abs(beta*S.At(m-1, i)) > tol*math.Max(math.Abs(theta[i]), 1e-3) {
				converged = false
			}
		}
		if converged || matvecs >= maxMatvecs {
			if !converged {
				return nil, errNoConvergence
			}
			out := make([]float64, n*want)
			err := par.For(ctx, n, chunk, func(_, lo, hi int) {
				for r := lo; r < hi; r++ {
					row := V[r*stride : r*stride+m]
					for c, i := range order[:want] {
						s := 0.0
						for j, v := range row {
							s += v * S.At(j, i)
						}
						out[r*want+c] = s
					}
				}
			})
			return out, err
		}
		// Thick restart: keep the best Ritz vectors and the residual
		// direction; T becomes diagonal with a coupling row.
		err := par.For(ctx, n, chunk, func(_, lo, hi int) {
			tmp := make([]float64, keep)
			for r := lo; r < hi; r++ {
				row := V[r*stride : r*stride+stride]
				for c, i := range order[:keep] {
					s := 0.0
					for j := range m {
						s += row[j] * S.At(j, i)
					}
					tmp[c] = s
				}
				resid := row[m]
				copy(row, tmp)
				row[keep] = resid
			}
		})
		if err != nil {
			return nil, err
		}
		T = mat.NewSymDense(m, nil)
		for c, i := range order[:keep] {
			T.SetSym(c, c, theta[i])
			T.SetSym(c, keep, beta*S.At(m-1, i))
		}
		k = keep
	}
}
