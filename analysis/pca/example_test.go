package pca_test

import (
	"context"
	"fmt"

	"gonum.org/v1/gonum/mat"

	"github.com/reckon-dev/reckon/analysis/pca"
)

// Points scattered along the line y = 2x: one component carries almost all
// of their variance.
func Example() {
	x := mat.NewDense(6, 2, []float64{
		0, 0.1,
		1, 1.9,
		2, 4.2,
		3, 5.8,
		4, 8.1,
		5, 9.9,
	})
	m, emb, err := pca.FitTransform(context.Background(), x, pca.Settings{NComponents: 1})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("solver: %s\n", m.Solver)
	fmt.Printf("axis: %.3f\n", mat.Formatted(m.Components))
	fmt.Printf("explained variance ratio: %.4f\n", m.ExplainedVarianceRatio[0])
	fmt.Printf("first point: %.3f\n", emb.At(0, 0))
	// Output:
	// solver: full
	// axis: [0.451  0.893]
	// explained variance ratio: 0.9997
	// first point: -5.501
}

// A fitted model places new rows on the axes it found.
func ExampleModel_Transform() {
	x := mat.NewDense(4, 3, []float64{
		1, 0, 0,
		-1, 0, 0,
		0, 2, 0,
		0, -2, 0,
	})
	m, err := pca.Fit(context.Background(), x, pca.Settings{NComponents: 2})
	if err != nil {
		fmt.Println(err)
		return
	}
	y, err := m.Transform(context.Background(), mat.NewDense(1, 3, []float64{0.5, 1, 9}))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%.2f\n", mat.Formatted(y))
	// Output:
	// [1.00  0.50]
}
