package explain_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"

	"gonum.org/v1/gonum/mat"

	"github.com/reckon-dev/reckon/analysis/explain"
	"github.com/reckon-dev/reckon/analysis/gbt"
)

// Two clusters and some noise: cluster 0 is loud and fast, cluster 1
// quiet and acoustic.
func Example() {
	rng := rand.New(rand.NewPCG(1, 2))
	features := []string{"energy", "acousticness", "tempo"}
	X := mat.NewDense(300, 3, nil)
	labels := make([]int, 300)
	for i := range labels {
		energy, acoustic, tempo := rng.NormFloat64(), rng.NormFloat64(), rng.NormFloat64()
		switch i % 3 {
		case 0:
			energy, acoustic = energy+3, acoustic-2
		case 1:
			acoustic, tempo = acoustic+3, tempo-2
		default:
			labels[i] = -1
			continue
		}
		labels[i] = i % 3
		X.SetRow(i, []float64{energy, acoustic, tempo})
	}
	for i := 2; i < 300; i += 3 {
		X.SetRow(i, []float64{rng.NormFloat64(), rng.NormFloat64(), rng.NormFloat64()})
	}
	why, err := explain.Explain(context.Background(), X, features, explain.FlatLabels(labels),
		explain.Settings{Model: gbt.Settings{NEstimators: 30, MaxDepth: 3}, Seed: 1})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, c := range why.Clusters {
		var top []string
		for _, d := range c.Drivers[:2] {
			sign := map[explain.Direction]string{explain.Raises: "+", explain.Lowers: "-", explain.NoDirection: "?"}[d.Direction]
			top = append(top, d.Feature+" "+sign)
		}
		fmt.Printf("cluster %s: %d rows, CV AUC %.2f, drivers: %s\n", c.Label, c.Size, c.CVAUC, strings.Join(top, ", "))
	}
	// Output:
	// cluster 0: 100 rows, CV AUC 1.00, drivers: energy +, acousticness -
	// cluster 1: 100 rows, CV AUC 0.99, drivers: acousticness +, tempo -
}
