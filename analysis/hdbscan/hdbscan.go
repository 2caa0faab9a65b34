package hdbscan

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"sync"

	"gonum.org/v1/gonum/mat"
)

// Result is a fitted HDBSCAN clustering. Its slices are indexed by the rows
// of the data (Labels, Probabilities, OutlierScores) or by cluster label
// (Persistence, Clusters); it also keeps the hierarchy, so that Recluster
// and ApproximatePredict need not recompute the spanning tree.
type Result struct {
	// Labels is labels_: the cluster of each row, 0..k-1, or -1 for noise.
	Labels []int
	// Probabilities is probabilities_: the strength of each row's
	// membership in its cluster, in [0, 1]; 0 for noise.
	Probabilities []float64
	// OutlierScores is outlier_scores_: each row's GLOSH score in [0, 1],
	// higher meaning more outlying relative to its local density.
	OutlierScores []float64
	// Persistence is cluster_persistence_: per label, the cluster's
	// stability divided by its size and the largest lambda in the tree.
	Persistence []float64
	// Clusters gives, per label, the id of the cluster's node in
	// CondensedTree().
	Clusters []int
	// SingleLinkage is single_linkage_tree_ in SciPy's format: merge i
	// creates node N+i. Results of Recluster share it: do not modify it.
	SingleLinkage []Merge
	// Excluded lists the rows holding NaN or infinite values. Like hdbscan,
	// Fit leaves them out of the hierarchy and labels them noise, with
	// probability 0 and outlier score 1; they hang from the root of the
	// condensed tree at lambda 0.
	Excluded []int
	// Options are the options in effect, defaults filled in; MinSamples is
	// the value used after clipping to the number of rows.
	Options Options

	h    *hierarchy
	tree *clusterTree
	flat *flat

	// The exported condensed tree is laid out on first use: a million-row
	// Recluster need not copy a million edges nobody may look at.
	condensedOnce sync.Once
	condensed     []CondensedEdge
}

// CondensedTree is condensed_tree_, one row per edge. Rows are numbered
// 0..N-1 as in the data; clusters from N, the root being N. It is built on
// the first call and shared by later ones: do not modify it.
func (r *Result) CondensedTree() []CondensedEdge {
	r.condensedOnce.Do(func() { r.condensed = r.h.condensedEdges(r.tree) })
	return r.condensed
}

// NumClusters is the number of clusters found, noise not counted.
func (r *Result) NumClusters() int { return len(r.Persistence) }

// CondensedEdge is one row of the condensed tree: Child (a row when below
// N, else a cluster) leaves Parent at Lambda = 1/distance; ChildSize is the
// number of rows it carries.
type CondensedEdge struct {
	Parent    int
	Child     int
	Lambda    float64
	ChildSize int
}

// Merge is one row of the single-linkage tree: nodes Left and Right (rows
// below N, merges from N) join at mutual-reachability distance Distance
// into Size rows.
type Merge struct {
	Left, Right int
	Distance    float64
	Size        int
}

// hierarchy is what Fit computes once and Recluster reuses: the
// single-linkage tree over the finite rows and the data needed to place
// new points in it.
type hierarchy struct {
	link     *linkage
	nRaw     int
	rowOf    []int32 // sorted position -> row of the data
	excluded []int
	opts     Options
	sp       space
	d        int
	grp      groups
	pts      []float64 // distinct points, group order
	predCore []float64 // prediction core distance per group
	tree     *kdTree   // over the groups; nil when searching by brute force
	cnt      []int32   // group sizes, in tree order when tree != nil
	merges   []Merge   // the exported single-linkage tree, shared by all results
}

// algorithm chooses how the spanning tree is found.
type algorithm int

const (
	best algorithm = iota
	useBoruvka
	usePrim
)

// The k-d tree stops pruning well in more dimensions than this; hdbscan
// switches to Prim's algorithm at the same point.
const maxTreeDims = 60

// Fit clusters the rows of X (observations in rows, features in columns).
// It returns an error for an empty matrix, bad options, or fewer rows with
// finite values than MinClusterSize. Rows with NaN or infinite values are
// labelled noise and listed in Result.Excluded.
//
// If all rows are identical there is no density structure: every row is
// noise, unless AllowSingleCluster is set, when all form cluster 0.
func Fit(ctx context.Context, X *mat.Dense, opts Options) (*Result, error) {
	return fit(ctx, X, opts, best)
}

func fit(ctx context.Context, X *mat.Dense, opts Options, algo algorithm) (*Result, error) {
	o, err := opts.withDefaults()
	if err != nil {
		return nil, err
	}
	if X == nil || X.IsEmpty() {
		return nil, errors.New("hdbscan: the data has no rows")
	}
	nRaw, d := X.Dims()
	data := make([]float64, 0, nRaw*d)
	rowOfClean := make([]int32, 0, nRaw)
	var excluded []int
	for i := range nRaw {
		row := X.RawRowView(i)
		if !allFinite(row) {
			excluded = append(excluded, i)
			continue
		}
		data = append(data, row...)
		rowOfClean = append(rowOfClean, int32(i))
	}
	n := len(rowOfClean)
	switch {
	case n == 0:
		return nil, fmt.Errorf("hdbscan: all %d rows hold NaN or infinite values", nRaw)
	case n < o.MinClusterSize && len(excluded) > 0:
		return nil, fmt.Errorf("hdbscan: only %d of the %d rows have finite values, fewer than min_cluster_size %d", n, nRaw, o.MinClusterSize)
	case n < o.MinClusterSize:
		return nil, fmt.Errorf("hdbscan: %d rows are fewer than min_cluster_size %d", n, o.MinClusterSize)
	}
	o.MinSamples = min(o.MinSamples, n-1)

	h, err := buildHierarchy(ctx, data, rowOfClean, d, o, algo)
	if err != nil {
		return nil, err
	}
	h.nRaw = nRaw
	h.excluded = excluded
	o.Progress.Report("clusters", 0, 1)
	res := h.result(o.Selection)
	o.Progress.Report("clusters", 1, 1)
	return res, nil
}

func allFinite(row []float64) bool {
	for _, x := range row {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return false
		}
	}
	return true
}

// buildHierarchy computes core distances, the minimum spanning tree of the
// mutual-reachability graph and its single-linkage tree.
//
// Rows are first sorted by their coordinates: a row's rank in that order
// breaks ties between equal distances (so the result does not depend on
// the order of the rows), and identical rows become one point searched
// once, standing for all its copies.
func buildHierarchy(ctx context.Context, data []float64, rowOfClean []int32, d int, o Options, algo algorithm) (*hierarchy, error) {
	n := len(rowOfClean)
	order := make([]int32, n)
	for i := range order {
		order[i] = int32(i)
	}
	row := func(i int32) []float64 { return data[int(i)*d : int(i)*d+d] }
	slices.SortFunc(order, func(a, b int32) int {
		if c := compareRows(row(a), row(b)); c != 0 {
			return c
		}
		return int(a - b)
	})
	h := &hierarchy{
		rowOf: make([]int32, n),
		opts:  o,
		sp:    newSpace(o.Metric, d, o.Alpha),
		d:     d,
	}
	h.opts.Progress = nil
	h.grp.start = make([]int32, 0, n+1)
	for pos, i := range order {
		h.rowOf[pos] = rowOfClean[i]
		if pos == 0 || compareRows(row(order[pos-1]), row(i)) != 0 {
			h.grp.start = append(h.grp.start, int32(pos))
			h.pts = append(h.pts, row(i)...)
		}
	}
	h.grp.start = append(h.grp.start, int32(n))
	nu := h.grp.count()
	cnt := make([]int32, nu)
	for g := range cnt {
		cnt[g] = h.grp.size(int32(g))
	}

	if algo == best {
		algo = useBoruvka
		if d > maxTreeDims || nu < 64 {
			algo = usePrim
		}
	}
	coreReport := func(done int) { o.Progress.Report("core distances", done, nu) }
	mstReport := func(done int) { o.Progress.Report("spanning tree", done, nu-1) }
	var core []float64
	var mst []edge
	var err error
	switch {
	case nu == 1:
		core, h.predCore = []float64{0}, []float64{0}
		h.cnt = cnt
	case algo == usePrim:
		h.cnt = cnt
		core, h.predCore, err = bruteCoreDistances(ctx, h.pts, d, h.sp, cnt, o.MinSamples, coreReport)
		if err != nil {
			return nil, fmt.Errorf("hdbscan: %w", err)
		}
		rank := make([]int32, nu)
		for g := range rank {
			rank[g] = int32(g)
		}
		mst, err = primMST(ctx, h.pts, d, h.sp, core, rank, mstReport)
		if err != nil {
			return nil, fmt.Errorf("hdbscan: %w", err)
		}
	default:
		t := buildKDTree(h.pts, nu, d)
		h.tree = t
		h.cnt = make([]int32, nu)
		for i, g := range t.idx {
			h.cnt[i] = cnt[g]
		}
		coreT, predT, lists, err := coreDistances(ctx, t, h.sp, h.cnt, o.MinSamples, coreReport)
		if err != nil {
			return nil, fmt.Errorf("hdbscan: %w", err)
		}
		mst, err = boruvkaMST(ctx, t, h.sp, coreT, t.idx, lists, mstReport)
		if err != nil {
			return nil, fmt.Errorf("hdbscan: %w", err)
		}
		core, h.predCore = make([]float64, nu), make([]float64, nu)
		for i, g := range t.idx {
			core[g], h.predCore[g] = coreT[i], predT[i]
		}
		for i := range mst {
			mst[i].a, mst[i].b = t.idx[mst[i].a], t.idx[mst[i].b]
		}
	}
	for g, c := range h.predCore {
		h.predCore[g] = h.sp.toTrue(c)
	}
	h.link = buildLinkage(n, expand(h.grp, mst, core), h.sp.toTrue)
	return h, nil
}

// compareRows orders rows lexicographically by their values.
func compareRows(a, b []float64) int {
	for j, x := range a {
		switch {
		case x < b[j]:
			return -1
		case x > b[j]:
			return 1
		}
	}
	return 0
}

// result selects clusters and lays the outcome out by data row.
func (h *hierarchy) result(sel Selection) *Result {
	ct := index(condense(h.link, sel.MinClusterSize))
	out := byRow{
		rowOf:   h.rowOf,
		labels:  make([]int, h.nRaw),
		probs:   make([]float64, h.nRaw),
		outlier: make([]float64, h.nRaw),
	}
	f := ct.selectClusters(sel, out)
	o := h.opts
	o.Selection = sel
	r := &Result{
		Labels:        out.labels,
		Probabilities: out.probs,
		OutlierScores: out.outlier,
		Persistence:   f.persistence,
		Clusters:      make([]int, len(f.selected)),
		Excluded:      h.excluded,
		Options:       o,
		h:             h,
		tree:          ct,
		flat:          f,
	}
	for _, row := range h.excluded {
		r.Labels[row] = -1
		r.OutlierScores[row] = 1
	}
	for i, k := range f.selected {
		r.Clusters[i] = int(k) + h.nRaw
	}
	if h.merges == nil {
		l := h.link
		h.merges = make([]Merge, len(l.left))
		for i := range l.left {
			h.merges[i] = Merge{Left: h.node(l.left[i]), Right: h.node(l.right[i]), Distance: l.dist[i], Size: int(l.size[i])}
		}
	}
	r.SingleLinkage = h.merges
	return r
}

// node turns a point or cluster id of the hierarchy into its exported id:
// points become rows of the data, clusters are numbered from nRaw.
func (h *hierarchy) node(x int32) int {
	if n := h.link.n; int(x) >= n {
		return int(x) - n + h.nRaw
	}
	return int(h.rowOf[x])
}

// condensedEdges lays out the condensed tree ct with exported ids, the
// excluded rows hanging from the root at lambda 0.
func (h *hierarchy) condensedEdges(ct *clusterTree) []CondensedEdge {
	out := make([]CondensedEdge, len(ct.child), len(ct.child)+len(h.excluded))
	for i := range ct.child {
		out[i] = CondensedEdge{Parent: h.node(ct.parent[i]), Child: h.node(ct.child[i]), Lambda: ct.lambda[i], ChildSize: int(ct.size[i])}
	}
	for _, row := range h.excluded {
		out = append(out, CondensedEdge{Parent: h.nRaw, Child: row, Lambda: 0, ChildSize: 1})
	}
	return out
}

// Recluster reads a new flat clustering off the hierarchy of r with other
// selection parameters, without recomputing core distances or the spanning
// tree: MinSamples, Alpha and Metric stay as fitted (MinSamples keeps its
// fitted value even if it defaulted to the old MinClusterSize). Zero fields
// of sel mean hdbscan's defaults, not the fitted values: to change one
// parameter, start from r.Options.Selection. It returns an error for
// invalid parameters or a MinClusterSize above the number of rows
// clustered.
func Recluster(ctx context.Context, r *Result, sel Selection) (*Result, error) {
	if r == nil || r.h == nil {
		return nil, errors.New("hdbscan: Recluster needs a result returned by Fit")
	}
	s, err := sel.withDefaults()
	if err != nil {
		return nil, err
	}
	if n := r.h.link.n; s.MinClusterSize > n {
		return nil, fmt.Errorf("hdbscan: min_cluster_size %d exceeds the %d rows clustered", s.MinClusterSize, n)
	}
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("hdbscan: %w", err)
	}
	return r.h.result(s), nil
}
