package plot

import (
	"math"
	"slices"
	"strings"
	"testing"

	"gonum.org/v1/plot/vg"
)

// A tree small enough to lay out by hand: ten points, root 10 splitting at
// λ 1 into cluster 11 (points 0–5) and cluster 12 (points 6–9).
func handTree() []CondensedEdge {
	return []CondensedEdge{
		{Parent: 10, Child: 11, Lambda: 1, ChildSize: 6},
		{Parent: 10, Child: 12, Lambda: 1, ChildSize: 4},
		{Parent: 11, Child: 0, Lambda: 2, ChildSize: 1},
		{Parent: 11, Child: 1, Lambda: 2, ChildSize: 1},
		{Parent: 11, Child: 2, Lambda: 3, ChildSize: 1},
		{Parent: 11, Child: 3, Lambda: 3, ChildSize: 1},
		{Parent: 11, Child: 4, Lambda: 4, ChildSize: 1},
		{Parent: 11, Child: 5, Lambda: 4, ChildSize: 1},
		{Parent: 12, Child: 9, Lambda: 5, ChildSize: 1},
		{Parent: 12, Child: 6, Lambda: 1.5, ChildSize: 1},
		{Parent: 12, Child: 7, Lambda: 2.5, ChildSize: 1},
		{Parent: 12, Child: 8, Lambda: 2.5, ChildSize: 1},
	}
}

func TestCondensedLayout(t *testing.T) {
	ct, err := layoutCondensed(handTree(), []int{12, 11})
	if err != nil {
		t.Fatal(err)
	}
	if ct.root != 10 || ct.n != 10 || !slices.Equal(ct.leaves, []int{11, 12}) {
		t.Fatalf("root %d, n %d, leaves %v; want 10, 10, [11 12]", ct.root, ct.n, ct.leaves)
	}
	for c, want := range map[int][3]float64{10: {0.5, 0, 10}, 11: {0, 1, 6}, 12: {1, 1, 4}} {
		if ct.x[c] != want[0] || ct.y[c] != want[1] || float64(ct.size[c]) != want[2] {
			t.Errorf("cluster %d at x %v, λ %v, size %d; want %v", c, ct.x[c], ct.y[c], ct.size[c], want)
		}
	}
	// The icicles step down exactly where points leave.
	want := []icicleBar{
		{cluster: 10, center: 5, width: 10, top: 0, bottom: 1},
		{cluster: 11, center: 0, width: 6, top: 1, bottom: 2},
		{cluster: 11, center: 0, width: 4, top: 2, bottom: 3},
		{cluster: 11, center: 0, width: 2, top: 3, bottom: 4},
		{cluster: 12, center: 10, width: 4, top: 1, bottom: 1.5},
		{cluster: 12, center: 10, width: 3, top: 1.5, bottom: 2.5},
		{cluster: 12, center: 10, width: 1, top: 2.5, bottom: 5},
	}
	if !slices.Equal(ct.bars, want) {
		t.Errorf("bars\n%v\nwant\n%v", ct.bars, want)
	}
	// Split lines run from the parent's centre to the child's outer edge.
	wantLines := [][2]vg.Point{{{X: 5, Y: 1}, {X: -3, Y: 1}}, {{X: 5, Y: 1}, {X: 12, Y: 1}}}
	if !slices.Equal(ct.lines, wantLines) {
		t.Errorf("lines %v, want %v", ct.lines, wantLines)
	}
	// Selected clusters are sorted, as hdbscan numbers them.
	if !slices.Equal(ct.selected, []int{11, 12}) {
		t.Errorf("selected %v", ct.selected)
	}
	cx, cy, rx, ry := ct.ellipse(11, 0)
	if cx != 0 || cy != 2.5 || rx != 6 || math.Abs(ry-1.8) > 1e-12 {
		t.Errorf("ellipse of 11 = (%v, %v) radii %v, %v; want (0, 2.5) radii 6, 1.8", cx, cy, rx, ry)
	}
	alt := ct.alt("")
	for _, w := range []string{
		"Condensed tree of 10 points: 3 clusters in the hierarchy (2 leaves), λ from 0 to 5.",
		"2 selected clusters, circled: 0 (6 points, λ 1 to 4); 1 (4 points, λ 1 to 5).",
	} {
		if !strings.Contains(alt, w) {
			t.Errorf("alt text %q lacks %q", alt, w)
		}
	}
}

// Points that coincide leave at infinite λ; they are drawn just past the
// largest finite λ and the alt text says so.
func TestCondensedInfiniteLambda(t *testing.T) {
	tree := handTree()
	tree[8].Lambda = math.Inf(1)
	ct, err := layoutCondensed(tree, nil)
	if err != nil {
		t.Fatal(err)
	}
	if ct.lamCap != 1.1*4 {
		t.Errorf("infinite λ drawn at %v, want %v", ct.lamCap, 1.1*4)
	}
	last := ct.bars[len(ct.bars)-1]
	if last.bottom != ct.lamCap {
		t.Errorf("last bar ends at %v, want %v", last.bottom, ct.lamCap)
	}
	if alt := ct.alt(""); !strings.Contains(alt, "1 row leaves at infinite λ (duplicate points), drawn at 4.4.") || !strings.Contains(alt, "No cluster is selected.") {
		t.Errorf("alt text %q", alt)
	}
}

// Properties of any valid tree: every cluster but the root hangs from a
// split line, bars lie within their cluster's lifetime and are never wider
// than it, leaves are the clusters without cluster children, and no icicle
// has more than maxBarsPerIcicle bars (plus one for the final drop).
func TestCondensedProperties(t *testing.T) {
	for seed := range uint64(20) {
		tree, leaves := randomCondensedTree(300+int(seed)*37, 8, seed)
		ct, err := layoutCondensed(tree, leaves)
		if err != nil {
			t.Fatalf("seed %d: %v", seed, err)
		}
		if len(ct.leaves) != len(leaves) {
			t.Errorf("seed %d: %d leaves, want %d", seed, len(ct.leaves), len(leaves))
		}
		if len(ct.lines) != len(ct.clusters)-1 {
			t.Errorf("seed %d: %d split lines for %d clusters", seed, len(ct.lines), len(ct.clusters))
		}
		perCluster := map[int]int{}
		for _, b := range ct.bars {
			perCluster[b.cluster]++
			if !(b.top < b.bottom) || b.width <= 0 || b.width > float64(ct.size[b.cluster]) ||
				b.top < ct.y[b.cluster] || b.bottom > ct.death[b.cluster] {
				t.Errorf("seed %d: bar %+v outside its cluster", seed, b)
			}
		}
		for c, k := range perCluster {
			if k > maxBarsPerIcicle+1 {
				t.Errorf("seed %d: %d bars for cluster %d", seed, k, c)
			}
		}
		for _, c := range ct.clusters {
			if ct.death[c] < ct.y[c] {
				t.Errorf("seed %d: cluster %d dies at λ %v before it is born at %v", seed, c, ct.death[c], ct.y[c])
			}
		}
		// Leaves are ordered left to right and never overlap.
		for i := 1; i < len(ct.leaves); i++ {
			a, b := ct.leaves[i-1], ct.leaves[i]
			right := ct.x[a]*float64(ct.n) + float64(ct.size[a])/2
			left := ct.x[b]*float64(ct.n) - float64(ct.size[b])/2
			if right > left {
				t.Errorf("seed %d: leaves %d and %d overlap", seed, a, b)
			}
		}
	}
}

// The order of the rows does not change the picture: the tree is the same
// whatever order its rows come in, up to which child is drawn left.
func TestCondensedRowOrder(t *testing.T) {
	tree := handTree()
	rev := slices.Clone(tree)
	slices.Reverse(rev)
	a, err := layoutCondensed(tree, nil)
	if err != nil {
		t.Fatal(err)
	}
	b, err := layoutCondensed(rev, nil)
	if err != nil {
		t.Fatal(err)
	}
	shapes := func(ct *condensedLayout) [][3]float64 {
		var s [][3]float64
		for _, bar := range ct.bars {
			s = append(s, [3]float64{bar.width, bar.top, bar.bottom})
		}
		slices.SortFunc(s, func(x, y [3]float64) int {
			for k := range 3 {
				if c := cmpFloat(x[k], y[k]); c != 0 {
					return c
				}
			}
			return 0
		})
		return s
	}
	if !slices.Equal(shapes(a), shapes(b)) {
		t.Errorf("bars differ with row order: %v vs %v", a.bars, b.bars)
	}
	if !slices.Equal(b.leaves, []int{12, 11}) {
		t.Errorf("reversed rows put leaves %v, want [12 11]", b.leaves)
	}
}
