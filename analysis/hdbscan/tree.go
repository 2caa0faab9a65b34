package hdbscan

import (
	"math"
	"slices"
)

// linkage is the single-linkage tree of the mutual-reachability graph in
// SciPy's format: merge i joins nodes left[i] and right[i] (points are
// 0..n-1, merge i creates node n+i) at distance dist[i] into size[i] points.
type linkage struct {
	n     int
	left  []int32
	right []int32
	dist  []float64
	size  []int32
}

// groups describes the distinct points among n rows that were sorted
// lexicographically by their coordinates: group g holds the sorted
// positions start[g] .. start[g+1]-1. A row's position in that order is its
// rank; the first row of a group stands for the group.
type groups struct {
	start []int32
}

func (g groups) count() int                { return len(g.start) - 1 }
func (g groups) size(i int32) int32        { return g.start[i+1] - g.start[i] }
func (g groups) first(i int32) int32       { return g.start[i] }
func (g groups) rows(i int32) (s, e int32) { return g.start[i], g.start[i+1] }

// expand turns a spanning tree over distinct points (edges between group
// indices, group core distances core) into the spanning tree over all rows
// (edges between sorted positions) that edgeLess defines, so that exact
// duplicates give the same hierarchy as if every row had been searched.
//
// Copies of a point are joined at the point's core distance, the lightest
// weight any of their edges can have. If a lower-ranked point q is joined to
// the group at that same weight, the lowest such q comes first in the
// order, and every copy hangs from q's first row; otherwise the copies hang
// from the group's first row.
func expand(g groups, mst []edge, core []float64) []edge {
	nu := g.count()
	absorb := make([]int32, nu) // lowest-ranked q joined at the core distance
	for i := range absorb {
		absorb[i] = -1
	}
	for _, e := range mst {
		for _, pair := range [2][2]int32{{e.a, e.b}, {e.b, e.a}} {
			x, q := pair[0], pair[1]
			if q < x && e.w == core[x] && g.size(x) > 1 && (absorb[x] < 0 || q < absorb[x]) {
				absorb[x] = q
			}
		}
	}
	n := int(g.start[nu])
	out := make([]edge, 0, max(n-1, 0))
	copiesFrom := func(x, from int32, w float64, skipFirst bool) {
		s, e := g.rows(x)
		if skipFirst {
			s++
		}
		for p := s; p < e; p++ {
			out = append(out, edge{a: from, b: p, w: w})
		}
	}
	for _, e := range mst {
		switch {
		case absorb[e.a] == e.b:
			copiesFrom(e.a, g.first(e.b), e.w, false)
		case absorb[e.b] == e.a:
			copiesFrom(e.b, g.first(e.a), e.w, false)
		default:
			out = append(out, edge{a: g.first(e.a), b: g.first(e.b), w: e.w})
		}
	}
	for x := range int32(nu) {
		if g.size(x) > 1 && absorb[x] < 0 {
			copiesFrom(x, g.first(x), core[x], true)
		}
	}
	return out
}

// buildLinkage sorts the spanning tree's edges by edgeLess, ranks being the
// positions themselves, and merges in that order; the left child of each
// merge is the side holding the lower-ranked endpoint. toTrue turns the
// reduced weights into distances.
func buildLinkage(n int, edges []edge, toTrue func(float64) float64) *linkage {
	for i := range edges {
		edges[i].a, edges[i].b = ordered(edges[i].a, edges[i].b)
	}
	slices.SortFunc(edges, func(x, y edge) int {
		switch {
		case edgeLess(x.w, x.a, x.b, y.w, y.a, y.b):
			return -1
		case edgeLess(y.w, y.a, y.b, x.w, x.a, x.b):
			return 1
		}
		return 0
	})
	l := &linkage{
		n:     n,
		left:  make([]int32, n-1),
		right: make([]int32, n-1),
		dist:  make([]float64, n-1),
		size:  make([]int32, n-1),
	}
	// parent links from each node to the merge that absorbed it
	parent := make([]int32, 2*n-1)
	for i := range parent {
		parent[i] = -1
	}
	find := func(x int32) int32 {
		r := x
		for parent[r] >= 0 {
			r = parent[r]
		}
		for parent[x] >= 0 && parent[x] != r {
			x, parent[x] = parent[x], r
		}
		return r
	}
	for i, e := range edges {
		a, b := find(e.a), find(e.b)
		node := int32(n + i)
		l.left[i], l.right[i] = a, b
		l.dist[i] = toTrue(e.w)
		l.size[i] = l.sizeOf(a) + l.sizeOf(b)
		parent[a], parent[b] = node, node
	}
	return l
}

func (l *linkage) sizeOf(node int32) int32 {
	if int(node) < l.n {
		return 1
	}
	return l.size[int(node)-l.n]
}

func lambdaOf(dist float64) float64 {
	if dist > 0 {
		return 1 / dist
	}
	return math.Inf(1)
}

// condensed is hdbscan's condensed tree: rows (parent, child, lambda,
// size). Points keep their ids 0..n-1; clusters are numbered from n, the
// root being n, in the breadth-first order in which they are born, so a
// parent's id is always below its children's.
type condensed struct {
	n         int
	nClusters int
	parent    []int32
	child     []int32
	lambda    []float64
	size      []int32
}

// condense walks the single-linkage tree breadth first from the root, as
// hdbscan's condense_tree does: a split into two sides of at least
// minClusterSize points gives birth to two clusters; a smaller side is
// points falling out of the cluster at that lambda, and the cluster goes on
// as the larger side.
func condense(l *linkage, minClusterSize int) *condensed {
	n := l.n
	mcs := int32(minClusterSize)
	c := &condensed{
		n:      n,
		parent: make([]int32, 0, n+n/minClusterSize+2),
		child:  make([]int32, 0, n+n/minClusterSize+2),
		lambda: make([]float64, 0, n+n/minClusterSize+2),
		size:   make([]int32, 0, n+n/minClusterSize+2),
	}
	emit := func(parent, child int32, lambda float64, size int32) {
		c.parent = append(c.parent, parent)
		c.child = append(c.child, child)
		c.lambda = append(c.lambda, lambda)
		c.size = append(c.size, size)
	}
	relabel := make([]int32, n-1) // cluster of each merge node still in play
	root := int32(2*n - 2)
	relabel[root-int32(n)] = int32(n)
	next := int32(n + 1)
	queue := []int32{root}
	var sub []int32
	fallOut := func(node, cluster int32, lambda float64) {
		sub = append(sub[:0], node)
		for i := 0; i < len(sub); i++ {
			x := sub[i]
			if int(x) < n {
				emit(cluster, x, lambda, 1)
				continue
			}
			m := int(x) - n
			sub = append(sub, l.left[m], l.right[m])
		}
	}
	for qi := 0; qi < len(queue); qi++ {
		node := queue[qi]
		m := int(node) - n
		left, right := l.left[m], l.right[m]
		lambda := lambdaOf(l.dist[m])
		lc, rc := l.sizeOf(left), l.sizeOf(right)
		cl := relabel[m]
		switch {
		case lc >= mcs && rc >= mcs:
			relabel[int(left)-n] = next
			emit(cl, next, lambda, lc)
			next++
			relabel[int(right)-n] = next
			emit(cl, next, lambda, rc)
			next++
			queue = append(queue, left, right)
		case lc < mcs && rc < mcs:
			fallOut(left, cl, lambda)
			fallOut(right, cl, lambda)
		case lc < mcs:
			fallOut(left, cl, lambda)
			relabel[int(right)-n] = cl
			queue = append(queue, right)
		default:
			fallOut(right, cl, lambda)
			relabel[int(left)-n] = cl
			queue = append(queue, left)
		}
	}
	c.nClusters = int(next) - n
	return c
}
