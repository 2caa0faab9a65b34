package explain

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/reckon-dev/reckon/analysis/gbt"
	"github.com/reckon-dev/reckon/analysis/gbt/xgbtest"
	"gonum.org/v1/gonum/mat"
)

// fast keeps the classifiers small so the tests stay quick.
var fast = gbt.Settings{NEstimators: 15, MaxDepth: 3}

// blobs makes rows in clusters 0..k-1 (cluster c has high values of
// feature c), some noise rows (-1) and d-k noise features, with a few
// missing values.
func blobs(n, k, d int, seed uint64) (*mat.Dense, []int) {
	rng := rand.New(rand.NewPCG(seed, 3))
	X := mat.NewDense(n, d, nil)
	labels := make([]int, n)
	for i := 0; i < n; i++ {
		c := i % (k + 1)
		if c == k {
			c = -1
		}
		labels[i] = c
		for j := 0; j < d; j++ {
			v := rng.NormFloat64()
			if j == c {
				v += 4
			}
			if rng.Float64() < 0.03 {
				v = math.NaN()
			}
			X.Set(i, j, v)
		}
	}
	return X, labels
}

func TestHierarchy(t *testing.T) {
	nodes, err := hierarchy([]string{"1.2", "noise", "1.noise", "10", "1.10", "2", "1.2", "b", "a"}, false)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, nd := range nodes {
		got = append(got, nd.label+"<"+nd.parent+">"+strconv.Itoa(len(nd.members)))
	}
	want := []string{"1<>4", "1.2<1>2", "1.10<1>1", "1.noise<1>1", "2<>1", "10<>1", "a<>1", "b<>1", "noise<>1"}
	if !slices.Equal(got, want) {
		t.Fatalf("clusters %v, want %v", got, want)
	}
	for _, bad := range [][]string{{"1", ""}, {"1..2"}, {".1"}, {"1."}, {"noise.1"}, {"-1.2"}} {
		if _, err := hierarchy(bad, false); err == nil {
			t.Errorf("labels %q: no error", bad)
		}
	}
}

// Flat labels, a column's values, are groups as they are: no dots nest,
// no value is noise, and the empty text is a value too.
func TestFlatHierarchy(t *testing.T) {
	nodes, err := hierarchy([]string{"a.b", "noise", "a", "-1", "3.5", "a.b", "", "10", "NA"}, true)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, nd := range nodes {
		if nd.noise || nd.parent != "" {
			t.Errorf("flat label %q is noise or has a parent", nd.label)
		}
		got = append(got, nd.label+":"+strconv.Itoa(len(nd.members)))
	}
	want := []string{"10:1", ":1", "3.5:1", "NA:1", "a:1", "a.b:2", "-1:1", "noise:1"}
	if !slices.Equal(got, want) {
		t.Fatalf("groups %v, want %v", got, want)
	}
}

func TestParseScope(t *testing.T) {
	for _, s := range []Scope{Siblings, Whole} {
		if got, err := ParseScope(s.String()); got != s || err != nil {
			t.Errorf("ParseScope(%q) = %v, %v", s, got, err)
		}
	}
	if _, err := ParseScope("parent"); err == nil || !strings.Contains(err.Error(), `"siblings" or "whole"`) {
		t.Errorf("ParseScope(parent): %v", err)
	}
}

func TestFlatLabels(t *testing.T) {
	if got := FlatLabels([]int{2, -1, 0}); !slices.Equal(got, []string{"2", "noise", "0"}) {
		t.Fatalf("FlatLabels = %q", got)
	}
}

func run(t testing.TB, X *mat.Dense, features []string, labels []string, s Settings) *Result {
	t.Helper()
	r, err := Explain(context.Background(), X, features, labels, s)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// Each blob is found separable and explained by its own feature, pushing
// upwards; the explanation of every row adds up to the model's margin.
func TestExplainFlatClusters(t *testing.T) {
	X, labels := blobs(400, 3, 5, 1)
	names := []string{"a", "b", "c", "d", "e"}
	r := run(t, X, names, FlatLabels(labels), Settings{Model: fast, Seed: 1})
	if len(r.Clusters) != 3 {
		t.Fatalf("%d clusters explained, want 3 (noise excluded)", len(r.Clusters))
	}
	for k, c := range r.Clusters {
		if c.Err != nil {
			t.Fatalf("cluster %s: %v", c.Label, c.Err)
		}
		if c.Label != strconv.Itoa(k) || c.Size != 100 || c.Contrast != 300 || len(c.FoldAUC) != 5 {
			t.Fatalf("cluster %+v", c)
		}
		if c.CVAUC < 0.95 {
			t.Errorf("cluster %s: CV AUC %.3f", c.Label, c.CVAUC)
		}
		if top := c.Drivers[0]; top.Index != k || top.Feature != names[k] || top.Direction != 1 {
			t.Errorf("cluster %s: top driver %+v", c.Label, top)
		}
		margin, err := c.Model.PredictMargin(context.Background(), rowsOf(X, c.Rows))
		if err != nil {
			t.Fatal(err)
		}
		for i, row := range c.Rows {
			if labels[row] != k {
				t.Fatalf("cluster %s explains row %d of cluster %d", c.Label, row, labels[row])
			}
			sum := c.Expected
			for _, v := range c.SHAP.RawRowView(i) {
				sum += v
			}
			if math.Abs(sum-margin[i]) > 1e-9 {
				t.Fatalf("cluster %s row %d: SHAP sums to %v, margin %v", c.Label, row, sum, margin[i])
			}
		}
	}
	withNoise := run(t, X, names, FlatLabels(labels), Settings{Model: fast, Noise: true})
	if last := withNoise.Clusters[len(withNoise.Clusters)-1]; len(withNoise.Clusters) != 4 || !last.Noise || last.Label != "noise" {
		t.Fatalf("with noise: %d clusters, last %q", len(withNoise.Clusters), last.Label)
	}
}

// nested makes two top clusters told apart by feature 0; cluster 0 holds
// sub-clusters 0.0 and 0.1, told apart by feature 1, and some noise.
func nested(seed uint64) (*mat.Dense, []string) {
	rng := rand.New(rand.NewPCG(seed, 9))
	n := 360
	X := mat.NewDense(n, 3, nil)
	labels := make([]string, n)
	for i := 0; i < n; i++ {
		x0, x1 := rng.NormFloat64(), rng.NormFloat64()
		switch i % 6 {
		case 0, 1:
			labels[i] = "1"
			x0 += 5
		case 2, 3:
			labels[i] = "0.0"
		case 4:
			labels[i] = "0.1"
			x1 += 4
		case 5:
			labels[i] = "0.noise"
			x1 += 2
		}
		X.SetRow(i, []float64{x0, x1, rng.NormFloat64()})
	}
	return X, labels
}

func TestExplainHierarchy(t *testing.T) {
	X, labels := nested(2)
	find := func(r *Result, label string) Cluster {
		for _, c := range r.Clusters {
			if c.Label == label {
				return c
			}
		}
		t.Fatalf("no cluster %s", label)
		return Cluster{}
	}
	sib := run(t, X, nil, labels, Settings{Model: fast})
	var got []string
	for _, c := range sib.Clusters {
		got = append(got, c.Label)
	}
	if !slices.Equal(got, []string{"0", "0.0", "0.1", "1"}) {
		t.Fatalf("clusters %v", got)
	}
	c := find(sib, "0.1")
	if c.Parent != "0" || c.Size != 60 || c.Contrast != 180 {
		t.Fatalf("0.1 against siblings: parent %q, size %d, contrast %d", c.Parent, c.Size, c.Contrast)
	}
	if c.Drivers[0].Feature != "f1" || c.Drivers[0].Direction != 1 {
		t.Fatalf("0.1 against siblings: top driver %+v", c.Drivers[0])
	}
	if top := find(sib, "0").Drivers[0]; top.Feature != "f0" || top.Direction != -1 {
		t.Fatalf("0: top driver %+v", top)
	}
	whole := run(t, X, nil, labels, Settings{Model: fast, Against: Whole})
	c = find(whole, "0.1")
	if c.Contrast != 300 {
		t.Fatalf("0.1 against the whole: contrast %d", c.Contrast)
	}
	if c.Drivers[0].Feature != "f1" || c.Drivers[0].Direction != 1 {
		t.Fatalf("0.1 against the whole: top driver %+v", c.Drivers[0])
	}
	// Against the whole data, cluster 0's rows must also be told from
	// cluster 1's, which only feature 0 does.
	if d := find(whole, "0.0").Drivers; d[0].Feature != "f0" && d[1].Feature != "f0" {
		t.Fatalf("0.0 against the whole: drivers %+v", d)
	}
	if d := find(sib, "0.0").Drivers; d[0].Feature != "f1" {
		t.Fatalf("0.0 against siblings: drivers %+v", d)
	}
}

func TestExplainClusterErrors(t *testing.T) {
	X, labels := blobs(120, 2, 3, 4)
	lab := FlatLabels(labels)
	lab[0], lab[3], lab[6] = "7", "7", "7" // a cluster of three
	r := run(t, X, nil, lab, Settings{Model: fast})
	for _, c := range r.Clusters {
		switch c.Label {
		case "7":
			if c.Err == nil || !strings.Contains(c.Err.Error(), "cluster 7 has 3 members, fewer than the 5 folds") {
				t.Fatalf("tiny cluster: %v", c.Err)
			}
			if c.Model != nil || c.SHAP != nil || !math.IsNaN(c.CVAUC) {
				t.Fatalf("tiny cluster has results: %+v", c)
			}
		default:
			if c.Err != nil {
				t.Fatalf("cluster %s: %v", c.Label, c.Err)
			}
		}
	}
	one := make([]string, 120)
	for i := range one {
		one[i] = "0"
	}
	r = run(t, X, nil, one, Settings{Model: fast})
	if err := r.Clusters[0].Err; err == nil || !strings.Contains(err.Error(), "single class") {
		t.Fatalf("single class: %v", err)
	}
	only := []string{"0.0", "0.0", "0.0", "0.0", "0.0", "0.0", "1", "1", "1", "1", "1", "1"}
	r = run(t, X.Slice(0, 12, 0, 3).(*mat.Dense), nil, only, Settings{Model: fast, Folds: 2})
	for _, c := range r.Clusters {
		if c.Label == "0.0" && (c.Err == nil || !strings.Contains(c.Err.Error(), "all rows of cluster 0")) {
			t.Fatalf("only child: %v", c.Err)
		}
	}
}

// A constant feature is never split on: zero SHAP values and no direction.
func TestConstantFeature(t *testing.T) {
	X, labels := blobs(200, 2, 3, 5)
	for i := 0; i < 200; i++ {
		X.Set(i, 2, 3.5)
	}
	r := run(t, X, nil, FlatLabels(labels), Settings{Model: fast})
	for _, c := range r.Clusters {
		last := c.Drivers[len(c.Drivers)-1]
		if last.Index != 2 || last.MeanAbs != 0 || last.Direction != 0 || !math.IsNaN(last.Correlation) {
			t.Fatalf("cluster %s: constant feature %+v", c.Label, last)
		}
	}
}

func TestMaxRowsSample(t *testing.T) {
	X, labels := blobs(400, 1, 2, 6)
	lab := FlatLabels(labels)
	a := run(t, X, nil, lab, Settings{Model: fast, MaxRows: 50, Seed: 1}).Clusters[0]
	b := run(t, X, nil, lab, Settings{Model: fast, MaxRows: 50, Seed: 1}).Clusters[0]
	c := run(t, X, nil, lab, Settings{Model: fast, MaxRows: 50, Seed: 2}).Clusters[0]
	if len(a.Rows) != 50 || !slices.IsSorted(a.Rows) || a.SHAP.RawMatrix().Rows != 50 {
		t.Fatalf("%d rows explained, sorted %v", len(a.Rows), slices.IsSorted(a.Rows))
	}
	for _, r := range a.Rows {
		if labels[r] != 0 {
			t.Fatalf("row %d is not a member", r)
		}
	}
	if !slices.Equal(a.Rows, b.Rows) || slices.Equal(a.Rows, c.Rows) {
		t.Fatal("the sample should depend on the seed only")
	}
}

// Pools no larger than train_rows train on every row, exactly as without
// the setting; larger pools train on a seeded, stratified sample, and SHAP
// still explains rows drawn from all members and contrast rows.
func TestTrainRows(t *testing.T) {
	X, labels := blobs(600, 2, 4, 8)
	lab := FlatLabels(labels)
	s := Settings{Model: fast, MaxRows: 150, Seed: 1}
	all := run(t, X, nil, lab, s)
	s.TrainRows = 600
	if got := run(t, X, nil, lab, s); !reflect.DeepEqual(got, all) {
		t.Fatal("train_rows = rows changed the result")
	}
	s.TrainRows = 120
	a, b := run(t, X, nil, lab, s), run(t, X, nil, lab, s)
	for i, c := range a.Clusters {
		if c.CVAUC < 0.95 || c.Drivers[0].Index != i || c.Drivers[0].Direction != Raises {
			t.Errorf("cluster %s on 120 rows: AUC %.3f, top driver %v", c.Label, c.CVAUC, c.Drivers[0])
		}
		if c.Size != all.Clusters[i].Size || c.Contrast != all.Clusters[i].Contrast || !slices.Equal(c.Rows, all.Clusters[i].Rows) {
			t.Errorf("cluster %s: sampling the training rows changed the members, contrast or explained rows", c.Label)
		}
		if reflect.DeepEqual(c.Model, all.Clusters[i].Model) {
			t.Errorf("cluster %s: the model on 120 rows equals the one on all rows", c.Label)
		}
		// fmt prints NaN (an unused feature's correlation) equal to itself.
		if fmt.Sprint(c.Drivers) != fmt.Sprint(b.Clusters[i].Drivers) {
			t.Errorf("cluster %s: the drivers of a sampled explanation are not reproducible from its seed", c.Label)
		}
		a.Clusters[i].Drivers, b.Clusters[i].Drivers = nil, nil
	}
	if !reflect.DeepEqual(a, b) {
		t.Fatal("a sampled explanation is not reproducible from its seed")
	}
}

// The training sample keeps each class's share, at least folds rows of
// each, and only rows of the class.
func TestTrainSample(t *testing.T) {
	rowsOf := func(lo, hi int) []int {
		var out []int
		for i := lo; i < hi; i++ {
			out = append(out, i)
		}
		return out
	}
	for _, tc := range []struct {
		pos, neg, train, folds int
		wantPos, wantNeg       int
	}{
		{100, 900, 200, 5, 20, 180},
		{2, 998, 100, 5, 2, 98},
		{3, 997, 100, 5, 3, 97},
		{10, 990, 100, 5, 5, 95},
		{500, 500, 11, 5, 6, 5},
	} {
		e := &explainer{s: Settings{TrainRows: tc.train, Folds: tc.folds, Seed: 3}}
		pos, neg := rowsOf(0, tc.pos), rowsOf(tc.pos, tc.pos+tc.neg)
		p, n, pool := e.trainSample("1", pos, neg)
		if len(p) != tc.wantPos || len(n) != tc.wantNeg || len(pool) != len(p)+len(n) {
			t.Errorf("%+v: %d members and %d contrast rows, pool %d", tc, len(p), len(n), len(pool))
		}
		if !slices.IsSorted(p) || !slices.IsSorted(n) || !slices.IsSorted(pool) {
			t.Errorf("%+v: the sample is not in ascending order", tc)
		}
		if len(p) > 0 && p[len(p)-1] >= tc.pos || len(n) > 0 && n[0] < tc.pos {
			t.Errorf("%+v: a class holds rows of the other", tc)
		}
	}
}

func TestExplainDeterministic(t *testing.T) {
	X, labels := nested(3)
	s := Settings{Model: gbt.Settings{NEstimators: 10, MaxDepth: 3, Subsample: 0.8}, Seed: 7, MaxRows: 40}
	at := func(procs int) *Result {
		defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(procs))
		return run(t, X, nil, labels, s)
	}
	a, b := at(1), at(4)
	if !reflect.DeepEqual(a, b) {
		t.Fatal("GOMAXPROCS 1 and 4 explain differently")
	}
}

func TestExplainRejects(t *testing.T) {
	X, labels := blobs(60, 2, 3, 7)
	lab := FlatLabels(labels)
	inf := mat.DenseCopyOf(X)
	inf.Set(4, 1, math.Inf(1))
	allNoise := make([]string, 60)
	for i := range allNoise {
		allNoise[i] = "noise"
	}
	for _, tc := range []struct {
		name     string
		X        *mat.Dense
		features []string
		labels   []string
		s        Settings
		want     string
	}{
		{"nil", nil, nil, lab, Settings{}, "matrix is missing"},
		{"labels", X, nil, lab[:10], Settings{}, "60 rows but there are 10 labels"},
		{"names", X, []string{"a"}, lab, Settings{}, "1 feature names for 3 columns"},
		{"duplicate name", X, []string{"a", "b", "a"}, lab, Settings{}, `"a" appears twice`},
		{"empty name", X, []string{"a", "", "c"}, lab, Settings{}, "feature 1 has no name"},
		{"folds", X, nil, lab, Settings{Folds: 1}, "folds 1"},
		{"max rows", X, nil, lab, Settings{MaxRows: -1}, "max_rows -1"},
		{"train rows", X, nil, lab, Settings{TrainRows: 9}, "train_rows 9"},
		{"scope", X, nil, lab, Settings{Against: 7}, "unknown scope"},
		{"infinite", inf, nil, lab, Settings{}, "row 4, column 1 holds +Inf"},
		{"all noise", X, nil, allNoise, Settings{}, "all 60 rows are noise"},
		{"bad label", X, nil, append([]string{"1..2"}, lab[1:]...), Settings{}, "empty component"},
		{"model", X, nil, lab, Settings{Model: gbt.Settings{MaxDepth: -1}}, "max_depth -1"},
	} {
		_, err := Explain(context.Background(), tc.X, tc.features, tc.labels, tc.s)
		if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.HasPrefix(err.Error(), "explain: ") {
			t.Errorf("%s: error %v, want one mentioning %q", tc.name, err, tc.want)
		}
	}
}

func TestExplainProgressAndCancel(t *testing.T) {
	X, labels := blobs(300, 3, 4, 8)
	lab := FlatLabels(labels)
	last, total, calls := 0, 0, 0
	run(t, X, nil, lab, Settings{Model: fast, Progress: func(phase string, done, tot int) {
		calls++
		if done < last || done > tot || !strings.Contains(phase, ": ") {
			t.Errorf("progress(%q, %d, %d) after %d", phase, done, tot, last)
		}
		last, total = done, tot
	}})
	if total != 3*6*15 || last != total || calls < 3*6*15 {
		t.Fatalf("progress ended at %d of %d after %d calls", last, total, calls)
	}

	ctx, cancel := context.WithCancel(context.Background())
	var stopped time.Time
	_, err := Explain(ctx, X, nil, lab, Settings{Model: gbt.Settings{NEstimators: 500}, Progress: func(_ string, done, _ int) {
		if done == 700 {
			cancel()
			stopped = time.Now()
		}
	}})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err %v, want context.Canceled", err)
	}
	if d := time.Since(stopped); d > time.Second {
		t.Fatalf("returned %v after the cancellation", d)
	}
}

func TestWriteSHAPCSV(t *testing.T) {
	X, labels := nested(4)
	r := run(t, X, []string{"x", "y, quoted", "z"}, labels, Settings{Model: fast, MaxRows: 30})
	var buf bytes.Buffer
	if err := WriteSHAPCSV(&buf, r, nil); err != nil {
		t.Fatal(err)
	}
	lines, err := csv.NewReader(&buf).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(lines[0], []string{"row", "cluster", "expected_value", "x", "y, quoted", "z"}) {
		t.Fatalf("header %q", lines[0])
	}
	k := 1
	for _, c := range r.Clusters {
		for i, row := range c.Rows {
			l := lines[k]
			k++
			if l[0] != strconv.Itoa(row) || l[1] != c.Label {
				t.Fatalf("line %d: %q, want row %d of cluster %s", k, l, row, c.Label)
			}
			for j, s := range l[2:] {
				v, err := strconv.ParseFloat(s, 64)
				want := c.Expected
				if j > 0 {
					want = c.SHAP.At(i, j-1)
				}
				if err != nil || v != want {
					t.Fatalf("line %d column %d: %q, want %v", k, j+2, s, want)
				}
			}
		}
	}
	if k != len(lines) {
		t.Fatalf("%d lines, want %d", len(lines), k)
	}
}

// The exported models load into XGBoost, whose TreeSHAP on the explained
// rows gives the values Explain reported.
func TestWriteModelsForXGBoost(t *testing.T) {
	X, labels := nested(5)
	r := run(t, X, []string{"x", "y", "z"}, labels, Settings{Model: fast, MaxRows: 40})
	dir := filepath.Join(t.TempDir(), "models")
	paths, err := WriteModels(dir, r)
	if err != nil {
		t.Fatal(err)
	}
	if len(paths) != len(r.Clusters) || filepath.Base(paths[1]) != "cluster_0.0.json" {
		t.Fatalf("wrote %q", paths)
	}
	for i, c := range r.Clusters {
		f, err := os.Open(paths[i])
		if err != nil {
			t.Fatal(err)
		}
		m, err := gbt.ReadXGBoostJSON(f)
		f.Close()
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(m.FeatureNames, []string{"x", "y", "z"}) || len(m.Trees) != len(c.Model.Trees) {
			t.Fatalf("%s: read back %d trees named %q", paths[i], len(m.Trees), m.FeatureNames)
		}
	}
	xgbtest.Require(t)
	c := r.Clusters[2]
	contribs := xgbtest.Predict(t, paths[2], rowsOf(X, c.Rows)).Contribs
	for i := range c.Rows {
		for j := 0; j <= 3; j++ {
			want := c.Expected
			if j < 3 {
				want = c.SHAP.At(i, j)
			}
			if got := float64(contribs[i*4+j]); math.Abs(got-want) > 1e-5 {
				t.Fatalf("cluster %s row %d column %d: XGBoost %v, explain %v", c.Label, c.Rows[i], j, got, want)
			}
		}
	}
}

// models.json maps every model file to its cluster's real label, which a
// file name cannot always hold, and says how to feed the models.
func TestWriteModelsIndex(t *testing.T) {
	X, labels := nested(5)
	r := run(t, X, []string{"x", "y", "z"}, labels, Settings{Model: fast, MaxRows: 40})
	real := []string{"Adelie Penguin (Pygoscelis adeliae)", "Gentoo penguin/étoile", "0.1"}
	for i := range r.Clusters {
		r.Clusters[i].Label = real[i%len(real)] + strings.Repeat("!", i/len(real))
	}
	dir := t.TempDir()
	paths, err := WriteModels(dir, r)
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(dir, IndexFile))
	if err != nil {
		t.Fatal(err)
	}
	var ix Index
	if err := json.Unmarshal(b, &ix); err != nil {
		t.Fatalf("models.json: %v", err)
	}
	if ix.Objective != "binary:logistic" || !slices.Equal(ix.Features, []string{"x", "y", "z"}) || ix.Against != r.Against.String() {
		t.Errorf("index header %+v", ix)
	}
	files, _ := filepath.Glob(filepath.Join(dir, "cluster_*.json"))
	if len(ix.Models) != len(files) || len(files) != len(paths) {
		t.Fatalf("%d models indexed, %d files, %d written", len(ix.Models), len(files), len(paths))
	}
	for i, m := range ix.Models {
		c := r.Clusters[i]
		if m.Label != c.Label || filepath.Join(dir, m.File) != paths[i] || m.File != ModelFile(c.Label) {
			t.Errorf("model %d: %+v, want cluster %q in %s", i, m, c.Label, filepath.Base(paths[i]))
		}
		if m.BaseScore != c.Model.BaseScore || m.ExpectedValue != c.Expected || m.Size != c.Size || m.CVAUC == nil || *m.CVAUC != c.CVAUC {
			t.Errorf("model %q: %+v", c.Label, m)
		}
		if _, err := os.Stat(filepath.Join(dir, m.File)); err != nil {
			t.Errorf("model %q: %v", c.Label, err)
		}
	}
}

func TestModelFile(t *testing.T) {
	for label, want := range map[string]string{"3": "cluster_3.json", "3.noise": "cluster_3.noise.json", "a/b c": "cluster_a_b_c.json"} {
		if got := ModelFile(label); got != want {
			t.Errorf("ModelFile(%q) = %q, want %q", label, got, want)
		}
	}
}

// A cluster that one feature separates outright, every member far above
// (or below) every other row, gets that feature's direction right, although
// among the members alone its SHAP value hardly varies with it.
func TestDirectionOfASeparatingFeature(t *testing.T) {
	for _, sign := range []float64{1, -1} {
		rng := rand.New(rand.NewPCG(7, 7))
		n := 600
		X := mat.NewDense(n, 3, nil)
		labels := make([]int, n)
		for i := 0; i < n; i++ {
			member := i < 150
			v := rng.NormFloat64() * 0.05
			if member {
				labels[i], v = 0, v+sign*1
			} else {
				labels[i] = 1
			}
			X.Set(i, 0, v)
			X.Set(i, 1, rng.NormFloat64())
			X.Set(i, 2, rng.NormFloat64())
		}
		r := run(t, X, []string{"speechiness", "b", "c"}, FlatLabels(labels), Settings{Model: fast, Seed: 3})
		c := r.Clusters[0]
		if len(c.ContrastRows) != len(c.Rows) || c.ContrastSHAP == nil {
			t.Fatalf("%d contrast rows explained for %d members", len(c.ContrastRows), len(c.Rows))
		}
		for _, row := range c.ContrastRows {
			if labels[row] == 0 {
				t.Fatalf("contrast row %d is a member", row)
			}
		}
		top := c.Drivers[0]
		if top.Feature != "speechiness" || top.Direction != Direction(sign) {
			t.Errorf("members at %+.0f: top driver %+v, want speechiness with direction %+.0f", sign, top, sign)
		}
	}
}

// A correlation too weak to tell has no direction, whatever its sign: the
// explain table and the plots' text say the same thing.
func TestDirectionOf(t *testing.T) {
	for _, tc := range []struct {
		r    float64
		want Direction
		text string
	}{
		{0.9, Raises, "high values raise the output"},
		{0.05, Raises, "high values raise the output"},
		{0.049, NoDirection, "no clear direction"},
		{-0.049, NoDirection, "no clear direction"},
		{-0.05, Lowers, "high values lower the output"},
		{-1, Lowers, "high values lower the output"},
		{math.NaN(), NoDirection, "no clear direction"},
	} {
		if got := DirectionOf(tc.r); got != tc.want || got.String() != tc.text {
			t.Errorf("DirectionOf(%v) = %v (%q), want %v (%q)", tc.r, int(got), got, int(tc.want), tc.text)
		}
	}
}
