package hdbscan

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"

	"github.com/reckon-dev/reckon/analysis/internal/par"
	"gonum.org/v1/gonum/mat"
)

// ApproximatePredict places new points in the clustering of r without
// refitting, as hdbscan's approximate_predict does: a point joins the
// condensed tree next to its mutual-reachability nearest neighbour among
// its 2*min_samples nearest rows, at the lambda of that distance, and takes
// the label of the selected cluster it lands in (or -1) and a probability
// from that lambda. The labels are those of r; clustering the data with the
// new points added could give others.
//
// Like hdbscan, it measures the neighbours' core distances with the
// neighbour itself counted among its min_samples (one neighbour fewer than
// Fit does), and a new point's core distance as the distance to its
// (min_samples+1)-th nearest row. When the clustering has no cluster tree
// every point is noise.
func ApproximatePredict(ctx context.Context, r *Result, points *mat.Dense) (labels []int, probabilities []float64, err error) {
	labels, probabilities, _, err = ApproximatePredictScores(ctx, r, points)
	return labels, probabilities, err
}

// ApproximatePredictScores is ApproximatePredict that also gives each new
// point its GLOSH outlier score, as hdbscan's approximate_predict_scores:
// (lambda_max - lambda) / lambda_max, lambda being where the point would
// join the tree and lambda_max the largest lambda in the subtree of the
// cluster it would join there.
func ApproximatePredictScores(ctx context.Context, r *Result, points *mat.Dense) (labels []int, probabilities, scores []float64, err error) {
	if r == nil || r.h == nil {
		return nil, nil, nil, errors.New("hdbscan: ApproximatePredict needs a result returned by Fit")
	}
	if points == nil || points.IsEmpty() {
		return []int{}, []float64{}, []float64{}, nil
	}
	h := r.h
	m, d := points.Dims()
	if d != h.d {
		return nil, nil, nil, fmt.Errorf("hdbscan: the points to predict have %d columns but the clustering was fitted on %d", d, h.d)
	}
	for i := range m {
		if !allFinite(points.RawRowView(i)) {
			return nil, nil, nil, fmt.Errorf("hdbscan: row %d of the points to predict holds a NaN or infinite value", i)
		}
	}
	labels = make([]int, m)
	probabilities = make([]float64, m)
	scores = make([]float64, m)
	for i := range labels {
		labels[i] = -1
	}
	if r.tree.nClusters <= 1 {
		return labels, probabilities, scores, nil
	}
	deep := r.tree.deepMax()
	ms := h.opts.MinSamples
	k := min(2*ms, h.link.n)
	err = par.For(ctx, m, 64, func(_, lo, hi int) {
		nb := newNeighbours(h, k)
		for i := lo; i < hi; i++ {
			labels[i], probabilities[i], scores[i] = r.predictOne(nb, points.RawRowView(i), ms, deep)
		}
	})
	if err != nil {
		return nil, nil, nil, fmt.Errorf("hdbscan: %w", err)
	}
	return labels, probabilities, scores, nil
}

// neighbours finds the k nearest rows of the fitted data to a point.
type neighbours struct {
	h    *hierarchy
	ts   *treeSearch
	heap *nearest
	list []neighbour
}

// neighbour is a distinct point (a group of identical rows) near the query.
type neighbour struct {
	group int32
	rows  int32
	dist  float64
}

func newNeighbours(h *hierarchy, k int) *neighbours {
	nb := &neighbours{h: h, heap: newNearest(k)}
	if h.tree != nil {
		nb.ts = &treeSearch{t: h.tree, sp: h.sp, cnt: h.cnt, h: nb.heap}
	}
	return nb
}

// query fills nb.list with the nearest distinct points, nearest first.
func (nb *neighbours) query(q []float64) {
	h := nb.h
	if nb.ts != nil {
		nb.ts.query(q)
	} else {
		nb.heap.reset()
		for g := range h.cnt {
			r := h.sp.rd(q, h.pts[g*h.d:g*h.d+h.d])
			if !nb.heap.full() || r < nb.heap.rd[0] {
				nb.heap.push(r, h.cnt[g], int32(g))
			}
		}
	}
	nb.list = nb.list[:0]
	for i, id := range nb.heap.id {
		g := id
		if h.tree != nil {
			g = h.tree.idx[id]
		}
		nb.list = append(nb.list, neighbour{group: g, rows: nb.heap.cnt[i], dist: h.sp.toTrue(nb.heap.rd[i])})
	}
	slices.SortFunc(nb.list, func(a, b neighbour) int {
		switch {
		case a.dist < b.dist:
			return -1
		case a.dist > b.dist:
			return 1
		}
		return int(a.group - b.group)
	})
}

func (r *Result) predictOne(nb *neighbours, q []float64, ms int, deep []float64) (label int, prob, score float64) {
	h, t, f := r.h, r.tree, r.flat
	nb.query(q)
	// The new point's core distance: its (ms+1)-th nearest row, or the
	// farthest found when there are fewer rows.
	core := nb.list[len(nb.list)-1].dist
	seen := 0
	for _, x := range nb.list {
		seen += int(x.rows)
		if seen > ms {
			core = x.dist
			break
		}
	}
	nearest, mr := int32(-1), math.Inf(1)
	for _, x := range nb.list {
		w := max(h.predCore[x.group], core, x.dist)
		if w < mr {
			nearest, mr = x.group, w
		}
	}
	lambda := math.MaxFloat64
	if mr > 0 {
		lambda = 1 / mr
	}
	pos := h.grp.first(nearest)
	k := t.ptParent[pos]
	if t.ptLambda[pos] > lambda {
		for k > 0 && t.birth[k] >= lambda {
			k = t.parentOf[k]
		}
	}
	score = gloshScore(deep[k], lambda)
	l := f.labelOf[k]
	if l < 0 {
		return -1, 0, score
	}
	ml := t.maxDirect[f.selected[l]]
	if ml <= 0 {
		return int(l), 1, score
	}
	return int(l), min(ml, lambda) / ml, score
}
