package knn

import (
	"math"
	"slices"
)

// heaps holds one bounded max-heap of candidate neighbours per row: the k
// closest points seen so far, the farthest at the root so that a closer
// candidate replaces it in O(log k). An empty slot has index -1 and an
// infinite distance. flag marks entries that NN-descent has not yet used to
// look for new neighbours.
type heaps struct {
	n, k int
	idx  []int32
	dist []float32
	flag []uint8
}

func newHeaps(n, k int) *heaps {
	h := &heaps{n: n, k: k, idx: make([]int32, n*k), dist: make([]float32, n*k), flag: make([]uint8, n*k)}
	inf := float32(math.Inf(1))
	for i := range h.idx {
		h.idx[i] = -1
		h.dist[i] = inf
	}
	return h
}

// worst is the distance a candidate must beat to enter row i.
func (h *heaps) worst(i int) float32 { return h.dist[i*h.k] }

// push offers j at distance d to row i and reports whether it was taken:
// it must be closer than the current farthest entry and not already present.
func (h *heaps) push(i int, d float32, j int32, flag uint8) bool {
	k := h.k
	dist := h.dist[i*k : (i+1)*k : (i+1)*k]
	if !(d < dist[0]) {
		return false
	}
	idx := h.idx[i*k : (i+1)*k : (i+1)*k]
	if slices.Contains(idx, j) {
		return false
	}
	flags := h.flag[i*k : (i+1)*k : (i+1)*k]
	// Sift the new entry down from the root.
	p := 0
	for {
		c := 2*p + 1
		if c >= k {
			break
		}
		if c+1 < k && dist[c+1] > dist[c] {
			c++
		}
		if dist[c] <= d {
			break
		}
		dist[p], idx[p], flags[p] = dist[c], idx[c], flags[c]
		p = c
	}
	dist[p], idx[p], flags[p] = d, j, flag
	return true
}

// sortRow orders row i by increasing distance, ties by index, with self
// (if present; -1 for none) in front: umap-learn's graphs list each point
// first.
func (h *heaps) sortRow(i int, self int32) {
	k := h.k
	type entry struct {
		d float32
		j int32
	}
	var buf [64]entry
	es := buf[:0]
	for p := i * k; p < (i+1)*k; p++ {
		es = append(es, entry{h.dist[p], h.idx[p]})
	}
	slices.SortFunc(es, func(a, b entry) int {
		switch {
		case a.j == self && b.j != self:
			return -1
		case b.j == self && a.j != self:
			return 1
		case a.d < b.d:
			return -1
		case a.d > b.d:
			return 1
		}
		// Empty slots (-1) go last among equal (infinite) distances.
		if (a.j < 0) != (b.j < 0) {
			if a.j < 0 {
				return 1
			}
			return -1
		}
		return int(a.j) - int(b.j)
	})
	for q, e := range es {
		h.dist[i*k+q], h.idx[i*k+q], h.flag[i*k+q] = e.d, e.j, 0
	}
}
