package pca

import (
	"context"
	"errors"
	"fmt"
	"math"

	"gonum.org/v1/gonum/blas/blas64"
	"gonum.org/v1/gonum/lapack/lapack64"
	"gonum.org/v1/gonum/mat"

	"github.com/reckon-dev/reckon/analysis/internal/par"
	"github.com/reckon-dev/reckon/analysis/pca/internal/gemm"
	"github.com/reckon-dev/reckon/analysis/progress"
	"github.com/reckon-dev/reckon/internal/randseed"
)

// streamSketch is the stream of the seed that the randomized solver's
// Gaussian sketch comes from.
const streamSketch = 0x9ca

// Model is a fitted PCA.
type Model struct {
	// Components is components_: NComponents x features, one principal
	// axis of unit length per row, in decreasing order of explained
	// variance. The sign of each axis is chosen, as scikit-learn 1.5 and
	// later do, so that its entry of largest magnitude is positive.
	Components *mat.Dense
	// Mean is mean_, the column means subtracted before projecting.
	Mean []float64
	// ExplainedVariance is explained_variance_: the variance of the data
	// along each axis (with n-1 in the denominator).
	ExplainedVariance []float64
	// ExplainedVarianceRatio is explained_variance_ratio_: each axis's
	// share of the total variance of all columns.
	ExplainedVarianceRatio []float64
	// SingularValues is singular_values_ of the centred data.
	SingularValues []float64
	// Whiten records Settings.Whiten, which Transform applies too.
	Whiten bool
	// Solver is the solver that ran: Full or Randomized, never Auto.
	Solver Solver
}

// Fit computes the principal axes of x, whose rows are observations and
// whose columns are features. x needs at least two rows, finite values
// only, and some variance: data whose every column is constant have no
// axes, and are an error rather than a table of NaN.
func Fit(ctx context.Context, x *mat.Dense, s Settings) (*Model, error) {
	m, _, err := fit(ctx, x, s, false)
	return m, err
}

// FitTransform fits a PCA to x and returns x's coordinates on the axes (the
// embedding, rows x NComponents), as scikit-learn's fit_transform does: the
// left singular vectors scaled by the singular values.
func FitTransform(ctx context.Context, x *mat.Dense, s Settings) (*Model, *mat.Dense, error) {
	return fit(ctx, x, s, true)
}

func fit(ctx context.Context, x *mat.Dense, s Settings, embed bool) (*Model, *mat.Dense, error) {
	if x == nil || x.IsEmpty() {
		return nil, nil, fmt.Errorf("pca: the data are empty")
	}
	n, d := x.Dims()
	if n < 2 {
		return nil, nil, fmt.Errorf("pca: %d row is too few; PCA needs at least 2", n)
	}
	p, err := s.resolve(n, d)
	if err != nil {
		return nil, nil, err
	}
	s.Progress.Report("centre", 0, 1)
	mo, err := measure(ctx, x)
	if err != nil {
		return nil, nil, err
	}
	if mo.totalVar == 0 {
		return nil, nil, fmt.Errorf("pca: every column is constant, so there is no variance to explain")
	}
	// The randomized solver centres implicitly, subtracting the mean inside
	// the products, unless the data sit so far from the origin relative to
	// their spread that doing so would cancel away significant digits.
	a, shift := x.RawMatrix(), mo.mean
	if p.solver == Full || mo.offset > maxImplicitOffset {
		a, shift = centredCopy(ctx, x, mo.mean), nil
	}
	s.Progress.Report("centre", 1, 1)

	var f factors
	switch p.solver {
	case Full:
		f, err = fullSVD(ctx, a, p.k, s.Progress)
	default:
		f, err = randomizedSVD(ctx, a, shift, p, s.Seed, s.Progress)
	}
	if err != nil {
		return nil, nil, err
	}
	f.flipSigns()

	m := &Model{
		Components:             f.vt,
		Mean:                   mo.mean,
		ExplainedVariance:      make([]float64, p.k),
		ExplainedVarianceRatio: make([]float64, p.k),
		SingularValues:         f.s,
		Whiten:                 s.Whiten,
		Solver:                 p.solver,
	}
	for i, sv := range f.s {
		m.ExplainedVariance[i] = sv * sv / float64(n-1)
		m.ExplainedVarianceRatio[i] = m.ExplainedVariance[i] / mo.totalVar
	}
	if !embed {
		return m, nil, nil
	}
	emb, err := f.embedding(ctx)
	if err != nil {
		return nil, nil, err
	}
	if s.Whiten {
		m.whiten(emb)
	}
	return m, emb, nil
}

// Transform projects the rows of x onto the model's axes.
func (m *Model) Transform(ctx context.Context, x *mat.Dense) (*mat.Dense, error) {
	if x == nil || x.IsEmpty() {
		return nil, fmt.Errorf("pca: the data to transform are empty")
	}
	n, d := x.Dims()
	k, mc := m.Components.Dims()
	if d != mc {
		return nil, fmt.Errorf("pca: the data to transform have %d columns but the model was fitted to %d", d, mc)
	}
	if err := checkFinite(ctx, x); err != nil {
		return nil, err
	}
	vt := m.Components.RawMatrix()
	v := blas64.General{Rows: d, Cols: k, Stride: k, Data: make([]float64, d*k)}
	for i := 0; i < k; i++ {
		for j := 0; j < d; j++ {
			v.Data[j*k+i] = vt.Data[i*vt.Stride+j]
		}
	}
	out := mat.NewDense(n, k, nil)
	ro, rx := out.RawMatrix(), x.RawMatrix()
	// Centre a block of rows at a time so that the copy stays small.
	const block = 4096
	buf := make([]float64, min(n, block)*d)
	for lo := 0; lo < n; lo += block {
		hi := min(lo+block, n)
		for i := lo; i < hi; i++ {
			row := rx.Data[i*rx.Stride : i*rx.Stride+d]
			dst := buf[(i-lo)*d : (i-lo+1)*d]
			for j, val := range row {
				dst[j] = val - m.Mean[j]
			}
		}
		a := blas64.General{Rows: hi - lo, Cols: d, Stride: d, Data: buf}
		c := blas64.General{Rows: hi - lo, Cols: k, Stride: k, Data: ro.Data[lo*k:]}
		if err := gemm.Mul(ctx, c, a, v, nil); err != nil {
			return nil, fmt.Errorf("pca: transform interrupted: %w", err)
		}
	}
	if m.Whiten {
		m.whiten(out)
	}
	return out, nil
}

// whiten scales the columns of an embedding to unit variance.
func (m *Model) whiten(emb *mat.Dense) {
	r := emb.RawMatrix()
	scale := make([]float64, len(m.ExplainedVariance))
	for i, ev := range m.ExplainedVariance {
		if ev > 0 {
			scale[i] = 1 / math.Sqrt(ev)
		}
	}
	for i := 0; i < r.Rows; i++ {
		row := r.Data[i*r.Stride : i*r.Stride+r.Cols]
		for j := range row {
			row[j] *= scale[j]
		}
	}
}

// factors is a truncated SVD of the centred data: x ≈ u·diag(s)·vt, with
// u given implicitly as basis·w so that it need not be formed when no
// embedding is wanted.
type factors struct {
	s     []float64
	vt    *mat.Dense     // k x d
	basis blas64.General // n x r, orthonormal columns
	w     blas64.General // r x k
	flip  []bool         // components whose sign flipSigns reversed
}

// flipSigns makes the largest-magnitude entry of each component positive.
func (f *factors) flipSigns() {
	r := f.vt.RawMatrix()
	f.flip = make([]bool, r.Rows)
	for i := range f.flip {
		row := r.Data[i*r.Stride : i*r.Stride+r.Cols]
		best := 0
		for j, v := range row {
			if math.Abs(v) > math.Abs(row[best]) {
				best = j
			}
		}
		if row[best] < 0 {
			f.flip[i] = true
			for j := range row {
				row[j] = -row[j]
			}
		}
	}
}

// embedding returns u·diag(s), with the signs of the flipped components.
func (f *factors) embedding(ctx context.Context) (*mat.Dense, error) {
	k := len(f.s)
	us := blas64.General{Rows: f.w.Rows, Cols: k, Stride: k, Data: make([]float64, f.w.Rows*k)}
	for i := 0; i < f.w.Rows; i++ {
		for j := 0; j < k; j++ {
			v := f.w.Data[i*f.w.Stride+j] * f.s[j]
			if f.flip[j] {
				v = -v
			}
			us.Data[i*k+j] = v
		}
	}
	out := mat.NewDense(f.basis.Rows, k, nil)
	if err := gemm.Mul(ctx, out.RawMatrix(), f.basis, us, nil); err != nil {
		return nil, fmt.Errorf("pca: interrupted: %w", err)
	}
	return out, nil
}

// fullSVD is the exact thin SVD of the centred data.
func fullSVD(ctx context.Context, xc blas64.General, k int, prog progress.Func) (factors, error) {
	if err := ctx.Err(); err != nil {
		return factors{}, fmt.Errorf("pca: interrupted: %w", err)
	}
	n, d := xc.Rows, xc.Cols
	prog.Report("svd", 0, 1)
	var svd mat.SVD
	if !svd.Factorize(mat.NewDense(n, d, xc.Data), mat.SVDThin) {
		return factors{}, fmt.Errorf("pca: the SVD of the centred data did not converge")
	}
	prog.Report("svd", 1, 1)
	var u, v mat.Dense
	svd.UTo(&u)
	svd.VTo(&v)
	vt := mat.NewDense(k, d, nil)
	vt.Copy(v.Slice(0, d, 0, k).T())
	r := min(n, d)
	w := blas64.General{Rows: r, Cols: k, Stride: k, Data: make([]float64, r*k)}
	for i := 0; i < k; i++ {
		w.Data[i*k+i] = 1
	}
	return factors{s: svd.Values(nil)[:k], vt: vt, basis: u.RawMatrix(), w: w}, nil
}

// randomizedSVD follows scikit-learn's randomized_svd: sketch the range of
// xcᵀ with a Gaussian d x l matrix, sharpen it with power iterations, take
// an orthonormal basis of the data's range from it, and finish with the
// exact SVD of the data projected onto that basis. scikit-learn
// renormalises with an LU factorisation after each product with x and xᵀ;
// here the d x l block is orthonormalised once per iteration of xᵀx, which
// keeps the subspace the same and costs rounding only in directions with
// less than about 1e-8 of the top variance.
func randomizedSVD(ctx context.Context, x blas64.General, shift []float64, p plan, seed uint64, prog progress.Func) (factors, error) {
	n, d := x.Rows, x.Cols
	l := min(p.k+p.oversamples, n, d)
	rng := randseed.New(seed, streamSketch)
	q := blas64.General{Rows: d, Cols: l, Stride: l, Data: make([]float64, d*l)}
	for i := range q.Data {
		q.Data[i] = rng.NormFloat64()
	}
	z := blas64.General{Rows: d, Cols: l, Stride: l, Data: make([]float64, d*l)}
	for it := 0; it < p.iterations; it++ {
		prog.Report("power iteration", it, p.iterations)
		if err := gemm.MulGram(ctx, z, x, q, shift); err != nil {
			return factors{}, fmt.Errorf("pca: interrupted: %w", err)
		}
		q, z = z, q
		orthonormalize(q)
	}
	prog.Report("power iteration", p.iterations, p.iterations)
	prog.Report("svd", 0, 1)
	y := blas64.General{Rows: n, Cols: l, Stride: l, Data: make([]float64, n*l)}
	if err := gemm.Mul(ctx, y, x, q, shift); err != nil {
		return factors{}, fmt.Errorf("pca: interrupted: %w", err)
	}
	orthonormalize(y)
	bt := blas64.General{Rows: d, Cols: l, Stride: l, Data: make([]float64, d*l)}
	if err := gemm.MulTrans(ctx, bt, x, y, shift); err != nil {
		return factors{}, fmt.Errorf("pca: interrupted: %w", err)
	}
	// bt = yᵀx transposed = V·S·Wᵀ, so x ≈ y·(W·S·Vᵀ).
	var svd mat.SVD
	if !svd.Factorize(mat.NewDense(d, l, bt.Data), mat.SVDThin) {
		return factors{}, fmt.Errorf("pca: the SVD of the projected data did not converge")
	}
	prog.Report("svd", 1, 1)
	var v, w mat.Dense
	svd.UTo(&v)
	svd.VTo(&w)
	vt := mat.NewDense(p.k, d, nil)
	vt.Copy(v.Slice(0, d, 0, p.k).T())
	return factors{s: svd.Values(nil)[:p.k], vt: vt, basis: y, w: w.RawMatrix()}, nil
}

// orthonormalize replaces the columns of the tall matrix a by an
// orthonormal basis of their span (a thin Householder QR).
func orthonormalize(a blas64.General) {
	tau := make([]float64, a.Cols)
	work := []float64{0}
	lapack64.Geqrf(a, tau, work, -1)
	lapack64.Orgqr(a, tau, work[:1:1], -1)
	work = make([]float64, int(work[0])+a.Cols*64)
	lapack64.Geqrf(a, tau, work, len(work))
	lapack64.Orgqr(a, tau, work, len(work))
}

// maxImplicitOffset bounds how far from the origin, in units of their
// spread, data may lie and still be centred inside the products: the
// subtraction there loses about log10 of this ratio in significant digits.
const maxImplicitOffset = 1e4

var errTooLarge = errors.New("pca: the values are too large to sum and square without overflow; standardize them first")

// moments are the column means of the data, the sum of the column
// variances (with n-1 in the denominator), and the offset: the root mean
// square norm of the rows over that of the centred rows.
type moments struct {
	mean     []float64
	totalVar float64
	offset   float64
}

// momentRows is the rows per chunk when summing: enough to amortise a
// goroutine, few enough that per-chunk partial sums stay small.
func momentRows(n int) int { return max(1024, (n+255)/256) }

// measure checks that every value of x is finite and returns its moments,
// in two passes over the rows (the second subtracts the mean, which keeps
// the variance accurate). Sums are taken per fixed chunk and added in chunk
// order.
func measure(ctx context.Context, x *mat.Dense) (moments, error) {
	r := x.RawMatrix()
	n, d := r.Rows, r.Cols
	size := momentRows(n)
	chunks := par.Chunks(n, size)
	sums := make([]float64, chunks*d)
	bad := make([]bool, chunks)
	if err := par.For(ctx, n, size, func(c, lo, hi int) {
		s := sums[c*d : (c+1)*d]
		for i := lo; i < hi; i++ {
			for j, v := range r.Data[i*r.Stride : i*r.Stride+d] {
				s[j] += v
			}
		}
		// A NaN or an infinity anywhere in the chunk leaves a sum that is
		// not finite; checkFinite then finds where.
		for _, v := range s {
			if v-v != 0 {
				bad[c] = true
			}
		}
	}); err != nil {
		return moments{}, fmt.Errorf("pca: interrupted: %w", err)
	}
	for _, b := range bad {
		if b {
			if err := checkFinite(ctx, x); err != nil {
				return moments{}, err
			}
			// Finite values can add up to an infinite sum.
			return moments{}, errTooLarge
		}
	}
	mean := make([]float64, d)
	for c := 0; c < chunks; c++ {
		for j, v := range sums[c*d : (c+1)*d] {
			mean[j] += v
		}
	}
	var meanSq float64
	for j := range mean {
		mean[j] /= float64(n)
		meanSq += mean[j] * mean[j]
	}
	sq := make([]float64, chunks)
	if err := par.For(ctx, n, size, func(c, lo, hi int) {
		var s float64
		for i := lo; i < hi; i++ {
			for j, v := range r.Data[i*r.Stride : i*r.Stride+d] {
				dv := v - mean[j]
				s += dv * dv
			}
		}
		sq[c] = s
	}); err != nil {
		return moments{}, fmt.Errorf("pca: interrupted: %w", err)
	}
	var total float64
	for _, s := range sq {
		total += s
	}
	if math.IsInf(total, 0) {
		return moments{}, errTooLarge
	}
	mo := moments{mean: mean, totalVar: total / float64(n-1), offset: math.Inf(1)}
	if total > 0 {
		mo.offset = math.Sqrt(1 + meanSq*float64(n)/total)
	}
	return mo, nil
}

// centredCopy returns x minus its column means as a contiguous matrix.
func centredCopy(ctx context.Context, x *mat.Dense, mean []float64) blas64.General {
	r := x.RawMatrix()
	n, d := r.Rows, r.Cols
	data := make([]float64, n*d)
	// Centring cannot fail; a cancelled context stops it early and the
	// caller's next step reports the cancellation.
	_ = par.For(ctx, n, momentRows(n), func(_, lo, hi int) {
		for i := lo; i < hi; i++ {
			dst := data[i*d : (i+1)*d]
			for j, v := range r.Data[i*r.Stride : i*r.Stride+d] {
				dst[j] = v - mean[j]
			}
		}
	})
	return blas64.General{Rows: n, Cols: d, Stride: d, Data: data}
}

// checkFinite reports the first NaN or infinite value of x, by row.
func checkFinite(ctx context.Context, x *mat.Dense) error {
	r := x.RawMatrix()
	const size = 4096
	bad := make([]int, par.Chunks(r.Rows, size))
	if err := par.For(ctx, r.Rows, size, func(c, lo, hi int) {
		bad[c] = -1
		for i := lo; i < hi && bad[c] < 0; i++ {
			for j, v := range r.Data[i*r.Stride : i*r.Stride+r.Cols] {
				if v-v != 0 { // NaN or ±Inf
					bad[c] = i*r.Cols + j
					break
				}
			}
		}
	}); err != nil {
		return fmt.Errorf("pca: interrupted: %w", err)
	}
	for _, b := range bad {
		if b >= 0 {
			i, j := b/r.Cols, b%r.Cols
			return fmt.Errorf("pca: the value at row index %d, column index %d is %v; impute or drop missing and infinite values first", i, j, r.Data[i*r.Stride+j])
		}
	}
	return nil
}
