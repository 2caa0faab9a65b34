package umap_test

import (
	"context"
	"fmt"
	"math/rand/v2"

	"gonum.org/v1/gonum/mat"

	"github.com/reckon-dev/reckon/analysis/knn"
	"github.com/reckon-dev/reckon/analysis/metrics"
	"github.com/reckon-dev/reckon/analysis/umap"
)

// twoClouds returns n points in 10 dimensions, half around the origin and
// half around (6, 6, ..., 6), labelled 0 and 1.
func twoClouds(n int, seed uint64) (*mat.Dense, []int) {
	rng := rand.New(rand.NewPCG(seed, 1))
	x := mat.NewDense(n, 10, nil)
	labels := make([]int, n)
	for i := range n {
		labels[i] = i % 2
		for j := range 10 {
			x.Set(i, j, float64(6*labels[i])+rng.NormFloat64())
		}
	}
	return x, labels
}

func ExampleFit() {
	x, labels := twoClouds(400, 1)
	m, err := umap.Fit(context.Background(), x, umap.Settings{Seed: 42})
	if err != nil {
		fmt.Println(err)
		return
	}
	rows, cols := m.Embedding.Dims()
	acc, _ := metrics.KNNAccuracy(context.Background(), m.Embedding, labels, 10)
	fmt.Printf("%dx%d embedding, a=%.3f b=%.3f, %d epochs\n", rows, cols, m.A, m.B, m.NEpochs)
	fmt.Printf("init: %s (%s)\n", m.Init, m.InitNote)
	fmt.Printf("10-NN accuracy: %.2f\n", acc)
	// Output:
	// 400x2 embedding, a=1.577 b=0.895, 500 epochs
	// init: pca (the neighbour graph falls apart into 2 disconnected components, and spectral initialisation needs a connected graph, so PCA initialisation was used instead)
	// 10-NN accuracy: 1.00
}

func ExampleFitIndex() {
	x, _ := twoClouds(400, 2)
	// Build the neighbours once (a session would keep idx under
	// knn.KeyOf), then try two values of min_dist.
	idx, err := knn.Build(context.Background(), x, knn.Settings{K: 15})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, minDist := range []float64{0, 0.5} {
		m, err := umap.FitIndex(context.Background(), idx, umap.Settings{MinDist: umap.Float(minDist), Seed: 1})
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Printf("min_dist %.1f: a=%.3f b=%.3f\n", minDist, m.A, m.B)
	}
	// Output:
	// min_dist 0.0: a=1.933 b=0.790
	// min_dist 0.5: a=0.583 b=1.334
}

func ExampleModel_Transform() {
	x, _ := twoClouds(400, 3)
	m, err := umap.Fit(context.Background(), x, umap.Settings{Seed: 7})
	if err != nil {
		fmt.Println(err)
		return
	}
	// New points from each cloud land among that cloud's points.
	fresh, labels := twoClouds(20, 4)
	y, err := m.Transform(context.Background(), fresh)
	if err != nil {
		fmt.Println(err)
		return
	}
	both := mat.NewDense(420, 2, nil)
	both.Stack(m.Embedding, y)
	all := make([]int, 420)
	for i := range 400 {
		all[i] = i % 2
	}
	copy(all[400:], labels)
	acc, _ := metrics.KNNAccuracy(context.Background(), both, all, 5)
	fmt.Printf("5-NN accuracy with the new points: %.2f\n", acc)
	// Output:
	// 5-NN accuracy with the new points: 1.00
}
