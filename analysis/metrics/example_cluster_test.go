package metrics_test

import (
	"context"
	"fmt"

	"github.com/reckon-dev/reckon/analysis/metrics"
	"gonum.org/v1/gonum/mat"
)

func ExampleAdjustedRandIndex() {
	// the same partition under other names scores 1
	same, _ := metrics.AdjustedRandIndex([]int{0, 0, 1, 1, 2, 2}, []int{5, 5, 3, 3, 9, 9})
	// one row moved
	moved, _ := metrics.AdjustedRandIndex([]int{0, 0, 1, 1, 2, 2}, []int{0, 0, 1, 2, 2, 2})
	fmt.Printf("%.3f %.3f\n", same, moved)
	// Output: 1.000 0.444
}

func ExampleAdjustedMutualInfo() {
	ami, _ := metrics.AdjustedMutualInfo([]int{0, 0, 0, 1, 1, 1}, []int{0, 0, 1, 1, 2, 2})
	fmt.Printf("%.4f\n", ami)
	// Output: 0.2988
}

func ExampleJaccardRecovery() {
	reference := []int{0, 0, 0, 0, 1, 1, 1, -1}
	rerun := []int{4, 4, 4, -1, 7, 7, 4, 7}
	rec, _ := metrics.JaccardRecovery(reference, rerun)
	for _, r := range rec {
		fmt.Printf("cluster %d (%d rows): best match %d, Jaccard %.2f\n", r.Cluster, r.Size, r.Match, r.Jaccard)
	}
	// Output:
	// cluster 0 (4 rows): best match 4, Jaccard 0.60
	// cluster 1 (3 rows): best match 7, Jaccard 0.50
}

func ExampleSilhouette() {
	X := mat.NewDense(6, 1, []float64{0, 0.1, 0.2, 5, 5.1, 5.2})
	s, _ := metrics.Silhouette(context.Background(), X, []int{0, 0, 0, 1, 1, 1}, metrics.SilhouetteOptions{})
	fmt.Printf("%.3f\n", s)
	// Output: 0.973
}
