package knn

import (
	"context"
	"fmt"
	"math"
	"sync"
	"testing"
	"time"

	"gonum.org/v1/gonum/mat"

	"github.com/reckon-dev/reckon/analysis/internal/mnist"
	"github.com/reckon-dev/reckon/analysis/internal/par"
	"github.com/reckon-dev/reckon/internal/cputime"
	"github.com/reckon-dev/reckon/internal/synth"
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

// tracksRows returns rows [lo, hi) of internal/synth's table drawn with
// seed (20 features, planted groups), standardized by the mean and spread
// of rows [0, fit) of the table drawn with seed 1: the rows a tracks-like
// model is fitted on and the new rows it is applied to.
func tracksRows(tb testing.TB, fit, seed uint64, lo, hi int) *mat.Dense {
	tb.Helper()
	ctx := context.Background()
	base, err := synth.Generate(ctx, synth.Settings{Rows: int(fit), Seed: 1})
	if err != nil {
		tb.Fatal(err)
	}
	tab, err := synth.Generate(ctx, synth.Settings{Rows: hi, Seed: seed})
	if err != nil {
		tb.Fatal(err)
	}
	d := len(tab.Names)
	x := mat.NewDense(hi-lo, d, nil)
	for j := range d {
		var mean, sq float64
		for i := range base.Rows {
			mean += base.At(i, j)
		}
		mean /= float64(base.Rows)
		for i := range base.Rows {
			sq += (base.At(i, j) - mean) * (base.At(i, j) - mean)
		}
		sd := math.Sqrt(sq / float64(base.Rows))
		for i := lo; i < hi; i++ {
			x.Set(i-lo, j, (tab.At(i, j)-mean)/sd)
		}
	}
	return x
}

// BenchmarkQuery searches an index for the 15 nearest rows of new rows, as
// UMAP's transform does, and reports queries per second of wall and of
// CPU time:
//   - tracks-5k/fresh: a 5,000-row tracks-like index (internal/synth,
//     standardized) and 20,000 new rows drawn from the same groups;
//   - tracks-5k/drift: the same index and 20,000 rows of a table drawn
//     with another seed, hence other groups, far from every indexed row
//     (the new rows of the pipeline's apply benchmarks);
//   - tracks-100k/fresh: a 100,000-row index and 100,000 new rows, the
//     "sample, then transform the rest" route at scale;
//   - mnist-10k: 10,000 MNIST digits (784 pixels) and the next 10,000.
func BenchmarkQuery(b *testing.B) {
	for _, c := range []struct {
		name  string
		train func(testing.TB) *mat.Dense
		query func(testing.TB) *mat.Dense
	}{
		{"tracks-5k/fresh", func(tb testing.TB) *mat.Dense { return tracksRows(tb, 5000, 1, 0, 5000) },
			func(tb testing.TB) *mat.Dense { return tracksRows(tb, 5000, 1, 5000, 25000) }},
		{"tracks-5k/drift", func(tb testing.TB) *mat.Dense { return tracksRows(tb, 5000, 1, 0, 5000) },
			func(tb testing.TB) *mat.Dense { return tracksRows(tb, 5000, 2, 0, 20000) }},
		{"tracks-100k/fresh", func(tb testing.TB) *mat.Dense { return tracksRows(tb, 100000, 1, 0, 100000) },
			func(tb testing.TB) *mat.Dense { return tracksRows(tb, 100000, 1, 100000, 200000) }},
		{"mnist-10k", func(tb testing.TB) *mat.Dense { return mnistRows(tb, 10000) },
			func(tb testing.TB) *mat.Dense {
				x := mnistRows(tb, 20000)
				return mat.DenseCopyOf(x.Slice(10000, 20000, 0, mnist.Dim))
			}},
	} {
		b.Run(c.name, func(b *testing.B) {
			ctx := context.Background()
			ix, err := Build(ctx, c.train(b), Settings{K: 15, Method: NNDescent, Seed: 1})
			if err != nil {
				b.Fatal(err)
			}
			q := c.query(b)
			n, _ := q.Dims()
			if _, err := ix.Query(ctx, q.Slice(0, 1, 0, ix.Dim()), 15); err != nil {
				b.Fatal(err)
			}
			start, cpu0 := time.Now(), cputime.Used()
			for b.Loop() {
				if _, err := ix.Query(ctx, q, 15); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(n*b.N)/time.Since(start).Seconds(), "queries/s")
			b.ReportMetric(float64(n*b.N)/(cputime.Used()-cpu0).Seconds(), "queries/cpu-s")
		})
	}
}
