package umap

import "slices"

// localityOrder numbers the points along a Hilbert curve through their
// first two coordinates (the only one for a 1-D layout), so that points
// placed near each other, which the initialisation does for neighbours,
// get nearby numbers and mostly share a chunk of the optimisation. It
// returns order (order[p] is the point numbered p).
func localityOrder(emb []float32, n, dim int) []int32 {
	const bits = 16
	type keyed struct {
		key uint64
		i   int32
	}
	lo := [2]float32{emb[0], emb[min(1, dim-1)]}
	hi := lo
	for i := range n {
		for c := range min(dim, 2) {
			v := emb[i*dim+c]
			lo[c], hi[c] = min(lo[c], v), max(hi[c], v)
		}
	}
	ks := make([]keyed, n)
	for i := range n {
		var q [2]uint32
		for c := range min(dim, 2) {
			if span := hi[c] - lo[c]; span > 0 {
				q[c] = uint32(float64(emb[i*dim+c]-lo[c]) / float64(span) * (1<<bits - 1))
			}
		}
		key := uint64(q[0])
		if dim >= 2 {
			key = hilbert(q[0], q[1], bits)
		}
		ks[i] = keyed{key, int32(i)}
	}
	slices.SortFunc(ks, func(a, b keyed) int {
		if a.key != b.key {
			if a.key < b.key {
				return -1
			}
			return 1
		}
		return int(a.i - b.i)
	})
	order := make([]int32, n)
	for p, k := range ks {
		order[p] = k.i
	}
	return order
}

// hilbert returns the distance along the Hilbert curve of the cell (x, y)
// of a 2^bits x 2^bits grid.
func hilbert(x, y uint32, bits int) uint64 {
	var d uint64
	for s := uint32(1) << (bits - 1); s > 0; s >>= 1 {
		var rx, ry uint32
		if x&s != 0 {
			rx = 1
		}
		if y&s != 0 {
			ry = 1
		}
		d += uint64(s) * uint64(s) * uint64((3*rx)^ry)
		// Rotate the quadrant so that the curve stays continuous.
		if ry == 0 {
			if rx == 1 {
				x = s - 1 - x&(s-1) | x&^(s-1)
				y = s - 1 - y&(s-1) | y&^(s-1)
			}
			x, y = y, x
		}
	}
	return d
}

// permute renumbers the graph and the positions by order: point p of the
// result is point order[p] of the input.
func permute(g *csr, emb []float32, dim int, order []int32) (*csr, []float32) {
	n := g.n
	inv := make([]int32, n)
	for p, i := range order {
		inv[i] = int32(p)
	}
	out := &csr{n: n, start: make([]int, n+1), col: make([]int32, len(g.col)), val: make([]float32, len(g.val))}
	pe := make([]float32, len(emb))
	for p, i := range order {
		cols, ws := g.row(int(i))
		s := out.start[p]
		for q, j := range cols {
			out.col[s+q] = inv[j]
			out.val[s+q] = ws[q]
		}
		out.start[p+1] = s + len(cols)
		copy(pe[p*dim:(p+1)*dim], emb[int(i)*dim:int(i+1)*dim])
	}
	return out, pe
}
