package knn

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"gonum.org/v1/gonum/mat"

	"github.com/reckon-dev/reckon/analysis/internal/mnist"
	"github.com/reckon-dev/reckon/analysis/internal/par"
	"github.com/reckon-dev/reckon/internal/cputime"
)

var (
	mnistOnce sync.Once
	mnistSet  *mnist.Set
	mnistErr  error
)

// mnistRows returns the first n MNIST digits as an n x 784 matrix of pixel
// intensities in [0, 1].
func mnistRows(tb testing.TB, n int) *mat.Dense {
	tb.Helper()
	mnistOnce.Do(func() { mnistSet, mnistErr = mnist.Load() })
	if mnistErr != nil {
		tb.Fatal(mnistErr)
	}
	return mat.NewDense(n, mnist.Dim, mnistSet.Float64(n))
}

// sampledRecall compares the graph's rows 0, step, 2*step, ... with their
// exact neighbours, found by brute force, and returns the fraction of exact
// neighbours (self excluded) that the graph holds.
func sampledRecall(ix *Index, step int) float64 {
	g := ix.Graph()
	dist := ix.settings.Metric.reduced()
	rows := par.Chunks(g.N, step)
	hits := make([]int, rows)
	_ = par.For(context.Background(), rows, 16, func(_, lo, hi int) {
		h := newHeaps(1, g.K)
		for r := lo; r < hi; r++ {
			i := r * step
			h.reset()
			h.push(0, 0, int32(i), 0)
			for j := range g.N {
				if j != i {
					if d := dist(ix.vec(i), ix.vec(j)); d < h.worst(0) {
						h.push(0, d, int32(j), 0)
					}
				}
			}
			got, _ := g.Row(i)
			for _, j := range h.idx {
				for _, x := range got[1:] {
					if j == x && j != int32(i) {
						hits[r]++
					}
				}
			}
		}
	})
	total := 0
	for _, h := range hits {
		total += h
	}
	return float64(total) / float64(rows*(g.K-1))
}

// BenchmarkNNDescentMNIST builds the 15-NN graph of the first 10,000 and of
// all 70,000 MNIST digits with the default settings and reports wall and
// CPU time per build and the recall of every 10th (70th) row against brute
// force.
func BenchmarkNNDescentMNIST(b *testing.B) {
	for _, n := range []int{10000, 70000} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			x := mnistRows(b, n)
			var ix *Index
			start, cpu0 := time.Now(), cputime.Used()
			s := Settings{K: 15, Method: NNDescent}
			for b.Loop() {
				var err error
				ix, err = Build(context.Background(), x, s)
				if err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(time.Since(start).Seconds()/float64(b.N), "s/build")
			b.ReportMetric((cputime.Used()-cpu0).Seconds()/float64(b.N), "cpu-s/build")
			b.ReportMetric(sampledRecall(ix, n/1000), "recall")
		})
	}
}
