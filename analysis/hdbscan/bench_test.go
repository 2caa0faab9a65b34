package hdbscan

import (
	"context"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"sync"
	"testing"
	"time"

	"gonum.org/v1/gonum/mat"

	"github.com/reckon-dev/reckon/analysis/internal/mnist"
	clusterscore "github.com/reckon-dev/reckon/analysis/metrics"
	"github.com/reckon-dev/reckon/analysis/umap"
	"github.com/reckon-dev/reckon/internal/cputime"
)

// The benchmarks time Fit and Recluster with min_cluster_size 100 on the
// two shapes of data the issue names: the 2-D UMAP of MNIST's 70,000 digits
// (the embedding is computed once, seeded, before timing), and 10-D blobs.
// A synthetic 2-D stand-in is timed too, since it needs no MNIST: ten
// Gaussian blobs of 6,300 points with standard deviations from 0.3 to 3
// (varying density, like UMAP's digit islands) plus 7,000 uniform noise
// points. Besides wall
// time they report CPU time per operation (steadier on a shared machine),
// the bytes allocated per operation, the peak of live memory, what was
// found, and how well it matches the generating blobs (adjusted Rand index,
// noise as its own class).

// standIn2D is the 2-D stand-in for the UMAP of MNIST: 70,000 points, and
// the blob of each (-1 for noise).
func standIn2D() (*mat.Dense, []int) { return standIn2DRows(70000) }

// standIn2DRows is the same shape with n points: at a million rows it is
// the size of the interactive re-runs the scale issue times.
func standIn2DRows(n int) (*mat.Dense, []int) {
	rng := newRNG(2024)
	X := mat.NewDense(n, 2, nil)
	truth := make([]int, n)
	for i := range n {
		b := i % 11
		if b == 10 {
			X.Set(i, 0, rng.Float64()*60-30)
			X.Set(i, 1, rng.Float64()*60-30)
			truth[i] = -1
			continue
		}
		truth[i] = b
		sd := 0.3 + 0.3*float64(b)
		X.Set(i, 0, float64(b%4)*14-21+rng.NormFloat64()*sd)
		X.Set(i, 1, float64(b/4)*14-14+rng.NormFloat64()*sd)
	}
	return X, truth
}

// blobs10D is 100,000 points in 10 dimensions: ten Gaussian blobs of
// varying spread and 5% uniform noise, and the blob of each.
func blobs10D() (*mat.Dense, []int) {
	rng := newRNG(10)
	const n, d = 100000, 10
	centres := make([][]float64, 10)
	for b := range centres {
		centres[b] = make([]float64, d)
		for j := range centres[b] {
			centres[b][j] = rng.Float64()*40 - 20
		}
	}
	X := mat.NewDense(n, d, nil)
	truth := make([]int, n)
	row := make([]float64, d)
	for i := range n {
		if i%20 == 19 {
			for j := range row {
				row[j] = rng.Float64()*50 - 25
			}
			truth[i] = -1
		} else {
			b := i % 10
			truth[i] = b
			sd := 0.5 + 0.2*float64(b)
			for j := range row {
				row[j] = centres[b][j] + rng.NormFloat64()*sd
			}
		}
		X.SetRow(i, row)
	}
	return X, truth
}

// mnistUMAP embeds the 70,000 MNIST digits in 2-D with the project's UMAP
// (seed 42), once per test binary, and returns them with their digits.
func mnistUMAP(b *testing.B) func() (*mat.Dense, []int) {
	mnistOnce.Do(func() {
		set, err := mnist.Load()
		if err != nil {
			mnistErr = err
			return
		}
		x := mat.NewDense(set.Len(), mnist.Dim, set.Float64(0))
		m, err := umap.Fit(context.Background(), x, umap.Settings{Seed: 42})
		if err != nil {
			mnistErr = err
			return
		}
		mnistEmb = m.Embedding
		mnistTruth = make([]int, set.Len())
		for i, l := range set.Labels {
			mnistTruth[i] = int(l)
		}
	})
	if mnistErr != nil {
		b.Fatal(mnistErr)
	}
	return func() (*mat.Dense, []int) { return mnistEmb, mnistTruth }
}

var (
	mnistOnce  sync.Once
	mnistEmb   *mat.Dense
	mnistTruth []int
	mnistErr   error
)

func BenchmarkFitMNISTUMAP(b *testing.B)       { benchFit(b, mnistUMAP(b)) }
func BenchmarkReclusterMNISTUMAP(b *testing.B) { benchRecluster(b, mnistUMAP(b)) }

func BenchmarkFit2D70k(b *testing.B)   { benchFit(b, standIn2D) }
func BenchmarkFit10D100k(b *testing.B) { benchFit(b, blobs10D) }

func BenchmarkRecluster2D70k(b *testing.B)   { benchRecluster(b, standIn2D) }
func BenchmarkRecluster10D100k(b *testing.B) { benchRecluster(b, blobs10D) }
func BenchmarkRecluster2D1M(b *testing.B) {
	benchRecluster(b, func() (*mat.Dense, []int) { return standIn2DRows(1000000) })
}

func benchFit(b *testing.B, data func() (*mat.Dense, []int)) {
	X, truth := data()
	opts := Options{Selection: Selection{MinClusterSize: 100}}
	var r *Result
	m := measure(b, func() {
		var err error
		if r, err = Fit(context.Background(), X, opts); err != nil {
			b.Fatal(err)
		}
	})
	m.report(b)
	reportFound(b, r, truth)
}

func benchRecluster(b *testing.B, data func() (*mat.Dense, []int)) {
	X, truth := data()
	ctx := context.Background()
	r, err := Fit(ctx, X, Options{Selection: Selection{MinClusterSize: 100}})
	if err != nil {
		b.Fatal(err)
	}
	sizes := []int{50, 150, 300}
	var out *Result
	i := 0
	m := measure(b, func() {
		if out, err = Recluster(ctx, r, Selection{MinClusterSize: sizes[i%len(sizes)]}); err != nil {
			b.Fatal(err)
		}
		i++
	})
	m.report(b)
	reportFound(b, out, truth)
}

func reportFound(b *testing.B, r *Result, truth []int) {
	noise := 0
	for _, l := range r.Labels {
		if l < 0 {
			noise++
		}
	}
	b.ReportMetric(float64(len(r.Persistence)), "clusters")
	b.ReportMetric(float64(noise)/float64(len(r.Labels)), "noise-fraction")
	ari, err := clusterscore.AdjustedRandIndex(truth, r.Labels)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(ari, "ARI")
}

type measurement struct {
	cpu      time.Duration
	alloc    uint64 // bytes allocated per operation
	peakLive uint64 // the live heap's peak
}

// measure runs f b.N times for the timings, then once more with the
// garbage collector running almost continuously, sampling the heap every
// millisecond: the heap then holds little but live data, so its peak
// approximates the peak of live memory. That peak counts everything the
// benchmark holds: the input, and the result of the previous run until the
// new one replaces it.
func measure(b *testing.B, f func()) measurement {
	var m measurement
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	alloc0 := ms.TotalAlloc
	c0 := cputime.Used()
	b.ResetTimer()
	for range b.N {
		f()
	}
	b.StopTimer()
	m.cpu = (cputime.Used() - c0) / time.Duration(b.N)
	runtime.ReadMemStats(&ms)
	m.alloc = (ms.TotalAlloc - alloc0) / uint64(b.N)

	defer debug.SetGCPercent(debug.SetGCPercent(5))
	runtime.GC()
	sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	var peak uint64
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
		tick := time.NewTicker(time.Millisecond)
		defer tick.Stop()
		for {
			metrics.Read(s)
			peak = max(peak, s[0].Value.Uint64())
			select {
			case <-stop:
				return
			case <-tick.C:
			}
		}
	}()
	f()
	close(stop)
	wg.Wait()
	// the result itself, still referenced, if the sampler missed the peak
	metrics.Read(sample)
	m.peakLive = max(peak, sample[0].Value.Uint64())
	return m
}

func (m measurement) report(b *testing.B) {
	b.ReportMetric(float64(m.cpu)/1e6, "cpu-ms/op")
	b.ReportMetric(float64(m.alloc)/(1<<20), "alloc-MB/op")
	b.ReportMetric(float64(m.peakLive)/(1<<20), "peak-live-MB")
}
