package dsl

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/reckon-dev/reckon/analysis/stability"
	"github.com/reckon-dev/reckon/display/plot"
	"github.com/reckon-dev/reckon/display/vegalite"
)

func registerExplore(r *Registry) {
	r.Register(&Command{
		Name: "explore", Group: "cluster",
		Summary: "Slide through clusterings of an embedding in one interactive chart: HDBSCAN at several values of min_cluster_size (or min_samples), computed once, recoloured in the browser.",
		Doc:     "For min_cluster_size, each value selects clusters again from the hierarchy the clusters keep, in milliseconds; for min_samples each value fits a new hierarchy. The chart (Vega-Lite, drawn by JupyterLab and by exported HTML that runs scripts) carries every clustering: its slider picks one and recolours the points with no kernel behind it, and two small charts beside it give the number of clusters and the noise share per value, the chosen one marked. Hover a point for its row id, cluster and chosen columns; drag and scroll to pan and zoom; click a legend entry to pick out a cluster. The text is the table of values, as sweep gives it; the PNG shows the clustering the chart opens on: the clusters' own value when listed, else the first.",
		Params: []Param{
			{Name: "data", Type: DataT, Doc: "the embedding the clusters were found in; its first two columns are drawn"},
			{Name: "clusters", Type: clustersT, Doc: "what hdbscan returned on data: its hierarchy and settings are reused"},
			{Name: "min_cluster_size", Type: intOrListT, Default: None, Doc: "a list of values to slide through, or one value to keep"},
			{Name: "min_samples", Type: intOrListT, Default: None, Doc: "a list of values to slide through, or one value to keep; none means the clusters' own"},
			{Name: "title", Type: Str, Default: None, Doc: "the chart's title"},
			tooltipParam,
		},
		Returns:  "sweep",
		Examples: []string{`explore(emb, cl, min_cluster_size=[10, 25, 50, 100, 200])`, `explore(emb, cl, min_samples=[1, 5, 10, 25], tooltip=["genre", "energy"])`},
		Run:      runExplore,
	})
}

func runExplore(ctx context.Context, c *Call) (Value, error) {
	prev, err := hdbscanOf(c, "clusters")
	if err != nil {
		return nil, err
	}
	x, err := c.Value("data").(Matrixer).Matrix()
	if err != nil {
		return nil, err
	}
	n, dims := x.Dims()
	if n != len(prev.Labels) {
		return nil, c.Errorf("clusters", "the clusters label %s rows but the data have %s; pass the embedding they were found in", thousands(len(prev.Labels)), thousands(n))
	}
	if dims < 2 {
		return nil, c.Errorf("data", "explore draws two coordinates, and these data have one column")
	}
	sw := stability.SweepSettings{HDBSCAN: prev.Options, Progress: c.Progress()}
	var sizes, samples []int
	var sizesList, samplesList bool
	if !c.IsNone("min_cluster_size") {
		if sizes, sizesList, err = intOrList(c, "min_cluster_size", 2); err != nil {
			return nil, err
		}
	}
	if !c.IsNone("min_samples") {
		if samples, samplesList, err = intOrList(c, "min_samples", 1); err != nil {
			return nil, err
		}
	}
	if sizesList == samplesList {
		return nil, c.Errorf("min_cluster_size", "give a list of values for exactly one of min_cluster_size and min_samples, as explore(emb, cl, min_cluster_size=[10, 25, 50, 100, 200])")
	}
	current := prev.Options.Selection.MinClusterSize
	switch {
	case sizesList:
		sw.Vary, sw.Values = stability.MinClusterSize, sizes
		if samples != nil && samples[0] != prev.Options.MinSamples {
			sw.HDBSCAN.MinSamples = samples[0]
		} else {
			sw.Hierarchy = prev
		}
	default:
		sw.Vary, sw.Values, current = stability.MinSamples, samples, prev.Options.MinSamples
		if sizes != nil {
			sw.HDBSCAN.Selection.MinClusterSize = sizes[0]
		}
	}
	steps, err := stability.Sweep(ctx, x, sw)
	if err != nil {
		return nil, err
	}
	param := string(sw.Vary)
	initial := max(0, slices.Index(sw.Values, current))

	xs, ys := make([]float64, n), make([]float64, n)
	for i := range n {
		xs[i], ys[i] = x.At(i, 0), x.At(i, 1)
	}
	tables := sourceTables(c, "data", n)
	tips, err := tooltipColumns(c, tables, n)
	if err != nil {
		return nil, err
	}
	title := "HDBSCAN against " + param
	if !c.IsNone("title") {
		title = c.Str("title")
	}
	opts := plot.ScatterOptions{Title: fmt.Sprintf("%s: %s=%d of %s", title, param, sw.Values[initial], joinInts(sw.Values))}
	if t, ok := c.Value("data").(Tabular); ok {
		names := t.Frame().Names()
		opts.XLabel, opts.YLabel = names[0], names[1]
	}
	colorBy(&opts, hdbClusters(steps[initial].Result))
	b, err := plot.Scatter(xs, ys, opts)
	if err != nil {
		return nil, err
	}
	clusterings := make([]vegalite.Clustering, len(steps))
	for k, st := range steps {
		clusterings[k] = vegalite.Clustering{Value: st.Value, Labels: st.Result.Labels, Clusters: st.Result.NumClusters(), Noise: st.Noise}
	}
	spec, err := vegalite.Explore(xs, ys, clusterings, vegalite.ExploreOptions{
		Param: param, Title: title, XLabel: opts.XLabel, YLabel: opts.YLabel,
		ID: idColumn(tables), Tooltip: tips, Initial: initial,
	})
	if err != nil {
		return nil, err
	}
	t, _, _ := sweepTable(steps, param)
	t.Caption = fmt.Sprintf("%d clusterings of %s points by %s; the interactive chart's slider picks one", len(steps), thousands(n), param)
	return &SweepValue{Table: t, Plot: vegalite.Attach(b, spec)}, nil
}

// joinInts writes values as a list: [10, 25, 50].
func joinInts(v []int) string {
	s := make([]string, len(v))
	for i, x := range v {
		s[i] = strconv.Itoa(x)
	}
	return "[" + strings.Join(s, ", ") + "]"
}
