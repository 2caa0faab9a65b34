package metrics

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"
)

// bruteAccuracy is the definition, by sorting all distances.
func bruteAccuracy(e *mat.Dense, labels []int, k int) float64 {
	n, _ := e.Dims()
	nb, _ := exactNeighbours(context.Background(), e, k)
	hits := 0
	for i := range n {
		votes := map[int]int{}
		for _, j := range nb[i*k : (i+1)*k] {
			votes[labels[j]]++
		}
		best, bestVotes := 0, -1
		for l, v := range votes {
			if v > bestVotes || (v == bestVotes && l < best) {
				best, bestVotes = l, v
			}
		}
		if best == labels[i] {
			hits++
		}
	}
	return float64(hits) / float64(n)
}

func TestKNNAccuracyMatchesBruteForce(t *testing.T) {
	rng := rand.New(rand.NewPCG(4, 4))
	for _, d := range []int{1, 2, 3} {
		n := 700
		e := mat.NewDense(n, d, nil)
		labels := make([]int, n)
		for i := range n {
			labels[i] = rng.IntN(5)
			for c := range d {
				e.Set(i, c, float64(labels[i])+rng.NormFloat64()*1.5)
			}
		}
		for _, k := range []int{1, 4, 10} {
			got, err := KNNAccuracy(context.Background(), e, labels, k)
			if err != nil {
				t.Fatal(err)
			}
			if want := bruteAccuracy(e, labels, k); got != want {
				t.Errorf("d=%d k=%d: %v, brute force %v", d, k, got, want)
			}
		}
	}
}

func TestKNNAccuracySeparatedClasses(t *testing.T) {
	e := mat.NewDense(40, 2, nil)
	labels := make([]int, 40)
	for i := range 40 {
		labels[i] = i / 20 * 7
		e.Set(i, 0, float64(labels[i])*100+float64(i%20))
	}
	if got, err := KNNAccuracy(context.Background(), e, labels, 5); err != nil || got != 1 {
		t.Errorf("separated classes: %v, %v; want 1", got, err)
	}
	if _, err := KNNAccuracy(context.Background(), e, labels[:3], 5); err == nil || !strings.Contains(err.Error(), "40 rows but there are 3 labels") {
		t.Errorf("label count mismatch: %v", err)
	}
	if _, err := KNNAccuracy(context.Background(), e, labels, 40); err == nil {
		t.Error("k = rows accepted")
	}
}

func ExampleKNNAccuracy() {
	// Two groups on a line; the point at 4.5 is labelled like the far
	// group, so its neighbours outvote it.
	e := mat.NewDense(7, 1, []float64{0, 1, 2, 4.5, 9, 10, 11})
	labels := []int{0, 0, 0, 1, 1, 1, 1}
	acc, _ := KNNAccuracy(context.Background(), e, labels, 3)
	fmt.Printf("%.3f\n", acc)
	// Output:
	// 0.857
}
