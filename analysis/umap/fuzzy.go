package umap

import (
	"context"
	"math"

	"github.com/reckon-dev/reckon/analysis/internal/par"
	"github.com/reckon-dev/reckon/analysis/knn"
)

// The fuzzy simplicial set: each point sees its neighbours through its own
// metric, scaled so that its nearest neighbour is at distance zero (rho)
// and the memberships exp(-(d - rho) / sigma) of its k neighbours sum to
// log2(k). The local views disagree, and a fuzzy union (or intersection)
// reconciles them into one symmetric weighted graph.

const (
	smoothKTolerance = 1e-5
	minKDistScale    = 1e-3
)

// smoothKNNDist finds rho and sigma for each row of nb, whose first k
// columns are used. Like umap-learn it leaves column 0 out of the
// membership sum: in a fitted graph that column is the point itself.
func smoothKNNDist(ctx context.Context, nb *knn.Neighbours, k int, localConnectivity float64) (sigma, rho []float64, err error) {
	n := nb.N
	sigma = make([]float64, n)
	rho = make([]float64, n)
	target := math.Log2(float64(k))
	var total float64
	for i := range n {
		_, d := nb.Row(i)
		for _, v := range d[:k] {
			total += float64(v)
		}
	}
	meanAll := total / float64(n*k)
	err = par.For(ctx, n, 1024, func(_, lo, hi int) {
		nonZero := make([]float64, 0, k)
		for i := lo; i < hi; i++ {
			_, dist := nb.Row(i)
			dist = dist[:k]
			nonZero = nonZero[:0]
			var rowSum float64
			for _, v := range dist {
				rowSum += float64(v)
				if v > 0 {
					nonZero = append(nonZero, float64(v))
				}
			}
			var r float64
			if float64(len(nonZero)) >= localConnectivity {
				index := int(math.Floor(localConnectivity))
				interpolation := localConnectivity - float64(index)
				if index > 0 {
					r = nonZero[index-1]
					if interpolation > smoothKTolerance && index < len(nonZero) {
						r += interpolation * (nonZero[index] - nonZero[index-1])
					}
				} else if len(nonZero) > 0 {
					r = interpolation * nonZero[0]
				}
			} else if len(nonZero) > 0 {
				r = nonZero[len(nonZero)-1]
			}
			lo, hi, mid := 0.0, math.Inf(1), 1.0
			for range 64 {
				psum := 0.0
				for _, v := range dist[1:] {
					if d := float64(v) - r; d > 0 {
						psum += math.Exp(-d / mid)
					} else {
						psum++
					}
				}
				if math.Abs(psum-target) < smoothKTolerance {
					break
				}
				if psum > target {
					hi = mid
					mid = (lo + hi) / 2
				} else {
					lo = mid
					if math.IsInf(hi, 1) {
						mid *= 2
					} else {
						mid = (lo + hi) / 2
					}
				}
			}
			if r > 0 {
				mid = max(mid, minKDistScale*rowSum/float64(k))
			} else {
				mid = max(mid, minKDistScale*meanAll)
			}
			sigma[i], rho[i] = mid, r
		}
	})
	return sigma, rho, err
}

// membership is the strength of the edge from a point with (sigma, rho) to
// a neighbour at distance d.
func membership(d, sigma, rho float64) float64 {
	if d-rho <= 0 || sigma == 0 {
		return 1
	}
	return math.Exp(-(d - rho) / sigma)
}

// csr is a sparse matrix in compressed rows, columns sorted in each row.
type csr struct {
	n     int
	start []int
	col   []int32
	val   []float32
}

func (m *csr) row(i int) ([]int32, []float32) {
	return m.col[m.start[i]:m.start[i+1]], m.val[m.start[i]:m.start[i+1]]
}

// fuzzyGraph builds the symmetric fuzzy simplicial set of the first k
// neighbours of each row of nb (a fitted graph: row i lists itself first):
// mix (A + A' - A.*A') + (1 - mix) A.*A', where A holds the memberships,
// keeping the edges of weight at least max/nEpochs (umap-learn drops the
// lighter ones before laying out, since they would not be sampled once).
func fuzzyGraph(ctx context.Context, nb *knn.Neighbours, k int, localConnectivity, mix float64, nEpochs int) (*csr, error) {
	n := nb.N
	sigma, rho, err := smoothKNNDist(ctx, nb, k, localConnectivity)
	if err != nil {
		return nil, err
	}
	// A in compressed rows, then its transpose by a counting pass.
	type entry struct {
		j int32
		w float32
	}
	fwd := make([]entry, n*k)
	counts := make([]int, n+1)
	err = par.For(ctx, n, 1024, func(_, lo, hi int) {
		for i := lo; i < hi; i++ {
			idx, dist := nb.Row(i)
			row := fwd[i*k : (i+1)*k]
			for q := range k {
				row[q] = entry{-1, 0}
				if j := idx[q]; j >= 0 && int(j) != i {
					if w := membership(float64(dist[q]), sigma[i], rho[i]); w > 0 {
						row[q] = entry{j, float32(w)}
					}
				}
			}
			sortEntries(row, func(e entry) int32 { return e.j })
		}
	})
	if err != nil {
		return nil, err
	}
	for _, e := range fwd {
		if e.j >= 0 {
			counts[e.j+1]++
		}
	}
	for i := range n {
		counts[i+1] += counts[i]
	}
	rev := make([]entry, counts[n])
	next := make([]int, n)
	copy(next, counts[:n])
	for p, e := range fwd {
		if e.j >= 0 {
			rev[next[e.j]] = entry{int32(p / k), e.w}
			next[e.j]++
		}
	}
	// Merge row i of A with row i of A' (both sorted by column); the result
	// is symmetric because the formula is symmetric in a and b. Three cheap
	// passes (the largest weight, the row lengths, the entries) build the
	// result without growing slices.
	merge := func(i int, emit func(j int32, w float32)) {
		a := fwd[i*k : (i+1)*k]
		for len(a) > 0 && a[0].j < 0 {
			a = a[1:]
		}
		b := rev[counts[i]:counts[i+1]]
		for len(a) > 0 || len(b) > 0 {
			var j int32
			var wa, wb float64
			switch {
			case len(b) == 0 || (len(a) > 0 && a[0].j < b[0].j):
				j, wa = a[0].j, float64(a[0].w)
				a = a[1:]
			case len(a) == 0 || b[0].j < a[0].j:
				j, wb = b[0].j, float64(b[0].w)
				b = b[1:]
			default:
				j, wa, wb = a[0].j, float64(a[0].w), float64(b[0].w)
				a, b = a[1:], b[1:]
			}
			prod := wa * wb
			if w := float32(mix*(wa+wb-prod) + (1-mix)*prod); w > 0 {
				emit(j, w)
			}
		}
	}
	chunkMax := make([]float32, par.Chunks(n, 1024))
	err = par.For(ctx, n, 1024, func(c, lo, hi int) {
		for i := lo; i < hi; i++ {
			merge(i, func(_ int32, w float32) { chunkMax[c] = max(chunkMax[c], w) })
		}
	})
	if err != nil {
		return nil, err
	}
	var maxW float32
	for _, m := range chunkMax {
		maxW = max(maxW, m)
	}
	// Edges too light to be sampled once in nEpochs epochs are left out.
	cut := maxW / float32(nEpochs)
	g := &csr{n: n, start: make([]int, n+1)}
	err = par.For(ctx, n, 1024, func(_, lo, hi int) {
		for i := lo; i < hi; i++ {
			merge(i, func(_ int32, w float32) {
				if w >= cut {
					g.start[i+1]++
				}
			})
		}
	})
	if err != nil {
		return nil, err
	}
	for i := range n {
		g.start[i+1] += g.start[i]
	}
	g.col = make([]int32, g.start[n])
	g.val = make([]float32, g.start[n])
	err = par.For(ctx, n, 1024, func(_, lo, hi int) {
		for i := lo; i < hi; i++ {
			p := g.start[i]
			merge(i, func(j int32, w float32) {
				if w >= cut {
					g.col[p], g.val[p] = j, w
					p++
				}
			})
		}
	})
	if err != nil {
		return nil, err
	}
	return g, nil
}

// sortEntries sorts a short row by key with insertion sort, moving the
// entries with key -1 to the front.
func sortEntries[E any](row []E, key func(E) int32) {
	for i := 1; i < len(row); i++ {
		e := row[i]
		j := i
		for j > 0 && key(row[j-1]) > key(e) {
			row[j] = row[j-1]
			j--
		}
		row[j] = e
	}
}
