package metrics

import (
	"context"
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"

	"github.com/reckon-dev/reckon/analysis/internal/par"
)

// Trustworthiness measures how well an embedding keeps local structure
// (Venna and Kaski 2001), as scikit-learn's
// sklearn.manifold.trustworthiness with the Euclidean metric computes it:
//
//	T(k) = 1 - 2 / (n k (2n - 3k - 1)) * sum_i sum_{j in E_k(i)} max(0, r(i, j) - k)
//
// where E_k(i) holds the k nearest neighbours of row i in the embedding and
// r(i, j) is the rank of j among the rows ordered by distance to i in x
// (the nearest other row has rank 1). 1 means every embedded neighbourhood
// consists of true neighbours; points intruding from far away lower it.
//
// It needs every distance in x: the time grows with n squared times the
// columns of x (about 2 s for 5,000 x 784 on two cores), so score a
// subsample of large data. k must be below n/2, as scikit-learn requires.
func Trustworthiness(ctx context.Context, x, embedding mat.Matrix, k int) (float64, error) {
	n, d := x.Dims()
	ne, de := embedding.Dims()
	switch {
	case n != ne:
		return 0, fmt.Errorf("metrics: the data has %d rows but the embedding %d", n, ne)
	case n == 0 || d == 0 || de == 0:
		return 0, fmt.Errorf("metrics: trustworthiness needs non-empty data and embedding")
	case k < 1 || 2*k >= n:
		return 0, fmt.Errorf("metrics: n_neighbors %d must be at least 1 and less than half the %d rows", k, n)
	}
	xd, err := denseFinite(x, "data")
	if err != nil {
		return 0, err
	}
	ed, err := denseFinite(embedding, "embedding")
	if err != nil {
		return 0, err
	}
	emb, err := exactNeighbours(ctx, ed, k)
	if err != nil {
		return 0, fmt.Errorf("metrics: %w", err)
	}
	sq := make([]float64, n)
	for i := range n {
		r := xd.RawRowView(i)
		for _, v := range r {
			sq[i] += v * v
		}
	}
	// Squared distances by |a|^2 + |b|^2 - 2 a.b, as scikit-learn's
	// euclidean_distances, a block of rows at a time to bound memory.
	const block = 512
	penalty := make([]float64, n)
	for lo := 0; lo < n; lo += block {
		if err := ctx.Err(); err != nil {
			return 0, fmt.Errorf("metrics: %w", err)
		}
		hi := min(lo+block, n)
		var g mat.Dense
		g.Mul(xd.Slice(lo, hi, 0, d), xd.T())
		err := par.For(ctx, hi-lo, 64, func(_, a, b int) {
			for r := a; r < b; r++ {
				i := lo + r
				row := g.RawRowView(r)
				for l, v := range row {
					row[l] = max(sq[i]+sq[l]-2*v, 0)
				}
				row[i] = math.Inf(1)
				for _, j := range emb[i*k : (i+1)*k] {
					dj := row[j]
					// The rank under a stable sort: rows strictly closer, and
					// equally close rows of smaller index, come first.
					rank := 1
					for l, v := range row {
						if v < dj || (v == dj && l < j) {
							rank++
						}
					}
					if rank > k {
						penalty[i] += float64(rank - k)
					}
				}
			}
		})
		if err != nil {
			return 0, fmt.Errorf("metrics: %w", err)
		}
	}
	var t float64
	for _, p := range penalty {
		t += p
	}
	fn, fk := float64(n), float64(k)
	return 1 - t*2/(fn*fk*(2*fn-3*fk-1)), nil
}

// denseFinite copies m into a Dense, rejecting NaN and Inf.
func denseFinite(m mat.Matrix, what string) (*mat.Dense, error) {
	n, d := m.Dims()
	out := mat.NewDense(n, d, nil)
	for i := range n {
		for j := range d {
			v := m.At(i, j)
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return nil, fmt.Errorf("metrics: %s row %d, column %d is %v", what, i, j, v)
			}
			out.Set(i, j, v)
		}
	}
	return out, nil
}

// exactNeighbours returns the k nearest other rows of every row (row-major
// n x k), by brute force; ties go to the smaller index.
func exactNeighbours(ctx context.Context, x *mat.Dense, k int) ([]int, error) {
	n, _ := x.Dims()
	out := make([]int, n*k)
	err := par.For(ctx, n, 64, func(_, lo, hi int) {
		d := make([]float64, k)
		for i := lo; i < hi; i++ {
			nb := out[i*k : (i+1)*k]
			for q := range nb {
				nb[q], d[q] = -1, math.Inf(1)
			}
			xi := x.RawRowView(i)
			for j := range n {
				if j == i {
					continue
				}
				s := 0.0
				for c, v := range x.RawRowView(j) {
					s += (v - xi[c]) * (v - xi[c])
				}
				if s >= d[k-1] {
					continue
				}
				// Insertion into the sorted list of the k best.
				q := k - 1
				for q > 0 && d[q-1] > s {
					d[q], nb[q] = d[q-1], nb[q-1]
					q--
				}
				d[q], nb[q] = s, j
			}
		}
	})
	return out, err
}
