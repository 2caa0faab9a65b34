package knn_test

import (
	"context"
	"fmt"

	"gonum.org/v1/gonum/mat"

	"github.com/reckon-dev/reckon/analysis/knn"
)

func ExampleBuild() {
	// Six points on a line: 0, 1, 2 and 10, 11, 12.
	x := mat.NewDense(6, 1, []float64{0, 1, 2, 10, 11, 12})
	ix, err := knn.Build(context.Background(), x, knn.Settings{K: 3})
	if err != nil {
		fmt.Println(err)
		return
	}
	g := ix.Graph()
	for i := range g.N {
		idx, dist := g.Row(i)
		fmt.Println(i, idx, dist)
	}
	// Output:
	// 0 [0 1 2] [0 1 2]
	// 1 [1 0 2] [0 1 1]
	// 2 [2 1 0] [0 1 2]
	// 3 [3 4 5] [0 1 2]
	// 4 [4 3 5] [0 1 1]
	// 5 [5 4 3] [0 1 2]
}

func ExampleIndex_Query() {
	x := mat.NewDense(6, 2, []float64{0, 0, 1, 0, 0, 1, 10, 10, 11, 10, 10, 11})
	ix, err := knn.Build(context.Background(), x, knn.Settings{K: 2, Metric: knn.Manhattan})
	if err != nil {
		fmt.Println(err)
		return
	}
	nb, err := ix.Query(context.Background(), mat.NewDense(1, 2, []float64{9, 9}), 2)
	if err != nil {
		fmt.Println(err)
		return
	}
	idx, dist := nb.Row(0)
	fmt.Println(idx, dist)
	// Output:
	// [3 4] [2 3]
}

func ExampleKeyOf() {
	x := mat.NewDense(3, 2, []float64{1, 2, 3, 4, 5, 6})
	a, _ := knn.KeyOf(x, knn.Settings{K: 2})
	b, _ := knn.KeyOf(mat.DenseCopyOf(x), knn.Settings{K: 2})
	c, _ := knn.KeyOf(x, knn.Settings{K: 2, Metric: knn.Cosine})
	fmt.Println(a == b, a == c)
	// Output:
	// true false
}
