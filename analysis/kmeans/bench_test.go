package kmeans

import (
	"context"
	"testing"

	"github.com/reckon-dev/reckon/analysis/internal/mnist"
	"github.com/reckon-dev/reckon/analysis/metrics"
	"gonum.org/v1/gonum/mat"
)

// BenchmarkMNIST clusters the 70,000 MNIST digits (784 pixel intensities
// in [0, 1]) into 10 clusters, and reports how well the clusters match the
// digits (adjusted Rand index) and the inertia.
func BenchmarkMNIST(b *testing.B) {
	set, err := mnist.Load()
	if err != nil {
		b.Skip(err)
	}
	X := mat.NewDense(set.Len(), mnist.Dim, set.Float64(0))
	truth := make([]int, set.Len())
	for i, l := range set.Labels {
		truth[i] = int(l)
	}
	var r *Result
	b.ResetTimer()
	for range b.N {
		if r, err = Fit(context.Background(), X, Options{K: 10, Seed: 1}); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	ari, err := metrics.AdjustedRandIndex(truth, r.Labels)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(ari, "ARI")
	b.ReportMetric(r.Inertia, "inertia")
	b.ReportMetric(float64(r.NIter), "iterations")
}
