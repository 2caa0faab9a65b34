package kmeans_test

import (
	"context"
	"fmt"

	"github.com/reckon-dev/reckon/analysis/kmeans"
	"gonum.org/v1/gonum/mat"
)

func ExampleFit() {
	X := mat.NewDense(6, 2, []float64{
		0, 0, 0.2, 0.1, 0.1, 0.3,
		5, 5, 5.2, 4.9, 4.8, 5.1,
	})
	res, err := kmeans.Fit(context.Background(), X, kmeans.Options{K: 2, Seed: 1})
	if err != nil {
		fmt.Println(err)
		return
	}
	first := res.Labels[0]
	same := res.Labels[1] == first && res.Labels[2] == first
	apart := res.Labels[3] != first && res.Labels[3] == res.Labels[4] && res.Labels[4] == res.Labels[5]
	fmt.Println(same, apart)
	fmt.Printf("inertia %.3f\n", res.Inertia)
	// Output:
	// true true
	// inertia 0.167
}
