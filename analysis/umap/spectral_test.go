package umap

import (
	"context"
	"math"
	"testing"

	"github.com/reckon-dev/reckon/analysis/knn"
)

// The Lanczos solver must find the same eigenvectors as a dense
// decomposition: compare the subspaces they span.
func TestLanczosMatchesDense(t *testing.T) {
	x, _ := blobs(400, 6, 3, 1.2, 12)
	idx, err := knn.Build(context.Background(), x, knn.Settings{K: 10})
	if err != nil {
		t.Fatal(err)
	}
	g, err := fuzzyGraph(context.Background(), &idx.Graph().Neighbours, 10, 1, 1, 500)
	if err != nil {
		t.Fatal(err)
	}
	if c := components(g); c != 1 {
		t.Fatalf("test graph has %d components", c)
	}
	const dim = 2
	lz, err := spectralLayout(context.Background(), g, dim, 1) // n > denseEigenLimit: Lanczos
	if err != nil {
		t.Fatal(err)
	}
	n := g.n
	deg := make([]float64, n)
	u0 := make([]float64, n)
	var total float64
	for i := range n {
		_, w := g.row(i)
		for _, v := range w {
			deg[i] += float64(v)
		}
		total += deg[i]
	}
	scaled := make([]float64, len(g.val))
	for i := range n {
		u0[i] = math.Sqrt(deg[i] / total)
		for e := g.start[i]; e < g.start[i+1]; e++ {
			scaled[e] = float64(g.val[e]) / math.Sqrt(deg[i]*deg[g.col[e]])
		}
	}
	dn, err := denseTop(g, scaled, u0, dim)
	if err != nil {
		t.Fatal(err)
	}
	// Every dense eigenvector must lie in the Lanczos subspace: its
	// projection onto the (orthonormal) Lanczos vectors keeps its norm.
	for c := range dim {
		var proj [dim]float64
		for k := range dim {
			for i := range n {
				proj[k] += dn[i*dim+c] * lz[i*dim+k]
			}
		}
		norm2 := proj[0]*proj[0] + proj[1]*proj[1]
		if norm2 < 0.999 {
			t.Errorf("dense eigenvector %d keeps %.4f of its norm in the Lanczos subspace", c, norm2)
		}
	}
	// And the Lanczos vectors are eigenvectors: |M v - theta v| small.
	for c := range dim {
		mv := make([]float64, n)
		var theta float64
		for i := range n {
			for e := g.start[i]; e < g.start[i+1]; e++ {
				mv[i] += scaled[e] * lz[int(g.col[e])*dim+c]
			}
			theta += mv[i] * lz[i*dim+c]
		}
		var r float64
		for i := range n {
			d := mv[i] - theta*lz[i*dim+c]
			r += d * d
		}
		if r = math.Sqrt(r); r > 1e-3 {
			t.Errorf("Lanczos vector %d: residual %.2g (eigenvalue %.5f)", c, r, theta)
		}
	}
}

func TestHilbertCurveVisitsNeighbouringCells(t *testing.T) {
	const bits = 4
	side := uint32(1) << bits
	at := make(map[uint64][2]uint32)
	for x := range side {
		for y := range side {
			d := hilbert(x, y, bits)
			if _, dup := at[d]; dup || d >= uint64(side*side) {
				t.Fatalf("cell (%d, %d) has index %d, taken or out of range", x, y, d)
			}
			at[d] = [2]uint32{x, y}
		}
	}
	for d := uint64(1); d < uint64(side*side); d++ {
		a, b := at[d-1], at[d]
		if dist := absDiff(a[0], b[0]) + absDiff(a[1], b[1]); dist != 1 {
			t.Fatalf("cells %d %v and %d %v are not adjacent", d-1, a, d, b)
		}
	}
}

func absDiff(a, b uint32) uint32 {
	if a > b {
		return a - b
	}
	return b - a
}
