package dsl

import (
	"context"
	"fmt"
	"html"
	"math"
	"slices"
	"strconv"

	"github.com/reckon-dev/reckon/analysis/hdbscan"
	"github.com/reckon-dev/reckon/analysis/stability"
	"github.com/reckon-dev/reckon/display"
	"github.com/reckon-dev/reckon/display/plot"
	"github.com/reckon-dev/reckon/display/vegalite"
)

// StabilityValue is what stability returns: how much the clustering
// changes from run to run.
type StabilityValue struct {
	Result *stability.Result
	Embed  bool
}

func (s *StabilityValue) Type() string { return "stability" }

// verdict reads a Jaccard recovery as Hennig's cluster-wise bootstrap does.
func verdict(j float64) string {
	switch {
	case j >= 0.75:
		return "stable"
	case j < 0.5:
		return "dissolves"
	}
	return "doubtful"
}

func (s *StabilityValue) summary() display.Table {
	t := display.Table{Columns: []string{"cluster", "size", "mean Jaccard", "min Jaccard", "verdict"}, Numeric: []bool{false, true, true, true, false}}
	for _, c := range s.Result.Clusters {
		t.Rows = append(t.Rows, []string{fmt.Sprint(c.Cluster), thousands(c.Size), fmt.Sprintf("%.3f", c.MeanJaccard), fmt.Sprintf("%.3f", c.MinJaccard), verdict(c.MeanJaccard)})
	}
	how := "permuted rows"
	if s.Embed {
		how = "permuted rows and a fresh UMAP seed"
	}
	t.Intro = fmt.Sprintf("%d runs, each with %s. Adjusted Rand index between runs: mean %.3f, min %.3f; adjusted mutual information: mean %.3f, min %.3f.",
		len(s.Result.Labels), how, s.Result.ARI.Mean, s.Result.ARI.Min, s.Result.AMI.Mean, s.Result.AMI.Min)
	t.Note = "Jaccard: how well each cluster of the first run is found again in the others (stable from 0.75, dissolved below 0.5)"
	return t
}

func (s *StabilityValue) String() string { return s.summary().Plain() }

// Export writes the per-cluster recovery as CSV, the Jaccard figures in full.
func (s *StabilityValue) Export(ctx context.Context, path, format string) (string, error) {
	raw := make([][]string, len(s.Result.Clusters))
	for i, c := range s.Result.Clusters {
		raw[i] = []string{fmt.Sprint(c.Cluster), strconv.Itoa(c.Size), csvNumber(c.MeanJaccard), csvNumber(c.MinJaccard), verdict(c.MeanJaccard)}
	}
	return Listing{Table: s.summary(), Raw: raw}.Export(ctx, path, format)
}

// Display shows the summary and the per-cluster recovery.
func (s *StabilityValue) Display() display.Bundle { return s.summary().Bundle() }

// Attrs are the summary figures.
func (s *StabilityValue) Attrs() []string {
	return []string{"ari_mean", "ari_min", "ami_mean", "ami_min"}
}

// Attr returns a summary figure.
func (s *StabilityValue) Attr(name string) (Value, bool) {
	v, ok := map[string]float64{"ari_mean": s.Result.ARI.Mean, "ari_min": s.Result.ARI.Min, "ami_mean": s.Result.AMI.Mean, "ami_min": s.Result.AMI.Min}[name]
	return Number(v), ok
}

// SweepValue is a table of clusterings against a parameter, with its plot.
type SweepValue struct {
	Table display.Table
	Plot  display.Bundle
}

func (s *SweepValue) Type() string   { return "sweep" }
func (s *SweepValue) String() string { return s.Table.Plain() }

// Export writes the table of the sweep as CSV.
func (s *SweepValue) Export(ctx context.Context, path, format string) (string, error) {
	return Listing{Table: s.Table}.Export(ctx, path, format)
}

// Display shows the table as text, the plot as PNG and, when the plot has
// one, its Vega-Lite twin. Without a Vega-Lite twin the HTML is the table
// with the PNG under it; with one there is no HTML, because JupyterLab
// prefers text/html (rank 50) to Vega-Lite (rank 57) and would never draw
// the chart: it draws the chart, and GitHub and nbconvert show the PNG.
func (s *SweepValue) Display() display.Bundle {
	b := display.Bundle{Data: map[string]any{"text/plain": s.Table.Plain()}, Metadata: s.Plot.Metadata}
	if spec, ok := s.Plot.Data[vegalite.MIME]; ok {
		b.Data[vegalite.MIME] = spec
	} else {
		b.Data["text/html"] = s.Table.HTML()
	}
	if png, ok := s.Plot.Data["image/png"].(string); ok {
		b.Data["image/png"] = png
		if _, ok := b.Data["text/html"]; ok {
			b.Data["text/html"] = s.Table.HTML() + `<img src="data:image/png;base64,` + png + `" alt="` + html.EscapeString(s.Plot.Plain()) + `" style="max-width:100%">`
		}
	}
	return b
}

func registerStability(r *Registry) {
	r.Register(
		&Command{
			Name: "stability", Group: "cluster",
			Summary: "Are the clusters real? Re-run the clustering with permuted rows and new seeds and compare the runs (ARI, AMI, Jaccard per cluster).",
			Doc:     "Each run permutes the rows, embeds them with a fresh UMAP seed (for a table; an embedding is clustered as it is) and clusters them with HDBSCAN. The adjusted Rand index and adjusted mutual information between every pair of runs say how much the partition moves; each cluster of the first run gets the mean and least Jaccard overlap with its best match in the other runs.",
			Params: slices.Concat([]Param{
				{Name: "data", Type: DataT, Doc: "the original features (embedded in every run) or an embedding (clustered as it is)"},
				{Name: "runs", Type: Int, Default: Number(10), Doc: "how many clusterings to compare"},
			}, densityParams, umapParams, []Param{seedParam}),
			Returns:  "stability",
			Examples: []string{`stability(X, runs=10, min_cluster_size=25, seed=1)`},
			Run: func(ctx context.Context, c *Call) (Value, error) {
				x, err := c.Value("data").(Matrixer).Matrix()
				if err != nil {
					return nil, err
				}
				s := stability.Settings{Progress: c.Progress()}
				if s.Runs, err = positive(c, "runs", 2); err != nil {
					return nil, err
				}
				if s.HDBSCAN, err = densityOf(c); err != nil {
					return nil, err
				}
				_, isEmb := c.Value("data").(*Embedding)
				if !isEmb {
					rows, _ := x.Dims()
					us, err := umapSettings(c, rows)
					if err != nil {
						return nil, err
					}
					s.UMAP = &us
				}
				if s.Seed, err = seedOf(c); err != nil {
					return nil, err
				}
				res, err := stability.Run(ctx, x, s)
				if err != nil {
					return nil, err
				}
				return &StabilityValue{Result: res, Embed: !isEmb}, nil
			},
		},
		&Command{
			Name: "sweep", Group: "cluster",
			Summary: "Cluster an embedding at several values of min_cluster_size (or min_samples): clusters found, noise, and how much the partition moves.",
			Doc:     "Give a list for one of the two parameters. With min_samples fixed the hierarchy is built once and only re-selected, which takes milliseconds per value. The last column is the adjusted Rand index between the clustering at a value and at the next: a plateau of values near 1 is a range where the choice does not matter.",
			Params: []Param{
				{Name: "data", Type: DataT, Doc: "the data to cluster, usually an embedding"},
				{Name: "min_cluster_size", Type: intOrListT, Default: Number(5), Doc: "a value, or a list of values to try"},
				{Name: "min_samples", Type: intOrListT, Default: None, Doc: "a value, or a list of values to try; none means min_cluster_size"},
				{Name: "cluster_selection_method", Type: Str, Default: String("eom"), Choices: []string{"eom", "leaf"}, Doc: "as in hdbscan"},
			},
			Returns:  "sweep",
			Examples: []string{`sweep(emb, min_cluster_size=[10, 25, 50, 100, 200])`, `sweep(emb, min_cluster_size=50, min_samples=[1, 5, 10, 25])`},
			Run:      runSweep,
		},
	)
}

func runSweep(ctx context.Context, c *Call) (Value, error) {
	x, err := c.Value("data").(Matrixer).Matrix()
	if err != nil {
		return nil, err
	}
	sizes, sizesList, err := intOrList(c, "min_cluster_size", 2)
	if err != nil {
		return nil, err
	}
	var samples []int
	samplesList := false
	if !c.IsNone("min_samples") {
		if samples, samplesList, err = intOrList(c, "min_samples", 1); err != nil {
			return nil, err
		}
	}
	if sizesList == samplesList {
		return nil, c.Errorf("min_cluster_size", "give a list of values for exactly one of min_cluster_size and min_samples, as sweep(emb, min_cluster_size=[10, 50, 100])")
	}
	sw := stability.SweepSettings{
		Vary: stability.MinClusterSize, Values: sizes,
		HDBSCAN:  hdbscan.Options{Selection: hdbscan.Selection{MinClusterSize: sizes[0], ClusterSelectionMethod: hdbscan.SelectionMethod(c.Str("cluster_selection_method"))}},
		Progress: c.Progress(),
	}
	if samplesList {
		sw.Vary, sw.Values = stability.MinSamples, samples
	} else if samples != nil {
		sw.HDBSCAN.MinSamples = samples[0]
	}
	steps, err := stability.Sweep(ctx, x, sw)
	if err != nil {
		return nil, err
	}
	param := string(sw.Vary)
	t, xs, series := sweepTable(steps, param)
	title := "HDBSCAN against " + param
	b, err := plot.Lines(xs, series, plot.LinesOptions{XLabel: param, Title: title})
	if err != nil {
		return nil, err
	}
	spec, err := vegalite.Lines(param, xs, series, title)
	if err != nil {
		return nil, err
	}
	return &SweepValue{Table: t, Plot: vegalite.Attach(b, spec)}, nil
}

// sweepTable is the table of a sweep's clusterings, one row per value, and
// the series its plot draws against the values.
func sweepTable(steps []stability.Step, param string) (display.Table, []float64, []plot.Series) {
	t := display.Table{
		Columns: []string{param, "clusters", "noise", "largest cluster", "ARI with next value"},
		Numeric: []bool{true, true, true, true, true},
	}
	xs := make([]float64, len(steps))
	series := []plot.Series{{Name: "clusters"}, {Name: "noise fraction"}, {Name: "ARI with next value"}}
	for i, st := range steps {
		ariText := ""
		if !math.IsNaN(st.ARINext) {
			ariText = fmt.Sprintf("%.3f", st.ARINext)
		}
		xs[i] = float64(st.Value)
		series[0].Y = append(series[0].Y, float64(st.Result.NumClusters()))
		series[1].Y = append(series[1].Y, st.Noise)
		series[2].Y = append(series[2].Y, st.ARINext)
		t.Rows = append(t.Rows, []string{fmt.Sprint(st.Value), fmt.Sprint(st.Result.NumClusters()), fmt.Sprintf("%.1f%%", 100*st.Noise), thousands(st.Largest), ariText})
	}
	return t, xs, series
}
