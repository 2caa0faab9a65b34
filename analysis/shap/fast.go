package shap

import (
	"math/bits"

	"github.com/reckon-dev/reckon/analysis/gbt"
)

// The tables rest on this form of path-dependent TreeSHAP. Take a leaf
// with value v whose path splits on the distinct features k = 0..D-1.
// Integrating out feature k multiplies the leaf's weight by z_k, the
// product of the cover ratios of the path's splits on k; knowing it
// multiplies the weight by o_k, 1 when the row takes all those splits the
// path's way and 0 otherwise. The leaf adds v·Π(k∈S ? o_k : z_k) to the
// value of a set S of known features, a game whose Shapley values, with
// A the set of features the row agrees with (o_k = 1), are
//
//	k ∈ A: φ_k = v (1 - z_k) Z(A) H(A \ {k})
//	k ∉ A: φ_k = -v Z(A) H(A)
//
// where Z(A) = Π(k∉A) z_k and H(B) = Σ(S⊆B) w(|S|) Π(k∈B\S) z_k with the
// Shapley weights w(s) = s!(D-s-1)!/D!. Tabulating vZ and H over all 2^D
// sets A makes a row's contribution a lookup: its pattern A comes from
// one walk down the tree.

// maxTablePath bounds the distinct features on a tabulated path, so a
// pattern fits a uint32 and one leaf's table stays small.
const maxTablePath = 20

// tableSize returns the number of patterns of all the tree's leaves
// (Σ 2^D) and of values in their full tables (Σ D·2^D), or -1 when a path
// is too long to tabulate.
func tableSize(t *gbt.Tree) (entries, values int) {
	var walk func(i int, feats []int32) bool
	walk = func(i int, feats []int32) bool {
		n := &t.Nodes[i]
		if n.IsLeaf() {
			entries += 1 << len(feats)
			values += len(feats) << len(feats)
			return true
		}
		if !contains(feats, n.Feature) {
			if len(feats) == maxTablePath {
				return false
			}
			feats = append(feats, n.Feature)
		}
		return walk(int(n.Left), feats) && walk(int(n.Right), feats[:len(feats):len(feats)])
	}
	if !walk(0, nil) {
		return -1, -1
	}
	return entries, values
}

func contains(fs []int32, f int32) bool {
	for _, g := range fs {
		if g == f {
			return true
		}
	}
	return false
}

// fnode is an inner node as the tabulated walk needs it. Inner nodes
// are numbered breadth first, so children come after their parent; a
// child c >= 0 is an inner node, c < 0 the leaf ^c.
type fnode struct {
	left, right int32
	feature     int32
	threshold   float32
	defaultLeft bool
	newFeature  bool  // the feature is not split on above this node
	bit         uint8 // the feature's position among its path's features
}

// fleaf is one leaf's table: its path's features and, for every pattern
// A, either each feature's contribution (full, D values per pattern) or
// what they are computed from: 1 - z_k, vZ(A) and H(A).
type fleaf struct {
	feats   []int32
	full    []float64
	omz     []float64
	vz, h   []float64
	nonzero bool
}

type fastTree struct {
	inner  []fnode
	leaves []fleaf
}

// newFastTree tabulates a tree, with full tables when full is set.
func newFastTree(t *gbt.Tree, full bool) *fastTree {
	ft := &fastTree{}
	type item struct {
		node   int
		feats  []int32
		z      []float64
		parent int // the inner node that keeps this child's number, -1 for the root
		right  bool
	}
	setChild := func(it item, c int32) {
		switch {
		case it.parent < 0:
		case it.right:
			ft.inner[it.parent].right = c
		default:
			ft.inner[it.parent].left = c
		}
	}
	queue := []item{{node: 0, parent: -1}}
	for len(queue) > 0 {
		it := queue[0]
		queue = queue[1:]
		n := &t.Nodes[it.node]
		if n.IsLeaf() {
			setChild(it, ^int32(len(ft.leaves)))
			ft.leaves = append(ft.leaves, newLeaf(float64(n.Value), it.feats, it.z, full))
			continue
		}
		setChild(it, int32(len(ft.inner)))
		ft.inner = append(ft.inner, fnode{feature: n.Feature, threshold: n.Threshold, defaultLeft: n.DefaultLeft})
		fn := &ft.inner[len(ft.inner)-1]
		feats, z := it.feats, it.z
		k := -1
		for j, f := range feats {
			if f == n.Feature {
				k = j
			}
		}
		if k < 0 {
			fn.newFeature = true
			k = len(feats)
			feats = append(feats[:k:k], n.Feature)
			z = append(z[:k:k], 1)
		}
		fn.bit = uint8(k)
		for side, c := range []int32{n.Left, n.Right} {
			cz := append([]float64(nil), z...)
			cz[k] *= t.Nodes[c].Cover / n.Cover
			queue = append(queue, item{node: int(c), feats: feats, z: cz, parent: len(ft.inner) - 1, right: side == 1})
		}
	}
	// A tree that is a lone leaf has no inner node and adds nothing.
	return ft
}

func newLeaf(v float64, feats []int32, z []float64, full bool) fleaf {
	d := len(feats)
	size := 1 << d
	l := fleaf{
		feats:   append([]int32(nil), feats...),
		omz:     make([]float64, d),
		vz:      make([]float64, size),
		h:       make([]float64, size),
		nonzero: v != 0 && d > 0,
	}
	for k := range z {
		l.omz[k] = 1 - z[k]
	}
	if d == 0 {
		return l
	}
	// w[s] = s!(d-s-1)!/d!, by w[s]/w[s-1] = s/(d-s).
	w := make([]float64, d)
	w[0] = 1 / float64(d)
	for s := 1; s < d; s++ {
		w[s] = w[s-1] * float64(s) / float64(d-s)
	}
	// coef[B] holds the coefficients of Π(k∈B)(z_k + t), so that the
	// coefficient of t^s sums Π(k∈B\S) z_k over the subsets S of size s;
	// prodZ[B] is Π(k∈B) z_k.
	coef := make([]float64, size*(d+1))
	prodZ := make([]float64, size)
	coef[0], prodZ[0] = 1, 1
	for B := 1; B < size; B++ {
		j := bits.Len32(uint32(B)) - 1
		prev := B &^ (1 << j)
		prodZ[B] = prodZ[prev] * z[j]
		src, dst := coef[prev*(d+1):(prev+1)*(d+1)], coef[B*(d+1):(B+1)*(d+1)]
		dst[0] = z[j] * src[0]
		for s := 1; s <= d; s++ {
			dst[s] = z[j]*src[s] + src[s-1]
		}
	}
	all := size - 1
	for A := 0; A < size; A++ {
		var h float64
		for s, c := range coef[A*(d+1) : A*(d+1)+d] {
			h += w[s] * c
		}
		l.h[A] = h
		l.vz[A] = v * prodZ[all&^A]
	}
	if full {
		l.full = make([]float64, size*d)
		for A := 0; A < size; A++ {
			l.contributions(uint32(A), l.full[A*d:(A+1)*d])
		}
		l.omz, l.vz, l.h = nil, nil, nil
	}
	return l
}

// contributions writes the leaf's contribution to each of its path's
// features for pattern A.
func (l *fleaf) contributions(A uint32, out []float64) {
	c := l.vz[A]
	neg := -c * l.h[A]
	for k := range l.feats {
		bit := uint32(1) << k
		if A&bit != 0 {
			out[k] = l.omz[k] * c * l.h[A^bit]
		} else {
			out[k] = neg
		}
	}
}

func (l *fleaf) add(A uint32, phi []float64) {
	if l.full != nil {
		d := len(l.feats)
		row := l.full[int(A)*d : int(A)*d+d]
		for k, f := range l.feats {
			phi[f] += row[k]
		}
		return
	}
	c := l.vz[A]
	neg := -c * l.h[A]
	for k, f := range l.feats {
		bit := uint32(1) << k
		if A&bit != 0 {
			phi[f] += l.omz[k] * c * l.h[A^bit]
		} else {
			phi[f] += neg
		}
	}
}

// explain adds the tree's contributions for row x to phi; masks is
// scratch space. masks[i] is the pattern of the path to inner node i: bit
// k is set when the row agrees with every split on the path's k-th
// feature so far.
func (t *fastTree) explain(x, phi []float64, masks []uint32) []uint32 {
	if len(t.inner) == 0 {
		return masks
	}
	if cap(masks) < len(t.inner) {
		masks = make([]uint32, len(t.inner))
	}
	masks = masks[:len(t.inner)]
	masks[0] = 0
	for i := range t.inner {
		n := &t.inner[i]
		mask := masks[i]
		bit := uint32(1) << n.bit
		hot := mask
		if n.newFeature {
			hot |= bit
		}
		cold := mask &^ bit
		v := x[n.feature]
		left := float32(v) < n.threshold
		if v != v {
			left = n.defaultLeft
		}
		lm, rm := cold, hot
		if left {
			lm, rm = hot, cold
		}
		if c := n.left; c >= 0 {
			masks[c] = lm
		} else if l := &t.leaves[^c]; l.nonzero {
			l.add(lm, phi)
		}
		if c := n.right; c >= 0 {
			masks[c] = rm
		} else if l := &t.leaves[^c]; l.nonzero {
			l.add(rm, phi)
		}
	}
	return masks
}
