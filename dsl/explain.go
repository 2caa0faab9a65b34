package dsl

import (
	"context"
	"fmt"
	"io"
	"math"
	"os"
	"slices"
	"strings"

	"gonum.org/v1/gonum/mat"

	"github.com/reckon-dev/reckon/analysis/explain"
	"github.com/reckon-dev/reckon/analysis/frame"
	"github.com/reckon-dev/reckon/analysis/gbt"
	"github.com/reckon-dev/reckon/display"
	"github.com/reckon-dev/reckon/display/plot"
	"github.com/reckon-dev/reckon/display/vegalite"
)

// Explanation is what explain returns: for every cluster, a classifier
// telling it from the rest, how well it does (cross-validated AUC), and
// the SHAP values that name the features driving membership.
type Explanation struct {
	Result *explain.Result
	// X are the features explained, NaN for missing values, to show
	// feature values in the plots.
	X *mat.Dense
	// Names are the names of the clusters explained, from the named
	// clustering.
	Names Names
}

func (e *Explanation) Type() string { return "explanation" }

// ClusterNames are the names of the clusters explained.
func (e *Explanation) ClusterNames() Names { return e.Names }

// Size counts the clusters explained.
func (e *Explanation) Size() string {
	return fmt.Sprintf("%d clusters × %d features", len(e.Result.Clusters), len(e.Result.Features))
}

// topDrivers is how many drivers the summary table names per cluster.
const topDrivers = 4

func (e *Explanation) summary() display.Table {
	t := display.Table{
		Columns: []string{"cluster", "size", "against", "CV AUC", "top drivers (+ high values, − low values push rows in)"},
		Numeric: []bool{false, true, true, true, false},
	}
	named := len(e.Names) > 0
	if named {
		t.Columns = slices.Insert(t.Columns, 1, "name")
		t.Numeric = slices.Insert(t.Numeric, 1, false)
	}
	add := func(c explain.Cluster, cells ...string) {
		if named {
			cells = slices.Insert(cells, 1, e.Names.of(c.Label))
		}
		t.Rows = append(t.Rows, cells)
	}
	for _, c := range e.Result.Clusters {
		if c.Err != nil {
			add(c, c.Label, thousands(c.Size), thousands(c.Contrast), "", "not explained: "+c.Err.Error())
			continue
		}
		var parts []string
		for _, d := range c.Drivers[:min(topDrivers, len(c.Drivers))] {
			if d.MeanAbs == 0 {
				break
			}
			sign := map[explain.Direction]string{explain.Raises: " +", explain.Lowers: " −"}[d.Direction]
			parts = append(parts, d.Feature+sign)
		}
		add(c, c.Label, thousands(c.Size), thousands(c.Contrast), fmt.Sprintf("%.3f", c.CVAUC), strings.Join(parts, ", "))
	}
	t.Note = fmt.Sprintf("each cluster against %s; AUC 0.5 is chance, 1 a perfect separation; shap_summary(why, cluster=\"…\") shows one cluster in detail", map[explain.Scope]string{explain.Siblings: "its siblings", explain.Whole: "the whole data"}[e.Result.Against])
	return t
}

func (e *Explanation) String() string { return e.summary().Plain() }

// Display shows the summary table.
func (e *Explanation) Display() display.Bundle { return e.summary().Bundle() }

// Export writes the SHAP values as CSV or, for a .parquet path, Parquet;
// or with format "xgboost" one XGBoost JSON model per cluster into a
// folder.
func (e *Explanation) Export(ctx context.Context, path, format string) (string, error) {
	if format == "" && isParquetPath(path) {
		format = "parquet"
	}
	switch format {
	case "xgboost":
		if err := os.MkdirAll(path, 0o755); err != nil {
			return "", fmt.Errorf("export: %w", err)
		}
		files, err := explain.WriteModels(path, e.Result)
		if err != nil {
			return "", err
		}
		return fmt.Sprintf("wrote %d XGBoost models to %s, with %s mapping each cluster's label to its file (load them with xgboost.Booster().load_model)", len(files), path, explain.IndexFile), nil
	case "", "csv", "parquet":
		write := func(w io.Writer) error { return explain.WriteSHAPCSV(w, e.Result, e.Names) }
		if format == "parquet" {
			f, err := shapFrame(e.Result, e.Names)
			if err != nil {
				return "", err
			}
			write = f.WriteParquet
		}
		if err := writeFileAtomic(path, write); err != nil {
			return "", err
		}
		n := 0
		for _, c := range e.Result.Clusters {
			n += len(c.Rows)
		}
		return fmt.Sprintf("wrote the SHAP values of %s to %s", count(n, "row"), path), nil
	}
	return "", fmt.Errorf("an explanation is exported as csv or parquet (SHAP values) or xgboost (models), not %q", format)
}

// Index returns the classifier of one cluster, as why["3"], why[3] or
// why["ambient"].
func (e *Explanation) Index(i Value) (Value, error) {
	label := ""
	switch x := i.(type) {
	case String:
		label = string(x)
	case Number:
		label = formatNumber(float64(x))
	default:
		return nil, fmt.Errorf("an explanation is indexed by a cluster label, as why[\"3\"], not by %s", describeValue(i))
	}
	c, err := e.find(label)
	if err != nil {
		return nil, err
	}
	return &ModelValue{Cluster: c}, nil
}

// ModelValue is the one-vs-all classifier of one cluster.
type ModelValue struct{ Cluster *explain.Cluster }

func (m *ModelValue) Type() string { return "model" }

func (m *ModelValue) String() string {
	return fmt.Sprintf("gradient-boosted classifier of cluster %s against %s rows: %d trees over %d features, CV AUC %.3f",
		m.Cluster.Label, thousands(m.Cluster.Contrast), len(m.Cluster.Model.Trees), m.Cluster.Model.NumFeatures, m.Cluster.CVAUC)
}

// Export writes the model in XGBoost's JSON model format.
func (m *ModelValue) Export(ctx context.Context, path, format string) (string, error) {
	if format != "" && format != "xgboost" {
		return "", fmt.Errorf("a model is exported in xgboost format, not %q", format)
	}
	if err := writeFileAtomic(path, m.Cluster.Model.WriteXGBoostJSON); err != nil {
		return "", err
	}
	return fmt.Sprintf("wrote the model of cluster %s to %s (xgboost.Booster().load_model reads it)", m.Cluster.Label, path), nil
}

// find returns an explained cluster by its label or, failing that, by its
// name.
func (e *Explanation) find(label string) (*explain.Cluster, error) {
	clusters := e.Result.Clusters
	i := slices.IndexFunc(clusters, func(c explain.Cluster) bool { return c.Label == label })
	if i < 0 && label != "" {
		i = slices.IndexFunc(clusters, func(c explain.Cluster) bool { return e.Names.of(c.Label) == label })
	}
	if i < 0 {
		labels := make([]string, len(clusters))
		for k, c := range clusters {
			labels[k] = c.Label
		}
		return nil, fmt.Errorf("no cluster %q was explained%s; the clusters are %s", label, didYouMean(label, labels), listNames(labels))
	}
	if err := clusters[i].Err; err != nil {
		return nil, fmt.Errorf("cluster %q was not explained: %v", clusters[i].Label, err)
	}
	return &clusters[i], nil
}

// cluster finds the explained cluster a parameter names.
func (e *Explanation) cluster(c *Call, param, label string) (*explain.Cluster, error) {
	cl, err := e.find(label)
	if err != nil {
		return nil, c.Errorf(param, "%v", err)
	}
	return cl, nil
}

// title names a cluster in a plot's title: "Cluster 3 (ambient)".
func (e *Explanation) title(cl *explain.Cluster) string { return "Cluster " + e.Names.titled(cl.Label) }

// plotData is one cluster's SHAP values and feature values, as the plots
// take them: its explained members, and with contrast the sample of the
// rows it is told apart from too, which shows what keeps rows out.
func (e *Explanation) plotData(cl *explain.Cluster, contrast bool) plot.Explanation {
	p := plot.Explanation{Names: e.Result.Features, Base: cl.Expected, Directions: make([]string, len(e.Result.Features))}
	for _, d := range cl.Drivers {
		p.Directions[d.Index] = d.Direction.String()
	}
	add := func(rows []int, phi *mat.Dense) {
		for i, row := range rows {
			p.Values = append(p.Values, mat.Row(nil, i, phi))
			p.Data = append(p.Data, mat.Row(nil, row, e.X))
		}
	}
	add(cl.Rows, cl.SHAP)
	if contrast && len(cl.ContrastRows) > 0 {
		add(cl.ContrastRows, cl.ContrastSHAP)
	}
	return p
}

// summaryPlot is the beeswarm of one cluster's members and contrast rows.
func (e *Explanation) summaryPlot(cl *explain.Cluster, maxDisplay int, format plot.Format) (display.Bundle, error) {
	return plot.Beeswarm(e.plotData(cl, true), plot.BeeswarmOptions{MaxDisplay: maxDisplay, Title: e.contrastTitle(cl), Format: format})
}

// contrastTitle titles the plots of members and contrast rows together.
func (e *Explanation) contrastTitle(cl *explain.Cluster) string {
	return fmt.Sprintf("%s: %d members and %d other rows", e.title(cl), len(cl.Rows), len(cl.ContrastRows))
}

// featureMatrix returns the named columns of a table (all when none) with
// missing values as NaN, as the classifiers take them; categorical columns
// are refused with the remedy.
func featureMatrix(f *frame.Frame, names []string) (*mat.Dense, []string, error) {
	if len(names) == 0 {
		names = f.Names()
	}
	n := f.NumRows()
	x := mat.NewDense(n, len(names), nil)
	for j, name := range names {
		col, err := f.Column(name)
		if err != nil {
			return nil, nil, err
		}
		v := col.Float64s()
		if v == nil {
			return nil, nil, fmt.Errorf("column %q is categorical; one-hot encode it with onehot, or leave it out with drop or features=", name)
		}
		for i := 0; i < n; i++ {
			x.Set(i, j, v[i])
		}
	}
	return x, names, nil
}

// LabelsT is what explain explains: clusters, a tree of them, or any
// categorical column, whose missing values count as noise.
var LabelsT = &Type{Name: "clusters, tree or column", Accepts: func(v Value) bool {
	switch v.(type) {
	case *Clusters, *Tree, *Column:
		return true
	}
	return false
}}

// labelsOf returns the labels explain explains, and whether they are flat
// (a column's values, as they are) rather than cluster paths. A column's
// missing values are labelled NA, apart from any text (frame.Column.Label).
func labelsOf(v Value) (labels []string, flat bool) {
	switch x := v.(type) {
	case *Clusters:
		return explain.FlatLabels(x.Labels), false
	case *Tree:
		return x.Result.Labels, false
	case *Column:
		labels = make([]string, x.Data.Len())
		for i := range labels {
			labels[i] = x.Data.Label(i)
		}
		return labels, true
	}
	return nil, false
}

func registerExplain(r *Registry) {
	clusterParam := Param{Name: "cluster", Type: OneOf(Str, Int), Doc: "the cluster's label, as explain's table shows it (\"2\", \"3.1\"), or its name"}
	labelOf := func(c *Call) string {
		if n, ok := c.Value("cluster").(Number); ok {
			return formatNumber(float64(n))
		}
		return c.Str("cluster")
	}
	whyParam := Param{Name: "why", Type: TypeOf("explanation"), Doc: "what explain returned"}
	shapPlot := func(name, summary, doc string, examples []string, extra []Param, draw func(c *Call, e *Explanation, cl *explain.Cluster) (display.Bundle, error)) *Command {
		return &Command{
			Name: name, Group: "explain", Summary: summary, Doc: doc, Examples: examples,
			Params:  append(append([]Param{whyParam, clusterParam}, extra...), formatParam),
			Returns: "plot",
			Run: func(ctx context.Context, c *Call) (Value, error) {
				e := c.Value("why").(*Explanation)
				cl, err := e.cluster(c, "cluster", labelOf(c))
				if err != nil {
					return nil, err
				}
				b, err := draw(c, e, cl)
				if err != nil {
					return nil, err
				}
				return PlotValue{b}, nil
			},
		}
	}
	r.Register(
		&Command{
			Name: "explain", Group: "explain",
			Summary: "Why each cluster exists: a gradient-boosted one-vs-all classifier per cluster on the original features, its cross-validated AUC, and TreeSHAP drivers.",
			Doc:     "For every cluster (noise left out unless noise=true), an XGBoost-style classifier learns to tell its members from the rows it is contrasted with: its siblings, or the whole data. Stratified k-fold cross-validation measures its ROC AUC (how separable, hence explainable, the cluster is); a final model on all rows is explained with exact TreeSHAP on the cluster's members (a seeded sample of max_rows for large clusters). A driver's weight is its mean absolute SHAP value over the explained members. Its direction is the sign of the correlation between the feature's value and its SHAP value over those members plus an equal, seeded sample of the rows the cluster is told apart from (a feature that separates the cluster outright takes nearly the same SHAP value on every member, so members alone would give its direction by chance): + when high values push rows into the cluster. Missing values are handled as XGBoost does. When a cluster's members and contrast rows number more than train_rows, its classifiers are fitted and cross-validated on a seeded sample of train_rows of them, stratified by class, as XGBoost's users subsample and SHAP's draw a background sample; SHAP still explains members and contrast rows drawn from all of them. Tables of up to train_rows rows are not affected.",
			Params: []Param{
				{Name: "clusters", Type: LabelsT, Doc: "the clusters to explain (or a column, to explain each of its values as it is; its missing values are the group NA, and a text spelled NA is \"NA\")"},
				{Name: "on", Type: TabularT, Doc: "the original features, one row per clustered row"},
				{Name: "features", Type: ListT, Default: None, Doc: "the columns of on to use; none means all"},
				{Name: "n_estimators", Type: Int, Default: Number(100), Doc: "trees per classifier"},
				{Name: "max_depth", Type: Int, Default: Number(6), Doc: "depth of each tree"},
				{Name: "learning_rate", Type: Num, Default: Number(0.3), Doc: "shrinkage of each tree (eta)"},
				{Name: "folds", Type: Int, Default: Number(5), Doc: "cross-validation folds for the AUC"},
				{Name: "max_rows", Type: Int, Default: Number(2000), Doc: "most members explained with SHAP per cluster"},
				{Name: "train_rows", Type: Int, Default: Number(100000), Doc: "most rows each classifier is fitted on: beyond it, a seeded sample stratified by class"},
				{Name: "noise", Type: Boolean, Default: Bool(false), Doc: "explain the noise as if it were a cluster"},
				{Name: "against", Type: Str, Default: String("siblings"), Choices: []string{"siblings", "whole"}, Doc: "what a cluster is told apart from"},
				seedParam,
			},
			Returns: "explanation",
			Examples: []string{
				`why = explain(cl, on=tracks, features=["energy", "tempo", "acousticness"])`,
				`why = explain(cl, on=X, n_estimators=50, seed=1)`,
				`export(why, to="shap.csv")                          # SHAP values, a row per explained row`,
				`export(why["0"], to="cluster0.json", format="xgboost")  # one cluster's model`,
			},
			Run: runExplain,
		},
		shapPlot("shap_summary", "Beeswarm of one cluster's SHAP values over its members and as many other rows: features by importance, points coloured by the feature's value.",
			"As shap.plots.beeswarm: a row of points per feature, the most important (largest mean |SHAP| over the members) on top. A point right of zero pushes its row into the cluster. The members are drawn beside an equal sample of the rows the cluster is told apart from, so that both sides of the boundary show.",
			[]string{`shap_summary(why, cluster=0)`, `shap_summary(why, cluster="0", max_display=5)`},
			[]Param{{Name: "max_display", Type: Int, Default: Number(20), Doc: "how many features"}},
			func(c *Call, e *Explanation, cl *explain.Cluster) (display.Bundle, error) {
				k, err := positive(c, "max_display", 1)
				if err != nil {
					return display.Bundle{}, err
				}
				return e.summaryPlot(cl, k, plotFormat(c))
			}),
		shapPlot("shap_bar", "Mean |SHAP| of each feature over one cluster's members: what makes them members.",
			"As shap.plots.bar: one bar per feature, longest first; the features beyond max_display are summed in a last bar.",
			[]string{`shap_bar(why, cluster=0)`},
			[]Param{{Name: "max_display", Type: Int, Default: Number(10), Doc: "how many bars"}},
			func(c *Call, e *Explanation, cl *explain.Cluster) (display.Bundle, error) {
				k, err := positive(c, "max_display", 1)
				if err != nil {
					return display.Bundle{}, err
				}
				data := e.plotData(cl, false)
				b, err := plot.Bar(data, plot.BarOptions{MaxDisplay: k, Title: e.title(cl), Format: plotFormat(c)})
				if err != nil {
					return display.Bundle{}, err
				}
				names, values, err := data.Bars(k)
				if err != nil {
					return display.Bundle{}, err
				}
				spec, err := vegalite.Bar(names, values, e.title(cl))
				if err != nil {
					return display.Bundle{}, err
				}
				return vegalite.Attach(b, spec), nil
			}),
		shapPlot("shap_dependence", "One feature's value against its SHAP value, over one cluster's members and as many other rows.",
			"As shap.dependence_plot: a rising cloud means high values of the feature push rows into the cluster. The colour shows a second feature, by default the one that interacts most with the first.",
			[]string{`shap_dependence(why, cluster=0, feature="energy")`, `shap_dependence(why, cluster=0, feature="energy", color_by="tempo")`},
			[]Param{
				{Name: "feature", Type: ColumnName, Doc: "the feature"},
				{Name: "color_by", Type: Str, Default: String("auto"), Doc: "a feature colouring the points; \"auto\" picks the likeliest interaction, \"\" none"},
			},
			func(c *Call, e *Explanation, cl *explain.Cluster) (display.Bundle, error) {
				data, feature := e.plotData(cl, true), columnName(c.Value("feature"))
				b, err := plot.Dependence(data, feature, plot.DependenceOptions{ColorBy: c.Str("color_by"), Title: e.contrastTitle(cl), Format: plotFormat(c)})
				if err != nil {
					return display.Bundle{}, err
				}
				x, y, colors, xName, colorName, err := data.DependenceColumns(feature, c.Str("color_by"))
				if err != nil {
					return display.Bundle{}, err
				}
				spec, err := vegalite.Scatter(x, y, vegalite.ScatterOptions{
					Title: e.contrastTitle(cl), XLabel: xName, YLabel: "SHAP value for " + xName,
					Values: colors, ColorName: colorName, Scheme: "redblue", ReverseScheme: true,
				})
				if err != nil {
					return display.Bundle{}, err
				}
				return vegalite.Attach(b, spec), nil
			}),
		shapPlot("shap_image", "Which pixels make a cluster: each feature's mean SHAP value over the cluster's members, drawn on the image grid over the members' mean image, red pulling rows in and blue pushing them out, as shap.image_plot.",
			"For images whose pixels are the features, in row-major order (MNIST's 784 columns are 28 × 28). A red pixel is one whose value pulls the cluster's members in; blue pushes them out; the members' mean image shows faintly beneath.",
			[]string{`shap_image(why, cluster=0, shape=[3, 3])      # the 9 features of the tracks; MNIST: shape=[28, 28]`},
			[]Param{{Name: "shape", Type: ListT, Default: None, Doc: "[rows, columns] of the image, filled row by row from the features in order; none means a square"}},
			func(c *Call, e *Explanation, cl *explain.Cluster) (display.Bundle, error) {
				rows, cols, err := imageShape(c, len(e.Result.Features))
				if err != nil {
					return display.Bundle{}, err
				}
				members := e.plotData(cl, false)
				mean, img := make([]float64, rows*cols), make([]float64, rows*cols)
				for i := range members.Values {
					for j := range mean {
						mean[j] += members.Values[i][j] / float64(len(members.Values))
						img[j] += members.Data[i][j] / float64(len(members.Values))
					}
				}
				title := fmt.Sprintf("Cluster %s: mean SHAP per pixel, %d members", cl.Label, len(members.Values))
				return plot.ShapImage(mean, img, rows, cols, plot.ImageOptions{Title: title, Format: plotFormat(c)})
			}),
		&Command{
			Name: "shap_waterfall", Group: "explain",
			Summary: "How each feature moves one row into (or out of) its cluster, from the expected value to the model's output.",
			Doc:     "As shap.plots.waterfall: starting from the model's expected output, each feature's SHAP value moves the row toward or away from the cluster, largest first, to the model's output for the row (in log-odds). The row must be one of the rows explained: a member (or, for large clusters, one of the max_rows sampled).",
			Params: []Param{
				whyParam,
				{Name: "row", Type: Int, Doc: "the row's index in the data (as in the exported SHAP values)"},
				{Name: "cluster", Type: OneOf(Str, Int), Default: None, Doc: "the cluster whose model to explain the row by; none means the row's own cluster"},
				{Name: "max_display", Type: Int, Default: Number(10), Doc: "how many features"},
				formatParam,
			},
			Returns:  "plot",
			Examples: []string{`shap_waterfall(why, row=0)`, `shap_waterfall(why, row=0, max_display=5)`},
			Run: func(ctx context.Context, c *Call) (Value, error) {
				e := c.Value("why").(*Explanation)
				row, err := positive(c, "row", 0)
				if err != nil {
					return nil, err
				}
				k, err := positive(c, "max_display", 1)
				if err != nil {
					return nil, err
				}
				var cl *explain.Cluster
				if !c.IsNone("cluster") {
					if cl, err = e.cluster(c, "cluster", labelOf(c)); err != nil {
						return nil, err
					}
				} else {
					for i := range e.Result.Clusters {
						if k := e.Result.Clusters[i]; k.Err == nil && contains(k.Rows, row) {
							cl = &e.Result.Clusters[i]
						}
					}
					if cl == nil {
						return nil, c.Errorf("row", "row %d was not explained (it is noise, outside the data, or not in a cluster's sample of max_rows); name a cluster with cluster=", row)
					}
				}
				i := indexOf(cl.Rows, row)
				if i < 0 {
					return nil, c.Errorf("row", "row %d is not among the rows explained for cluster %q", row, cl.Label)
				}
				b, err := plot.Waterfall(e.plotData(cl, false), i, plot.WaterfallOptions{MaxDisplay: k, RowName: fmt.Sprintf("row %d", row), Title: fmt.Sprintf("Row %d in cluster %s", row, e.Names.titled(cl.Label)), Format: plotFormat(c)})
				if err != nil {
					return nil, err
				}
				return PlotValue{b}, nil
			},
		},
	)
}

func contains(rows []int, r int) bool { return indexOf(rows, r) >= 0 }

// indexOf finds r in rows, which are ascending.
func indexOf(rows []int, r int) int {
	lo, hi := 0, len(rows)
	for lo < hi {
		m := (lo + hi) / 2
		if rows[m] < r {
			lo = m + 1
		} else {
			hi = m
		}
	}
	if lo < len(rows) && rows[lo] == r {
		return lo
	}
	return -1
}

func runExplain(ctx context.Context, c *Call) (Value, error) {
	f := c.Value("on").(Tabular).Frame()
	var names []string
	if !c.IsNone("features") {
		for _, v := range c.List("features") {
			if !ColumnName.Accepts(v) {
				return nil, c.Errorf("features", "features must list column names, not %s", describeValue(v))
			}
			names = append(names, columnName(v))
		}
	}
	labels, flat := labelsOf(c.Value("clusters"))
	if len(labels) != f.NumRows() {
		return nil, c.Errorf("on", "the clusters label %s rows but on has %s; explain the clusters on the table they were made from", thousands(len(labels)), thousands(f.NumRows()))
	}
	x, names, err := featureMatrix(f, names)
	if err != nil {
		return nil, err
	}
	s := explain.Settings{Noise: c.Bool("noise"), Flat: flat, Progress: c.Progress()}
	if s.Folds, err = positive(c, "folds", 2); err != nil {
		return nil, err
	}
	if s.MaxRows, err = positive(c, "max_rows", 1); err != nil {
		return nil, err
	}
	if s.TrainRows, err = positive(c, "train_rows", 2*s.Folds); err != nil {
		return nil, err
	}
	if s.Against, err = explain.ParseScope(c.Str("against")); err != nil {
		return nil, c.Errorf("against", "%v", err)
	}
	if s.Seed, err = seedOf(c); err != nil {
		return nil, err
	}
	m := gbt.Settings{LearningRate: c.Num("learning_rate")}
	if m.NEstimators, err = positive(c, "n_estimators", 1); err != nil {
		return nil, err
	}
	if m.MaxDepth, err = positive(c, "max_depth", 1); err != nil {
		return nil, err
	}
	if lr := m.LearningRate; lr <= 0 || lr > 1 || math.IsNaN(lr) {
		return nil, c.Errorf("learning_rate", "learning_rate must be in (0, 1], not %s", formatNumber(lr))
	}
	s.Model = m
	res, err := explain.Explain(ctx, x, names, labels, s)
	if err != nil {
		return nil, err
	}
	return &Explanation{Result: res, X: x, Names: namesOf(c.Value("clusters"))}, nil
}

// imageShape reads shap_image's shape: [rows, columns] covering the n
// features, or the square side when none is given.
func imageShape(c *Call, n int) (rows, cols int, err error) {
	if c.IsNone("shape") {
		side := int(math.Round(math.Sqrt(float64(n))))
		if side*side != n {
			return 0, 0, c.Errorf("shape", "the explanation has %d features, which is not a square; give the image's shape=[rows, columns]", n)
		}
		return side, side, nil
	}
	l := c.List("shape")
	dims := make([]int, len(l))
	for i, v := range l {
		d, ok := v.(Number)
		if !ok || d < 1 || float64(d) > float64(n) || float64(d) != math.Trunc(float64(d)) {
			return 0, 0, c.Errorf("shape", "shape must be [rows, columns], two whole numbers from 1 to %d, not %s", n, l)
		}
		dims[i] = int(d)
	}
	if len(dims) != 2 {
		return 0, 0, c.Errorf("shape", "shape must be [rows, columns], two whole numbers, not %s", l)
	}
	if dims[0]*dims[1] != n {
		return 0, 0, c.Errorf("shape", "shape %s holds %d pixels but the explanation has %d features", l, dims[0]*dims[1], n)
	}
	return dims[0], dims[1], nil
}
