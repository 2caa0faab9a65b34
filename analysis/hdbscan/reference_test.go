package hdbscan

import (
	"math"
	"slices"
	"sort"
)

// This file is a deliberately simple HDBSCAN, written from the textbook
// (Campello, Moulavi and Sander 2013; Campello et al. 2015) and hdbscan's
// documented rules, against which the fast path is tested: the full
// mutual-reachability matrix, Prim's algorithm on it, the single-linkage
// tree by Kruskal's merge order, a recursive condensed tree, and excess of
// mass by recursion. It shares no code with the package except the option
// types. It is quadratic in memory and only meant for a few hundred rows.

type refTree struct {
	n      int
	merges []refMerge
}

type refMerge struct {
	a, b int // nodes: < n points, n+i merge i
	dist float64
	size int
}

type refCluster struct {
	parent   int // -1 for the root
	birth    float64
	children []int
	// points that fall out of this cluster, and the lambda at which they do
	points  []int
	lambdas []float64
	// every point in the cluster's subtree
	members []int
	size    int
}

type refOutput struct {
	labels  []int
	probs   []float64
	outlier []float64
	tree    refTree
}

func refDistance(m Metric, a, b []float64) float64 {
	switch m {
	case Manhattan:
		s := 0.0
		for j := range a {
			s += math.Abs(a[j] - b[j])
		}
		return s
	case Chebyshev:
		s := 0.0
		for j := range a {
			s = math.Max(s, math.Abs(a[j]-b[j]))
		}
		return s
	}
	s := 0.0
	for j := range a {
		s += (a[j] - b[j]) * (a[j] - b[j])
	}
	return math.Sqrt(s)
}

// refFit clusters rows (all finite) with effective options o (defaults
// filled in, MinSamples already clipped).
func refFit(rows [][]float64, o Options) refOutput {
	n := len(rows)
	// distances and core distances: the (min_samples+1)-th smallest
	// distance counting the point itself
	dist := make([][]float64, n)
	core := make([]float64, n)
	for i := range rows {
		dist[i] = make([]float64, n)
		for j := range rows {
			dist[i][j] = refDistance(o.Metric, rows[i], rows[j])
		}
		sorted := slices.Clone(dist[i])
		sort.Float64s(sorted)
		core[i] = sorted[o.MinSamples]
	}
	mr := func(i, j int) float64 {
		return math.Max(math.Max(core[i], core[j]), dist[i][j]/o.Alpha)
	}
	// ranks: rows sorted by their values, then by index
	order := make([]int, n)
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(x, y int) bool {
		a, b := rows[order[x]], rows[order[y]]
		for j := range a {
			if a[j] != b[j] {
				return a[j] < b[j]
			}
		}
		return false
	})
	rank := make([]int, n)
	for r, i := range order {
		rank[i] = r
	}
	// before orders edges by weight, then by the ranks of their ends
	type edge struct {
		i, j int
		w    float64
	}
	key := func(e edge) (float64, int, int) {
		a, b := rank[e.i], rank[e.j]
		if a > b {
			a, b = b, a
		}
		return e.w, a, b
	}
	before := func(x, y edge) bool {
		w1, a1, b1 := key(x)
		w2, a2, b2 := key(y)
		if w1 != w2 {
			return w1 < w2
		}
		if a1 != a2 {
			return a1 < a2
		}
		return b1 < b2
	}
	// Prim on the full matrix
	inTree := make([]bool, n)
	bestEdge := make([]edge, n)
	for j := range bestEdge {
		bestEdge[j] = edge{i: 0, j: j, w: math.Inf(1)}
	}
	var mst []edge
	cur := 0
	inTree[0] = true
	for len(mst) < n-1 {
		next := -1
		for j := range n {
			if inTree[j] {
				continue
			}
			if e := (edge{i: cur, j: j, w: mr(cur, j)}); before(e, bestEdge[j]) {
				bestEdge[j] = e
			}
			if next < 0 || before(bestEdge[j], bestEdge[next]) {
				next = j
			}
		}
		mst = append(mst, bestEdge[next])
		inTree[next] = true
		cur = next
	}
	sort.Slice(mst, func(x, y int) bool { return before(mst[x], mst[y]) })
	// single linkage: merge in order, the lower-ranked end's side on the left
	t := refTree{n: n}
	owner := make([]int, n) // current node of each point
	for i := range owner {
		owner[i] = i
	}
	members := map[int][]int{}
	for i := range n {
		members[i] = []int{i}
	}
	var out refOutput
	for k, e := range mst {
		lo, hi := e.i, e.j
		if rank[lo] > rank[hi] {
			lo, hi = hi, lo
		}
		a, b := owner[lo], owner[hi]
		node := n + k
		merged := append(slices.Clone(members[a]), members[b]...)
		for _, p := range merged {
			owner[p] = node
		}
		members[node] = merged
		t.merges = append(t.merges, refMerge{a: a, b: b, dist: e.w, size: len(merged)})
	}
	out.tree = t
	clusters := refCondense(t, members, o.MinClusterSize)
	chosen := refSelect(clusters, o.Selection)
	out.labels, out.probs = refLabel(clusters, chosen, n, o.Selection)
	out.outlier = refGLOSH(clusters, n)
	return out
}

// refCondense builds the condensed tree recursively: following a cluster
// down the single-linkage tree, a split into two sides of at least
// minClusterSize points ends it with two child clusters; a smaller side's
// points fall out of it.
func refCondense(t refTree, members map[int][]int, mcs int) []refCluster {
	lambda := func(d float64) float64 {
		if d > 0 {
			return 1 / d
		}
		return math.Inf(1)
	}
	size := func(node int) int { return len(members[node]) }
	var clusters []refCluster
	var grow func(id, node int)
	grow = func(id, node int) {
		for {
			m := t.merges[node-t.n]
			l := lambda(m.dist)
			switch {
			case size(m.a) >= mcs && size(m.b) >= mcs:
				for _, child := range []int{m.a, m.b} {
					cid := len(clusters)
					clusters = append(clusters, refCluster{parent: id, birth: l, members: members[child], size: size(child)})
					clusters[id].children = append(clusters[id].children, cid)
					grow(cid, child)
				}
				return
			case size(m.a) < mcs && size(m.b) < mcs:
				for _, p := range append(slices.Clone(members[m.a]), members[m.b]...) {
					clusters[id].points = append(clusters[id].points, p)
					clusters[id].lambdas = append(clusters[id].lambdas, l)
				}
				return
			case size(m.a) < mcs:
				for _, p := range members[m.a] {
					clusters[id].points = append(clusters[id].points, p)
					clusters[id].lambdas = append(clusters[id].lambdas, l)
				}
				node = m.b
			default:
				for _, p := range members[m.b] {
					clusters[id].points = append(clusters[id].points, p)
					clusters[id].lambdas = append(clusters[id].lambdas, l)
				}
				node = m.a
			}
		}
	}
	root := t.n + len(t.merges) - 1
	clusters = append(clusters, refCluster{parent: -1, birth: 0, members: members[root], size: len(members[root])})
	grow(0, root)
	return clusters
}

func refStability(c refCluster, clusters []refCluster) float64 {
	s := 0.0
	for _, l := range c.lambdas {
		s += l - c.birth
	}
	for _, k := range c.children {
		s += float64(clusters[k].size) * (clusters[k].birth - c.birth)
	}
	return s
}

// refSelect returns the chosen clusters: excess of mass by recursion
// (or the leaves), then the epsilon merge.
func refSelect(clusters []refCluster, sel Selection) map[int]bool {
	chosen := map[int]bool{}
	if sel.ClusterSelectionMethod == Leaf {
		for k := 1; k < len(clusters); k++ {
			if len(clusters[k].children) == 0 {
				chosen[k] = true
			}
		}
	} else {
		// value returns the best total stability of the subtree and marks
		// the clusters that achieve it.
		var value func(k int) (float64, []int)
		value = func(k int) (float64, []int) {
			own := refStability(clusters[k], clusters)
			if len(clusters[k].children) == 0 {
				return own, []int{k}
			}
			var sum float64
			var picks []int
			for _, c := range clusters[k].children {
				v, p := value(c)
				sum += v
				picks = append(picks, p...)
			}
			if sum > own {
				return sum, picks
			}
			return own, []int{k}
		}
		if sel.AllowSingleCluster {
			_, picks := value(0)
			for _, k := range picks {
				chosen[k] = true
			}
		} else {
			for _, c := range clusters[0].children {
				_, picks := value(c)
				for _, k := range picks {
					chosen[k] = true
				}
			}
		}
	}
	eps := sel.ClusterSelectionEpsilon
	if eps == 0 || len(clusters) == 1 || (chosen[0] && len(chosen) == 1) {
		return chosen
	}
	// A cluster born below epsilon gives way to its nearest ancestor born
	// above it; the root only with allow_single_cluster, else the root's
	// child on the way.
	var cands []int
	for k := range chosen {
		cands = append(cands, k)
	}
	sort.Ints(cands)
	out := map[int]bool{}
	covered := map[int]bool{}
	for _, k := range cands {
		if 1/clusters[k].birth >= eps {
			out[k] = true
			continue
		}
		if covered[k] {
			continue
		}
		up := k
		for {
			p := clusters[up].parent
			if p == 0 {
				if sel.AllowSingleCluster {
					up = 0
				}
				break
			}
			if 1/clusters[p].birth > eps {
				up = p
				break
			}
			up = p
		}
		out[up] = true
		var mark func(int)
		mark = func(c int) {
			for _, ch := range clusters[c].children {
				covered[ch] = true
				mark(ch)
			}
		}
		mark(up)
	}
	return out
}

// refLabel gives each point the chosen cluster nearest above it, with the
// root as a single cluster keeping only points at or beyond the threshold.
func refLabel(clusters []refCluster, chosen map[int]bool, n int, sel Selection) ([]int, []float64) {
	var ids []int
	for k := range chosen {
		ids = append(ids, k)
	}
	sort.Ints(ids)
	label := map[int]int{}
	for i, k := range ids {
		label[k] = i
	}
	labels := make([]int, n)
	probs := make([]float64, n)
	for i := range labels {
		labels[i] = -1
	}
	maxOwn := func(k int) float64 {
		m := 0.0
		for _, l := range clusters[k].lambdas {
			m = math.Max(m, l)
		}
		for _, c := range clusters[k].children {
			m = math.Max(m, clusters[c].birth)
		}
		return m
	}
	for k, c := range clusters {
		for i, p := range c.points {
			// the nearest chosen cluster at or above k
			a := k
			for a >= 0 && !chosen[a] {
				a = clusters[a].parent
			}
			if a < 0 {
				continue
			}
			l := c.lambdas[i]
			if a == 0 {
				threshold := maxOwn(0)
				if sel.ClusterSelectionEpsilon != 0 {
					threshold = 1 / sel.ClusterSelectionEpsilon
				}
				if len(chosen) != 1 || !sel.AllowSingleCluster || l < threshold {
					continue
				}
			}
			labels[p] = label[a]
			m := maxOwn(a)
			if m == 0 || math.IsInf(l, 0) {
				probs[p] = 1
			} else {
				probs[p] = math.Min(l, m) / m
			}
		}
	}
	return labels, probs
}

// refGLOSH scores each point against the densest point in the subtree of
// the cluster it falls out of.
func refGLOSH(clusters []refCluster, n int) []float64 {
	var deepest func(k int) float64
	deepest = func(k int) float64 {
		m := 0.0
		for _, l := range clusters[k].lambdas {
			m = math.Max(m, l)
		}
		for _, c := range clusters[k].children {
			m = math.Max(m, clusters[c].birth)
			m = math.Max(m, deepest(c))
		}
		return m
	}
	out := make([]float64, n)
	for k, c := range clusters {
		lm := deepest(k)
		for i, p := range c.points {
			l := c.lambdas[i]
			switch {
			case lm == 0 || math.IsInf(l, 0):
				out[p] = 0
			case math.IsInf(lm, 0):
				out[p] = 1
			default:
				out[p] = (lm - l) / lm
			}
		}
	}
	return out
}
