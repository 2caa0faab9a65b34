package hdbscan

import (
	"context"
	"fmt"
	"math"
	"testing"
)

// sameLabelling reports whether a and b are the same partition with the
// same noise, up to renumbering of the clusters, and describes the first
// difference.
func sameLabelling(a, b []int) (bool, string) {
	if len(a) != len(b) {
		return false, fmt.Sprintf("lengths %d and %d", len(a), len(b))
	}
	ab, ba := map[int]int{}, map[int]int{}
	for i := range a {
		if (a[i] < 0) != (b[i] < 0) {
			return false, fmt.Sprintf("row %d: %d vs %d", i, a[i], b[i])
		}
		if a[i] < 0 {
			continue
		}
		if x, ok := ab[a[i]]; ok && x != b[i] {
			return false, fmt.Sprintf("row %d: cluster %d maps to %d and %d", i, a[i], x, b[i])
		}
		if x, ok := ba[b[i]]; ok && x != a[i] {
			return false, fmt.Sprintf("row %d: cluster %d maps back to %d and %d", i, b[i], x, a[i])
		}
		ab[a[i]], ba[b[i]] = b[i], a[i]
	}
	return true, ""
}

func near(a, b, tol float64) bool {
	if a == b || (math.IsNaN(a) && math.IsNaN(b)) {
		return true
	}
	return math.Abs(a-b) <= tol*math.Max(1, math.Max(math.Abs(a), math.Abs(b)))
}

type optCase struct {
	name string
	opts Options
}

func referenceCases(epsilon float64) []optCase {
	return []optCase{
		{"default", Options{}},
		{"mcs10-ms3", Options{Selection: Selection{MinClusterSize: 10}, MinSamples: 3}},
		{"mcs15-leaf", Options{Selection: Selection{MinClusterSize: 15, ClusterSelectionMethod: Leaf}}},
		{"mcs8-epsilon", Options{Selection: Selection{MinClusterSize: 8, ClusterSelectionEpsilon: epsilon}}},
		{"mcs8-leaf-epsilon", Options{Selection: Selection{MinClusterSize: 8, ClusterSelectionMethod: Leaf, ClusterSelectionEpsilon: epsilon}}},
		{"mcs25-single", Options{Selection: Selection{MinClusterSize: 25, AllowSingleCluster: true}}},
		{"mcs25-single-epsilon", Options{Selection: Selection{MinClusterSize: 25, AllowSingleCluster: true, ClusterSelectionEpsilon: 3 * epsilon}}},
		{"mcs60-single", Options{Selection: Selection{MinClusterSize: 60, AllowSingleCluster: true}}},
		{"mcs12-alpha", Options{Selection: Selection{MinClusterSize: 12}, MinSamples: 7, Alpha: 1.3}},
		{"mcs12-alpha-below-1", Options{Selection: Selection{MinClusterSize: 12}, MinSamples: 7, Alpha: 0.8}},
		{"mcs10-manhattan", Options{Selection: Selection{MinClusterSize: 10}, Metric: Manhattan}},
		{"mcs10-chebyshev", Options{Selection: Selection{MinClusterSize: 10}, Metric: Chebyshev}},
	}
}

// TestMatchesReference runs the fast path, with Borůvka and with Prim,
// against the quadratic reference on every generated data set: the
// spanning trees, labels, probabilities and outlier scores must agree.
func TestMatchesReference(t *testing.T) {
	ctx := context.Background()
	for _, ds := range testDatasets() {
		eps := 0.5
		if len(ds.rows[0]) > 2 {
			eps = 1.5
		}
		X := toDense(ds.rows)
		for _, oc := range referenceCases(eps) {
			t.Run(ds.name+"/"+oc.name, func(t *testing.T) {
				o, err := oc.opts.withDefaults()
				if err != nil {
					t.Fatal(err)
				}
				o.MinSamples = min(o.MinSamples, len(ds.rows)-1)
				ref := refFit(ds.rows, o)
				for _, algo := range []algorithm{useBoruvka, usePrim} {
					res, err := fit(ctx, X, oc.opts, algo)
					if err != nil {
						t.Fatal(err)
					}
					checkSpanningTree(t, algo, res, ref, o.Alpha != 1)

					if ok, why := sameLabelling(res.Labels, ref.labels); !ok {
						t.Fatalf("algorithm %d: labels differ from the reference: %s", algo, why)
					}
					for i := range res.Labels {
						if !near(res.Probabilities[i], ref.probs[i], 1e-9) {
							t.Fatalf("algorithm %d: row %d probability %v, reference %v", algo, i, res.Probabilities[i], ref.probs[i])
						}
						if !near(res.OutlierScores[i], ref.outlier[i], 1e-9) {
							t.Fatalf("algorithm %d: row %d outlier score %v, reference %v", algo, i, res.OutlierScores[i], ref.outlier[i])
						}
					}
				}
			})
		}
	}
}

// checkSpanningTree compares the fitted single-linkage tree with the
// reference's, merge by merge.
func checkSpanningTree(t *testing.T, algo algorithm, res *Result, ref refOutput, approx bool) {
	t.Helper()
	l := res.h.link
	if len(l.left) != len(ref.tree.merges) {
		t.Fatalf("algorithm %d: %d merges, reference %d", algo, len(l.left), len(ref.tree.merges))
	}
	node := func(x int32) int {
		if int(x) < l.n {
			return int(res.h.rowOf[x])
		}
		return int(x)
	}
	for i, m := range ref.tree.merges {
		got := refMerge{a: node(l.left[i]), b: node(l.right[i]), dist: l.dist[i], size: int(l.size[i])}
		same := got.a == m.a && got.b == m.b && got.size == m.size
		if approx {
			same = same && near(got.dist, m.dist, 1e-12)
		} else {
			same = same && got.dist == m.dist
		}
		if !same {
			t.Fatalf("algorithm %d: merge %d is %+v, reference %+v", algo, i, got, m)
		}
	}
}

// TestBoruvkaEqualsPrimAtScale compares the two spanning-tree algorithms on
// data large enough for many Borůvka rounds and parallel chunks, with and
// without the neighbour lists that settle most points.
func TestBoruvkaEqualsPrimAtScale(t *testing.T) {
	ctx := context.Background()
	rows := blobs(11, 3, []int{600, 450, 300, 200}, []float64{0.3, 0.8, 1.5, 0.5}, 400)
	X := toDense(rows)
	for _, ms := range []int{3, 15} {
		opts := Options{Selection: Selection{MinClusterSize: 20}, MinSamples: ms}
		b, err := fit(ctx, X, opts, useBoruvka)
		if err != nil {
			t.Fatal(err)
		}
		p, err := fit(ctx, X, opts, usePrim)
		if err != nil {
			t.Fatal(err)
		}
		if !sameLinkage(b.h.link, p.h.link) {
			t.Fatalf("min_samples %d: Borůvka and Prim give different trees", ms)
		}
		// without neighbour lists every point searches the tree
		h := b.h
		sp := h.sp
		core, _, _, err := coreDistances(ctx, h.tree, sp, h.cnt, ms, func(int) {})
		if err != nil {
			t.Fatal(err)
		}
		plain, err := boruvkaMST(ctx, h.tree, sp, core, h.tree.idx, nil, func(int) {})
		if err != nil {
			t.Fatal(err)
		}
		core2, _, lists, _ := coreDistances(ctx, h.tree, sp, h.cnt, ms, func(int) {})
		listed, err := boruvkaMST(ctx, h.tree, sp, core2, h.tree.idx, lists, func(int) {})
		if err != nil {
			t.Fatal(err)
		}
		if !sameEdgeSet(plain, listed) {
			t.Fatalf("min_samples %d: the neighbour lists change the spanning tree", ms)
		}
	}
}

func sameLinkage(a, b *linkage) bool {
	if a.n != b.n {
		return false
	}
	for i := range a.left {
		if a.left[i] != b.left[i] || a.right[i] != b.right[i] || a.dist[i] != b.dist[i] || a.size[i] != b.size[i] {
			return false
		}
	}
	return true
}

func sameEdgeSet(a, b []edge) bool {
	key := func(e edge) [2]int32 {
		x, y := ordered(e.a, e.b)
		return [2]int32{x, y}
	}
	set := map[[2]int32]float64{}
	for _, e := range a {
		set[key(e)] = e.w
	}
	if len(a) != len(b) {
		return false
	}
	for _, e := range b {
		if w, ok := set[key(e)]; !ok || w != e.w {
			return false
		}
	}
	return true
}

// TestTinyInputs clusters a handful of rows, as a recursion reaching small
// branches does, against the reference.
func TestTinyInputs(t *testing.T) {
	ctx := context.Background()
	rng := newRNG(99)
	for _, n := range []int{2, 3, 5, 8, 13} {
		rows := make([][]float64, n)
		for i := range rows {
			rows[i] = []float64{rng.NormFloat64(), rng.NormFloat64()}
		}
		for mcs := 2; mcs <= n; mcs++ {
			for _, single := range []bool{false, true} {
				opts := Options{Selection: Selection{MinClusterSize: mcs, AllowSingleCluster: single}}
				res, err := Fit(ctx, toDense(rows), opts)
				if err != nil {
					t.Fatalf("n %d mcs %d: %v", n, mcs, err)
				}
				o, _ := opts.withDefaults()
				o.MinSamples = min(o.MinSamples, n-1)
				ref := refFit(rows, o)
				if ok, why := sameLabelling(res.Labels, ref.labels); !ok {
					t.Fatalf("n %d mcs %d single %v: %s", n, mcs, single, why)
				}
			}
		}
	}
}
