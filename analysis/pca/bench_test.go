package pca

import (
	"context"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/reckon-dev/reckon/analysis/internal/mnist"
	"github.com/reckon-dev/reckon/analysis/pca/internal/gemm"
	"github.com/reckon-dev/reckon/internal/cputime"
)

func loadMNIST(b *testing.B, n int) *mat.Dense {
	b.Helper()
	set, err := mnist.Load()
	if err != nil {
		b.Skipf("MNIST is not available: %v", err)
	}
	if n <= 0 || n > set.Len() {
		n = set.Len()
	}
	return mat.NewDense(n, mnist.Dim, set.Float64(n))
}

// BenchmarkMNIST fits 50 components to all 70,000 MNIST digits with the
// randomized solver, the target being at most 3 s on a 2-core machine.
// It reports the share of variance the components explain.
func BenchmarkMNIST(b *testing.B) {
	x := loadMNIST(b, 0)
	b.Logf("products run on the %s kernel", gemm.Kernel())
	var m *Model
	cpu0 := cputime.Used()
	for b.Loop() {
		var err error
		m, _, err = FitTransform(context.Background(), x, Settings{NComponents: 50, Solver: Randomized, Seed: 1})
		if err != nil {
			b.Fatal(err)
		}
	}
	var sum float64
	for _, r := range m.ExplainedVarianceRatio {
		sum += r
	}
	b.ReportMetric(sum, "explained")
	b.ReportMetric(b.Elapsed().Seconds()/float64(b.N), "s/fit")
	b.ReportMetric((cputime.Used()-cpu0).Seconds()/float64(b.N), "cpu-s/fit")
}
