package dsl

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/reckon-dev/reckon/analysis/frame"
	"github.com/reckon-dev/reckon/analysis/metrics"
	"github.com/reckon-dev/reckon/internal/cputime"
	"github.com/reckon-dev/reckon/internal/pyref"
	"github.com/reckon-dev/reckon/internal/randseed"
	"github.com/reckon-dev/reckon/internal/synth"
	"github.com/reckon-dev/reckon/kernel"
	"gonum.org/v1/gonum/mat"
)

// BenchmarkScale runs the whole method on a planted table as a user would,
// cell by cell: load, standardize, umap, hdbscan, recurse to depth 2,
// explain; then the interactive re-runs (recluster, umap with another
// min_dist) and the way past what fits (umap of a 10% sample, transform of
// every row, hdbscan). For every step it reports wall and processor time
// and the peak resident memory during the step (Linux only), and the quality: ARI of hdbscan against the planted groups
// and of recurse's second level against the planted sub-groups (both on
// the rows planted in a group), and trustworthiness (k=15) on 5,000 rows.
//
// It runs 10,000 and 100,000 rows, or the sizes in RECKON_SCALE_ROWS
// (comma-separated); heavy, so out of CI:
//
//	go test -run XXX -bench Scale -benchtime 1x -timeout 0 ./dsl/
//	RECKON_SCALE_ROWS=1000000 go test -run XXX -bench Scale -benchtime 1x -timeout 0 ./dsl/
func BenchmarkScale(b *testing.B) {
	for _, n := range scaleSizes(b) {
		b.Run(fmt.Sprintf("rows=%d", n), func(b *testing.B) { benchScale(b, n) })
	}
}

// scaleSizes are the rows the scale benchmarks run: 10,000 and 100,000,
// or those RECKON_SCALE_ROWS lists.
func scaleSizes(b *testing.B) []int {
	env := os.Getenv("RECKON_SCALE_ROWS")
	if env == "" {
		return []int{10_000, 100_000}
	}
	var sizes []int
	for _, f := range strings.Split(env, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n < 1000 {
			b.Fatalf("RECKON_SCALE_ROWS: %q is not a number of rows of at least 1000", f)
		}
		sizes = append(sizes, n)
	}
	return sizes
}

// plantedFile writes a planted table of n rows as CSV (seed 1) and returns
// it with the file's path.
func plantedFile(b *testing.B, n int) (*synth.Table, string) {
	ctx := context.Background()
	planted, err := synth.Generate(ctx, synth.Settings{Rows: n, Seed: 1})
	if err != nil {
		b.Fatal(err)
	}
	file := filepath.Join(b.TempDir(), "planted.csv")
	f, err := os.Create(file)
	if err != nil {
		b.Fatal(err)
	}
	if err := planted.WriteCSV(ctx, f); err != nil {
		b.Fatal(err)
	}
	if err := f.Close(); err != nil {
		b.Fatal(err)
	}
	return planted, file
}

// minClusterSize is half a percent of the rows: the smallest planted
// sub-group holds about 3%.
func minClusterSize(n int) int { return max(n/200, 25) }

// minSamples is the min_samples the benchmark gives hdbscan and recurse,
// as the README's "Past what fits" tells users to at scale: left out, it
// follows min_cluster_size (hdbscan's default), so core distances would
// need n/200 neighbours of every row, 5,000 at a million rows.
const minSamples = 50

// density is the hdbscan arguments of the benchmark at n rows.
func density(n int) string {
	return fmt.Sprintf("min_cluster_size=%d, min_samples=%d", minClusterSize(n), min(minSamples, minClusterSize(n)))
}

// cost is what a cell took: wall and processor time, and the peak
// resident memory while it ran, in MB.
type cost struct {
	wall, cpu time.Duration
	peakMB    float64
}

// runCell runs one cell after a garbage collection and measures it.
func runCell(b *testing.B, s *Session, src string) cost {
	b.StopTimer()
	runtime.GC()
	b.StartTimer()
	var c cost
	peak := peakRSS(b, func() {
		wall, cpu := time.Now(), cputime.Used()
		if _, err := s.Run(context.Background(), src, discard{}); err != nil {
			b.Fatalf("%s: %v", src, err)
		}
		c.wall, c.cpu = time.Since(wall), cputime.Used()-cpu
	})
	c.peakMB = peak / (1 << 20)
	return c
}

// step is one cell of a benchmarked session.
type step struct{ name, src string }

func benchScale(b *testing.B, n int) {
	planted, file := plantedFile(b, n)
	mcs := minClusterSize(n)
	benchSteps(b, []step{
		{"load", fmt.Sprintf("t = load(%q)", file)},
		{"standardize", `X = standardize(drop(t, "group", "subgroup"))`},
		{"umap", "emb = umap(X, seed=7)"},
		{"hdbscan", fmt.Sprintf("cl = hdbscan(emb, %s)", density(n))},
		{"recurse", fmt.Sprintf("tree = recurse(X, depth=2, %s, seed=7)", density(n))},
		{"explain", "why = explain(tree, on=X)"},
		{"recluster", fmt.Sprintf("cl2 = recluster(cl, min_cluster_size=%d)", 2*mcs)},
		{"umap_min_dist", "emb2 = umap(X, min_dist=0.5, seed=7)"},
		{"sample", fmt.Sprintf("S = sample(X, %d, seed=7)", n/10)},
		{"umap_sample", "semb = umap(S, seed=7)"},
		{"transform", "all = transform(semb, X)"},
		{"hdbscan_sampled", fmt.Sprintf("scl = hdbscan(all, %s)", density(n))},
	}, func(s *Session) { reportQuality(b, s, planted) })
}

// BenchmarkScaleSampled runs the method the README's "Past what fits"
// gives for tables too large to embed whole: load, standardize, umap of a
// 10% sample, transform of every row, hdbscan, explain; with the same
// measures as BenchmarkScale, and ARI and trustworthiness of the placed
// layout.
//
//	RECKON_SCALE_ROWS=1000000 go test -run XXX -bench ScaleSampled -benchtime 1x -timeout 0 ./dsl/
func BenchmarkScaleSampled(b *testing.B) {
	for _, n := range scaleSizes(b) {
		b.Run(fmt.Sprintf("rows=%d", n), func(b *testing.B) {
			planted, file := plantedFile(b, n)
			benchSteps(b, []step{
				{"load", fmt.Sprintf("t = load(%q)", file)},
				{"standardize", `X = standardize(drop(t, "group", "subgroup"))`},
				{"sample", fmt.Sprintf("S = sample(X, %d, seed=7)", n/10)},
				{"umap_sample", "semb = umap(S, seed=7)"},
				{"transform", "all = transform(semb, X)"},
				{"hdbscan_sampled", fmt.Sprintf("scl = hdbscan(all, %s)", density(n))},
				{"explain", "why = explain(scl, on=X)"},
			}, func(s *Session) {
				x := matrixOf(b, s, "X")
				b.ReportMetric(groupARI(b, planted.Group, valueOf(b, s, "scl").(*Clusters).Labels), "sampled-ARI")
				b.ReportMetric(trust(b, x, matrixOf(b, s, "all")), "sampled-trust")
			})
		})
	}
}

// benchSteps runs the steps in a new session b.N times, reporting each
// step's mean wall and processor time (ms for recluster, else s) and its
// peak resident memory; quality scores the session after each run.
func benchSteps(b *testing.B, steps []step, quality func(*Session)) {
	costs := make([]cost, len(steps))
	b.ResetTimer()
	for range b.N {
		s := NewSession(NewRegistry(), Options{QuietProgress: true})
		for k, st := range steps {
			c := runCell(b, s, st.src)
			costs[k].wall += c.wall
			costs[k].cpu += c.cpu
			costs[k].peakMB = max(costs[k].peakMB, c.peakMB)
		}
		b.StopTimer()
		quality(s)
		b.StartTimer()
	}
	for k, st := range steps {
		unit := "s"
		scale := float64(time.Second)
		if st.name == "recluster" {
			unit, scale = "ms", float64(time.Millisecond)
		}
		b.ReportMetric(float64(costs[k].wall)/scale/float64(b.N), st.name+"-wall-"+unit)
		b.ReportMetric(float64(costs[k].cpu)/scale/float64(b.N), st.name+"-cpu-"+unit)
		b.ReportMetric(costs[k].peakMB, st.name+"-peakRSS-MB")
	}
}

// interactive holds BenchmarkInteractive's sessions, by rows.
var interactive = map[int]*interactiveSession{}

type interactiveSession struct {
	s           *Session
	umap, again cost
}

func newInteractive(b *testing.B, n int) *interactiveSession {
	_, file := plantedFile(b, n)
	s := NewSession(NewRegistry(), Options{QuietProgress: true})
	for _, src := range []string{fmt.Sprintf("t = load(%q)", file), `X = standardize(drop(t, "group", "subgroup"))`} {
		runCell(b, s, src)
	}
	in := &interactiveSession{s: s, umap: runCell(b, s, "emb = umap(X, seed=7)")}
	runCell(b, s, fmt.Sprintf("cl = hdbscan(emb, %s)", density(n)))
	in.again = runCell(b, s, "emb2 = umap(X, min_dist=0.5, seed=7)")
	if v, _ := s.Get("emb2"); !strings.Contains(v.(*Embedding).Note, "neighbours reused") {
		b.Fatalf("umap with another min_dist computed its neighbours again: %s", v.(*Embedding).Note)
	}
	return in
}

// BenchmarkInteractive measures the re-runs a user makes at scale on a
// planted table, after load, standardize, umap and hdbscan (not timed):
// recluster with another min_cluster_size (ns/op is one recluster), and
// umap with another min_dist, which must reuse the neighbours (reported
// beside the first umap's time).
//
//	RECKON_SCALE_ROWS=1000000 go test -run XXX -bench Interactive -timeout 0 ./dsl/
func BenchmarkInteractive(b *testing.B) {
	for _, n := range scaleSizes(b) {
		b.Run(fmt.Sprintf("rows=%d", n), func(b *testing.B) {
			// The testing package calls this function again with a larger
			// b.N; the session is made once.
			in, ok := interactive[n]
			if !ok {
				in = newInteractive(b, n)
				interactive[n] = in
			}
			s, mcs := in.s, minClusterSize(n)
			sizes := []int{2 * mcs, mcs / 2, 4 * mcs}
			b.ResetTimer()
			for i := range b.N {
				if _, err := s.Run(context.Background(), fmt.Sprintf("cl2 = recluster(cl, min_cluster_size=%d)", sizes[i%len(sizes)]), discard{}); err != nil {
					b.Fatal(err)
				}
			}
			b.StopTimer()
			// After the loop: ResetTimer drops metrics reported before it.
			b.ReportMetric(in.umap.cpu.Seconds(), "umap-cpu-s")
			b.ReportMetric(in.again.cpu.Seconds(), "umap_min_dist-cpu-s")
			b.ReportMetric(in.umap.wall.Seconds(), "umap-wall-s")
			b.ReportMetric(in.again.wall.Seconds(), "umap_min_dist-wall-s")
		})
	}
}

// reportQuality scores what the session holds against the planted truth.
func reportQuality(b *testing.B, s *Session, planted *synth.Table) {
	note := valueOf(b, s, "emb2").(*Embedding).Note
	if !strings.Contains(note, "neighbours reused") {
		b.Fatalf("umap with another min_dist computed its neighbours again: %s", note)
	}
	b.ReportMetric(groupARI(b, planted.Group, valueOf(b, s, "cl").(*Clusters).Labels), "ARI")
	b.ReportMetric(groupARI(b, planted.Group, valueOf(b, s, "scl").(*Clusters).Labels), "sampled-ARI")
	levels := valueOf(b, s, "tree").(*Tree).Result.Levels
	b.ReportMetric(groupARI(b, planted.SubGroup, numbered(levels[len(levels)-1])), "level2-ARI")
	x := matrixOf(b, s, "X")
	b.ReportMetric(trust(b, x, matrixOf(b, s, "emb")), "trust")
	b.ReportMetric(trust(b, x, matrixOf(b, s, "all")), "sampled-trust")
}

func valueOf(b *testing.B, s *Session, name string) Value {
	v, ok := s.Get(name)
	if !ok {
		b.Fatalf("the session has no %s", name)
	}
	return v
}

func matrixOf(b *testing.B, s *Session, name string) *mat.Dense {
	x, err := valueOf(b, s, name).(Matrixer).Matrix()
	if err != nil {
		b.Fatal(err)
	}
	return x
}

// groupARI is the adjusted Rand index of got against the truth on the
// rows planted in a group.
func groupARI(b *testing.B, truth, got []int) float64 {
	var a, c []int
	for i, g := range truth {
		if g != synth.Noise {
			a, c = append(a, g), append(c, got[i])
		}
	}
	ari, err := metrics.AdjustedRandIndex(a, c)
	if err != nil {
		b.Fatal(err)
	}
	return ari
}

// trust is the trustworthiness (k=15) of layout y of x on 5,000 seeded rows.
func trust(b *testing.B, x, y *mat.Dense) float64 {
	n, _ := x.Dims()
	rows := randseed.New(3, 0).Perm(n)[:min(n, 5000)]
	t, err := metrics.Trustworthiness(context.Background(), pick(x, rows), pick(y, rows), 15)
	if err != nil {
		b.Fatal(err)
	}
	return t
}

// numbered numbers string labels in order of first appearance.
func numbered(labels []string) []int {
	ids := codes{}
	out := make([]int, len(labels))
	for i, l := range labels {
		out[i] = ids.of(l)
	}
	return out
}

func pick(x *mat.Dense, rows []int) *mat.Dense {
	_, d := x.Dims()
	out := mat.NewDense(len(rows), d, nil)
	for k, i := range rows {
		out.SetRow(k, x.RawRowView(i))
	}
	return out
}

type discard struct{}

func (discard) Stream(string, string)         {}
func (discard) Display(kernel.Bundle, string) {}
func (discard) Update(kernel.Bundle, string)  {}
func (discard) Clear(bool)                    {}

// peerScript fits umap-learn on the rows of a CSV file (argv[1]) with
// n_neighbors=15, min_dist=0.1 and 200 epochs, as umap(X, seed=7) does,
// writes the layout to argv[2] and prints the fit's wall and processor
// seconds as JSON. A fit on 5,000 of the rows first compiles numba's
// functions (NN-descent, the graph, the SGD), so the time measured is the
// fit alone, without the JIT warm-up. No random_state: with one,
// umap-learn gives up its threads.
const peerScript = `
import json, resource, sys, time
import numpy as np
import umap

def cpu():
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime

X = np.loadtxt(sys.argv[1], delimiter=",")
settings = dict(n_neighbors=15, min_dist=0.1, n_epochs=200)
umap.UMAP(**settings).fit(X[:5000])
wall, c = time.perf_counter(), cpu()
emb = umap.UMAP(**settings).fit_transform(X)
wall, c = time.perf_counter() - wall, cpu() - c
np.savetxt(sys.argv[2], emb, delimiter=",", fmt="%.17g", header="x,y", comments="")
print(json.dumps({"wall": wall, "cpu": c}))
`

// BenchmarkUMAPPeer embeds 100,000 planted rows (standardized) with
// umap(X, seed=7) and with umap-learn from its source on the same rows and
// settings, in the same run, and reports both times, their ratio
// (umap-learn's over ours) and both layouts' trustworthiness (k=15, 5,000
// rows). umap-learn's time excludes numba's compilation (see peerScript)
// and Python's loading of the rows. It needs RECKON_UMAP_SRC, the
// directory of umap-learn's source, and Debian's numba and pynndescent:
//
//	RECKON_UMAP_SRC=/work/peers/umap go test -run XXX -bench UMAPPeer -benchtime 1x -timeout 0 ./dsl/
func BenchmarkUMAPPeer(b *testing.B) {
	src := os.Getenv("RECKON_UMAP_SRC")
	if src == "" {
		b.Skip("SKIPPED: set RECKON_UMAP_SRC to umap-learn's source directory (with Debian's python3-numba and python3-pynndescent) to measure it beside umap")
	}
	const n = 100_000
	_, file := plantedFile(b, n)
	s := NewSession(NewRegistry(), Options{QuietProgress: true})
	runCell(b, s, fmt.Sprintf("t = load(%q)", file))
	runCell(b, s, `X = standardize(drop(t, "group", "subgroup"))`)
	x := matrixOf(b, s, "X")
	dir := b.TempDir()
	xFile, peerFile := filepath.Join(dir, "x.csv"), filepath.Join(dir, "peer.csv")
	writeMatrix(b, xFile, x)
	b.ResetTimer()
	var ours cost
	var peer struct{ Wall, CPU float64 }
	for range b.N {
		ours = runCell(b, s, "emb = umap(X, seed=7)")
		b.StopTimer()
		cmd := exec.Command(pyref.Python, "-c", peerScript, xFile, peerFile)
		cmd.Env = append(os.Environ(), "PYTHONPATH="+src)
		out, err := cmd.Output()
		if err != nil {
			var stderr []byte
			if ee, ok := err.(*exec.ExitError); ok {
				stderr = ee.Stderr
			}
			b.Fatalf("umap-learn: %v\n%s", err, stderr)
		}
		if err := json.Unmarshal(out, &peer); err != nil {
			b.Fatalf("umap-learn's times: %v in %q", err, out)
		}
		b.StartTimer()
	}
	b.StopTimer()
	emb := matrixOf(b, s, "emb")
	f, err := frame.Read(context.Background(), peerFile, frame.ReadOptions{})
	if err != nil {
		b.Fatal(err)
	}
	peerEmb := mat.NewDense(n, 2, nil)
	for j, c := range f.Columns() {
		for i, y := range c.Float64s() {
			peerEmb.Set(i, j, y)
		}
	}
	b.ReportMetric(trust(b, x, emb), "trust")
	b.ReportMetric(trust(b, x, peerEmb), "umap_learn-trust")
	b.ReportMetric(ours.wall.Seconds(), "umap-wall-s")
	b.ReportMetric(ours.cpu.Seconds(), "umap-cpu-s")
	b.ReportMetric(peer.Wall, "umap_learn-wall-s")
	b.ReportMetric(peer.CPU, "umap_learn-cpu-s")
	b.ReportMetric(peer.Wall/ours.wall.Seconds(), "wall-ratio")
	b.ReportMetric(peer.CPU/ours.cpu.Seconds(), "cpu-ratio")
}

// writeMatrix writes x as CSV without a header, every number in full.
func writeMatrix(b *testing.B, path string, x *mat.Dense) {
	var buf []byte
	r, d := x.Dims()
	for i := range r {
		for j := range d {
			if j > 0 {
				buf = append(buf, ',')
			}
			buf = strconv.AppendFloat(buf, x.At(i, j), 'g', -1, 64)
		}
		buf = append(buf, '\n')
	}
	if err := os.WriteFile(path, buf, 0o644); err != nil {
		b.Fatal(err)
	}
}
