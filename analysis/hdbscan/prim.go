package hdbscan

import (
	"context"
	"math"

	"github.com/reckon-dev/reckon/analysis/internal/par"
)

// primMST finds the minimum spanning tree of the mutual-reachability graph
// by Prim's algorithm, computing distances as it goes: O(n²) time and O(n)
// memory. It is the method for high dimensions, where a k-d tree prunes
// nothing, and for small inputs. Ties are broken by edgeLess, so it returns
// the same tree as boruvkaMST. rank[i] is point i's tie-break rank.
func primMST(ctx context.Context, pts []float64, d int, sp space, core []float64, rank []int32, report func(done int)) ([]edge, error) {
	n := len(core)
	if n < 2 {
		return nil, nil
	}
	in := make([]bool, n)
	bw := make([]float64, n) // lightest edge from the tree to each point
	bf := make([]int32, n)   // and the tree point it comes from
	for i := range bw {
		bw[i] = math.Inf(1)
		bf[i] = -1
	}
	// One chunk below a few thousand points: the per-step fan-out would
	// cost more than it saves.
	chunk := n
	if n > 4096 {
		chunk = 2048
	}
	chunkBest := make([]int32, par.Chunks(n, chunk))
	edges := make([]edge, 0, n-1)
	// less reports whether the candidate edge of j precedes that of k.
	less := func(j, k int32) bool {
		jl, jh := ordered(rank[bf[j]], rank[j])
		kl, kh := ordered(rank[bf[k]], rank[k])
		return edgeLess(bw[j], jl, jh, bw[k], kl, kh)
	}
	v := int32(0)
	in[0] = true
	for len(edges) < n-1 {
		pv := pts[int(v)*d : int(v)*d+d]
		cv := core[v]
		err := par.For(ctx, n, chunk, func(c, lo, hi int) {
			best := int32(-1)
			for j := lo; j < hi; j++ {
				if in[j] {
					continue
				}
				w := max(cv, core[j], sp.rd(pv, pts[j*d:j*d+d])*sp.scale)
				if bf[j] < 0 || w <= bw[j] {
					nl, nh := ordered(rank[v], rank[j])
					if bf[j] < 0 {
						bw[j], bf[j] = w, v
					} else if ol, oh := ordered(rank[bf[j]], rank[j]); edgeLess(w, nl, nh, bw[j], ol, oh) {
						bw[j], bf[j] = w, v
					}
				}
				if best < 0 || less(int32(j), best) {
					best = int32(j)
				}
			}
			chunkBest[c] = best
		})
		if err != nil {
			return nil, err
		}
		next := int32(-1)
		for _, j := range chunkBest {
			if j >= 0 && (next < 0 || less(j, next)) {
				next = j
			}
		}
		edges = append(edges, edge{a: bf[next], b: next, w: bw[next]})
		in[next] = true
		v = next
		if len(edges)%1024 == 0 {
			report(len(edges))
		}
	}
	report(len(edges))
	return edges, nil
}
