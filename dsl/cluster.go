package dsl

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/reckon-dev/reckon/analysis/frame"
	"github.com/reckon-dev/reckon/analysis/hdbscan"
	"github.com/reckon-dev/reckon/analysis/kmeans"
	"github.com/reckon-dev/reckon/display"
	"github.com/reckon-dev/reckon/display/plot"
)

// Clusters is a flat clustering: a label per row, -1 for noise, with what
// the method adds (membership probabilities, outlier scores, the cached
// hierarchy of HDBSCAN that recluster re-selects from).
type Clusters struct {
	Labels []int
	// Probabilities are membership strengths in [0, 1]; nil for k-means.
	Probabilities []float64
	Method        string
	// HDB is the HDBSCAN result, nil for other methods.
	HDB *hdbscan.Result
	// KM is the k-means result, nil for other methods.
	KM *kmeans.Result
	// Names are the names name() gave clusters, by label.
	Names Names
}

func (c *Clusters) Type() string { return "clusters" }

// ClusterNames are the names given to the clusters.
func (c *Clusters) ClusterNames() Names { return c.Names }

// counts returns the size of every cluster, and of noise.
func (c *Clusters) counts() (sizes map[int]int, ids []int) {
	sizes = map[int]int{}
	for _, l := range c.Labels {
		sizes[l]++
	}
	for id := range sizes {
		if id >= 0 {
			ids = append(ids, id)
		}
	}
	sort.Ints(ids)
	return sizes, ids
}

// Size says how many clusters and how much noise.
func (c *Clusters) Size() string {
	sizes, ids := c.counts()
	s := count(len(ids), "cluster") + " over " + count(len(c.Labels), "row")
	if n := sizes[-1]; n > 0 {
		s += fmt.Sprintf(", %.1f%% noise", 100*float64(n)/float64(len(c.Labels)))
	}
	return s
}

// summary is the table clusters() shows: one row per cluster, noise last.
func (c *Clusters) summary() display.Table {
	sizes, ids := c.counts()
	t := display.Table{Numeric: []bool{false, true, true}}
	t.Columns = []string{"cluster", "size", "share"}
	if len(c.Names) > 0 {
		t.Columns = slices.Insert(t.Columns, 1, "name")
		t.Numeric = slices.Insert(t.Numeric, 1, false)
	}
	if c.HDB != nil {
		t.Columns = append(t.Columns, "persistence", "mean probability")
		t.Numeric = append(t.Numeric, true, true)
	}
	meanProb := map[int]float64{}
	for i, l := range c.Labels {
		if c.Probabilities != nil {
			meanProb[l] += c.Probabilities[i]
		}
	}
	n := float64(len(c.Labels))
	row := func(id int, name string) []string {
		r := []string{name, thousands(sizes[id]), fmt.Sprintf("%.1f%%", 100*float64(sizes[id])/n)}
		if len(c.Names) > 0 {
			r = slices.Insert(r, 1, c.Names.of(name))
		}
		if c.HDB != nil {
			pers := ""
			if id >= 0 && id < len(c.HDB.Persistence) {
				pers = formatShort(c.HDB.Persistence[id])
			}
			r = append(r, pers, formatShort(meanProb[id]/float64(max(sizes[id], 1))))
		}
		return r
	}
	for _, id := range ids {
		t.Rows = append(t.Rows, row(id, strconv.Itoa(id)))
	}
	if sizes[-1] > 0 {
		t.Rows = append(t.Rows, row(-1, "noise"))
	}
	t.Note = c.Method + ": " + c.Size()
	return t
}

func (c *Clusters) String() string { return c.summary().Plain() }

// Display shows the summary table.
func (c *Clusters) Display() display.Bundle { return c.summary().Bundle() }

// Attrs are the per-row results, as lists.
func (c *Clusters) Attrs() []string {
	a := []string{"labels", "n_clusters"}
	if c.Probabilities != nil {
		a = append(a, "probabilities")
	}
	if c.HDB != nil {
		a = append(a, "outlier_scores", "persistence")
	}
	return a
}

// Attr returns labels, probabilities, outlier_scores, persistence or
// n_clusters.
func (c *Clusters) Attr(name string) (Value, bool) {
	ints := func(v []int) List {
		l := make(List, len(v))
		for i, x := range v {
			l[i] = Number(x)
		}
		return l
	}
	floats := func(v []float64) List {
		l := make(List, len(v))
		for i, x := range v {
			l[i] = Number(x)
		}
		return l
	}
	switch name {
	case "labels":
		return ints(c.Labels), true
	case "n_clusters":
		_, ids := c.counts()
		return Number(len(ids)), true
	case "probabilities":
		if c.Probabilities != nil {
			return floats(c.Probabilities), true
		}
	case "outlier_scores":
		if c.HDB != nil {
			return floats(c.HDB.OutlierScores), true
		}
	case "persistence":
		if c.HDB != nil {
			return floats(c.HDB.Persistence), true
		}
	}
	return nil, false
}

// Colors colours points by cluster, noise apart, and fades them by their
// membership probability.
func (c *Clusters) Colors() ([]string, []float64, []float64, string) {
	labels := make([]string, len(c.Labels))
	for i, l := range c.Labels {
		if l < 0 {
			labels[i] = "noise"
		} else {
			labels[i] = strconv.Itoa(l)
		}
	}
	return labels, nil, c.Probabilities, "cluster"
}

// Export writes one row per input row: its label, its cluster's name when
// clusters are named, and hdbscan's membership probability and outlier
// score, as CSV or, for a .parquet path, Parquet.
func (c *Clusters) Export(ctx context.Context, path, format string) (string, error) {
	format, err := tableFormat(path, format, "clusters")
	if err != nil {
		return "", err
	}
	f, err := c.exportFrame()
	if err != nil {
		return "", err
	}
	write := f.WriteCSV
	if format == "parquet" {
		write = f.WriteParquet
	}
	if err := writeFileAtomic(path, write); err != nil {
		return "", err
	}
	return fmt.Sprintf("wrote %s (%s) to %s", count(len(c.Labels), "row"), strings.Join(f.Names()[1:], ", "), path), nil
}

// exportFrame is what export writes for clusters: row and label, the name of
// each row's cluster when clusters are named (missing when it has none),
// and for hdbscan the membership probability and outlier score.
func (c *Clusters) exportFrame() (*frame.Frame, error) {
	rows := make([]float64, len(c.Labels))
	labels := make([]float64, len(c.Labels))
	for i, l := range c.Labels {
		rows[i], labels[i] = float64(i), float64(l)
	}
	cols := []*frame.Column{frame.NewNumeric("row", rows), frame.NewNumeric("label", labels)}
	if len(c.Names) > 0 {
		names := make([]string, len(c.Labels))
		named := make([]bool, len(c.Labels))
		for i, l := range c.Labels {
			names[i] = c.Names.of(strconv.Itoa(l))
			named[i] = names[i] != ""
		}
		col, err := frame.NewCategorical("name", names, named)
		if err != nil {
			return nil, err
		}
		cols = append(cols, col)
	}
	if c.HDB != nil {
		cols = append(cols, frame.NewNumeric("probability", c.HDB.Probabilities), frame.NewNumeric("outlier_score", c.HDB.OutlierScores))
	}
	return frame.New(cols...)
}

var clustersT = TypeOf("clusters")

func hdbscanOf(c *Call, param string) (*hdbscan.Result, error) {
	cl := c.Value(param).(*Clusters)
	if cl.HDB == nil {
		return nil, c.Errorf(param, "these clusters come from %s; this needs clusters from hdbscan", cl.Method)
	}
	return cl.HDB, nil
}

// selectionParams are the parameters that choose clusters from an HDBSCAN
// hierarchy, shared by hdbscan and recluster.
var selectionParams = []Param{
	{Name: "min_cluster_size", Type: Int, Default: Number(5), Doc: "the smallest group that counts as a cluster"},
	{Name: "cluster_selection_method", Type: Str, Default: String("eom"), Choices: []string{"eom", "leaf"}, Doc: "eom: the most persistent clusters (excess of mass); leaf: the finest clusters of the tree"},
	{Name: "cluster_selection_epsilon", Type: Num, Default: Number(0), Doc: "clusters closer than this distance are merged"},
	{Name: "allow_single_cluster", Type: Boolean, Default: Bool(false), Doc: "let the whole data be one cluster when that is what the data say"},
}

func selectionOf(c *Call) (hdbscan.Selection, error) {
	mcs, err := positive(c, "min_cluster_size", 2)
	if err != nil {
		return hdbscan.Selection{}, err
	}
	eps := c.Num("cluster_selection_epsilon")
	if eps < 0 {
		return hdbscan.Selection{}, c.Errorf("cluster_selection_epsilon", "cluster_selection_epsilon must be at least 0, not %s", formatNumber(eps))
	}
	return hdbscan.Selection{
		MinClusterSize:          mcs,
		ClusterSelectionMethod:  hdbscan.SelectionMethod(c.Str("cluster_selection_method")),
		ClusterSelectionEpsilon: eps,
		AllowSingleCluster:      c.Bool("allow_single_cluster"),
	}, nil
}

// densityParams are the HDBSCAN parameters of the commands that cluster
// many times over (recurse, stability).
var densityParams = []Param{
	{Name: "min_cluster_size", Type: Int, Default: Number(5), Doc: "HDBSCAN's smallest cluster, at every clustering"},
	{Name: "min_samples", Type: Int, Default: None, Doc: "HDBSCAN's min_samples; none means min_cluster_size"},
}

// densityOf reads densityParams.
func densityOf(c *Call) (hdbscan.Options, error) {
	mcs, err := positive(c, "min_cluster_size", 2)
	if err != nil {
		return hdbscan.Options{}, err
	}
	o := hdbscan.Options{Selection: hdbscan.Selection{MinClusterSize: mcs}}
	if !c.IsNone("min_samples") {
		if o.MinSamples, err = positive(c, "min_samples", 1); err != nil {
			return hdbscan.Options{}, err
		}
	}
	return o, nil
}

func hdbClusters(r *hdbscan.Result) *Clusters {
	return &Clusters{Labels: r.Labels, Probabilities: r.Probabilities, Method: "hdbscan", HDB: r}
}

// registerCluster adds the clustering commands.
func registerCluster(r *Registry) {
	hdbParams := append([]Param{{Name: "data", Type: DataT, Doc: "the data to cluster, usually an embedding"}}, selectionParams...)
	hdbParams = append(hdbParams,
		Param{Name: "min_samples", Type: Int, Default: None, Doc: "how conservative the clustering is: the neighbours that make a point core; none means min_cluster_size"},
		Param{Name: "alpha", Type: Num, Default: Number(1), Doc: "distance scaling of robust single linkage"},
		Param{Name: "metric", Type: Str, Default: String("euclidean"), Choices: []string{"euclidean", "manhattan", "chebyshev"}, Doc: "the distance between rows"},
	)
	r.Register(
		&Command{
			Name: "hdbscan", Group: "cluster",
			Summary: "Density-based clustering that finds clusters where the data say so and calls the rest noise, as the hdbscan library.",
			Doc:     "Core distances, mutual reachability, an exact minimum spanning tree, the condensed tree, and cluster selection by excess of mass or leaves. The hierarchy is kept: recluster(result, min_cluster_size=...) chooses again in milliseconds. Rows holding NaN are noise. outlier_scores are GLOSH scores as the hdbscan library computes them since its fix of GLOSH (pull request #697, after release 0.8.33): a row is compared with the densest point of its cluster's whole subtree. They differ from what hdbscan 0.8.33 reports on many rows (47% of the rows of one real data set); the fix does not touch labels or membership probabilities.",
			Params:  hdbParams,
			Returns: "clusters",
			Examples: []string{
				`cl = hdbscan(emb, min_cluster_size=40)`,
				`plot(emb, color=cl)`,
			},
			Run: func(ctx context.Context, c *Call) (Value, error) {
				x, err := c.Value("data").(Matrixer).Matrix()
				if err != nil {
					return nil, err
				}
				sel, err := selectionOf(c)
				if err != nil {
					return nil, err
				}
				opts := hdbscan.Options{Selection: sel, Metric: hdbscan.Metric(c.Str("metric")), Progress: c.Progress()}
				if !c.IsNone("min_samples") {
					if opts.MinSamples, err = positive(c, "min_samples", 1); err != nil {
						return nil, err
					}
				}
				if a := c.Num("alpha"); a <= 0 {
					return nil, c.Errorf("alpha", "alpha must be greater than 0, not %s", formatNumber(a))
				}
				opts.Alpha = c.Num("alpha")
				res, err := hdbscan.Fit(ctx, x, opts)
				if err != nil {
					return nil, err
				}
				return hdbClusters(res), nil
			},
		},
		&Command{
			Name: "recluster", Group: "cluster",
			Summary: "Choose HDBSCAN clusters again with other selection parameters, reusing the hierarchy: instant.",
			Doc:     "Parameters left out keep the library's defaults, not the earlier call's. Changing min_samples or the metric needs a new hdbscan call.",
			Params:  append([]Param{{Name: "clusters", Type: clustersT, Doc: "what hdbscan returned"}}, selectionParams...),
			Returns: "clusters",
			Examples: []string{
				`cl2 = recluster(cl, min_cluster_size=100)`,
			},
			Run: func(ctx context.Context, c *Call) (Value, error) {
				prev, err := hdbscanOf(c, "clusters")
				if err != nil {
					return nil, err
				}
				sel, err := selectionOf(c)
				if err != nil {
					return nil, err
				}
				res, err := hdbscan.Recluster(ctx, prev, sel)
				if err != nil {
					return nil, err
				}
				return hdbClusters(res), nil
			},
		},
		&Command{
			Name: "approximate_predict", Group: "cluster",
			Summary: "Assign new points to the clusters of an HDBSCAN result without refitting, as hdbscan.approximate_predict.",
			Doc:     "Each new point gets the label and membership probability it would have had, from its distances to the fitted points' core distances and the condensed tree, as hdbscan.approximate_predict does; the clustering itself does not change. The points must be in the space the clusters were fitted in: place new rows in an embedding with transform first.",
			Params: []Param{
				{Name: "clusters", Type: clustersT, Doc: "what hdbscan returned"},
				{Name: "points", Type: DataT, Doc: "new points, in the space the clusters were fitted in"},
			},
			Returns:  "clusters",
			Examples: []string{`approximate_predict(cl, transform(emb, sample(X, 10, seed=2)))`},
			Run: func(ctx context.Context, c *Call) (Value, error) {
				prev, err := hdbscanOf(c, "clusters")
				if err != nil {
					return nil, err
				}
				x, err := c.Value("points").(Matrixer).Matrix()
				if err != nil {
					return nil, err
				}
				labels, probs, err := hdbscan.ApproximatePredict(ctx, prev, x)
				if err != nil {
					return nil, err
				}
				return &Clusters{Labels: labels, Probabilities: probs, Method: "approximate_predict"}, nil
			},
		},
		&Command{
			Name: "kmeans", Group: "cluster",
			Summary: "k-means with k-means++ starts, as scikit-learn's KMeans: for comparison with hdbscan.",
			Doc:     "k-means puts every row in one of k round clusters, whatever the data look like; hdbscan finds clusters of any shape and calls the rest noise.",
			Params: []Param{
				{Name: "data", Type: DataT, Doc: "the data to cluster"},
				{Name: "k", Type: Int, Default: Number(8), Doc: "the number of clusters (n_clusters)"},
				{Name: "n_init", Type: Int, Default: Number(1), Doc: "runs from fresh starts; the best is kept"},
				{Name: "max_iter", Type: Int, Default: Number(300), Doc: "the most iterations per run"},
				seedParam,
			},
			Returns:  "clusters",
			Examples: []string{`km = kmeans(X, k=6, seed=1)`, `clusters(km)`},
			Run: func(ctx context.Context, c *Call) (Value, error) {
				x, err := c.Value("data").(Matrixer).Matrix()
				if err != nil {
					return nil, err
				}
				opts := kmeans.Options{Progress: c.Progress()}
				if opts.K, err = positive(c, "k", 1); err != nil {
					return nil, err
				}
				if opts.NInit, err = positive(c, "n_init", 1); err != nil {
					return nil, err
				}
				if opts.MaxIter, err = positive(c, "max_iter", 1); err != nil {
					return nil, err
				}
				if opts.Seed, err = seedOf(c); err != nil {
					return nil, err
				}
				res, err := kmeans.Fit(ctx, x, opts)
				if err != nil {
					return nil, err
				}
				return &Clusters{Labels: res.Labels, Method: "kmeans", KM: res}, nil
			},
		},
		&Command{
			Name: "clusters", Group: "cluster",
			Summary:  "A table of the clusters: size, share of the data, persistence, mean membership probability; noise as its own row.",
			Doc:      "Clusters are listed by label, noise last; persistence (how long a cluster lives in the condensed tree) and membership probabilities come from HDBSCAN and are left out for k-means. export(clusters(cl), to=\"clusters.csv\") writes the table.",
			Params:   []Param{{Name: "clusters", Type: clustersT, Doc: "a clustering"}},
			Returns:  "listing",
			Examples: []string{`clusters(cl)`},
			Run: func(ctx context.Context, c *Call) (Value, error) {
				return Listing{Table: c.Value("clusters").(*Clusters).summary()}, nil
			},
		},
		&Command{
			Name: "condensed_tree", Group: "plot",
			Summary:  "The condensed tree of an HDBSCAN clustering, with the selected clusters circled, as hdbscan draws it.",
			Doc:      "Each cluster is a bar whose width is its number of rows and whose length runs from the density at which it appears (lambda = 1/distance) to where it splits or fades; the clusters HDBSCAN selected are circled. Long bars are persistent, stable clusters.",
			Params:   []Param{{Name: "clusters", Type: clustersT, Doc: "what hdbscan returned"}, formatParam},
			Returns:  "plot",
			Examples: []string{`condensed_tree(cl)`},
			Run: func(ctx context.Context, c *Call) (Value, error) {
				res, err := hdbscanOf(c, "clusters")
				if err != nil {
					return nil, err
				}
				edges := make([]plot.CondensedEdge, len(res.CondensedTree()))
				for i, e := range res.CondensedTree() {
					edges[i] = plot.CondensedEdge(e)
				}
				b, err := plot.CondensedTree(edges, res.Clusters, plot.CondensedTreeOptions{Format: plotFormat(c)})
				if err != nil {
					return nil, err
				}
				return PlotValue{b}, nil
			},
		},
	)
}
