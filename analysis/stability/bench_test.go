package stability

import (
	"context"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/reckon-dev/reckon/analysis/hdbscan"
)

// BenchmarkSweepFromHierarchy measures what explore pays per value of
// min_cluster_size once the hierarchy is cached: selecting the clusters
// again and comparing with the previous value, on 70,000 2-D points in
// twelve clusters (the size of the example tracks' embedding).
func BenchmarkSweepFromHierarchy(b *testing.B) {
	const n = 70_000
	rng := rand.New(rand.NewPCG(7, 7))
	x := mat.NewDense(n, 2, nil)
	for i := range n {
		c := float64(i % 12)
		x.Set(i, 0, 10*c+rng.NormFloat64())
		x.Set(i, 1, 5*float64(i%3)+rng.NormFloat64())
	}
	ctx := context.Background()
	base, err := hdbscan.Fit(ctx, x, hdbscan.Options{MinSamples: 10, Selection: hdbscan.Selection{MinClusterSize: 50}})
	if err != nil {
		b.Fatal(err)
	}
	values := []int{10, 25, 50, 100, 200}
	for b.Loop() {
		if _, err := Sweep(ctx, nil, SweepSettings{Vary: MinClusterSize, Values: values, Hierarchy: base}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N*len(values)), "ms/value")
}
