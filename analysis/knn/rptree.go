package knn

import (
	"context"
	"math/rand/v2"
)

// A random projection tree splits the rows recursively by hyperplanes
// through the midpoint of two random rows (for angular metrics, by the
// hyperplane between two random directions), until each leaf holds at most
// leafSize rows. Rows that share a leaf are likely to be near each other;
// the leaves of a few trees make a good first guess of the neighbour graph,
// and one tree gives query points a place to start their search.
type rpTree struct {
	order []int32 // row indices; each leaf is a contiguous range of it
	nodes []rpNode
}

// An internal node splits by the hyperplane between rows a and b. The
// normal x_a - x_b is not stored (it would cost a row per node): a query
// recomputes the margin as x_a.v - x_b.v + offset.
type rpNode struct {
	left, right int32 // children; -1 for a leaf
	lo, hi      int32 // range of order covered by the node
	a, b        int32
	offset      float32
}

// maxTreeDepth bounds the recursion; pynndescent uses the same limit.
const maxTreeDepth = 200

// buildTree builds one tree from rng, giving up (and returning nil) once
// ctx is done.
func buildTree(ctx context.Context, m *matrix, angular bool, leafSize int, rng *rand.Rand) *rpTree {
	t := &rpTree{order: make([]int32, m.n)}
	for i := range t.order {
		t.order[i] = int32(i)
	}
	scratch := make([]int32, m.n)
	side := make([]uint8, m.n)
	normal := make([]float32, m.stride)
	type job struct {
		node  int32
		depth int
	}
	t.nodes = append(t.nodes, rpNode{left: -1, right: -1, lo: 0, hi: int32(m.n)})
	stack := []job{{0, 0}}
	for steps := 0; len(stack) > 0; steps++ {
		// A tree of a large data set takes a good part of a second: check
		// for cancellation as it grows.
		if steps%256 == 0 && ctx.Err() != nil {
			return nil
		}
		jb := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		nd := t.nodes[jb.node]
		size := int(nd.hi - nd.lo)
		if size <= leafSize || jb.depth >= maxTreeDepth {
			continue
		}
		idx := t.order[nd.lo:nd.hi]
		a, b, offset := t.hyperplane(m, angular, idx, rng, normal)
		nLeft := 0
		for p, i := range idx {
			margin := dot(normal, m.row(int(i))) + offset
			var s uint8
			switch {
			case margin > 0:
				s = 0
			case margin < 0:
				s = 1
			default:
				s = uint8(rng.Uint32() & 1)
			}
			side[p] = s
			if s == 0 {
				nLeft++
			}
		}
		if nLeft == 0 || nLeft == size {
			// Every row fell on one side, which happens when the rows are
			// (nearly) identical: split at random so the recursion ends.
			nLeft = 0
			for p := range idx {
				side[p] = uint8(rng.Uint32() & 1)
				if side[p] == 0 {
					nLeft++
				}
			}
			if nLeft == 0 || nLeft == size {
				nLeft = size / 2
				for p := range idx {
					side[p] = 0
					if p >= nLeft {
						side[p] = 1
					}
				}
			}
		}
		l, r := 0, nLeft
		for p, i := range idx {
			if side[p] == 0 {
				scratch[l] = i
				l++
			} else {
				scratch[r] = i
				r++
			}
		}
		copy(idx, scratch[:size])
		left := int32(len(t.nodes))
		mid := nd.lo + int32(nLeft)
		t.nodes = append(t.nodes,
			rpNode{left: -1, right: -1, lo: nd.lo, hi: mid},
			rpNode{left: -1, right: -1, lo: mid, hi: nd.hi})
		t.nodes[jb.node].left, t.nodes[jb.node].right = left, left+1
		t.nodes[jb.node].a, t.nodes[jb.node].b, t.nodes[jb.node].offset = a, b, offset
		stack = append(stack, job{left + 1, jb.depth + 1}, job{left, jb.depth + 1})
	}
	return t
}

// hyperplane writes into normal the normal of a splitting hyperplane for
// the rows idx and returns the two rows that define it and its offset.
func (t *rpTree) hyperplane(m *matrix, angular bool, idx []int32, rng *rand.Rand, normal []float32) (a, b int32, offset float32) {
	p := rng.IntN(len(idx))
	q := rng.IntN(len(idx) - 1)
	if q >= p {
		q++
	}
	a, b = idx[p], idx[q]
	x, y := m.row(int(a)), m.row(int(b))
	if angular {
		// Rows are unit vectors; the plane bisects the angle between them.
		var norm float32
		for j := range normal {
			normal[j] = x[j] - y[j]
			norm += normal[j] * normal[j]
		}
		if norm > 0 {
			inv := 1 / sqrt32(norm)
			for j := range normal {
				normal[j] *= inv
			}
		}
		return a, b, 0
	}
	for j := range normal {
		normal[j] = x[j] - y[j]
		offset -= normal[j] * (x[j] + y[j]) / 2
	}
	return a, b, offset
}

// leaves calls fn with the rows of every leaf.
func (t *rpTree) leaves(fn func(rows []int32)) {
	for _, nd := range t.nodes {
		if nd.left < 0 {
			fn(t.order[nd.lo:nd.hi])
		}
	}
}

// leafFor descends to the leaf whose region holds v and returns its rows.
// The margins are computed as x_a.v - x_b.v + offset, which rounds a little
// differently from the normal used in building: a point within rounding of
// a plane may take the other side, which only changes where a search
// starts. A point exactly on a plane takes a side at random from rng, or
// the left side when rng is nil.
func (t *rpTree) leafFor(m *matrix, v []float32, rng *rand.Rand) []int32 {
	nd := t.nodes[0]
	for nd.left >= 0 {
		margin := dot(m.row(int(nd.a)), v) - dot(m.row(int(nd.b)), v) + nd.offset
		goLeft := margin > 0 || (margin == 0 && (rng == nil || rng.Uint32()&1 == 0))
		if goLeft {
			nd = t.nodes[nd.left]
		} else {
			nd = t.nodes[nd.right]
		}
	}
	return t.order[nd.lo:nd.hi]
}
