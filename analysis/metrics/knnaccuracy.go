package metrics

import (
	"context"
	"fmt"
	"math"
	"slices"

	"gonum.org/v1/gonum/mat"

	"github.com/reckon-dev/reckon/analysis/internal/par"
)

// KNNAccuracy is the leave-one-out accuracy of a k-nearest-neighbour
// classifier in the embedding: the fraction of rows whose label is the
// majority label among their k nearest other rows (Euclidean; a tied vote
// goes to the smallest label, as scikit-learn's KNeighborsClassifier
// decides it). It measures how well an embedding keeps classes apart and is
// meant for low-dimensional embeddings, where a k-d tree makes it fast
// (70,000 points in 2-D take well under a second).
func KNNAccuracy(ctx context.Context, embedding mat.Matrix, labels []int, k int) (float64, error) {
	n, d := embedding.Dims()
	switch {
	case n != len(labels):
		return 0, fmt.Errorf("metrics: the embedding has %d rows but there are %d labels", n, len(labels))
	case n == 0 || d == 0:
		return 0, fmt.Errorf("metrics: k-NN accuracy needs a non-empty embedding")
	case k < 1 || k >= n:
		return 0, fmt.Errorf("metrics: k %d must be between 1 and %d, one less than the rows", k, n-1)
	}
	e, err := denseFinite(embedding, "embedding")
	if err != nil {
		return 0, err
	}
	classes := slices.Clone(labels)
	slices.Sort(classes)
	classes = slices.Compact(classes)
	t := newKDTree(e)
	correct := make([]bool, n)
	err = par.For(ctx, n, 1024, func(_, lo, hi int) {
		s := newKDSearch(k)
		votes := make([]int, len(classes))
		for i := lo; i < hi; i++ {
			s.reset()
			t.nearest(e.RawRowView(i), i, s)
			clear(votes)
			for _, j := range s.idx {
				c, _ := slices.BinarySearch(classes, labels[j])
				votes[c]++
			}
			best := 0
			for c, v := range votes {
				if v > votes[best] {
					best = c
				}
			}
			correct[i] = classes[best] == labels[i]
		}
	})
	if err != nil {
		return 0, fmt.Errorf("metrics: %w", err)
	}
	hits := 0
	for _, c := range correct {
		if c {
			hits++
		}
	}
	return float64(hits) / float64(n), nil
}

// kdTree splits the rows at the median of their widest coordinate until
// leaves hold at most kdLeaf rows.
type kdTree struct {
	x     *mat.Dense
	order []int
	nodes []kdNode
}

type kdNode struct {
	lo, hi      int // rows order[lo:hi]
	dim         int
	split       float64
	left, right int // children, -1 for a leaf
}

const kdLeaf = 16

func newKDTree(x *mat.Dense) *kdTree {
	n, d := x.Dims()
	t := &kdTree{x: x, order: make([]int, n)}
	for i := range t.order {
		t.order[i] = i
	}
	var build func(lo, hi int) int
	build = func(lo, hi int) int {
		id := len(t.nodes)
		t.nodes = append(t.nodes, kdNode{lo: lo, hi: hi, left: -1, right: -1})
		if hi-lo <= kdLeaf {
			return id
		}
		dim, width := 0, -1.0
		for c := range d {
			a, b := math.Inf(1), math.Inf(-1)
			for _, i := range t.order[lo:hi] {
				v := x.At(i, c)
				a, b = min(a, v), max(b, v)
			}
			if b-a > width {
				dim, width = c, b-a
			}
		}
		if width == 0 {
			return id // all rows coincide
		}
		rows := t.order[lo:hi]
		slices.SortFunc(rows, func(p, q int) int {
			vp, vq := x.At(p, dim), x.At(q, dim)
			switch {
			case vp < vq:
				return -1
			case vp > vq:
				return 1
			}
			return p - q
		})
		mid := lo + (hi-lo)/2
		split := x.At(t.order[mid], dim)
		left := build(lo, mid)
		right := build(mid, hi)
		t.nodes[id].dim, t.nodes[id].split = dim, split
		t.nodes[id].left, t.nodes[id].right = left, right
		return id
	}
	build(0, n)
	return t
}

// kdSearch holds the k best rows found so far, sorted by distance.
type kdSearch struct {
	idx  []int
	dist []float64
	k    int
}

func newKDSearch(k int) *kdSearch { return &kdSearch{k: k} }

func (s *kdSearch) reset() { s.idx, s.dist = s.idx[:0], s.dist[:0] }

func (s *kdSearch) bound() float64 {
	if len(s.idx) < s.k {
		return math.Inf(1)
	}
	return s.dist[len(s.dist)-1]
}

func (s *kdSearch) offer(j int, d float64) {
	if len(s.idx) == s.k {
		if d >= s.dist[s.k-1] {
			return
		}
		s.idx, s.dist = s.idx[:s.k-1], s.dist[:s.k-1]
	}
	p, _ := slices.BinarySearchFunc(s.dist, d, func(a, b float64) int {
		if a <= b {
			return -1
		}
		return 1
	})
	s.idx = slices.Insert(s.idx, p, j)
	s.dist = slices.Insert(s.dist, p, d)
}

// nearest offers s the rows nearest to v other than self.
func (t *kdTree) nearest(v []float64, self int, s *kdSearch) {
	var visit func(id int)
	visit = func(id int) {
		nd := t.nodes[id]
		if nd.left < 0 {
			for _, j := range t.order[nd.lo:nd.hi] {
				if j == self {
					continue
				}
				d := 0.0
				for c, x := range t.x.RawRowView(j) {
					d += (x - v[c]) * (x - v[c])
				}
				s.offer(j, d)
			}
			return
		}
		diff := v[nd.dim] - nd.split
		near, far := nd.left, nd.right
		if diff >= 0 {
			near, far = far, near
		}
		visit(near)
		if diff*diff < s.bound() {
			visit(far)
		}
	}
	visit(0)
}
