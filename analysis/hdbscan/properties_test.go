package hdbscan

import (
	"bytes"
	"context"
	"errors"
	"math"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"gonum.org/v1/gonum/mat"
)

// TestRowOrderDoesNotMatter permutes the rows of data without duplicates:
// every row must keep its label (the clusters are numbered by the tree, not
// by the rows), its probability and its outlier score, bit for bit.
func TestRowOrderDoesNotMatter(t *testing.T) {
	ctx := context.Background()
	for _, ds := range testDatasets() {
		if strings.HasPrefix(ds.name, "duplicates") {
			continue
		}
		rng := newRNG(uint64(len(ds.rows)))
		for _, opts := range []Options{{}, {Selection: Selection{MinClusterSize: 12, ClusterSelectionMethod: Leaf}, MinSamples: 4}} {
			base, err := Fit(ctx, toDense(ds.rows), opts)
			if err != nil {
				t.Fatal(err)
			}
			for trial := range 3 {
				perm := rng.Perm(len(ds.rows))
				rows := make([][]float64, len(perm))
				for i, p := range perm {
					rows[i] = ds.rows[p]
				}
				got, err := Fit(ctx, toDense(rows), opts)
				if err != nil {
					t.Fatal(err)
				}
				for i, p := range perm {
					if got.Labels[i] != base.Labels[p] || got.Probabilities[i] != base.Probabilities[p] || got.OutlierScores[i] != base.OutlierScores[p] {
						t.Fatalf("%s trial %d: row %d gets (%d, %v, %v) after permutation, (%d, %v, %v) before", ds.name, trial, p,
							got.Labels[i], got.Probabilities[i], got.OutlierScores[i], base.Labels[p], base.Probabilities[p], base.OutlierScores[p])
					}
				}
				if !slices.Equal(got.Persistence, base.Persistence) {
					t.Fatalf("%s trial %d: persistence %v, before %v", ds.name, trial, got.Persistence, base.Persistence)
				}
			}
		}
	}
}

// TestSameResultForAnyGOMAXPROCS fits data large enough for many parallel
// chunks with one and with four threads.
func TestSameResultForAnyGOMAXPROCS(t *testing.T) {
	X := toDense(blobs(21, 2, []int{3000, 2000, 1500}, []float64{0.3, 0.9, 0.5}, 1500))
	run := func(procs int) *Result {
		defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(procs))
		r, err := Fit(context.Background(), X, Options{Selection: Selection{MinClusterSize: 40}, MinSamples: 10})
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	a, b := run(1), run(4)
	if !slices.Equal(a.Labels, b.Labels) || !slices.Equal(a.Probabilities, b.Probabilities) || !slices.Equal(a.OutlierScores, b.OutlierScores) {
		t.Fatal("the result depends on GOMAXPROCS")
	}
	if !slices.Equal(a.SingleLinkage, b.SingleLinkage) || !slices.Equal(a.CondensedTree(), b.CondensedTree()) {
		t.Fatal("the hierarchy depends on GOMAXPROCS")
	}
}

// TestReclusterMatchesFit re-selects with other parameters and compares
// with fitting afresh at the fitted min_samples.
func TestReclusterMatchesFit(t *testing.T) {
	ctx := context.Background()
	rows := blobs(31, 2, []int{200, 150, 150, 60}, []float64{0.4, 0.8, 0.5, 0.2}, 80)
	X := toDense(rows)
	r, err := Fit(ctx, X, Options{Selection: Selection{MinClusterSize: 10}})
	if err != nil {
		t.Fatal(err)
	}
	for _, sel := range []Selection{
		{MinClusterSize: 5},
		{MinClusterSize: 30},
		{MinClusterSize: 15, ClusterSelectionMethod: Leaf},
		{MinClusterSize: 15, ClusterSelectionEpsilon: 1},
		{MinClusterSize: 100, AllowSingleCluster: true},
	} {
		got, err := Recluster(ctx, r, sel)
		if err != nil {
			t.Fatal(err)
		}
		want, err := Fit(ctx, X, Options{Selection: sel, MinSamples: r.Options.MinSamples})
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(got.Labels, want.Labels) || !slices.Equal(got.Probabilities, want.Probabilities) ||
			!slices.Equal(got.OutlierScores, want.OutlierScores) || !slices.Equal(got.CondensedTree(), want.CondensedTree()) {
			t.Fatalf("%+v: Recluster differs from Fit", sel)
		}
		if got.Options.MinSamples != 10 || got.Options.MinClusterSize != sel.MinClusterSize {
			t.Fatalf("%+v: options in effect %+v", sel, got.Options)
		}
	}
	if _, err := Recluster(ctx, r, Selection{MinClusterSize: 1}); err == nil {
		t.Fatal("Recluster accepted min_cluster_size 1")
	}
	if _, err := Recluster(ctx, r, Selection{MinClusterSize: len(rows) + 1}); err == nil {
		t.Fatal("Recluster accepted a min_cluster_size above the number of rows")
	}
	if _, err := Recluster(ctx, &Result{}, Selection{}); err == nil {
		t.Fatal("Recluster accepted a result not made by Fit")
	}
}

// TestApproximatePredictOnTrainingRows: a training row's nearest
// mutual-reachability neighbour is itself, so it must get its own label.
func TestApproximatePredictOnTrainingRows(t *testing.T) {
	ctx := context.Background()
	for _, ds := range testDatasets() {
		for _, opts := range []Options{{}, {Selection: Selection{MinClusterSize: 15, ClusterSelectionMethod: Leaf}}} {
			X := toDense(ds.rows)
			r, err := Fit(ctx, X, opts)
			if err != nil {
				t.Fatal(err)
			}
			labels, probs, err := ApproximatePredict(ctx, r, X)
			if err != nil {
				t.Fatal(err)
			}
			for i := range labels {
				if labels[i] != r.Labels[i] {
					t.Fatalf("%s: row %d predicted %d, fitted %d", ds.name, i, labels[i], r.Labels[i])
				}
				if probs[i] < 0 || probs[i] > 1 || (labels[i] < 0) != (probs[i] == 0) && labels[i] < 0 {
					t.Fatalf("%s: row %d probability %v for label %d", ds.name, i, probs[i], labels[i])
				}
			}
		}
	}
}

func TestApproximatePredictNewPoints(t *testing.T) {
	ctx := context.Background()
	rows := blobs(41, 2, []int{200, 200}, []float64{0.5, 0.5}, 0)
	r, err := Fit(ctx, toDense(rows), Options{Selection: Selection{MinClusterSize: 20}})
	if err != nil {
		t.Fatal(err)
	}
	// the centre of each cluster, and a point far from everything
	centre := make([][]float64, 2)
	count := make([]float64, 2)
	for i, l := range r.Labels {
		if l >= 0 {
			if centre[l] == nil {
				centre[l] = make([]float64, 2)
			}
			centre[l][0] += rows[i][0]
			centre[l][1] += rows[i][1]
			count[l]++
		}
	}
	P := mat.NewDense(3, 2, []float64{
		centre[0][0] / count[0], centre[0][1] / count[0],
		centre[1][0] / count[1], centre[1][1] / count[1],
		1000, 1000,
	})
	labels, probs, err := ApproximatePredict(ctx, r, P)
	if err != nil {
		t.Fatal(err)
	}
	if labels[0] != 0 || labels[1] != 1 || labels[2] != -1 {
		t.Fatalf("labels %v, want [0 1 -1]", labels)
	}
	if probs[0] < 0.5 || probs[1] < 0.5 || probs[2] != 0 {
		t.Fatalf("probabilities %v", probs)
	}
	// The centres are the least outlying points; the far point the most.
	_, _, scores, err := ApproximatePredictScores(ctx, r, P)
	if err != nil {
		t.Fatal(err)
	}
	if scores[0] > 0.5 || scores[1] > 0.5 || scores[2] < 0.99 || scores[2] > 1 {
		t.Fatalf("outlier scores %v, want the centres low and the far point near 1", scores)
	}
	if _, _, err := ApproximatePredict(ctx, r, mat.NewDense(1, 3, nil)); err == nil {
		t.Fatal("accepted points with the wrong number of columns")
	}
	if _, _, err := ApproximatePredict(ctx, r, mat.NewDense(1, 2, []float64{math.NaN(), 0})); err == nil {
		t.Fatal("accepted a NaN point")
	}
	// no cluster at all: everything is noise
	flat, err := Fit(ctx, toDense(rows[:30]), Options{Selection: Selection{MinClusterSize: 30}})
	if err != nil {
		t.Fatal(err)
	}
	labels, _, err = ApproximatePredict(ctx, flat, P)
	if err != nil || !slices.Equal(labels, []int{-1, -1, -1}) {
		t.Fatalf("labels %v, error %v; want all noise", labels, err)
	}
}

func TestBadInput(t *testing.T) {
	ctx := context.Background()
	good := toDense(blobs(51, 2, []int{30}, []float64{1}, 0))
	for _, tc := range []struct {
		name string
		X    *mat.Dense
		opts Options
		want string
	}{
		{"nil", nil, Options{}, "no rows"},
		{"empty", &mat.Dense{}, Options{}, "no rows"},
		{"min_cluster_size 1", good, Options{Selection: Selection{MinClusterSize: 1}}, "min_cluster_size 1 must be at least 2"},
		{"negative min_cluster_size", good, Options{Selection: Selection{MinClusterSize: -3}}, "min_cluster_size -3"},
		{"negative min_samples", good, Options{MinSamples: -1}, "min_samples -1 must be positive"},
		{"negative alpha", good, Options{Alpha: -1}, "alpha -1"},
		{"NaN alpha", good, Options{Alpha: math.NaN()}, "alpha NaN"},
		{"negative epsilon", good, Options{Selection: Selection{ClusterSelectionEpsilon: -0.5}}, "cluster_selection_epsilon -0.5"},
		{"infinite epsilon", good, Options{Selection: Selection{ClusterSelectionEpsilon: math.Inf(1)}}, "cluster_selection_epsilon +Inf"},
		{"unknown method", good, Options{Selection: Selection{ClusterSelectionMethod: "mean"}}, `cluster_selection_method "mean"`},
		{"unknown metric", good, Options{Metric: "cosine"}, `metric "cosine" is not supported`},
		{"fewer rows than min_cluster_size", good, Options{Selection: Selection{MinClusterSize: 31}}, "30 rows are fewer than min_cluster_size 31"},
		{"all NaN", mat.NewDense(3, 2, []float64{math.NaN(), 1, 2, math.Inf(1), math.NaN(), math.NaN()}), Options{}, "all 3 rows hold NaN or infinite values"},
		{"too few finite rows", mat.NewDense(6, 1, []float64{1, 2, 3, math.Inf(1), math.NaN(), 6}), Options{}, "only 4 of the 6 rows have finite values, fewer than min_cluster_size 5"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Fit(ctx, tc.X, tc.opts)
			if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.HasPrefix(err.Error(), "hdbscan: ") {
				t.Fatalf("error %v, want one containing %q", err, tc.want)
			}
		})
	}
}

// TestNonFiniteRowsAreNoise checks that rows with NaN or infinite values
// are left out and labelled noise, the rest clustered as without them.
func TestNonFiniteRowsAreNoise(t *testing.T) {
	ctx := context.Background()
	rows := blobs(61, 2, []int{60, 60}, []float64{0.4, 0.4}, 10)
	clean, err := Fit(ctx, toDense(rows), Options{})
	if err != nil {
		t.Fatal(err)
	}
	withBad := append([][]float64{{math.NaN(), 0}}, rows[:50]...)
	withBad = append(withBad, []float64{1, math.Inf(-1)})
	withBad = append(withBad, rows[50:]...)
	r, err := Fit(ctx, toDense(withBad), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(r.Excluded, []int{0, 51}) {
		t.Fatalf("excluded %v, want [0 51]", r.Excluded)
	}
	for _, i := range r.Excluded {
		if r.Labels[i] != -1 || r.Probabilities[i] != 0 || r.OutlierScores[i] != 1 {
			t.Fatalf("row %d: label %d probability %v score %v", i, r.Labels[i], r.Probabilities[i], r.OutlierScores[i])
		}
	}
	var kept []int
	for i := range r.Labels {
		if i != 0 && i != 51 {
			kept = append(kept, r.Labels[i])
		}
	}
	if !slices.Equal(kept, clean.Labels) {
		t.Fatal("the finite rows are clustered differently")
	}
	// the condensed tree names rows by their index in the data and hangs
	// the excluded rows from the root
	n := len(withBad)
	seen := map[int]bool{}
	for _, e := range r.CondensedTree() {
		if e.Child < n {
			seen[e.Child] = true
		}
		if e.Parent < n {
			t.Fatalf("parent %d is a row", e.Parent)
		}
	}
	if len(seen) != n {
		t.Fatalf("the condensed tree holds %d rows, want %d", len(seen), n)
	}
	last := r.CondensedTree()[len(r.CondensedTree())-1]
	if last.Parent != n || last.Lambda != 0 || last.Child != 51 {
		t.Fatalf("last edge %+v", last)
	}
}

// TestIdenticalRows: with no density structure every row is noise, unless
// a single cluster is allowed.
func TestIdenticalRows(t *testing.T) {
	ctx := context.Background()
	X := mat.NewDense(40, 3, nil)
	for i := range 40 {
		X.SetRow(i, []float64{1, 2, 3})
	}
	r, err := Fit(ctx, X, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for i, l := range r.Labels {
		if l != -1 {
			t.Fatalf("row %d label %d, want noise", i, l)
		}
	}
	r, err = Fit(ctx, X, Options{Selection: Selection{AllowSingleCluster: true}})
	if err != nil {
		t.Fatal(err)
	}
	for i, l := range r.Labels {
		if l != 0 || r.Probabilities[i] != 1 {
			t.Fatalf("row %d label %d probability %v, want cluster 0 with probability 1", i, l, r.Probabilities[i])
		}
	}
}

func TestCancellation(t *testing.T) {
	X := toDense(blobs(71, 2, []int{40000, 40000}, []float64{0.5, 0.5}, 20000))
	ctx, cancel := context.WithCancel(context.Background())
	var once sync.Once
	start := time.Now()
	_, err := Fit(ctx, X, Options{Selection: Selection{MinClusterSize: 50}, Progress: func(phase string, done, total int) {
		once.Do(cancel)
	}})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("error %v, want context.Canceled", err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Fatalf("Fit took %v to notice the cancellation", d)
	}
}

func TestProgressPhases(t *testing.T) {
	var mu sync.Mutex
	last := map[string][2]int{}
	_, err := Fit(context.Background(), toDense(blobs(81, 2, []int{500, 500}, []float64{0.5, 0.5}, 100)), Options{
		Progress: func(phase string, done, total int) {
			mu.Lock()
			defer mu.Unlock()
			if prev, ok := last[phase]; ok && done < prev[0] && phase != "core distances" {
				t.Errorf("%s went back from %d to %d", phase, prev[0], done)
			}
			if d := last[phase]; done > d[0] {
				last[phase] = [2]int{done, total}
			}
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, phase := range []string{"core distances", "spanning tree", "clusters"} {
		d, ok := last[phase]
		if !ok || d[0] != d[1] {
			t.Fatalf("phase %q ended at %v", phase, d)
		}
	}
}

func TestWriteCSV(t *testing.T) {
	r, err := Fit(context.Background(), toDense(blobs(91, 2, []int{20, 20}, []float64{0.1, 0.1}, 0)), Options{})
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := r.WriteCSV(&buf); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
	if len(lines) != 41 || lines[0] != "row,label,probability,outlier_score" {
		t.Fatalf("%d lines, header %q", len(lines), lines[0])
	}
	if !strings.HasPrefix(lines[1], "0,") || strings.Count(lines[1], ",") != 3 {
		t.Fatalf("first row %q", lines[1])
	}
}

// TestTreeInvariants checks the condensed tree and scores on every data
// set: rows appear once, lambdas never fall below their cluster's birth,
// sizes add up, and probabilities and scores lie in [0, 1].
func TestTreeInvariants(t *testing.T) {
	for _, ds := range testDatasets() {
		r, err := Fit(context.Background(), toDense(ds.rows), Options{Selection: Selection{MinClusterSize: 8}})
		if err != nil {
			t.Fatal(err)
		}
		n := len(ds.rows)
		birth := map[int]float64{n: 0}
		size := map[int]int{n: n}
		rowSeen := make([]int, n)
		sum := map[int]int{}
		for _, e := range r.CondensedTree() {
			if e.Lambda < birth[e.Parent] {
				t.Fatalf("%s: edge %+v below its parent's birth %v", ds.name, e, birth[e.Parent])
			}
			if e.Child < n {
				rowSeen[e.Child]++
			} else {
				birth[e.Child] = e.Lambda
				size[e.Child] = e.ChildSize
			}
			sum[e.Parent] += e.ChildSize
		}
		for c, s := range sum {
			if s != size[c] {
				t.Fatalf("%s: cluster %d has size %d but its edges carry %d", ds.name, c, size[c], s)
			}
		}
		for i, k := range rowSeen {
			if k != 1 {
				t.Fatalf("%s: row %d appears %d times", ds.name, i, k)
			}
		}
		for i := range r.Labels {
			if p := r.Probabilities[i]; p < 0 || p > 1 || (r.Labels[i] < 0 && p != 0) {
				t.Fatalf("%s: row %d label %d probability %v", ds.name, i, r.Labels[i], p)
			}
			if s := r.OutlierScores[i]; s < 0 || s > 1 {
				t.Fatalf("%s: row %d outlier score %v", ds.name, i, s)
			}
		}
		if len(r.Clusters) != len(r.Persistence) {
			t.Fatalf("%s: %d clusters, %d persistence values", ds.name, len(r.Clusters), len(r.Persistence))
		}
		for l, c := range r.Clusters {
			if _, ok := size[c]; !ok {
				t.Fatalf("%s: label %d names node %d, not a cluster", ds.name, l, c)
			}
		}
	}
}

// TestHighDimensions: above 60 columns Fit uses Prim's algorithm and
// brute-force neighbour searches; the answers must not change.
func TestHighDimensions(t *testing.T) {
	ctx := context.Background()
	rows := blobs(101, 70, []int{80, 80, 60}, []float64{1, 1.5, 0.8}, 20)
	X := toDense(rows)
	opts := Options{Selection: Selection{MinClusterSize: 15}}
	auto, err := Fit(ctx, X, opts)
	if err != nil {
		t.Fatal(err)
	}
	if auto.h.tree != nil {
		t.Fatal("Fit built a k-d tree in 70 dimensions")
	}
	tree, err := fit(ctx, X, opts, useBoruvka)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(auto.Labels, tree.Labels) || !slices.Equal(auto.Probabilities, tree.Probabilities) {
		t.Fatal("Prim and Borůvka disagree in 70 dimensions")
	}
	for _, r := range []*Result{auto, tree} {
		labels, _, err := ApproximatePredict(ctx, r, X)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(labels, r.Labels) {
			t.Fatal("predicting the training rows changes their labels")
		}
	}
	if auto.NumClusters() != 3 {
		t.Fatalf("%d clusters, want 3", auto.NumClusters())
	}
}

// TestConcurrentUse: a Result is read-only, so reclustering and predicting
// from several goroutines at once is safe (run with -race).
func TestConcurrentUse(t *testing.T) {
	ctx := context.Background()
	rows := blobs(111, 2, []int{150, 150}, []float64{0.5, 0.5}, 30)
	X := toDense(rows)
	r, err := Fit(ctx, X, Options{Selection: Selection{MinClusterSize: 10}})
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for i := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := Recluster(ctx, r, Selection{MinClusterSize: 5 + 5*i}); err != nil {
				t.Error(err)
			}
			if _, _, err := ApproximatePredict(ctx, r, X); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
}
