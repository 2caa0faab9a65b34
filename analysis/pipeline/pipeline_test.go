package pipeline

import (
	"bytes"
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"strings"
	"testing"

	"github.com/reckon-dev/reckon/analysis/explain"
	"github.com/reckon-dev/reckon/analysis/frame"
	"github.com/reckon-dev/reckon/analysis/hdbscan"
	"github.com/reckon-dev/reckon/analysis/metrics"
	"github.com/reckon-dev/reckon/analysis/umap"
)

// planted are the centres of the groups blobs draws rows from, in the
// four numeric features; the group also sets the categorical "kind".
var planted = [][]float64{
	{0, 0, 0, 0},
	{8, 0, 4, 0},
	{0, 8, 0, 4},
	{8, 8, 8, 8},
}

// blobs draws n rows from the planted groups: an id, four numeric
// features (about 2% missing), a categorical "kind" and the true group.
func blobs(n int, seed uint64) (*frame.Frame, []int) {
	rng := rand.New(rand.NewPCG(seed, 1))
	ids := make([]string, n)
	kinds := make([]string, n)
	feats := make([][]float64, 4)
	for j := range feats {
		feats[j] = make([]float64, n)
	}
	truth := make([]int, n)
	for i := range n {
		g := i % len(planted)
		truth[i] = g
		ids[i] = fmt.Sprintf("r%05d", i)
		kinds[i] = []string{"a", "b", "c", "a"}[g]
		for j := range feats {
			v := planted[g][j] + rng.NormFloat64()
			if rng.IntN(50) == 0 {
				v = math.NaN()
			}
			feats[j][i] = v
		}
	}
	id, _ := frame.NewCategorical("id", ids, nil)
	kind, _ := frame.NewCategorical("kind", kinds, nil)
	cols := []*frame.Column{id, kind}
	for j, v := range feats {
		cols = append(cols, frame.NewNumeric(fmt.Sprintf("f%d", j+1), v))
	}
	f, err := frame.New(cols...)
	if err != nil {
		panic(err)
	}
	return f, truth
}

// fitted fits select → impute → onehot → standardize → umap → hdbscan →
// explain on rows as the language does, and returns the pipeline and the
// training labels.
func fitted(t testing.TB, rows *frame.Frame) (*Pipeline, []int) {
	t.Helper()
	ctx := context.Background()
	p := &Pipeline{ReckonVersion: "test", IDs: []string{"id"}}
	for _, c := range rows.Columns() {
		if c.Name() != "id" {
			p.Schema = append(p.Schema, Field{Name: c.Name(), Type: c.Kind().String()})
		}
	}
	f, err := rows.Drop("id")
	must(t, err)
	p.Steps = append(p.Steps, Step{Op: "drop", Columns: []string{"id"}})
	imp, err := f.FitImputer(frame.ImputeOptions{})
	must(t, err)
	f, err = imp.Transform(f)
	must(t, err)
	p.Steps = append(p.Steps, Step{Op: "impute", Columns: imp.Columns, Fills: imp.Fills})
	enc, err := f.FitOneHot()
	must(t, err)
	f, _, err = enc.Transform(f)
	must(t, err)
	p.Steps = append(p.Steps, Step{Op: "onehot", Columns: enc.Columns, Levels: enc.Levels})
	sc, err := f.FitScaler()
	must(t, err)
	f, err = sc.Transform(f)
	must(t, err)
	p.Steps = append(p.Steps, Step{Op: "standardize", Columns: sc.Columns, Mean: sc.Mean, Scale: sc.Scale})
	x, err := matrix(f, f.Names(), false)
	must(t, err)
	m, err := umap.Fit(ctx, x, umap.Settings{NNeighbors: 15, MinDist: umap.Float(0), Seed: 7})
	must(t, err)
	p.UMAP = NewUMAP(m, x)
	r, err := hdbscan.Fit(ctx, m.Embedding, hdbscan.Options{Selection: hdbscan.Selection{MinClusterSize: 20}})
	must(t, err)
	p.Clusters = NewClusters(r, m.Embedding, map[string]string{"0": "first"})
	ex, err := explain.Explain(ctx, x, f.Names(), explain.FlatLabels(r.Labels), explain.Settings{Flat: true, Seed: 7})
	must(t, err)
	p.Explain = NewExplain(ex)
	return p, r.Labels
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func csvOf(t testing.TB, f *frame.Frame) string {
	t.Helper()
	var b bytes.Buffer
	must(t, f.WriteCSV(&b))
	return b.String()
}

func roundTrip(t testing.TB, p *Pipeline) *Pipeline {
	t.Helper()
	var b bytes.Buffer
	must(t, p.Save(&b))
	q, err := Load(bytes.NewReader(b.Bytes()), int64(b.Len()))
	must(t, err)
	return q
}

// TestAssign checks the promises of assign on one fitted pipeline: the
// training rows get their training clusters back, fresh rows from the
// planted groups land in their groups, and a saved and loaded model gives
// the same bytes as the one in memory, for any GOMAXPROCS.
func TestAssign(t *testing.T) {
	ctx := context.Background()
	train, _ := blobs(800, 1)
	p, labels := fitted(t, train)

	res, err := p.Assign(ctx, train)
	must(t, err)
	got := res.Table
	cl, _ := got.Column("cluster")
	agree, total := 0, 0
	for i, l := range cl.Float64s() {
		if labels[i] < 0 {
			continue
		}
		total++
		if int(l) == labels[i] {
			agree++
		}
	}
	t.Logf("training rows: %d of %d outside noise keep their cluster; %d clusters", agree, total, p.Clusters.result.NumClusters())
	if frac := float64(agree) / float64(total); frac < 0.99 {
		t.Errorf("training rows: %d of %d (%.3f) get their training cluster back, want at least 0.99", agree, total, frac)
	}

	fresh, truth := blobs(400, 2)
	res, err = p.Assign(ctx, fresh)
	must(t, err)
	cl, _ = res.Table.Column("cluster")
	pred := make([]int, fresh.NumRows())
	for i, l := range cl.Float64s() {
		pred[i] = int(l)
	}
	ari, err := metrics.AdjustedRandIndex(pred, truth)
	t.Logf("fresh rows: ARI %.3f with their planted groups", ari)
	if err != nil || ari < 0.9 {
		t.Errorf("fresh rows from the planted groups: ARI %.3f (%v) with their groups, want at least 0.9", ari, err)
	}
	r1, _ := res.Table.Column("reason_1")
	if r1.IsMissing(0) || !strings.ContainsAny(r1.Label(0), "+-") {
		t.Errorf("reason_1 of the first row is %q, want a signed feature", r1.Label(0))
	}

	sameAfterRoundTrip(t, p, fresh, csvOf(t, res.Table))
}

// sameAfterRoundTrip checks that p, saved and loaded, assigns rows the
// bytes want that p assigned them in memory, at GOMAXPROCS 1 and 4, and
// returns the last pipeline loaded.
func sameAfterRoundTrip(t *testing.T, p *Pipeline, rows *frame.Frame, want string) *Pipeline {
	t.Helper()
	var q *Pipeline
	for _, procs := range []int{1, 4} {
		old := runtime.GOMAXPROCS(procs)
		q = roundTrip(t, p)
		res, err := q.Assign(context.Background(), rows)
		runtime.GOMAXPROCS(old)
		must(t, err)
		if got := csvOf(t, res.Table); got != want {
			t.Errorf("GOMAXPROCS=%d: the saved and loaded model assigns differently from the one in memory", procs)
		}
	}
	return q
}

// replace returns f with the categorical column name replaced by values.
func replace(t testing.TB, f *frame.Frame, name string, values []string) *frame.Frame {
	t.Helper()
	c, err := frame.NewCategorical(name, values, nil)
	must(t, err)
	cols := f.Columns()
	for i, old := range cols {
		if old.Name() == name {
			cols[i] = c
		}
	}
	out, err := frame.New(cols...)
	must(t, err)
	return out
}
