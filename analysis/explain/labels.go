package explain

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// NoiseLabel is the label FlatLabels gives noise rows.
const NoiseLabel = "noise"

// FlatLabels turns a flat clustering, such as HDBSCAN's (cluster k for
// k >= 0, -1 for noise), into the labels Explain takes: "k" and "noise".
func FlatLabels(labels []int) []string {
	out := make([]string, len(labels))
	for i, l := range labels {
		if l < 0 {
			out[i] = NoiseLabel
		} else {
			out[i] = strconv.Itoa(l)
		}
	}
	return out
}

// node is a cluster of the label hierarchy.
type node struct {
	label, parent string
	noise         bool
	members       []int // ascending
}

// isNoise reports whether a label component marks noise.
func isNoise(c string) bool { return c == NoiseLabel || c == "-1" }

// hierarchy parses the row labels into the clusters they name: every
// prefix of a label's dot-separated path is a cluster holding the rows
// whose labels start with it. A path may end in a noise component.
// Clusters come parent first, siblings in natural order (numbers by value,
// noise last). Flat labels are groups as they are (see Settings.Flat).
func hierarchy(labels []string, flat bool) ([]*node, error) {
	byLabel := map[string]*node{}
	add := func(row int, label, parent string, noise bool) {
		nd := byLabel[label]
		if nd == nil {
			nd = &node{label: label, parent: parent, noise: noise}
			byLabel[label] = nd
		}
		nd.members = append(nd.members, row)
	}
	for row, l := range labels {
		if flat {
			add(row, l, "", false)
			continue
		}
		if l == "" {
			return nil, fmt.Errorf("explain: row %d has an empty label", row)
		}
		parts := strings.Split(l, ".")
		for i, p := range parts {
			if p == "" {
				return nil, fmt.Errorf("explain: row %d has label %q with an empty component; labels are paths like \"3\", \"3.1\" or \"3.noise\"", row, l)
			}
			if isNoise(p) && i != len(parts)-1 {
				return nil, fmt.Errorf("explain: row %d has label %q; noise can only end a label", row, l)
			}
		}
		for i := range parts {
			add(row, strings.Join(parts[:i+1], "."), strings.Join(parts[:i], "."), isNoise(parts[i]))
		}
	}
	nodes := make([]*node, 0, len(byLabel))
	for _, nd := range byLabel {
		nodes = append(nodes, nd)
	}
	compare := comparePaths
	if flat {
		compare = compareComponents
	}
	slices.SortFunc(nodes, func(a, b *node) int { return compare(a.label, b.label) })
	return nodes, nil
}

// Group is a cluster that row labels name: its path, its parent's path
// ("" at the top), whether it is noise, and its member rows, ascending.
type Group struct {
	Label, Parent string
	Noise         bool
	Rows          []int
}

// Groups parses row labels into the clusters they name, as Explain reads
// them: every prefix of a dot-separated path is a cluster, parents come
// before their children and siblings in natural order, noise last. Flat
// labels, a column's values, are groups as they are (see Settings.Flat).
func Groups(labels []string, flat bool) ([]Group, error) {
	nodes, err := hierarchy(labels, flat)
	if err != nil {
		return nil, err
	}
	out := make([]Group, len(nodes))
	for i, nd := range nodes {
		out[i] = Group{Label: nd.label, Parent: nd.parent, Noise: nd.noise, Rows: nd.members}
	}
	return out, nil
}

// comparePaths orders labels depth first: a parent before its children,
// components compared as numbers when both are numbers, noise after every
// cluster.
func comparePaths(a, b string) int {
	pa, pb := strings.Split(a, "."), strings.Split(b, ".")
	for i := 0; i < min(len(pa), len(pb)); i++ {
		if c := compareComponents(pa[i], pb[i]); c != 0 {
			return c
		}
	}
	return cmp.Compare(len(pa), len(pb))
}

func compareComponents(a, b string) int {
	if a == b {
		return 0
	}
	if na, nb := isNoise(a), isNoise(b); na || nb {
		if na && nb {
			return strings.Compare(a, b)
		}
		if na {
			return 1
		}
		return -1
	}
	ia, errA := strconv.Atoi(a)
	ib, errB := strconv.Atoi(b)
	switch {
	case errA == nil && errB == nil:
		return cmp.Compare(ia, ib)
	case errA == nil:
		return -1
	case errB == nil:
		return 1
	}
	return strings.Compare(a, b)
}
