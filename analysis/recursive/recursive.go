package recursive

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strconv"

	"gonum.org/v1/gonum/mat"

	"github.com/reckon-dev/reckon/analysis/hdbscan"
	"github.com/reckon-dev/reckon/analysis/internal/par"
	"github.com/reckon-dev/reckon/analysis/progress"
	"github.com/reckon-dev/reckon/analysis/umap"
	"github.com/reckon-dev/reckon/internal/randseed"
)

// NoiseLabel is the last component of a noise node's label.
const NoiseLabel = "noise"

// Settings configure Run. The zero value clusters two levels deep with
// umap-learn's and hdbscan's defaults.
type Settings struct {
	// Depth is depth, the number of levels of clustering: 1 clusters the
	// data once, 2 also clusters inside every cluster. Default 2. Run
	// lowers a depth the data cannot reach to MaxDepth.
	Depth int
	// UMAP configures every embedding (n_neighbors, min_dist, ...); its
	// Seed and Progress are replaced per node.
	UMAP umap.Settings
	// HDBSCAN configures every clustering (min_cluster_size, min_samples,
	// ...); its Progress is replaced per node.
	HDBSCAN hdbscan.Options
	// MinPoints is min_points: a cluster with fewer rows is not clustered
	// further. Default twice the HDBSCAN min_cluster_size.
	MinPoints int
	// Seed is the seed every node's UMAP seed is derived from.
	Seed uint64
	// Progress, when set, hears each node's phases prefixed by its label
	// ("3: epochs", "3: spanning tree"); "top" stands for the whole data.
	Progress progress.Func
}

// Node is a node of the cluster tree.
type Node struct {
	// Label is the node's path: "" for the whole data, "3", "3.1",
	// "3.noise".
	Label string
	// Depth is 0 for the whole data, 1 for the top-level clusters, ...
	Depth int
	// Rows are the node's rows, ascending indices into the data.
	Rows  []int
	Noise bool
	// Children are the clusters found inside the node, then its noise.
	Children []*Node
	// Stop says why the node has no children; empty when it has some.
	Stop string
	// Embedding and Clusters are the node's own UMAP of its rows (one row
	// of Embedding per entry of Rows) and its HDBSCAN clustering, when the
	// node was embedded.
	Embedding *mat.Dense
	Clusters  *hdbscan.Result
}

// Result is a cluster tree over the rows of the data.
type Result struct {
	Root *Node
	// Labels is each row's deepest label.
	Labels []string
	// Levels holds, for each depth d = 1, 2, ... down to the deepest
	// cluster the tree holds, each row's label at that depth; a row whose
	// branch stopped higher keeps its deepest label, so that every level is
	// a partition of the rows.
	Levels [][]string
	// Settings are those in effect, defaults filled in.
	Settings Settings
}

// Run builds the cluster tree of the rows of x.
func Run(ctx context.Context, x *mat.Dense, s Settings) (*Result, error) {
	if x == nil || x.IsEmpty() {
		return nil, errors.New("recursive: the data are empty")
	}
	if s.Depth == 0 {
		s.Depth = 2
	}
	if s.Depth < 1 {
		return nil, fmt.Errorf("recursive: depth %d must be at least 1", s.Depth)
	}
	if s.HDBSCAN.MinClusterSize == 0 {
		s.HDBSCAN.MinClusterSize = 5
	}
	if s.MinPoints == 0 {
		s.MinPoints = 2 * s.HDBSCAN.MinClusterSize
	}
	if s.MinPoints < 2 {
		return nil, fmt.Errorf("recursive: min_points %d must be at least 2", s.MinPoints)
	}
	n, d := x.Dims()
	s.Depth = min(s.Depth, MaxDepth(n, s))
	for i := 0; i < n; i++ {
		for j := 0; j < d; j++ {
			if v := x.At(i, j); math.IsNaN(v) || math.IsInf(v, 0) {
				return nil, fmt.Errorf("recursive: row %d, column %d holds %v; fill or drop missing values first", i, j, v)
			}
		}
	}
	root := &Node{Rows: make([]int, n)}
	for i := range root.Rows {
		root.Rows[i] = i
	}
	r := &runner{x: x, s: s}
	if err := r.expand(ctx, root); err != nil {
		return nil, err
	}
	if root.Clusters == nil {
		// The whole data could not even be embedded: that is an error, not
		// a stopped branch.
		return nil, fmt.Errorf("recursive: %s", root.Stop)
	}
	// The levels are as many as the tree is deep, whatever depth was asked.
	deepest := 0
	var walk func(nd *Node, visit func(*Node))
	walk = func(nd *Node, visit func(*Node)) {
		visit(nd)
		for _, c := range nd.Children {
			walk(c, visit)
		}
	}
	walk(root, func(nd *Node) { deepest = max(deepest, nd.Depth) })
	res := &Result{Root: root, Labels: make([]string, n), Levels: make([][]string, deepest), Settings: s}
	for d := range res.Levels {
		res.Levels[d] = make([]string, n)
	}
	walk(root, func(nd *Node) {
		if nd.Depth == 0 {
			return
		}
		for _, row := range nd.Rows {
			res.Labels[row] = nd.Label
			for d := nd.Depth - 1; d < deepest; d++ {
				res.Levels[d][row] = nd.Label
			}
		}
	})
	return res, nil
}

// MaxDepth is the deepest tree n rows can hold under s (defaults filled
// in): a node is clustered again only with at least MinPoints rows, and
// with at least twice min_cluster_size, since HDBSCAN must find two
// clusters of that size in it; each of its clusters then leaves at least
// min_cluster_size rows to a sibling. So a node at depth k holds at most
// n - k·min_cluster_size rows, and no branch can split more than
// (n - max(MinPoints, 2·min_cluster_size)) / min_cluster_size + 1 times.
func MaxDepth(n int, s Settings) int {
	mcs := max(s.HDBSCAN.MinClusterSize, 1)
	split := max(s.MinPoints, 2*mcs)
	if n < split {
		return 1
	}
	return (n-split)/mcs + 1
}

type runner struct {
	x *mat.Dense
	s Settings
}

// NodeUMAP is the UMAP settings of the node labelled label: s.UMAP with
// a seed derived from the run's seed and the label, so that every branch
// draws the same numbers however the branches are scheduled. A saved tree
// restores each node's UMAP model with them.
func (s Settings) NodeUMAP(label string) umap.Settings {
	us := s.UMAP
	us.Seed, us.Progress = randseed.Label(fmt.Sprintf("%d/%s", s.Seed, label)), nil
	return us
}

// expand embeds and clusters a node's rows and recurses into the clusters
// found. A branch that cannot go on records why in Stop; only a cancelled
// context is an error.
func (r *runner) expand(ctx context.Context, nd *Node) error {
	name := nd.Label
	if name == "" {
		name = "top"
	}
	switch {
	case nd.Depth >= r.s.Depth:
		nd.Stop = fmt.Sprintf("depth %d reached", r.s.Depth)
		return nil
	case len(nd.Rows) < r.s.MinPoints:
		nd.Stop = fmt.Sprintf("%d rows, fewer than min_points %d", len(nd.Rows), r.s.MinPoints)
		return nil
	}
	_, d := r.x.Dims()
	sub := mat.NewDense(len(nd.Rows), d, nil)
	for i, row := range nd.Rows {
		sub.SetRow(i, r.x.RawRowView(row))
	}
	report := func(phase string, done, total int) { r.s.Progress.Report(name+": "+phase, done, total) }
	us := r.s.NodeUMAP(nd.Label)
	us.Progress = report
	model, err := umap.Fit(ctx, sub, us)
	if err != nil {
		if ctx.Err() != nil {
			return fmt.Errorf("recursive: %w", ctx.Err())
		}
		nd.Stop = "not embedded: " + err.Error()
		return nil
	}
	hs := r.s.HDBSCAN
	hs.Progress = report
	cl, err := hdbscan.Fit(ctx, model.Embedding, hs)
	if err != nil {
		if ctx.Err() != nil {
			return fmt.Errorf("recursive: %w", ctx.Err())
		}
		nd.Stop = "not clustered: " + err.Error()
		return nil
	}
	nd.Embedding, nd.Clusters = model.Embedding, cl
	k := cl.NumClusters()
	if k < 2 {
		nd.Stop = "HDBSCAN found no sub-clusters"
		if k == 1 {
			nd.Stop = "HDBSCAN found a single sub-cluster"
		}
		return nil
	}
	members := make([][]int, k)
	var noise []int
	for i, l := range cl.Labels {
		if l < 0 {
			noise = append(noise, nd.Rows[i])
		} else {
			members[l] = append(members[l], nd.Rows[i])
		}
	}
	prefix := ""
	if nd.Label != "" {
		prefix = nd.Label + "."
	}
	for c, rows := range members {
		nd.Children = append(nd.Children, &Node{Label: prefix + strconv.Itoa(c), Depth: nd.Depth + 1, Rows: rows})
	}
	clusters := nd.Children
	if len(noise) > 0 {
		nd.Children = append(nd.Children, &Node{Label: prefix + NoiseLabel, Depth: nd.Depth + 1, Rows: noise, Noise: true, Stop: "noise"})
	}
	errs := make([]error, len(clusters))
	if err := par.For(ctx, len(clusters), 1, func(c, _, _ int) {
		errs[c] = r.expand(ctx, clusters[c])
	}); err != nil {
		return fmt.Errorf("recursive: %w", err)
	}
	return errors.Join(errs...)
}
