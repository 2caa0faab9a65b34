package plot

import (
	"strings"
	"testing"
)

func TestIcicleLayout(t *testing.T) {
	nodes := sampleTree()
	ic, err := layoutIcicle(nodes)
	if err != nil {
		t.Fatal(err)
	}
	if ic.total != 1000 || ic.levels != 3 {
		t.Fatalf("total %d, levels %d; want 1000, 3", ic.total, ic.levels)
	}
	// Children sit under their parent in natural label order, noise last:
	// 1.0 comes before 1.1 although it is listed after it.
	for label, want := range map[string][2]float64{
		"all": {0, 0}, "0": {0, 1}, "1": {400, 1}, "2": {700, 1}, "noise": {900, 1},
		"0.0": {0, 2}, "0.1": {250, 2}, "0.noise": {350, 2}, "1.0": {400, 2}, "1.1": {550, 2},
	} {
		i := indexOf(nodes, label)
		if ic.x0[i] != want[0] || float64(ic.depth[i]) != want[1] {
			t.Errorf("%s at x %v, depth %d; want %v", label, ic.x0[i], ic.depth[i], want)
		}
	}
	// The first split takes the palette in label order; descendants are
	// lighter shades; noise is grey.
	for label, want := range map[string]any{"0": Category(0), "1": Category(1), "2": Category(2), "noise": noiseGrey, "0.noise": noiseGrey} {
		if got := ic.colors[indexOf(nodes, label)]; got != want {
			t.Errorf("%s coloured %v, want %v", label, got, want)
		}
	}
	for _, label := range []string{"0.0", "0.1"} {
		c := ic.colors[indexOf(nodes, label)]
		if c == Category(0) || luminance(c) <= luminance(Category(0)) {
			t.Errorf("%s (%v) is not a lighter shade of cluster 0's colour", label, c)
		}
	}
	if a, b := ic.colors[indexOf(nodes, "0.0")], ic.colors[indexOf(nodes, "0.1")]; a == b {
		t.Error("neighbouring siblings share a colour")
	}
	alt := ic.alt("")
	for _, w := range []string{
		"Icicle of a recursive clustering of 1,000 rows, 3 levels deep.",
		"Depth 1: 3 nodes and 100 rows of noise, largest 0 (400), 1 (300), 2 (200).",
		"Depth 2: 4 nodes and 50 rows of noise, largest 0.0 (250), 1.0 (150), 1.1 (120), 0.1 (100).",
	} {
		if !strings.Contains(alt, w) {
			t.Errorf("alt text %q lacks %q", alt, w)
		}
	}
}

// Several top nodes (no "all" root) take the palette themselves.
func TestIcicleForest(t *testing.T) {
	nodes := []IcicleNode{
		{Label: "1", Parent: -1, Size: 30},
		{Label: "noise", Parent: -1, Size: 10},
		{Label: "0", Parent: -1, Size: 60},
		{Label: "0.0", Parent: 2, Size: 40},
	}
	ic, err := layoutIcicle(nodes)
	if err != nil {
		t.Fatal(err)
	}
	if ic.x0[2] != 0 || ic.x0[0] != 60 || ic.x0[1] != 90 {
		t.Errorf("top nodes at %v, want 0 at 0, 1 at 60, noise at 90", ic.x0)
	}
	if ic.colors[2] != Category(0) || ic.colors[0] != Category(1) || ic.colors[1] != noiseGrey {
		t.Errorf("colours %v", ic.colors)
	}
}

func indexOf(nodes []IcicleNode, label string) int {
	for i, n := range nodes {
		if n.Label == label {
			return i
		}
	}
	panic("no node " + label)
}
