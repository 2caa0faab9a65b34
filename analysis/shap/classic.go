package shap

import (
	"math"

	"github.com/reckon-dev/reckon/analysis/gbt"
)

// classicTree explains rows by Lundberg's recursive algorithm (Algorithm
// 2 of the TreeSHAP paper), which needs no tables: the fallback for trees
// whose paths are too long to tabulate, and the reference the tables are
// tested against.
type classicTree struct {
	t     *gbt.Tree
	depth int
}

func newClassicTree(t *gbt.Tree) *classicTree {
	var depth func(i int) int
	depth = func(i int) int {
		n := &t.Nodes[i]
		if n.IsLeaf() {
			return 0
		}
		return 1 + max(depth(int(n.Left)), depth(int(n.Right)))
	}
	return &classicTree{t: t, depth: depth(0)}
}

// pathElem is one feature on the current path: the fraction of the
// training cover and of the row that flow down the path through it, and
// the running Shapley weight.
type pathElem struct {
	feature int32
	z, o, w float64
}

// explain adds the tree's contributions for row x to phi; buf is reusable
// scratch space.
func (c *classicTree) explain(x, phi []float64, buf []pathElem) []pathElem {
	need := (c.depth + 2) * (c.depth + 3) / 2
	if cap(buf) < need {
		buf = make([]pathElem, need)
	}
	c.recurse(x, phi, nil, buf[:need], 0, 1, 1, -1)
	return buf
}

// recurse visits node i with the parent's path m, extending a copy of it
// in free by the split that led here.
func (c *classicTree) recurse(x, phi []float64, m, free []pathElem, i int, pz, po float64, pf int32) {
	p := free[:len(m)]
	copy(p, m)
	p = extend(p, pz, po, pf)
	free = free[len(p):]
	n := &c.t.Nodes[i]
	if n.IsLeaf() {
		v := float64(n.Value)
		for k := 1; k < len(p); k++ {
			phi[p[k].feature] += unwoundSum(p, k) * (p[k].o - p[k].z) * v
		}
		return
	}
	hot, cold := n.Right, n.Left
	if xv := x[n.Feature]; (math.IsNaN(xv) && n.DefaultLeft) || (!math.IsNaN(xv) && float32(xv) < n.Threshold) {
		hot, cold = n.Left, n.Right
	}
	iz, io := 1.0, 1.0
	for k := 1; k < len(p); k++ {
		if p[k].feature == n.Feature {
			iz, io = p[k].z, p[k].o
			p = unwind(p, k)
			break
		}
	}
	cover := n.Cover
	c.recurse(x, phi, p, free, int(hot), iz*c.t.Nodes[hot].Cover/cover, io, n.Feature)
	c.recurse(x, phi, p, free, int(cold), iz*c.t.Nodes[cold].Cover/cover, 0, n.Feature)
}

// extend adds a feature that a fraction pz of the cover and po of the row
// follow, updating the weights of the subsets of every size.
func extend(m []pathElem, pz, po float64, f int32) []pathElem {
	l := len(m)
	w := 0.0
	if l == 0 {
		w = 1
	}
	m = append(m, pathElem{feature: f, z: pz, o: po, w: w})
	for i := l - 1; i >= 0; i-- {
		m[i+1].w += po * m[i].w * float64(i+1) / float64(l+1)
		m[i].w = pz * m[i].w * float64(l-i) / float64(l+1)
	}
	return m
}

// unwind undoes the extension by element k, for a feature met again.
func unwind(m []pathElem, k int) []pathElem {
	l := len(m) - 1
	o, z := m[k].o, m[k].z
	next := m[l].w
	for j := l - 1; j >= 0; j-- {
		if o != 0 {
			t := m[j].w
			m[j].w = next * float64(l+1) / (float64(j+1) * o)
			next = t - m[j].w*z*float64(l-j)/float64(l+1)
		} else {
			m[j].w = m[j].w * float64(l+1) / (z * float64(l-j))
		}
	}
	for j := k; j < l; j++ {
		m[j].feature, m[j].z, m[j].o = m[j+1].feature, m[j+1].z, m[j+1].o
	}
	return m[:l]
}

// unwoundSum is the total weight of the path without element k.
func unwoundSum(m []pathElem, k int) float64 {
	l := len(m) - 1
	o, z := m[k].o, m[k].z
	next := m[l].w
	total := 0.0
	for j := l - 1; j >= 0; j-- {
		if o != 0 {
			t := next * float64(l+1) / (float64(j+1) * o)
			total += t
			next = m[j].w - t*z*float64(l-j)/float64(l+1)
		} else {
			total += m[j].w / z * float64(l+1) / float64(l-j)
		}
	}
	return total
}
