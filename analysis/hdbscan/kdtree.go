package hdbscan

// kdTree is a k-d tree over distinct points, split at the median of the
// widest dimension. Points are stored in tree order so that a node's points
// are contiguous, and every node keeps its bounding box for pruning.
type kdTree struct {
	d   int
	pts []float64 // point i of tree order is pts[i*d : i*d+d]
	idx []int32   // tree position -> the caller's point index

	// node arrays; a leaf has left == -1 and the root's parent is -1
	start, end  []int32
	left, right []int32
	parent      []int32
	lo, hi      []float64 // node i's box is lo[i*d:i*d+d], hi[i*d:i*d+d]
	leafOf      []int32   // the leaf holding each tree position
}

// leafSize bounds the points in a leaf: small enough that a leaf's box is a
// tight bound, large enough that the tree stays shallow. (Larger leaves in
// ten dimensions trade a faster neighbour search for a slower spanning
// tree, about evenly.)
const leafSize = 16

func buildKDTree(data []float64, n, d int) *kdTree {
	t := &kdTree{d: d, idx: make([]int32, n)}
	for i := range t.idx {
		t.idx[i] = int32(i)
	}
	nodes := 2*(n/leafSize+1) + 1
	t.start = make([]int32, 0, nodes)
	t.end = make([]int32, 0, nodes)
	t.left = make([]int32, 0, nodes)
	t.right = make([]int32, 0, nodes)
	t.parent = make([]int32, 0, nodes)
	t.lo = make([]float64, 0, nodes*d)
	t.hi = make([]float64, 0, nodes*d)
	t.build(data, 0, n, -1)
	t.leafOf = make([]int32, n)
	for node := range t.start {
		if t.left[node] < 0 {
			for i := t.start[node]; i < t.end[node]; i++ {
				t.leafOf[i] = int32(node)
			}
		}
	}
	t.pts = make([]float64, n*d)
	for i, p := range t.idx {
		copy(t.pts[i*d:i*d+d], data[int(p)*d:int(p)*d+d])
	}
	return t
}

func (t *kdTree) build(data []float64, s, e int, parent int32) int32 {
	d := t.d
	node := int32(len(t.start))
	t.start = append(t.start, int32(s))
	t.end = append(t.end, int32(e))
	t.left = append(t.left, -1)
	t.right = append(t.right, -1)
	t.parent = append(t.parent, parent)
	base := len(t.lo)
	t.lo = append(t.lo, data[int(t.idx[s])*d:int(t.idx[s])*d+d]...)
	t.hi = append(t.hi, data[int(t.idx[s])*d:int(t.idx[s])*d+d]...)
	lo, hi := t.lo[base:base+d], t.hi[base:base+d]
	for _, p := range t.idx[s+1 : e] {
		row := data[int(p)*d : int(p)*d+d]
		for j, x := range row {
			if x < lo[j] {
				lo[j] = x
			} else if x > hi[j] {
				hi[j] = x
			}
		}
	}
	if e-s <= leafSize {
		return node
	}
	dim, spread := 0, -1.0
	for j := range lo {
		if w := hi[j] - lo[j]; w > spread {
			dim, spread = j, w
		}
	}
	if spread <= 0 {
		return node
	}
	m := (s + e) / 2
	selectKth(t.idx[s:e], m-s, func(i int32) float64 { return data[int(i)*d+dim] })
	l := t.build(data, s, m, node)
	r := t.build(data, m, e, node)
	t.left[node], t.right[node] = l, r
	return node
}

// selectKth reorders idx so that idx[k] holds the element of rank k by key,
// with smaller or equal keys before it and larger or equal keys after it.
// The pivot rule is fixed, so the tree depends only on the input order.
func selectKth(idx []int32, k int, key func(int32) float64) {
	lo, hi := 0, len(idx)-1
	for hi > lo {
		mid := lo + (hi-lo)/2
		// median of three as the pivot, moved to hi
		if key(idx[mid]) < key(idx[lo]) {
			idx[mid], idx[lo] = idx[lo], idx[mid]
		}
		if key(idx[hi]) < key(idx[lo]) {
			idx[hi], idx[lo] = idx[lo], idx[hi]
		}
		if key(idx[mid]) < key(idx[hi]) {
			idx[mid], idx[hi] = idx[hi], idx[mid]
		}
		pivot := key(idx[hi])
		i, j := lo, hi-1
		for {
			for i <= j && key(idx[i]) < pivot {
				i++
			}
			for i <= j && key(idx[j]) > pivot {
				j--
			}
			if i >= j {
				break
			}
			idx[i], idx[j] = idx[j], idx[i]
			i++
			j--
		}
		idx[i], idx[hi] = idx[hi], idx[i]
		switch {
		case k < i:
			hi = i - 1
		case k > i:
			lo = i + 1
		default:
			return
		}
	}
}

func (t *kdTree) point(i int32) []float64 {
	return t.pts[int(i)*t.d : int(i)*t.d+t.d]
}

func (t *kdTree) box(node int32) (lo, hi []float64) {
	b := int(node) * t.d
	return t.lo[b : b+t.d], t.hi[b : b+t.d]
}

func (t *kdTree) numNodes() int { return len(t.start) }

// enclosing returns the smallest ancestor of position i's leaf whose box
// holds the cube of half-width r around q strictly inside it. Every point
// within distance r of q then lies in that node, since the median splits
// put all other points on or beyond the faces of the box.
func (t *kdTree) enclosing(i int32, q []float64, r float64) int32 {
	node := t.leafOf[i]
	for node > 0 {
		lo, hi := t.box(node)
		inside := true
		for j, x := range q {
			if x-r <= lo[j] || x+r >= hi[j] {
				inside = false
				break
			}
		}
		if inside {
			return node
		}
		node = t.parent[node]
	}
	return 0
}

// leaves lists the leaf nodes in tree order.
func (t *kdTree) leaves() []int32 {
	var out []int32
	for node := range t.start {
		if t.left[node] < 0 {
			out = append(out, int32(node))
		}
	}
	return out
}
