package dsl

import (
	"bytes"
	"cmp"
	"context"
	"fmt"
	"io"
	"math"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"gonum.org/v1/gonum/mat"

	"github.com/reckon-dev/reckon/analysis/explain"
	"github.com/reckon-dev/reckon/analysis/frame"
	"github.com/reckon-dev/reckon/analysis/profile"
	"github.com/reckon-dev/reckon/display"
	"github.com/reckon-dev/reckon/display/plot"
	"github.com/reckon-dev/reckon/display/report"
)

// Limits of what a report shows per cluster.
const (
	reportDrivers  = 5
	reportExamples = 5
	reportColumns  = 8
	reportSHAPRows = 10
)

var treeT = TypeOf("tree")

func registerReport(r *Registry) {
	r.Register(&Command{
		Name: "report", Group: "report",
		Summary: "Write the findings as one self-contained HTML file for people who do not open notebooks: summary, pictures, a card per cluster, and the method to reproduce it.",
		Doc:     "The file holds everything it shows (images are inline PNG) and makes no request of any kind, so it opens offline and can be mailed; the browser's print to PDF gives a clean document. It has a summary of the data and of what was done; the embedding coloured by cluster (and a tree's icicle); a card per cluster with its name, size and share, what sets it apart in words (given on=), how stable it is (given stability=), the cross-validated AUC, top drivers with their direction and the SHAP summary plot (given why=), and five example rows; and a method section listing every command that made these values, in order, with its parameters and seeds, the input files' SHA-256 and Reckon's version.",
		Params: []Param{
			{Name: "clusters", Type: OneOf(clustersT, treeT), Doc: "the clusters, or a tree from recurse"},
			{Name: "why", Type: TypeOf("explanation"), Default: None, Doc: "what explain returned for these clusters: AUC, drivers and SHAP plots"},
			{Name: "on", Type: TabularT, Default: None, Doc: "the original table, one row per clustered row: the description in words and the example rows"},
			{Name: "to", Type: Str, Default: String("findings.html"), Doc: "the file to write"},
			{Name: "title", Type: Str, Default: None, Doc: "the report's title; none names the data"},
			{Name: "embedding", Type: TypeOf("embedding"), Default: None, Doc: "the embedding to draw; none means the one the clusters were found in (a tree's own first UMAP)"},
			{Name: "stability", Type: TypeOf("stability"), Default: None, Doc: "what stability returned, to say how reliably each cluster comes back"},
		},
		Examples: []string{
			`report(cl, why=why, on=tracks, to="findings.html", title="Tracks by sound")`,
			`st = stability(X, runs=3, min_cluster_size=15, seed=7)`,
			`report(cl, why=why, on=tracks, stability=st, to="findings.html")`,
			`report(tree, on=tracks, to="tree.html")`,
		},
		Run: runReport,
	})
}

func runReport(ctx context.Context, c *Call) (Value, error) {
	rep, err := buildReport(ctx, c)
	if err != nil {
		return nil, err
	}
	path := c.Str("to")
	var size int
	if err := writeFileAtomic(path, func(w io.Writer) error {
		var buf bytes.Buffer
		if err := report.Write(&buf, rep); err != nil {
			return err
		}
		size = buf.Len()
		_, err := w.Write(buf.Bytes())
		return err
	}); err != nil {
		return nil, err
	}
	c.Out.Stream("stdout", fmt.Sprintf("wrote %s (%s KB): %d clusters, %d cards, %d steps of method\n", path, thousands((size+1023)/1024), rep.Clusters, len(rep.Cards), len(rep.Method.Steps)))
	return None, nil
}

// reportCluster is a cluster as the report sees it: its label and rows.
type reportCluster struct {
	label string
	rows  []int
}

func buildReport(ctx context.Context, c *Call) (report.Report, error) {
	var (
		rep      report.Report
		clusters []reportCluster
		n        int
	)
	switch v := c.Value("clusters").(type) {
	case *Clusters:
		n = len(v.Labels)
		byID := map[int][]int{}
		for i, l := range v.Labels {
			if l >= 0 {
				byID[l] = append(byID[l], i)
			}
		}
		_, ids := v.counts()
		for _, id := range ids {
			clusters = append(clusters, reportCluster{strconv.Itoa(id), byID[id]})
		}
	case *Tree:
		n = len(v.Result.Labels)
		for _, nd := range v.nodes() {
			if nd.Depth > 0 && !nd.Noise {
				clusters = append(clusters, reportCluster{nd.Label, nd.Rows})
			}
		}
	}
	rep.Rows = n
	noise := n
	for _, cl := range clusters {
		if !strings.Contains(cl.label, ".") {
			noise -= len(cl.rows)
		}
	}
	rep.Noise = float64(noise) / float64(max(n, 1))
	rep.Clusters = len(clusters)

	names := namesOf(c.Value("clusters"))
	var why *Explanation
	if !c.IsNone("why") {
		why = c.Value("why").(*Explanation)
		if k := why.X.RawMatrix().Rows; k != n {
			return rep, c.Errorf("why", "the explanation covers %s rows but the clusters %s; explain these clusters", thousands(k), thousands(n))
		}
		if len(why.Names) == 0 && len(names) > 0 {
			// Clusters named after they were explained: the plots
			// show the names all the same.
			named := *why
			named.Names = names
			why = &named
		}
	}
	var on *frame.Frame
	if !c.IsNone("on") {
		on = tableOf(c, "on")
		if on.NumRows() != n {
			return rep, c.Errorf("on", "on has %s rows but the clusters %s; give the table the clusters were made from", thousands(on.NumRows()), thousands(n))
		}
	}
	var stab *StabilityValue
	if !c.IsNone("stability") {
		stab = c.Value("stability").(*StabilityValue)
		if len(stab.Result.Labels) == 0 || len(stab.Result.Labels[0]) != n {
			return rep, c.Errorf("stability", "stability was measured on another number of rows than the clusters have")
		}
	}

	words := map[string]string{}
	if on != nil {
		labels, flat := labelsOf(c.Value("clusters"))
		prof, err := profile.Profile(ctx, on, labels, profile.Settings{Against: explain.Siblings, Flat: flat})
		if err != nil {
			return rep, err
		}
		for _, pc := range prof.Clusters {
			words[pc.Label] = describe(pc)
		}
	}
	for _, cl := range clusters {
		if err := ctx.Err(); err != nil {
			return rep, err
		}
		card, err := reportCard(c, cl, n, why, on, stab)
		if err != nil {
			return rep, err
		}
		card.Name, card.Description = names.of(cl.label), words[cl.label]
		rep.Cards = append(rep.Cards, card)
	}

	figs, err := reportFigures(c)
	if err != nil {
		return rep, err
	}
	rep.Figures = figs

	var roots []*Lineage
	for _, p := range c.Cmd.Params {
		if l := c.Lineage(p.Name); l.Type != "none" && l.Type != "string" {
			roots = append(roots, l)
		}
	}
	sc := NewScript(ScriptOptions{EveryCommand: true}, roots...)
	rep.Method.Version = Version
	for _, st := range sc.Steps {
		step := report.Step{Code: st.Code}
		for _, p := range st.Params {
			if p.Default && p.Code != "" && p.Name != seedParam.Name {
				step.Defaults = append(step.Defaults, p.Name+"="+p.Code)
			}
		}
		rep.Method.Steps = append(rep.Method.Steps, step)
		if !slices.Contains(rep.Done, st.Command) && st.Command != "" {
			rep.Done = append(rep.Done, st.Command)
		}
	}
	for _, f := range sc.Files {
		rep.Method.Files = append(rep.Method.Files, report.File{Path: f.Path, Size: f.Size, SHA256: f.SHA256, Rows: f.Rows})
	}

	rep.Data = thousands(n) + " rows"
	if on != nil {
		rep.Data += " × " + thousands(on.NumCols()) + " columns"
	}
	if len(sc.Files) > 0 {
		rep.Data = sc.Files[0].Path + ": " + rep.Data
	}
	rep.Title = "Clusters"
	if len(sc.Files) > 0 {
		rep.Title = "Clusters in " + filepath.Base(sc.Files[0].Path)
	}
	if !c.IsNone("title") {
		rep.Title = c.Str("title")
	}
	return rep, nil
}

// reportCard describes one cluster.
func reportCard(c *Call, cl reportCluster, n int, why *Explanation, on *frame.Frame, stab *StabilityValue) (report.Card, error) {
	card := report.Card{Label: cl.label, Size: len(cl.rows), Share: float64(len(cl.rows)) / float64(max(n, 1)), AUC: math.NaN()}
	if why != nil {
		ex, ok := explained(why, cl.label)
		switch {
		case !ok:
			card.Note = "not explained: explain did not see this cluster"
		case ex.Err != nil:
			card.Note = "not explained: " + ex.Err.Error()
		default:
			card.AUC = ex.CVAUC
			for _, d := range ex.Drivers[:min(reportDrivers, len(ex.Drivers))] {
				if d.MeanAbs == 0 {
					break
				}
				card.Drivers = append(card.Drivers, report.Driver{Feature: d.Feature, Direction: d.Direction, Importance: d.MeanAbs})
			}
			b, err := why.summaryPlot(ex, reportSHAPRows, plot.PNG)
			if err != nil {
				return card, err
			}
			card.SHAP = b
		}
	}
	if stab != nil {
		card.Stability = stabilityOf(stab, cl.rows)
	}
	if on != nil {
		card.Examples = exampleRows(c, on, cl, card.Drivers)
	}
	return card, nil
}

// describe says in words what profile found sets a cluster apart, as its
// line in profile() does after the label and size.
func describe(c profile.Cluster) string {
	nums, cats := c.Traits(profile.LineOptions{})
	var words []string
	for _, n := range nums {
		words = append(words, n.Words())
	}
	for _, k := range cats {
		words = append(words, k.Words())
	}
	if len(words) == 0 {
		return "Nothing stands out in the table's columns."
	}
	return strings.Join(words, ", ")
}

// explained finds a cluster in an explanation.
func explained(e *Explanation, label string) (*explain.Cluster, bool) {
	for i := range e.Result.Clusters {
		if e.Result.Clusters[i].Label == label {
			return &e.Result.Clusters[i], true
		}
	}
	return nil, false
}

// stabilityOf says how well the stability runs recovered a cluster: that
// of the first run's cluster it overlaps most, when they mostly agree.
func stabilityOf(s *StabilityValue, rows []int) string {
	first := s.Result.Labels[0]
	overlap := map[int]int{}
	for _, r := range rows {
		overlap[first[r]]++
	}
	size := map[int]int{}
	for _, l := range first {
		size[l]++
	}
	best, bestJ := -1, 0.0
	for l, k := range overlap {
		if l < 0 {
			continue
		}
		if j := float64(k) / float64(len(rows)+size[l]-k); j > bestJ {
			best, bestJ = l, j
		}
	}
	if bestJ < 0.5 {
		return ""
	}
	for _, rc := range s.Result.Clusters {
		if rc.Cluster == best {
			return fmt.Sprintf("%s — found again with mean Jaccard %.2f (least %.2f) over %d runs", verdict(rc.MeanJaccard), rc.MeanJaccard, rc.MinJaccard, len(s.Result.Labels))
		}
	}
	return ""
}

// exampleRows picks a cluster's most typical rows (by membership
// probability, where the clustering has one) and shows the table's
// descriptive columns and the cluster's drivers.
func exampleRows(c *Call, f *frame.Frame, cl reportCluster, drivers []report.Driver) display.Table {
	rows := slices.Clone(cl.rows)
	if k, ok := c.Value("clusters").(*Clusters); ok && k.Probabilities != nil {
		slices.SortStableFunc(rows, func(a, b int) int { return cmp.Compare(k.Probabilities[b], k.Probabilities[a]) })
	}
	rows = rows[:min(reportExamples, len(rows))]
	slices.Sort(rows)

	var names []string
	for _, col := range f.Columns() {
		if col.Kind() != frame.Numeric && len(names) < reportColumns/2 {
			names = append(names, col.Name())
		}
	}
	for _, d := range drivers {
		if _, err := f.Column(d.Feature); err == nil && !slices.Contains(names, d.Feature) && len(names) < reportColumns {
			names = append(names, d.Feature)
		}
	}
	for _, col := range f.Columns() {
		if len(names) >= reportColumns {
			break
		}
		if !slices.Contains(names, col.Name()) {
			names = append(names, col.Name())
		}
	}
	t := display.Table{Columns: append([]string{"row"}, names...), Numeric: []bool{true}}
	for _, name := range names {
		col, _ := f.Column(name)
		t.Numeric = append(t.Numeric, col.Kind() == frame.Numeric)
	}
	for _, r := range rows {
		cells := []string{strconv.Itoa(r)}
		for _, name := range names {
			col, _ := f.Column(name)
			cells = append(cells, formatCell(col, r))
		}
		t.Rows = append(t.Rows, cells)
	}
	return t
}

// reportFigures draws the embedding coloured by cluster, and a tree's
// icicle.
func reportFigures(c *Call) ([]report.Figure, error) {
	var figs []report.Figure
	var x *mat.Dense
	var axes [2]string
	switch {
	case !c.IsNone("embedding"):
		e := c.Value("embedding").(*Embedding)
		m, err := e.Matrix()
		if err != nil {
			return nil, err
		}
		if names := e.data.Names(); len(names) >= 2 {
			axes = [2]string{names[0], names[1]}
		}
		x = m
	default:
		x, axes = clusteredEmbedding(c)
	}
	if x != nil {
		opts := plot.ScatterOptions{XLabel: axes[0], YLabel: axes[1], Format: plot.PNG}
		colorBy(&opts, c.Value("clusters").(Colorer))
		n, d := x.Dims()
		if d < 2 || n != len(opts.Labels) {
			return nil, c.Errorf("embedding", "the embedding has %s rows × %d columns; the report draws one of two or more columns with a row per clustered row", thousands(n), d)
		}
		xs, ys := make([]float64, n), make([]float64, n)
		for i := range n {
			xs[i], ys[i] = x.At(i, 0), x.At(i, 1)
		}
		b, err := plot.Scatter(xs, ys, opts)
		if err != nil {
			return nil, err
		}
		figs = append(figs, report.Figure{Caption: "The rows in the embedding, coloured by cluster (noise in grey); paler points belong less surely to their cluster.", Plot: b})
	}
	if t, ok := c.Value("clusters").(*Tree); ok {
		b, err := t.icicle(plot.PNG)
		if err != nil {
			return nil, err
		}
		figs = append(figs, report.Figure{Caption: "Clusters within clusters: each bar is a cluster, as wide as its share of the rows, with the clusters found inside it below.", Plot: b})
	}
	return figs, nil
}

// clusteredEmbedding finds the embedding the clusters were found in: a
// tree's own first UMAP, or the data hdbscan clustered when a variable
// still holds it.
func clusteredEmbedding(c *Call) (*mat.Dense, [2]string) {
	switch v := c.Value("clusters").(type) {
	case *Tree:
		if e := v.Result.Root.Embedding; e != nil {
			return e, [2]string{"UMAP1", "UMAP2"}
		}
	case *Clusters:
		// Up the lineage to the data hdbscan clustered, through commands
		// that make clusters from clusters (name, recluster).
		for l := c.Lineage("clusters"); l != nil; {
			var next *Lineage
			for _, a := range l.Args {
				switch {
				case a.Param == "data":
					if e, ok := c.Session.valueOf(a.Value).(*Embedding); ok && e.data.NumCols() >= 2 {
						if m, err := e.Matrix(); err == nil {
							return m, [2]string{e.data.Names()[0], e.data.Names()[1]}
						}
					}
				case a.Value.Type == clustersT.Name:
					next = a.Value
				}
			}
			l = next
		}
	}
	return nil, [2]string{}
}

// valueOf returns the value a variable holds whose lineage is l, or nil.
func (s *Session) valueOf(l *Lineage) Value {
	s.mu.Lock()
	defer s.mu.Unlock()
	for name, vl := range s.lineage {
		if vl == l {
			return s.vars[name]
		}
	}
	return nil
}
