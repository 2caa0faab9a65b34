package hdbscan_test

import (
	"context"
	"fmt"

	"github.com/reckon-dev/reckon/analysis/hdbscan"
	"gonum.org/v1/gonum/mat"
)

// Two tight groups of points and one far-off point.
func exampleData() *mat.Dense {
	return mat.NewDense(11, 2, []float64{
		0, 0, 0.1, 0, 0, 0.1, 0.1, 0.1, 0.05, 0.05,
		5, 5, 5.1, 5, 5, 5.1, 5.1, 5.1, 5.05, 5.05,
		20, -3,
	})
}

func ExampleFit() {
	res, err := hdbscan.Fit(context.Background(), exampleData(), hdbscan.Options{
		Selection:  hdbscan.Selection{MinClusterSize: 3},
		MinSamples: 2,
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("labels:", res.Labels)
	fmt.Println("clusters:", len(res.Persistence))
	// Output:
	// labels: [0 0 0 0 0 1 1 1 1 1 -1]
	// clusters: 2
}

func ExampleRecluster() {
	ctx := context.Background()
	res, err := hdbscan.Fit(ctx, exampleData(), hdbscan.Options{Selection: hdbscan.Selection{MinClusterSize: 3}, MinSamples: 2})
	if err != nil {
		fmt.Println(err)
		return
	}
	// A minimum cluster size of 6 leaves no group big enough to split off,
	// so everything is noise unless a single cluster is allowed.
	for _, single := range []bool{false, true} {
		r, err := hdbscan.Recluster(ctx, res, hdbscan.Selection{MinClusterSize: 6, AllowSingleCluster: single})
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Println(r.Labels)
	}
	// Output:
	// [-1 -1 -1 -1 -1 -1 -1 -1 -1 -1 -1]
	// [0 0 0 0 0 0 0 0 0 0 -1]
}

func ExampleApproximatePredict() {
	ctx := context.Background()
	res, err := hdbscan.Fit(ctx, exampleData(), hdbscan.Options{Selection: hdbscan.Selection{MinClusterSize: 3}, MinSamples: 2})
	if err != nil {
		fmt.Println(err)
		return
	}
	labels, _, err := hdbscan.ApproximatePredict(ctx, res, mat.NewDense(3, 2, []float64{0.02, 0.08, 5.02, 5.08, -40, 40}))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(labels)
	// Output:
	// [0 1 -1]
}
