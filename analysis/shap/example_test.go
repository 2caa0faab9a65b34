package shap_test

import (
	"context"
	"fmt"

	"gonum.org/v1/gonum/mat"

	"github.com/reckon-dev/reckon/analysis/gbt"
	"github.com/reckon-dev/reckon/analysis/shap"
)

// A model whose class depends on the first feature only: TreeSHAP puts all
// of a row's departure from the expected margin on that feature.
func Example() {
	X := mat.NewDense(40, 2, nil)
	y := make([]float64, 40)
	for i := 0; i < 40; i++ {
		X.SetRow(i, []float64{float64(i % 4), float64(i % 5)})
		if i%4 == 3 {
			y[i] = 1
		}
	}
	m, err := gbt.Train(context.Background(), X, y, gbt.Settings{NEstimators: 10, MaxDepth: 2})
	if err != nil {
		fmt.Println(err)
		return
	}
	rows := mat.NewDense(2, 2, []float64{0, 4, 3, 1})
	e, err := shap.Explain(context.Background(), m, rows, shap.Settings{})
	if err != nil {
		fmt.Println(err)
		return
	}
	margin, err := m.PredictMargin(context.Background(), rows)
	if err != nil {
		fmt.Println(err)
		return
	}
	for i := 0; i < 2; i++ {
		fmt.Printf("row %d: expected %.3f + x0 %+.3f + x1 %+.3f = margin %.3f\n",
			i, e.Expected, e.Values.At(i, 0), e.Values.At(i, 1), margin[i])
	}
	// Output:
	// row 0: expected -1.425 + x0 -1.564 + x1 +0.000 = margin -2.988
	// row 1: expected -1.425 + x0 +3.663 + x1 +0.000 = margin 2.238
}
