package recursive

import (
	"context"
	"math"
	"math/rand/v2"
	"reflect"
	"runtime"
	"strings"
	"testing"
	"time"

	"gonum.org/v1/gonum/mat"

	"github.com/reckon-dev/reckon/analysis/hdbscan"
)

// nested makes three far apart groups of 200 rows in 6-D; the first group
// is itself two blobs 4 standard deviations apart, close enough that the
// embedding of all the data shows them as one cluster, which only its own
// embedding splits.
func nested() (*mat.Dense, []string) {
	rng := rand.New(rand.NewPCG(3, 5))
	x := mat.NewDense(600, 6, nil)
	truth := make([]string, 600)
	centre := func(g int) []float64 {
		c := make([]float64, 6)
		c[g] = 40
		return c
	}
	for i := 0; i < 600; i++ {
		g := i / 200
		c := centre(g)
		truth[i] = string(rune('a' + g))
		if g == 0 {
			// Two sub-blobs along a direction of their own.
			if i%2 == 0 {
				c[4] += 4
				truth[i] += "1"
			} else {
				truth[i] += "2"
			}
		}
		for j := range c {
			x.Set(i, j, c[j]+rng.NormFloat64())
		}
	}
	return x, truth
}

var settings = Settings{HDBSCAN: hdbscan.Options{Selection: hdbscan.Selection{MinClusterSize: 30}}, Seed: 7}

func TestRecursionFindsTheNestedStructure(t *testing.T) {
	x, truth := nested()
	res, err := Run(context.Background(), x, settings)
	if err != nil {
		t.Fatal(err)
	}
	if got := len(res.Root.Children); got != 3 {
		t.Fatalf("%d top-level nodes, want 3 clusters: %+v", got, res.Root.Stop)
	}
	// Every top-level cluster is one group; the first group's cluster
	// splits into its two blobs, the others stop for want of sub-clusters.
	for _, c := range res.Root.Children {
		groups := map[byte]int{}
		for _, r := range c.Rows {
			groups[truth[r][0]]++
		}
		if len(groups) != 1 || len(c.Rows) != 200 {
			t.Fatalf("cluster %s mixes groups %v", c.Label, groups)
		}
		if _, first := groups['a']; first {
			if len(c.Children) < 2 {
				t.Fatalf("the two-blob cluster %s was not split: %s", c.Label, c.Stop)
			}
			// The blobs touch, so a few rows may land on the wrong side;
			// each sub-cluster must still be nine tenths one blob, and the
			// two must be different blobs.
			majorities := map[string]bool{}
			for _, cc := range c.Children {
				if cc.Noise {
					continue
				}
				sub := map[string]int{}
				best, bestN := "", 0
				for _, r := range cc.Rows {
					sub[truth[r]]++
					if sub[truth[r]] > bestN {
						best, bestN = truth[r], sub[truth[r]]
					}
				}
				majorities[best] = true
				if float64(bestN) < 0.9*float64(len(cc.Rows)) || !strings.HasPrefix(cc.Label, c.Label+".") || cc.Stop != "depth 2 reached" {
					t.Errorf("sub-cluster %s: truths %v, stop %q", cc.Label, sub, cc.Stop)
				}
			}
			if len(majorities) != 2 {
				t.Errorf("the sub-clusters of %s are not the two blobs: %v", c.Label, majorities)
			}
		} else if len(c.Children) != 0 || !strings.HasPrefix(c.Stop, "HDBSCAN found") {
			t.Errorf("single-blob cluster %s: children %d, stop %q", c.Label, len(c.Children), c.Stop)
		}
	}
	for i, l := range res.Labels {
		if res.Levels[1][i] != l || !strings.HasPrefix(l, res.Levels[0][i]) {
			t.Fatalf("row %d: label %q, levels %q %q", i, l, res.Levels[0][i], res.Levels[1][i])
		}
	}
}

func TestSameTreeForAnyGOMAXPROCS(t *testing.T) {
	x, _ := nested()
	var labels [][]string
	for _, procs := range []int{1, 4} {
		prev := runtime.GOMAXPROCS(procs)
		res, err := Run(context.Background(), x, settings)
		runtime.GOMAXPROCS(prev)
		if err != nil {
			t.Fatal(err)
		}
		labels = append(labels, res.Labels)
	}
	if !reflect.DeepEqual(labels[0], labels[1]) {
		t.Error("the tree differs between GOMAXPROCS 1 and 4")
	}
}

func TestStopReasons(t *testing.T) {
	x, _ := nested()
	s := settings
	s.Depth = 1
	res, err := Run(context.Background(), x, s)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range res.Root.Children {
		if !c.Noise && c.Stop != "depth 1 reached" {
			t.Errorf("depth 1: %s stopped with %q", c.Label, c.Stop)
		}
	}
	s = settings
	s.MinPoints = 300
	res, err = Run(context.Background(), x, s)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range res.Root.Children {
		if !c.Noise && c.Stop != "200 rows, fewer than min_points 300" {
			t.Errorf("min_points: %s stopped with %q", c.Label, c.Stop)
		}
	}
}

func TestBadInputAndCancellation(t *testing.T) {
	x, _ := nested()
	x.Set(5, 2, math.NaN())
	if _, err := Run(context.Background(), x, settings); err == nil || !strings.Contains(err.Error(), "row 5, column 2") {
		t.Errorf("NaN: %v", err)
	}
	if _, err := Run(context.Background(), mat.NewDense(3, 2, nil), settings); err == nil {
		t.Error("three rows were clustered")
	}
	if _, err := Run(context.Background(), nil, settings); err == nil {
		t.Error("nil data were clustered")
	}
	if _, err := Run(context.Background(), x, Settings{Depth: -1}); err == nil {
		t.Error("a negative depth was accepted")
	}
	x, _ = nested()
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(50*time.Millisecond, cancel)
	start := time.Now()
	if _, err := Run(ctx, x, settings); err == nil {
		t.Error("a cancelled run returned no error")
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("cancellation took %s", d)
	}
}

// TestDepthIsBoundedByTheData asks for a billion levels, which once
// allocated a label per row per level up front and ran out of memory.
func TestDepthIsBoundedByTheData(t *testing.T) {
	x, _ := nested()
	s := settings
	s.Depth = 1_000_000_000
	res, err := Run(context.Background(), x, s)
	if err != nil {
		t.Fatal(err)
	}
	// 600 rows, min_cluster_size 30 and min_points 60: a node at depth k
	// holds at most 600 - 30k rows and needs 60 to split.
	if want := (600-60)/30 + 1; res.Settings.Depth != want || MaxDepth(600, res.Settings) != want {
		t.Errorf("depth %d, MaxDepth %d, want %d", res.Settings.Depth, MaxDepth(600, res.Settings), want)
	}
	deepest := 0
	var walk func(n *Node)
	walk = func(n *Node) {
		deepest = max(deepest, n.Depth)
		for _, c := range n.Children {
			walk(c)
		}
	}
	walk(res.Root)
	if len(res.Levels) != deepest || deepest < 2 {
		t.Errorf("%d levels for a tree %d deep", len(res.Levels), deepest)
	}
}

func TestMaxDepth(t *testing.T) {
	for _, tc := range []struct{ n, mcs, minPoints, want int }{
		{600, 30, 60, 19},
		{600, 30, 0, 19}, // min_points below 2·min_cluster_size: the split needs two clusters anyway
		{59, 30, 60, 1},
		{10, 5, 10, 1},
		{15, 5, 10, 2},
		{1_000_000, 5, 10, 199_999},
	} {
		s := Settings{MinPoints: tc.minPoints, HDBSCAN: hdbscan.Options{Selection: hdbscan.Selection{MinClusterSize: tc.mcs}}}
		if got := MaxDepth(tc.n, s); got != tc.want {
			t.Errorf("MaxDepth(%d, mcs %d, min_points %d) = %d, want %d", tc.n, tc.mcs, tc.minPoints, got, tc.want)
		}
	}
}
