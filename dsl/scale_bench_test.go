package dsl

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/reckon-dev/reckon/analysis/metrics"
	"github.com/reckon-dev/reckon/internal/cputime"
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
	sizes := []int{10_000, 100_000}
	if env := os.Getenv("RECKON_SCALE_ROWS"); env != "" {
		sizes = nil
		for _, f := range strings.Split(env, ",") {
			n, err := strconv.Atoi(strings.TrimSpace(f))
			if err != nil || n < 1000 {
				b.Fatalf("RECKON_SCALE_ROWS: %q is not a number of rows of at least 1000", f)
			}
			sizes = append(sizes, n)
		}
	}
	for _, n := range sizes {
		b.Run(fmt.Sprintf("rows=%d", n), func(b *testing.B) { benchScale(b, n) })
	}
}

func benchScale(b *testing.B, n int) {
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
	// Clusters of half a percent of the rows and more: the smallest
	// planted sub-group holds about 3%.
	mcs := max(n/200, 25)
	steps := []struct{ name, src string }{
		{"load", fmt.Sprintf("t = load(%q)", file)},
		{"standardize", `X = standardize(drop(t, "group", "subgroup"))`},
		{"umap", "emb = umap(X, seed=7)"},
		{"hdbscan", fmt.Sprintf("cl = hdbscan(emb, min_cluster_size=%d)", mcs)},
		{"recurse", fmt.Sprintf("tree = recurse(X, depth=2, min_cluster_size=%d, seed=7)", mcs)},
		{"explain", "why = explain(tree, on=X)"},
		{"recluster", fmt.Sprintf("cl2 = recluster(cl, min_cluster_size=%d)", 2*mcs)},
		{"umap_min_dist", "emb2 = umap(X, min_dist=0.5, seed=7)"},
		{"sample", fmt.Sprintf("S = sample(X, %d, seed=7)", n/10)},
		{"umap_sample", "semb = umap(S, seed=7)"},
		{"transform", "all = transform(semb, X)"},
		{"hdbscan_sampled", fmt.Sprintf("scl = hdbscan(all, min_cluster_size=%d)", mcs)},
	}
	type cost struct{ wall, cpu time.Duration }
	costs := make([]cost, len(steps))
	peaks := make([]float64, len(steps))
	b.ResetTimer()
	for range b.N {
		s := NewSession(NewRegistry(), Options{QuietProgress: true})
		for k, st := range steps {
			b.StopTimer()
			runtime.GC()
			b.StartTimer()
			peak := peakRSS(b, func() {
				wall, cpu := time.Now(), cputime.Used()
				if _, err := s.Run(ctx, st.src, discard{}); err != nil {
					b.Fatalf("%s: %v", st.src, err)
				}
				costs[k].wall += time.Since(wall)
				costs[k].cpu += cputime.Used() - cpu
			})
			peaks[k] = max(peaks[k], peak/(1<<20))
		}
		b.StopTimer()
		reportQuality(b, s, planted)
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
		b.ReportMetric(peaks[k], st.name+"-peakRSS-MB")
	}
}

// reportQuality scores what the session holds against the planted truth.
func reportQuality(b *testing.B, s *Session, planted *synth.Table) {
	ctx := context.Background()
	get := func(name string) Value {
		v, ok := s.Get(name)
		if !ok {
			b.Fatalf("the session has no %s", name)
		}
		return v
	}
	note := get("emb2").(*Embedding).Note
	if !strings.Contains(note, "neighbours reused") {
		b.Fatalf("umap with another min_dist computed its neighbours again: %s", note)
	}
	members := func(truth []int, got []int) float64 {
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
	b.ReportMetric(members(planted.Group, get("cl").(*Clusters).Labels), "ARI")
	b.ReportMetric(members(planted.Group, get("scl").(*Clusters).Labels), "sampled-ARI")
	levels := get("tree").(*Tree).Result.Levels
	b.ReportMetric(members(planted.SubGroup, codes(levels[len(levels)-1])), "level2-ARI")

	x, err := get("X").(Matrixer).Matrix()
	if err != nil {
		b.Fatal(err)
	}
	n, _ := x.Dims()
	rows := randseed.New(3, 0).Perm(n)[:min(n, 5000)]
	for _, e := range []struct{ name, metric string }{{"emb", "trust"}, {"all", "sampled-trust"}} {
		y, err := get(e.name).(Matrixer).Matrix()
		if err != nil {
			b.Fatal(err)
		}
		t, err := metrics.Trustworthiness(ctx, pick(x, rows), pick(y, rows), 15)
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(t, e.metric)
	}
}

// codes numbers string labels in order of appearance.
func codes(labels []string) []int {
	ids := map[string]int{}
	out := make([]int, len(labels))
	for i, l := range labels {
		id, ok := ids[l]
		if !ok {
			id = len(ids)
			ids[l] = id
		}
		out[i] = id
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
