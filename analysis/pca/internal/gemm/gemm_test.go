package gemm

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"testing"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas64"
)

// randGeneral returns an r x c matrix of standard normals whose rows are
// pad elements longer than c, so that strides are exercised.
func randGeneral(rng *rand.Rand, r, c, pad int) blas64.General {
	g := blas64.General{Rows: r, Cols: c, Stride: c + pad, Data: make([]float64, r*(c+pad))}
	for i := range g.Data {
		g.Data[i] = rng.NormFloat64()
	}
	return g
}

func randVec(rng *rand.Rand, n int) []float64 {
	v := make([]float64, n)
	for i := range v {
		v[i] = 3 + rng.NormFloat64()
	}
	return v
}

func at(g blas64.General, i, j int) float64 { return g.Data[i*g.Stride+j] }

// shifted returns a copy of a minus shift in every row.
func shifted(a blas64.General, shift []float64) blas64.General {
	s := blas64.General{Rows: a.Rows, Cols: a.Cols, Stride: a.Cols, Data: make([]float64, a.Rows*a.Cols)}
	for i := 0; i < a.Rows; i++ {
		for j := 0; j < a.Cols; j++ {
			s.Data[i*a.Cols+j] = at(a, i, j)
			if shift != nil {
				s.Data[i*a.Cols+j] -= shift[j]
			}
		}
	}
	return s
}

// naive returns op(a)·b by a triple loop, with op transposing when trans.
func naive(a, b blas64.General, trans bool) blas64.General {
	m, k := a.Rows, a.Cols
	if trans {
		m, k = k, m
	}
	out := blas64.General{Rows: m, Cols: b.Cols, Stride: b.Cols, Data: make([]float64, m*b.Cols)}
	for i := 0; i < m; i++ {
		for j := 0; j < b.Cols; j++ {
			var s float64
			for p := 0; p < k; p++ {
				if trans {
					s += at(a, p, i) * at(b, p, j)
				} else {
					s += at(a, i, p) * at(b, p, j)
				}
			}
			out.Data[i*b.Cols+j] = s
		}
	}
	return out
}

// assertClose compares entries that are sums of terms products of values
// of order 1 (times scale), whose rounding grows like the square root of
// the number of terms.
func assertClose(t *testing.T, what string, got, want blas64.General, terms int, scale float64) {
	t.Helper()
	tol := 1e-14 * float64(terms) * scale
	for i := 0; i < want.Rows; i++ {
		for j := 0; j < want.Cols; j++ {
			if g, w := at(got, i, j), at(want, i, j); math.Abs(g-w) > tol {
				t.Fatalf("%s: [%d,%d] = %v, want %v (tolerance %g)", what, i, j, g, w, tol)
			}
		}
	}
}

var shapes = []struct{ rows, inner, cols int }{
	{1, 1, 1}, {3, 5, 2}, {13, 17, 16}, {12, 16, 16}, {29, 33, 61}, {300, 50, 60},
	{257, 784, 64}, {5000, 7, 3}, {4200, 20, 33}, {9000, 13, 17},
}

func TestProductsMatchNaiveLoops(t *testing.T) {
	ctx := context.Background()
	for _, kn := range available() {
		restore, err := use(kn.name)
		if err != nil {
			t.Fatal(err)
		}
		rng := rand.New(rand.NewPCG(1, 2))
		for _, s := range shapes {
			for _, shift := range [][]float64{nil, randVec(rng, s.inner)} {
				name := fmt.Sprintf("%s %dx%dx%d shift=%v", kn.name, s.rows, s.inner, s.cols, shift != nil)
				a := randGeneral(rng, s.rows, s.inner, 3)
				sa := shifted(a, shift)
				scale := 1.0
				if shift != nil {
					scale = 16
				}

				b := randGeneral(rng, s.inner, s.cols, 1)
				c := randGeneral(rng, s.rows, s.cols, 2) // garbage to overwrite
				if err := Mul(ctx, c, a, b, shift); err != nil {
					t.Fatal(err)
				}
				assertClose(t, "Mul "+name, c, naive(sa, b, false), s.inner, scale)

				bt := randGeneral(rng, s.rows, s.cols, 1)
				ct := randGeneral(rng, s.inner, s.cols, 5)
				if err := MulTrans(ctx, ct, a, bt, shift); err != nil {
					t.Fatal(err)
				}
				assertClose(t, "MulTrans "+name, ct, naive(sa, bt, true), s.rows, scale)

				q := randGeneral(rng, s.inner, s.cols, 0)
				cg := randGeneral(rng, s.inner, s.cols, 1)
				if err := MulGram(ctx, cg, a, q, shift); err != nil {
					t.Fatal(err)
				}
				assertClose(t, "MulGram "+name, cg, naive(sa, naive(sa, q, false), true), s.rows*s.inner, scale*scale)
			}
		}
		restore()
	}
}

func TestResultsDoNotDependOnGOMAXPROCS(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	a := randGeneral(rng, 9000, 40, 0)
	q := randGeneral(rng, 40, 20, 0)
	shift := randVec(rng, 40)
	run := func(procs int) []float64 {
		prev := runtime.GOMAXPROCS(procs)
		defer runtime.GOMAXPROCS(prev)
		ctx := context.Background()
		c := blas64.General{Rows: 40, Cols: 20, Stride: 20, Data: make([]float64, 800)}
		if err := MulGram(ctx, c, a, q, shift); err != nil {
			t.Fatal(err)
		}
		ct := blas64.General{Rows: 40, Cols: 40, Stride: 40, Data: make([]float64, 1600)}
		if err := MulTrans(ctx, ct, a, a, shift); err != nil {
			t.Fatal(err)
		}
		cm := blas64.General{Rows: 9000, Cols: 20, Stride: 20, Data: make([]float64, 9000*20)}
		if err := Mul(ctx, cm, a, q, shift); err != nil {
			t.Fatal(err)
		}
		return append(append(c.Data, ct.Data...), cm.Data...)
	}
	one, four := run(1), run(4)
	for i := range one {
		if math.Float64bits(one[i]) != math.Float64bits(four[i]) {
			t.Fatalf("entry %d: %v with GOMAXPROCS=1, %v with 4", i, one[i], four[i])
		}
	}
}

func TestCancelledContextStopsWork(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	rng := rand.New(rand.NewPCG(5, 6))
	a := randGeneral(rng, 10000, 10, 0)
	q := randGeneral(rng, 10, 4, 0)
	c := blas64.General{Rows: 10, Cols: 4, Stride: 4, Data: make([]float64, 40)}
	if err := MulGram(ctx, c, a, q, nil); err != context.Canceled {
		t.Fatalf("MulGram on a cancelled context returned %v", err)
	}
}

func TestUnknownKernelIsAnError(t *testing.T) {
	if _, err := use("sse9"); err == nil {
		t.Fatal("use accepted a kernel that does not exist")
	}
	if Kernel() == "" {
		t.Fatal("no active kernel")
	}
}

// The benchmarks time the three products at the shape of a PCA power
// iteration on MNIST: 16,384 x 784 data and a 64-column sketch, on every
// kernel this CPU runs and with gonum's own pure-Go BLAS (blas64.Gemm, the
// reference the kernels must beat to be kept), reporting GFLOP/s.
const benchRows, benchCols, benchSketch = 16384, 784, 64

func benchKernels(b *testing.B, flops float64, run, gonum func() error) {
	b.Run("gonum", func(b *testing.B) {
		for b.Loop() {
			if err := gonum(); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(flops*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
	})
	for _, kn := range available() {
		b.Run(kn.name, func(b *testing.B) {
			restore, err := use(kn.name)
			if err != nil {
				b.Fatal(err)
			}
			defer restore()
			for b.Loop() {
				if err := run(); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(flops*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
		})
	}
}

func BenchmarkMul(b *testing.B) {
	rng := rand.New(rand.NewPCG(7, 8))
	x := randGeneral(rng, benchRows, benchCols, 0)
	q := randGeneral(rng, benchCols, benchSketch, 0)
	y := randGeneral(rng, benchRows, benchSketch, 0)
	benchKernels(b, 2*benchRows*benchCols*benchSketch, func() error { return Mul(context.Background(), y, x, q, nil) },
		func() error { blas64.Gemm(blas.NoTrans, blas.NoTrans, 1, x, q, 0, y); return nil })
}

func BenchmarkMulTrans(b *testing.B) {
	rng := rand.New(rand.NewPCG(7, 8))
	x := randGeneral(rng, benchRows, benchCols, 0)
	y := randGeneral(rng, benchRows, benchSketch, 0)
	z := randGeneral(rng, benchCols, benchSketch, 0)
	benchKernels(b, 2*benchRows*benchCols*benchSketch, func() error { return MulTrans(context.Background(), z, x, y, nil) },
		func() error { blas64.Gemm(blas.Trans, blas.NoTrans, 1, x, y, 0, z); return nil })
}

func BenchmarkMulGram(b *testing.B) {
	rng := rand.New(rand.NewPCG(7, 8))
	x := randGeneral(rng, benchRows, benchCols, 0)
	q := randGeneral(rng, benchCols, benchSketch, 0)
	z := randGeneral(rng, benchCols, benchSketch, 0)
	shift := randVec(rng, benchCols)
	// gonum's side forms x q and multiplies it by xᵀ, uncentred: two Gemm
	// calls of the same flops (the centring is a rank-one correction).
	xq := randGeneral(rng, benchRows, benchSketch, 0)
	benchKernels(b, 4*benchRows*benchCols*benchSketch, func() error { return MulGram(context.Background(), z, x, q, shift) },
		func() error {
			blas64.Gemm(blas.NoTrans, blas.NoTrans, 1, x, q, 0, xq)
			blas64.Gemm(blas.Trans, blas.NoTrans, 1, x, xq, 0, z)
			return nil
		})
}

// use switches the package to the kernel with the given name, for tests
// that compare the kernels with each other.
func use(name string) (restore func(), err error) {
	for _, k := range available() {
		if k.name == name {
			prev := active
			active = k
			return func() { active = prev }, nil
		}
	}
	return nil, fmt.Errorf("gemm: no kernel %q on this CPU", name)
}
