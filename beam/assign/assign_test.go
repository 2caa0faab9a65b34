package assign_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/runners/prism"

	"github.com/reckon-dev/reckon/analysis/frame"
	"github.com/reckon-dev/reckon/analysis/pipeline"
	"github.com/reckon-dev/reckon/beam/assign"
	"github.com/reckon-dev/reckon/dsl"
	"github.com/reckon-dev/reckon/kernel"
)

func TestMain(m *testing.M) {
	beam.Init()
	os.Exit(m.Run())
}

const tracks = "../../examples/data/tracks.csv"

// discard is a cell's output nobody reads.
type discard struct{}

func (discard) Stream(string, string)         {}
func (discard) Display(kernel.Bundle, string) {}
func (discard) Update(kernel.Bundle, string)  {}
func (discard) Clear(bool)                    {}

// fit fits the quickstart's pipeline on the example tracks through the
// language and saves it to path.
func fit(t *testing.T, path string) {
	t.Helper()
	s := dsl.NewSession(dsl.NewRegistry(), dsl.Options{QuietProgress: true})
	src := `tracks = load("` + tracks + `")
X = standardize(impute(drop(tracks, "track_id", "genre")))
emb = umap(X, n_neighbors=15, min_dist=0, seed=7)
cl = name(hdbscan(emb, min_cluster_size=25), {"0": "first"})
why = explain(cl, on=X, n_estimators=20, seed=1)
saved = save(why, to="` + path + `")`
	if _, err := s.Run(context.Background(), src, discard{}); err != nil {
		t.Fatal(err)
	}
}

// split writes the example tracks as 8 CSV shards under dir, returning
// their names and the number of rows written. With damage, shard 3 gets
// a bad row on line 7 and shard 5 a quoted newline, which a line-based
// read would cut in two.
func split(t *testing.T, dir string, damage bool) ([]string, int) {
	t.Helper()
	b, err := os.ReadFile(tracks)
	must(t, err)
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	head, rows := lines[0], lines[1:]
	var names []string
	n := 0
	for i := range 8 {
		part := slices.Clone(rows[i*len(rows)/8 : (i+1)*len(rows)/8])
		if damage && i == 3 {
			part = slices.Insert(part, 5, "t9999,pop,0.5,0.5,0.5,0.5,0.5,fast,-5,0.05,3.5")
		}
		if damage && i == 5 {
			f := strings.SplitN(part[0], ",", 3)
			part[0] = f[0] + `,"hip` + "\n" + `hop",` + f[2]
		}
		name := filepath.Join(dir, fmt.Sprintf("tracks-%02d.csv", i))
		must(t, os.WriteFile(name, []byte(head+"\n"+strings.Join(part, "\n")+"\n"), 0o644))
		names = append(names, name)
		n += len(part)
	}
	return names, n
}

// toParquet rewrites CSV shards as Parquet.
func toParquet(t *testing.T, names []string) []string {
	t.Helper()
	var out []string
	for _, name := range names {
		f, err := frame.Read(context.Background(), name, frame.ReadOptions{})
		must(t, err)
		var b bytes.Buffer
		must(t, f.WriteParquet(&b))
		pq := strings.TrimSuffix(name, ".csv") + ".parquet"
		must(t, os.WriteFile(pq, b.Bytes(), 0o644))
		out = append(out, pq)
	}
	return out
}

// reckonApply is `reckon apply MODEL FILES... --on-error=skip --batch N`:
// the labelled rows it writes and the rows it skips.
func reckonApply(t *testing.T, model string, files []string, batch int) (string, []string, []assign.BadRow) {
	t.Helper()
	ctx := context.Background()
	p, err := pipeline.Open(model)
	must(t, err)
	var out bytes.Buffer
	var bad []assign.BadRow
	for i, name := range files {
		opts := pipeline.ApplyOptions{BatchRows: batch, Skip: true, OnSkip: func(err error) {
			re := err.(*pipeline.RowError)
			bad = append(bad, assign.BadRow{File: re.Name, Line: re.Line, Error: re.Err.Error()})
		}}
		if strings.HasSuffix(name, ".parquet") {
			f, err := frame.ReadParquet(ctx, name, frame.ParquetOptions{})
			must(t, err)
			_, err = p.ApplyFrame(ctx, f, name, &out, i == 0, opts)
			must(t, err)
		} else {
			in, err := os.Open(name)
			must(t, err)
			_, err = p.Apply(ctx, in, name, &out, i == 0, opts)
			in.Close()
			must(t, err)
		}
	}
	head, rows := records(t, out.String())
	return head, rows, bad
}

// records parses CSV text into its header and its rows, each row's
// fields joined by a unit separator.
func records(t *testing.T, s string) (string, []string) {
	t.Helper()
	all, err := csv.NewReader(strings.NewReader(s)).ReadAll()
	must(t, err)
	var rows []string
	for _, r := range all[1:] {
		rows = append(rows, strings.Join(r, "\x1f"))
	}
	return strings.Join(all[0], ","), rows
}

// TestApplyOnPrism runs the job on Prism over 8 shards, as CSV with a bad
// row and a quoted newline, and as Parquet: the labelled rows, as a set,
// are those of `reckon apply` on the same files; the counts per cluster
// add up to them and, with the dead letters, to the input rows; the bad
// row is a dead letter with its file and line.
func TestApplyOnPrism(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	model := filepath.Join(dir, "tracks.reckon")
	fit(t, model)
	csvDir, pqDir := filepath.Join(dir, "csv"), filepath.Join(dir, "parquet")
	must(t, os.Mkdir(csvDir, 0o755))
	must(t, os.Mkdir(pqDir, 0o755))
	damaged, damagedRows := split(t, csvDir, true)
	clean, cleanRows := split(t, pqDir, false)
	pq := toParquet(t, clean)

	const batch = 50 // several batches per file, as `reckon apply --batch 50`
	for _, tc := range []struct {
		name    string
		files   []string
		pattern string
		rows    int
		shards  int
		bad     int
	}{
		{"csv", damaged, filepath.Join(csvDir, "tracks-*.csv"), damagedRows, 3, 1},
		{"parquet", pq, filepath.Join(pqDir, "tracks-*.parquet"), cleanRows, 0, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out := filepath.Join(dir, "out-"+tc.name, "tracks")
			p, s := beam.NewPipelineWithRoot()
			_, err := assign.Apply(ctx, s, assign.Options{Model: model, Input: tc.pattern, Output: out, Shards: tc.shards, BatchRows: batch})
			must(t, err)
			before := assign.Loads()
			res, err := prism.Execute(ctx, p)
			must(t, err)
			// Prism runs the workers in this process (loopback): the model
			// was loaded by Setup once per DoFn instance, not per file.
			if n := assign.Loads() - before; n < 1 || n >= int64(len(tc.files)) {
				t.Errorf("the model was loaded %d times for %d files", n, len(tc.files))
			} else {
				t.Logf("the model was loaded %d times for %d files", n, len(tc.files))
			}

			wantHead, want, wantBad := reckonApply(t, model, tc.files, batch)
			shards := tc.shards
			if shards == 0 {
				shards = len(tc.files) // one per input file
			}
			var got []string
			written := 0
			for i := range shards {
				b, err := os.ReadFile(assign.ShardName(out, i, shards))
				if os.IsNotExist(err) {
					continue // no batch went to this shard
				}
				must(t, err)
				written++
				head, rows := records(t, string(b))
				if head != wantHead {
					t.Errorf("shard %d has the columns %s, reckon apply writes %s", i, head, wantHead)
				}
				got = append(got, rows...)
			}
			if written < 2 {
				t.Errorf("the rows went to %d of %d shards", written, shards)
			}
			slices.Sort(got)
			slices.Sort(want)
			if !slices.Equal(got, want) {
				t.Errorf("reckon-beam wrote %d rows, reckon apply %d; they differ as sets", len(got), len(want))
			}

			// The counts per cluster are those of reckon apply's rows and,
			// with the dead letters, add up to the input rows.
			b, err := os.ReadFile(assign.SummaryName(out))
			must(t, err)
			head, summary := records(t, string(b))
			if head != "cluster,name,rows" {
				t.Errorf("the summary's columns are %s", head)
			}
			wantCounts := map[string]int{}
			for _, r := range want {
				f := strings.Split(r, "\x1f")
				wantCounts[f[1]+"\x1f"+f[2]]++
			}
			total := 0
			for _, r := range summary {
				f := strings.Split(r, "\x1f")
				n, err := strconv.Atoi(f[2])
				must(t, err)
				if wantCounts[f[0]+"\x1f"+f[1]] != n {
					t.Errorf("the summary counts %d rows in cluster %s (%s), reckon apply %d", n, f[0], f[1], wantCounts[f[0]+"\x1f"+f[1]])
				}
				total += n
			}
			if len(summary) != len(wantCounts) || len(summary) < 2 {
				t.Errorf("the summary has %d clusters, reckon apply's rows %d", len(summary), len(wantCounts))
			}
			b, err = os.ReadFile(assign.ErrorsName(out))
			must(t, err)
			all, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
			must(t, err)
			var bad []assign.BadRow
			for _, r := range all[1:] {
				line, err := strconv.Atoi(r[1])
				must(t, err)
				bad = append(bad, assign.BadRow{File: r[0], Line: line, Error: r[2]})
			}
			if total != len(want) || total+len(bad) != tc.rows {
				t.Errorf("the summary counts %d rows and %d are dead letters, of %d input rows; reckon apply assigned %d", total, len(bad), tc.rows, len(want))
			}
			if !slices.Equal(bad, wantBad) || len(bad) != tc.bad {
				t.Errorf("the dead letters are %v, reckon apply skipped %v", bad, wantBad)
			}
			if tc.bad > 0 && (bad[0].File != tc.files[3] || bad[0].Line != 7 || !strings.Contains(bad[0].Error, `"fast"`)) {
				t.Errorf("the bad row is reported as %+v, want %s line 7 and its value", bad[0], tc.files[3])
			}
			tot := assign.TotalsOf(res.Metrics())
			if tot.Rows != int64(len(want)) || tot.Bad != int64(tc.bad) {
				t.Errorf("the job's metrics count %d rows and %d bad, want %d and %d", tot.Rows, tot.Bad, len(want), tc.bad)
			}
			t.Log(tot.Report(out))
		})
	}
}

// TestApplyRefuses checks that a job that cannot be built says why in one
// sentence.
func TestApplyRefuses(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct {
		o    assign.Options
		want string
	}{
		{assign.Options{Input: "x", Output: "y"}, "no model"},
		{assign.Options{Model: "m", Output: "y"}, "no input"},
		{assign.Options{Model: "m", Input: "x"}, "no output"},
		{assign.Options{Model: "m", Input: "x", Output: "y", Format: "json"}, `not "json"`},
		{assign.Options{Model: "m", Input: filepath.Join(dir, "*.csv"), Output: "y"}, "no file matches"},
	} {
		_, s := beam.NewPipelineWithRoot()
		_, err := assign.Apply(context.Background(), s, tc.o)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%+v: %v, want %q", tc.o, err, tc.want)
		}
	}
	if _, err := assign.Open(context.Background(), filepath.Join(dir, "none.reckon")); err == nil || !strings.Contains(err.Error(), "no such file") {
		t.Errorf("opening a missing model: %v", err)
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
