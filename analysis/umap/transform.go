package umap

import (
	"context"
	"errors"
	"fmt"

	"gonum.org/v1/gonum/mat"

	"github.com/reckon-dev/reckon/internal/randseed"
)

// Transform embeds new rows into the model's embedding, as umap-learn's
// transform does: each new row is connected to its n_neighbors nearest
// training rows by fuzzy memberships (with local_connectivity lowered by
// one, since a new point has no zero-distance self), placed at the
// membership-weighted mean of their positions, and refined by the same
// optimisation with the training points held fixed, at a quarter of the
// learning rate, for n_epochs/3 epochs (by default 100 for up to 10,000
// new rows, else 30).
//
// A new row that duplicates a training row (at distance zero from it)
// takes that row's position and keeps it. umap-learn does so only for the
// training data as a whole (its transform returns embedding_ when the
// input's hash is the training data's), and otherwise starts a duplicate
// on the training row and lets the optimisation move it: a training row
// then lands elsewhere, at times in another cluster or in noise. Holding
// every duplicate gives a training row its own position in any company,
// and leaves the other rows' results as they were: their edges, sampling
// schedule and random streams do not change.
func (m *Model) Transform(ctx context.Context, x mat.Matrix) (*mat.Dense, error) {
	if m.index == nil {
		return nil, errors.New("umap: this model was fitted from a neighbour graph alone, so it cannot place new rows; fit it from the data or an index")
	}
	r := m.r
	if err := checkData(x, "row"); err != nil {
		return nil, err
	}
	nNew, d := x.Dims()
	if d != m.index.Dim() {
		return nil, fmt.Errorf("umap: the new rows have %d columns but the model was fitted on %d", d, m.index.Dim())
	}
	nb, err := m.index.Query(ctx, x, r.NNeighbors)
	if err != nil {
		return nil, fmt.Errorf("umap: finding neighbours: %w", err)
	}
	sigma, rho, err := smoothKNNDist(ctx, nb, r.NNeighbors, max(0, r.LocalConnectivity-1))
	if err != nil {
		return nil, fmt.Errorf("umap: %w", err)
	}
	dim := r.NComponents
	g := &csr{n: nNew, start: make([]int, nNew+1)}
	emb := make([]float32, nNew*dim)
	var held []int
	for i := range nNew {
		idx, dist := nb.Row(i)
		var sum float64
		dup, exact := -1, false
		for q, j := range idx {
			w := float32(membership(float64(dist[q]), sigma[i], rho[i]))
			if w <= 0 {
				continue
			}
			g.col = append(g.col, j)
			g.val = append(g.val, w)
			sum += float64(w)
			if w == 1 && dup < 0 {
				dup, exact = int(j), dist[q] == 0
			}
		}
		g.start[i+1] = len(g.col)
		pos := emb[i*dim : (i+1)*dim]
		switch {
		case dup >= 0:
			copy(pos, m.emb[dup*dim:(dup+1)*dim])
			if exact {
				held = append(held, i)
			}
		case sum == 0:
			// Memberships underflowed: start at the nearest neighbour.
			copy(pos, m.emb[int(idx[0])*dim:int(idx[0]+1)*dim])
		default:
			var acc [16]float64
			mean := acc[:0]
			if dim > len(acc) {
				mean = make([]float64, 0, dim)
			}
			mean = mean[:dim]
			clear(mean)
			cols, ws := g.row(i)
			for q, j := range cols {
				for c := range dim {
					mean[c] += float64(ws[q]) / sum * float64(m.emb[int(j)*dim+c])
				}
			}
			for c := range dim {
				pos[c] = float32(mean[c])
			}
		}
	}
	nEpochs := r.NEpochs / 3
	if r.NEpochs == 0 {
		nEpochs = 30
		if nNew <= 10000 {
			nEpochs = 100
		}
	}
	nEpochs = max(nEpochs, 1)
	g = dropLight(g, nEpochs)
	l := newLayout(g, dim, float64(r.NegativeSampleRate))
	l.forTransform(emb, m.emb)
	for _, i := range held {
		l.hold(i)
	}
	l.k = newKernel(m.A, m.B, r.RepulsionStrength)
	if err := l.run(ctx, nEpochs, r.LearningRate/4, randseed.Mix(r.Seed, tagTransform), r.Progress); err != nil {
		return nil, fmt.Errorf("umap: %w", err)
	}
	return toDense(emb, nNew, dim), nil
}
