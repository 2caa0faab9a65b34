package metrics

import (
	"context"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/mat"
)

// BenchmarkAdjustedMutualInfo scores two labellings of 70,000 rows into 30
// clusters: the exact expected mutual information dominates.
func BenchmarkAdjustedMutualInfo(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 2))
	a := randomLabels(rng, 70000, 30, 0.05)
	c := perturbed(rng, a, 0.2, 30)
	b.ResetTimer()
	for range b.N {
		if _, err := AdjustedMutualInfo(a, c); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkAdjustedRandIndex(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 2))
	a := randomLabels(rng, 70000, 30, 0.05)
	c := perturbed(rng, a, 0.2, 30)
	b.ResetTimer()
	for range b.N {
		if _, err := AdjustedRandIndex(a, c); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkSilhouetteSample scores 70,000 2-D rows in 10 clusters on a
// sample of 10,000, the size to use on large data.
func BenchmarkSilhouetteSample(b *testing.B) {
	rng := rand.New(rand.NewPCG(3, 4))
	const n = 70000
	X := mat.NewDense(n, 2, nil)
	labels := make([]int, n)
	for i := range n {
		labels[i] = i % 10
		X.Set(i, 0, float64(labels[i]%5)*4+rng.NormFloat64())
		X.Set(i, 1, float64(labels[i]/5)*4+rng.NormFloat64())
	}
	var s float64
	b.ResetTimer()
	for range b.N {
		var err error
		if s, err = Silhouette(context.Background(), X, labels, SilhouetteOptions{SampleSize: 10000, Seed: 1}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(s, "silhouette")
}
