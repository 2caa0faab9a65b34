package assign_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/runners/prism"

	"github.com/reckon-dev/reckon/analysis/pipeline"
	"github.com/reckon-dev/reckon/beam/assign"
	"github.com/reckon-dev/reckon/dsl"
	"github.com/reckon-dev/reckon/internal/cputime"
	"github.com/reckon-dev/reckon/internal/synth"
)

// BenchmarkPrism assigns the same 8 shards of a `reckon synth` table
// (RECKON_BEAM_BENCH_ROWS rows, 100,000 unless set; the README's figures
// are for 1,000,000) with pipeline.Apply, file after file as `reckon
// apply` does, then with the job of reckon-beam on Prism, and reports
// each one's rows per second and processor seconds, and what Beam adds
// per row and per element (a batch of 8,192 rows). The model is fitted on
// 5,000 other rows of the same planted groups: standardize → umap →
// hdbscan → explain, or without umap when RECKON_BEAM_BENCH_MODEL=flat.
func BenchmarkPrism(b *testing.B) {
	ctx := context.Background()
	rows := 100000
	if v := os.Getenv("RECKON_BEAM_BENCH_ROWS"); v != "" {
		var err error
		if rows, err = strconv.Atoi(v); err != nil {
			b.Fatalf("RECKON_BEAM_BENCH_ROWS=%q: %v", v, err)
		}
	}
	dir := b.TempDir()
	write := func(name string, s synth.Settings) {
		t, err := synth.Generate(ctx, s)
		if err != nil {
			b.Fatal(err)
		}
		var buf bytes.Buffer
		if err := t.WriteCSV(ctx, &buf); err != nil {
			b.Fatal(err)
		}
		if err := os.WriteFile(name, buf.Bytes(), 0o644); err != nil {
			b.Fatal(err)
		}
	}
	train := filepath.Join(dir, "train.csv")
	write(train, synth.Settings{Rows: 5000, Seed: 1})
	model := filepath.Join(dir, "synth.reckon")
	s := dsl.NewSession(dsl.NewRegistry(), dsl.Options{QuietProgress: true})
	points := "umap(X, seed=7)"
	if os.Getenv("RECKON_BEAM_BENCH_MODEL") == "flat" {
		points = "X" // no UMAP: the model costs less per row, Beam's share is larger
	}
	if _, err := s.Run(ctx, `t = load("`+train+`")
X = standardize(drop(t, "group", "subgroup"))
cl = hdbscan(`+points+`, min_cluster_size=100)
saved = save(explain(cl, on=X, n_estimators=20, seed=1), to="`+model+`")`, discard{}); err != nil {
		b.Fatal(err)
	}
	var files []string
	for i := range 8 {
		name := filepath.Join(dir, fmt.Sprintf("synth-%02d.csv", i))
		write(name, synth.Settings{Rows: rows / 8, Seed: uint64(10 + i)})
		files = append(files, name)
	}
	n := rows / 8 * 8

	var applyCPU time.Duration
	var applyWall float64
	b.Run("reckon-apply", func(b *testing.B) {
		p, err := pipeline.Open(model)
		if err != nil {
			b.Fatal(err)
		}
		c0 := cputime.Used()
		b.ResetTimer()
		for range b.N {
			out, err := os.Create(filepath.Join(dir, "apply.csv"))
			if err != nil {
				b.Fatal(err)
			}
			for i, name := range files {
				in, err := os.Open(name)
				if err != nil {
					b.Fatal(err)
				}
				if _, err := p.Apply(ctx, in, name, out, i == 0, pipeline.ApplyOptions{Skip: true}); err != nil {
					b.Fatal(err)
				}
				in.Close()
			}
			if err := out.Close(); err != nil {
				b.Fatal(err)
			}
		}
		applyWall = b.Elapsed().Seconds() / float64(b.N)
		applyCPU = (cputime.Used() - c0) / time.Duration(b.N)
		b.ReportMetric(float64(n)/applyWall, "rows/s")
		b.ReportMetric(applyCPU.Seconds(), "cpu-s/op")
	})
	b.Run("prism", func(b *testing.B) {
		c0 := cputime.Used()
		b.ResetTimer()
		for range b.N {
			p, s := beam.NewPipelineWithRoot()
			if _, err := assign.Apply(ctx, s, assign.Options{Model: model, Input: filepath.Join(dir, "synth-*.csv"), Output: filepath.Join(dir, "out", "synth")}); err != nil {
				b.Fatal(err)
			}
			res, err := prism.Execute(ctx, p)
			if err != nil {
				b.Fatal(err)
			}
			if got := assign.TotalsOf(res.Metrics()).Rows; got != int64(n) {
				b.Fatalf("the job assigned %d rows of %d", got, n)
			}
		}
		wall := b.Elapsed().Seconds() / float64(b.N)
		c := (cputime.Used() - c0) / time.Duration(b.N)
		b.ReportMetric(float64(n)/wall, "rows/s")
		b.ReportMetric(c.Seconds(), "cpu-s/op")
		if applyWall > 0 {
			// Each file's batches are one element apiece.
			elements := 8 * ((n/8 + 8191) / 8192)
			b.ReportMetric((c-applyCPU).Seconds()*1e9/float64(n), "beam-cpu-ns/row")
			b.ReportMetric((c-applyCPU).Seconds()*1e3/float64(elements), "beam-cpu-ms/element")
			b.ReportMetric((wall-applyWall)*1e9/float64(n), "beam-wall-ns/row")
		}
	})
}
