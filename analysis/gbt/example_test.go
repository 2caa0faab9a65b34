package gbt_test

import (
	"context"
	"fmt"
	"math"
	"os"

	"gonum.org/v1/gonum/mat"

	"github.com/reckon-dev/reckon/analysis/gbt"
)

// A one-against-the-rest classifier: rows whose first feature exceeds 3
// form the positive class; the second feature is noise, and sometimes
// missing.
func Example() {
	X := mat.NewDense(100, 2, nil)
	y := make([]float64, 100)
	for i := 0; i < 100; i++ {
		X.Set(i, 0, float64(i%10))
		X.Set(i, 1, float64(i%7))
		if i%5 == 0 {
			X.Set(i, 1, math.NaN())
		}
		if i%10 > 3 {
			y[i] = 1
		}
	}
	m, err := gbt.Train(context.Background(), X, y, gbt.Settings{NEstimators: 20, MaxDepth: 2})
	if err != nil {
		fmt.Println(err)
		return
	}
	p, err := m.PredictProba(context.Background(), mat.NewDense(2, 2, []float64{1, 5, 8, math.NaN()}))
	if err != nil {
		fmt.Println(err)
		return
	}
	root := m.Trees[0].Nodes[0]
	fmt.Printf("first split: feature %d < %g\n", root.Feature, root.Threshold)
	fmt.Printf("P(positive) for x0=1: %.2f, for x0=8: %.2f\n", p[0], p[1])
	// Output:
	// first split: feature 0 < 4
	// P(positive) for x0=1: 0.02, for x0=8: 0.98
}

// Models load into XGBoost (Python: xgboost.Booster().load_model(path)).
func ExampleModel_SaveXGBoost() {
	X := mat.NewDense(4, 1, []float64{1, 2, 3, 4})
	m, err := gbt.Train(context.Background(), X, []float64{0, 0, 1, 1}, gbt.Settings{NEstimators: 2, MinChildWeight: new(0.0)})
	if err != nil {
		fmt.Println(err)
		return
	}
	dir, err := os.MkdirTemp("", "gbt")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer os.RemoveAll(dir)
	if err := m.SaveXGBoost(dir + "/model.json"); err != nil {
		fmt.Println(err)
		return
	}
	back, err := os.Open(dir + "/model.json")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer back.Close()
	again, err := gbt.ReadXGBoostJSON(back)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(len(again.Trees), "trees; first split at", again.Trees[0].Nodes[0].Threshold)
	// Output: 2 trees; first split at 3
}
