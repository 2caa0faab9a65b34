package dsl

import (
	"context"
	"fmt"
	"html"
	"slices"
	"strconv"
	"strings"

	"github.com/reckon-dev/reckon/analysis/frame"
	"github.com/reckon-dev/reckon/analysis/recursive"
	"github.com/reckon-dev/reckon/display"
	"github.com/reckon-dev/reckon/display/plot"
)

// Tree is a recursive clustering: clusters, the clusters inside them, and
// why each branch stopped.
type Tree struct {
	Result *recursive.Result
	// AskedDepth is the depth the user asked for, which may be more than
	// the data can hold (Result.Settings.Depth).
	AskedDepth int
	// Names are the names name() gave clusters, by path.
	Names Names
}

// depthNote says when the depth asked was more than the data can hold.
func (t *Tree) depthNote() string {
	s := t.Result.Settings
	if t.AskedDepth <= s.Depth {
		return ""
	}
	return fmt.Sprintf("depth %s asked, but %s can be split at most %s times (min_cluster_size %d, min_points %d): each split leaves at least min_cluster_size rows to another cluster",
		thousands(t.AskedDepth), count(len(t.Result.Labels), "row"), thousands(s.Depth), s.HDBSCAN.MinClusterSize, s.MinPoints)
}

func (t *Tree) Type() string { return "tree" }

// ClusterNames are the names given to the clusters.
func (t *Tree) ClusterNames() Names { return t.Names }

func (t *Tree) nodes() []*recursive.Node {
	var out []*recursive.Node
	var walk func(n *recursive.Node)
	walk = func(n *recursive.Node) {
		out = append(out, n)
		for _, c := range n.Children {
			walk(c)
		}
	}
	walk(t.Result.Root)
	return out
}

// Size counts the clusters found, noise aside.
func (t *Tree) Size() string {
	clusters := 0
	for _, n := range t.nodes() {
		if n.Depth > 0 && !n.Noise {
			clusters++
		}
	}
	return fmt.Sprintf("%s in %s over %s", count(clusters, "cluster"), count(len(t.Result.Levels), "level"), count(len(t.Result.Labels), "row"))
}

func (t *Tree) nodeLine(n *recursive.Node) (name, detail string) {
	name = t.Names.titled(n.Label)
	if n.Depth == 0 {
		name = "all"
	}
	detail = count(len(n.Rows), "row")
	if n.Stop != "" && !n.Noise {
		detail += " — " + n.Stop
	}
	return name, detail
}

// String draws the tree with box-drawing lines.
func (t *Tree) String() string {
	var b strings.Builder
	var walk func(n *recursive.Node, prefix string, last bool)
	walk = func(n *recursive.Node, prefix string, last bool) {
		name, detail := t.nodeLine(n)
		branch, next := "", ""
		if n.Depth > 0 {
			branch, next = "├─ ", "│  "
			if last {
				branch, next = "└─ ", "   "
			}
		}
		fmt.Fprintf(&b, "%s%s%s  (%s)\n", prefix, branch, name, detail)
		for i, c := range n.Children {
			walk(c, prefix+next, i == len(n.Children)-1)
		}
	}
	walk(t.Result.Root, "", true)
	if note := t.depthNote(); note != "" {
		b.WriteString(note)
	}
	return strings.TrimRight(b.String(), "\n")
}

// Display shows the tree as a nested HTML list with its text twin.
func (t *Tree) Display() display.Bundle {
	var h strings.Builder
	var walk func(n *recursive.Node)
	walk = func(n *recursive.Node) {
		name, detail := t.nodeLine(n)
		style := ""
		if n.Noise {
			style = ` style="color:#888"`
		}
		fmt.Fprintf(&h, "<li%s><b>%s</b> <small>%s</small>", style, html.EscapeString(name), html.EscapeString(detail))
		if len(n.Children) > 0 {
			h.WriteString("<ul>")
			for _, c := range n.Children {
				walk(c)
			}
			h.WriteString("</ul>")
		}
		h.WriteString("</li>")
	}
	h.WriteString(`<ul style="list-style:none;padding-left:0">`)
	walk(t.Result.Root)
	h.WriteString("</ul><p><small>" + html.EscapeString(t.Size()+"; plot(tree) draws it as an icicle, explain(tree, on=...) says why each cluster exists") + "</small></p>")
	if note := t.depthNote(); note != "" {
		h.WriteString("<p><small>" + html.EscapeString(note) + "</small></p>")
	}
	return display.Bundle{Data: map[string]any{"text/plain": t.String(), "text/html": h.String()}}
}

// Colors colours points by their deepest label.
func (t *Tree) Colors() ([]string, []float64, []float64, string) {
	return t.Result.Labels, nil, nil, "cluster"
}

// Attrs are the label columns.
func (t *Tree) Attrs() []string { return []string{"labels", "levels"} }

// Attr returns the deepest labels, or the per-level labels as a table.
func (t *Tree) Attr(name string) (Value, bool) {
	switch name {
	case "labels":
		l := make(List, len(t.Result.Labels))
		for i, s := range t.Result.Labels {
			l[i] = String(s)
		}
		return l, true
	case "levels":
		return NewTable(t.levels()), true
	}
	return nil, false
}

// levels is the table of label columns: level_1 ... level_D and label,
// and for a named tree the name of each row's cluster (see Names.forRow).
func (t *Tree) levels() *frame.Frame {
	var cols []*frame.Column
	for d, l := range t.Result.Levels {
		c, _ := frame.NewCategorical("level_"+strconv.Itoa(d+1), l, nil)
		cols = append(cols, c)
	}
	c, _ := frame.NewCategorical("label", t.Result.Labels, nil)
	cols = append(cols, c)
	if len(t.Names) > 0 {
		names := make([]string, len(t.Result.Labels))
		named := make([]bool, len(names))
		for i, l := range t.Result.Labels {
			names[i] = t.Names.forRow(l)
			named[i] = names[i] != ""
		}
		c, _ := frame.NewCategorical("name", names, named)
		cols = append(cols, c)
	}
	f, _ := frame.New(cols...)
	return f
}

// Export writes the per-level label columns as CSV or, for a .parquet
// path, Parquet, a row per input row.
func (t *Tree) Export(ctx context.Context, path, format string) (string, error) {
	format, err := tableFormat(path, format, "a tree")
	if err != nil {
		return "", err
	}
	levels := t.levels()
	write := levels.WriteCSV
	if format == "parquet" {
		write = levels.WriteParquet
	}
	if err := writeFileAtomic(path, write); err != nil {
		return "", err
	}
	return fmt.Sprintf("wrote the labels of %s at %s to %s", count(len(t.Result.Labels), "row"), count(len(t.Result.Levels), "level"), path), nil
}

func (t *Tree) icicle(format plot.Format) (display.Bundle, error) {
	nodes := t.nodes()
	index := map[*recursive.Node]int{}
	var in []plot.IcicleNode
	for i, n := range nodes {
		index[n] = i
		parent := -1
		label := t.Names.titled(n.Label)
		if n.Depth == 0 {
			label = "all"
		}
		in = append(in, plot.IcicleNode{Label: label, Parent: parent, Size: len(n.Rows)})
	}
	for _, n := range nodes {
		for _, c := range n.Children {
			in[index[c]].Parent = index[n]
		}
	}
	return plot.Icicle(in, plot.IcicleOptions{Title: "Clusters within clusters", Format: format})
}

func registerRecurse(r *Registry) {
	params := slices.Concat([]Param{
		{Name: "data", Type: DataT, Doc: "the original features, every column numeric"},
		{Name: "depth", Type: Int, Default: Number(2), Doc: "levels of clustering: 1 clusters once, 2 also inside every cluster"},
	}, densityParams, []Param{
		{Name: "min_points", Type: Int, Default: None, Doc: "a cluster with fewer rows is not clustered further; none means 2 × min_cluster_size"},
	}, umapParams, []Param{seedParam})
	r.Register(&Command{
		Name: "recurse", Group: "cluster",
		Summary: "Cluster, then cluster again inside every cluster: a fresh UMAP and HDBSCAN of each cluster's own rows, down to a depth.",
		Doc:     "Labels are paths: \"3\", \"3.1\", \"3.2\", with each level's noise as \"3.noise\". A branch stops, and says why, at the depth, below min_points rows, or when HDBSCAN finds fewer than two sub-clusters. Branches run concurrently; with a seed the tree is the same for any number of cores on machines with the same instruction set (see help(umap)).",
		Params:  params,
		Returns: "tree",
		Examples: []string{
			`tree = recurse(X, depth=2, min_cluster_size=25, seed=7)`,
			`plot(tree)`,
			`why = explain(tree, on=X)`,
		},
		Run: func(ctx context.Context, c *Call) (Value, error) {
			x, err := c.Value("data").(Matrixer).Matrix()
			if err != nil {
				return nil, err
			}
			s := recursive.Settings{Progress: c.Progress()}
			if s.Depth, err = positive(c, "depth", 1); err != nil {
				return nil, err
			}
			if s.HDBSCAN, err = densityOf(c); err != nil {
				return nil, err
			}
			if !c.IsNone("min_points") {
				if s.MinPoints, err = positive(c, "min_points", 2); err != nil {
					return nil, err
				}
			}
			rows, _ := x.Dims()
			if s.UMAP, err = umapSettings(c, rows); err != nil {
				return nil, err
			}
			if s.Seed, err = seedOf(c); err != nil {
				return nil, err
			}
			res, err := recursive.Run(ctx, x, s)
			if err != nil {
				return nil, err
			}
			return &Tree{Result: res, AskedDepth: s.Depth}, nil
		},
	})
}
