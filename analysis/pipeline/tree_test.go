package pipeline

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/reckon-dev/reckon/analysis/explain"
	"github.com/reckon-dev/reckon/analysis/frame"
	"github.com/reckon-dev/reckon/analysis/hdbscan"
	"github.com/reckon-dev/reckon/analysis/recursive"
	"github.com/reckon-dev/reckon/analysis/umap"
)

// nested draws rows from three planted groups far apart, each mixing two
// sub-groups nearer to each other, with an id column: what recurse
// splits twice. It returns the rows and each row's sub-group.
func nested(t testing.TB, rows int, seed uint64) (*frame.Frame, []int) {
	t.Helper()
	rng := rand.New(rand.NewPCG(seed, 2))
	ids := make([]string, rows)
	feats := make([][]float64, 4)
	for j := range feats {
		feats[j] = make([]float64, rows)
	}
	truth := make([]int, rows)
	for i := range rows {
		g, sub := i%3, (i/3)%2
		truth[i] = 2*g + sub
		ids[i] = fmt.Sprintf("t%05d", i)
		for j := range feats {
			feats[j][i] = rng.NormFloat64()
		}
		feats[g][i] += 30
		feats[3][i] += 4 * float64(sub)
	}
	id, err := frame.NewCategorical("id", ids, nil)
	must(t, err)
	cols := []*frame.Column{id}
	for j, v := range feats {
		cols = append(cols, frame.NewNumeric(fmt.Sprintf("f%d", j+1), v))
	}
	f, err := frame.New(cols...)
	must(t, err)
	return f, truth
}

// fittedTree fits drop → standardize → recurse (depth 2) → explain of
// the tree, as the language does, and returns the pipeline and the
// training rows' paths.
func fittedTree(t testing.TB, rows *frame.Frame) (*Pipeline, []string) {
	t.Helper()
	ctx := context.Background()
	p := &Pipeline{ReckonVersion: "test", IDs: []string{"id"}}
	for _, c := range rows.Columns()[1:] {
		p.Schema = append(p.Schema, Field{Name: c.Name(), Type: c.Kind().String()})
	}
	f, err := rows.Drop("id")
	must(t, err)
	p.Steps = append(p.Steps, Step{Op: "drop", Columns: []string{"id"}})
	sc, err := f.FitScaler()
	must(t, err)
	f, err = sc.Transform(f)
	must(t, err)
	p.Steps = append(p.Steps, Step{Op: "standardize", Columns: sc.Columns, Mean: sc.Mean, Scale: sc.Scale})
	x, err := matrix(f, f.Names(), false)
	must(t, err)
	res, err := recursive.Run(ctx, x, recursive.Settings{
		Depth: 2, Seed: 7,
		UMAP:    umap.Settings{NNeighbors: 15, MinDist: umap.Float(0)},
		HDBSCAN: hdbscan.Options{Selection: hdbscan.Selection{MinClusterSize: 50}},
	})
	must(t, err)
	p.Tree = NewTree(res, x, map[string]string{"0": "first", "2.0": "deep"})
	ex, err := explain.Explain(ctx, x, f.Names(), res.Labels, explain.Settings{Seed: 7})
	must(t, err)
	p.Explain = NewExplain(ex)
	return p, res.Labels
}

// TestAssignTree checks assign on a recursive clustering: the training
// rows get their tree paths back, names and reasons come from the deepest
// cluster (or its nearest parent), and a saved and loaded tree assigns
// the same bytes at any GOMAXPROCS.
func TestAssignTree(t *testing.T) {
	ctx := context.Background()
	train, _ := nested(t, 1200, 3)
	p, paths := fittedTree(t, train)
	if len(p.Tree.Nodes) < 2 {
		t.Fatalf("the tree split %d nodes, want the top and at least one cluster", len(p.Tree.Nodes))
	}
	res, err := p.Assign(ctx, train)
	must(t, err)
	cl, _ := res.Table.Column("cluster")
	names, _ := res.Table.Column("name")
	r1, _ := res.Table.Column("reason_1")
	agree, total, deep := 0, 0, 0
	for i, want := range paths {
		if strings.HasSuffix(want, recursive.NoiseLabel) {
			continue
		}
		total++
		got := cl.Label(i)
		if got == want {
			agree++
		}
		if strings.Contains(got, ".") {
			deep++
		}
		if strings.HasPrefix(got, "2.0") && names.Label(i) != "deep" || strings.HasPrefix(got, "0.") && names.Label(i) != "first" {
			t.Errorf("row %d in %s is named %q", i, got, names.Label(i))
		}
		if !strings.HasSuffix(got, recursive.NoiseLabel) && (r1.IsMissing(i) || !strings.ContainsAny(r1.Label(i), "+-")) {
			t.Errorf("row %d in %s has no reason (%q)", i, got, r1.Label(i))
		}
	}
	t.Logf("training rows: %d of %d outside noise keep their tree path; %d reach level 2; %d split nodes", agree, total, deep, len(p.Tree.Nodes))
	if frac := float64(agree) / float64(total); frac < 0.99 {
		t.Errorf("training rows: %d of %d (%.3f) get their tree path back, want at least 0.99", agree, total, frac)
	}
	if deep == 0 {
		t.Error("no row reached the second level")
	}

	fresh, _ := nested(t, 300, 4)
	res, err = p.Assign(ctx, fresh)
	must(t, err)
	q := sameAfterRoundTrip(t, p, fresh, csvOf(t, res.Table))
	if s := q.Summary(); !strings.Contains(s, "format 2") || !strings.Contains(s, "cluster 2.0: deep") {
		t.Errorf("the loaded tree's summary lacks its format or its named sub-cluster:\n%s", s)
	}
}
