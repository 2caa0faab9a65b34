package pipeline

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"gonum.org/v1/gonum/mat"

	"github.com/reckon-dev/reckon/analysis/hdbscan"
	"github.com/reckon-dev/reckon/analysis/recursive"
	"github.com/reckon-dev/reckon/analysis/umap"
)

// Tree is a fitted recursive clustering (recurse): every node that was
// split keeps the UMAP model of its own rows and the HDBSCAN clustering
// of that embedding. Assign walks a row down from the root, placing it in
// each split node's embedding and predicting its cluster there, until it
// reaches a node that was not split or falls in a node's noise.
type Tree struct {
	// Train are the rows the tree was fitted to (after the steps, PCA and
	// UMAP); every node's rows index them.
	Train *mat.Dense
	// Nodes are the split nodes, the root ("") first and every parent
	// before its children.
	Nodes []*TreeNode
	// Names are the names of clusters, by path ("3", "3.1"); a cluster
	// without one takes its nearest named parent's.
	Names  map[string]string
	byPath map[string]*TreeNode
}

// TreeNode is a split node of a Tree.
type TreeNode struct {
	// Label is the node's path: "" for the root, "3", "3.1".
	Label string
	// Rows index the rows of Tree.Train the node holds, ascending.
	Rows []int
	// UMAP are the settings the node's rows were embedded with, its seed
	// included; Embedding is that embedding, one row per entry of Rows.
	UMAP      umap.Settings
	Embedding *mat.Dense
	// Options are the settings its embedding was clustered with.
	Options hdbscan.Options
	model   *umap.Model
	result  *hdbscan.Result
}

// NewTree keeps the split nodes of a recursive clustering of train and
// the names given to its clusters.
func NewTree(r *recursive.Result, train *mat.Dense, names map[string]string) *Tree {
	t := &Tree{Train: train, Names: names}
	o := r.Settings.HDBSCAN
	o.Progress = nil
	var walk func(n *recursive.Node)
	walk = func(n *recursive.Node) {
		if len(n.Children) == 0 || n.Clusters == nil {
			return
		}
		t.Nodes = append(t.Nodes, &TreeNode{
			Label: n.Label, Rows: n.Rows, UMAP: r.Settings.NodeUMAP(n.Label), Embedding: n.Embedding,
			Options: o, result: n.Clusters,
		})
		for _, c := range n.Children {
			walk(c)
		}
	}
	walk(r.Root)
	return t
}

// restore rebuilds what a loaded tree does not store: each node's UMAP
// neighbour index and condensed tree, from its rows and embedding.
func (t *Tree) restore(ctx context.Context) error {
	_, d := t.Train.Dims()
	t.byPath = map[string]*TreeNode{}
	for _, n := range t.Nodes {
		t.byPath[n.Label] = n
		if n.model == nil {
			sub := mat.NewDense(len(n.Rows), d, nil)
			for i, r := range n.Rows {
				sub.SetRow(i, t.Train.RawRowView(r))
			}
			m, err := umap.Restore(ctx, sub, n.Embedding, n.UMAP)
			if err != nil {
				return fmt.Errorf("pipeline: restoring the UMAP model of %s: %w", nodeName(n.Label), err)
			}
			n.model = m
		}
		if n.result == nil {
			r, err := hdbscan.Fit(ctx, n.Embedding, n.Options)
			if err != nil {
				return fmt.Errorf("pipeline: restoring the clustering of %s: %w", nodeName(n.Label), err)
			}
			n.result = r
		}
	}
	return nil
}

func nodeName(label string) string {
	if label == "" {
		return "the top level"
	}
	return "cluster " + label
}

// assign walks the rows of x down the tree. A row's path is the deepest
// cluster it reaches ("3.1"), or the noise of the node where it fell out
// ("noise", "3.noise"); its probability and outlier score are those of
// the deepest prediction made for it. The rows reaching a node are placed
// in its embedding together, in their order.
func (t *Tree) assign(ctx context.Context, x *mat.Dense) (paths []string, prob, outlier []float64, err error) {
	n, d := x.Dims()
	paths, prob, outlier = make([]string, n), make([]float64, n), make([]float64, n)
	at := map[string][]int{"": make([]int, n)}
	for i := range n {
		at[""][i] = i
	}
	for _, node := range t.Nodes {
		rows := at[node.Label]
		if len(rows) == 0 {
			continue
		}
		sub := mat.NewDense(len(rows), d, nil)
		for r, i := range rows {
			sub.SetRow(r, x.RawRowView(i))
		}
		emb, err := node.model.Transform(ctx, sub)
		if err != nil {
			return nil, nil, nil, fmt.Errorf("pipeline: %s: %w", nodeName(node.Label), err)
		}
		labels, p, o, err := hdbscan.ApproximatePredictScores(ctx, node.result, emb)
		if err != nil {
			return nil, nil, nil, fmt.Errorf("pipeline: %s: %w", nodeName(node.Label), err)
		}
		prefix := ""
		if node.Label != "" {
			prefix = node.Label + "."
		}
		for r, i := range rows {
			prob[i], outlier[i] = p[r], o[r]
			if labels[r] < 0 {
				paths[i] = prefix + recursive.NoiseLabel
				continue
			}
			paths[i] = prefix + strconv.Itoa(labels[r])
			if _, split := t.byPath[paths[i]]; split {
				at[paths[i]] = append(at[paths[i]], i)
			}
		}
	}
	return paths, prob, outlier, nil
}

// nameOf is the name of a path's cluster or of its nearest named parent.
func (t *Tree) nameOf(path string) (string, bool) {
	for {
		if name, ok := t.Names[path]; ok {
			return name, true
		}
		i := strings.LastIndexByte(path, '.')
		if i < 0 {
			return "", false
		}
		path = path[:i]
	}
}

// paths lists the clusters of the tree by path, noise aside, each
// followed by the clusters inside it: "0", "0.0", "0.1", "1".
func (t *Tree) paths() []string {
	byLabel := map[string]*TreeNode{}
	for _, node := range t.Nodes {
		byLabel[node.Label] = node
	}
	var out []string
	var walk func(node *TreeNode)
	walk = func(node *TreeNode) {
		if node.result == nil {
			return
		}
		prefix := ""
		if node.Label != "" {
			prefix = node.Label + "."
		}
		for c := range node.result.NumClusters() {
			path := prefix + strconv.Itoa(c)
			out = append(out, path)
			if child, ok := byLabel[path]; ok {
				walk(child)
			}
		}
	}
	walk(t.Nodes[0])
	return out
}
