package dsl

import (
	"context"
	"fmt"
	"html"
	"slices"
	"strings"

	"github.com/reckon-dev/reckon/analysis/explain"
	"github.com/reckon-dev/reckon/analysis/frame"
	"github.com/reckon-dev/reckon/analysis/profile"
	"github.com/reckon-dev/reckon/display"
)

// Profile is what profile returns: every cluster described in words by
// the columns of the original table, with its SHAP drivers when an
// explanation was given.
type Profile struct {
	Result *profile.Result
	Names  Names
	// Noun counts the rows in the lines: "tracks".
	Noun string
	// Why is the explanation whose drivers the lines name; nil for none.
	Why *Explanation
}

func (p *Profile) Type() string { return "profile" }

// Size counts the clusters described.
func (p *Profile) Size() string { return fmt.Sprintf("%d clusters", len(p.Result.Clusters)) }

// profileDrivers is how many SHAP drivers a line names.
const profileDrivers = 3

// explained returns the explanation of a cluster, nil when there is none.
func (p *Profile) explained(label string) *explain.Cluster {
	if p.Why == nil {
		return nil
	}
	for i := range p.Why.Result.Clusters {
		if c := &p.Why.Result.Clusters[i]; c.Label == label && c.Err == nil {
			return c
		}
	}
	return nil
}

// Lines are the clusters in words, one line each.
func (p *Profile) Lines() []string {
	lines := make([]string, len(p.Result.Clusters))
	for i := range p.Result.Clusters {
		c := &p.Result.Clusters[i]
		o := profile.LineOptions{Noun: p.Noun, Name: p.Names.of(c.Label)}
		if e := p.explained(c.Label); e != nil {
			o.Extra = []string{fmt.Sprintf("SHAP: %s (CV AUC %.3f)", e.DriverWords(profileDrivers), e.CVAUC)}
		}
		lines[i] = c.Line(p.Result.Rows, o)
	}
	return lines
}

// table sets the numbers behind the lines side by side.
func (p *Profile) table() display.Table {
	t := display.Table{
		Columns: []string{"cluster", "size", "share", "stands out (cluster vs rest, Cohen's d)", "over-represented (share in cluster vs overall)"},
		Numeric: []bool{false, true, true, false, false},
	}
	named := len(p.Names) > 0
	if named {
		t.Columns = slices.Insert(t.Columns, 1, "name")
		t.Numeric = slices.Insert(t.Numeric, 1, false)
	}
	if p.Why != nil {
		t.Columns = append(t.Columns, "SHAP drivers", "CV AUC")
		t.Numeric = append(t.Numeric, false, true)
	}
	for i := range p.Result.Clusters {
		c := &p.Result.Clusters[i]
		nums, cats := c.Traits(profile.LineOptions{})
		var ns, cs []string
		for _, n := range nums {
			ns = append(ns, fmt.Sprintf("%s %s (%+.1f)", n.Column, n.Means(), n.D))
		}
		for _, k := range cats {
			cs = append(cs, fmt.Sprintf("%s=%s %s vs %s", k.Column, k.Value, profile.Percent(k.Share), profile.Percent(k.Overall)))
		}
		row := []string{c.Label, thousands(c.Size), profile.Percent(float64(c.Size) / float64(p.Result.Rows)), strings.Join(ns, "; "), strings.Join(cs, "; ")}
		if named {
			row = slices.Insert(row, 1, p.Names.of(c.Label))
		}
		if p.Why != nil {
			if e := p.explained(c.Label); e != nil {
				row = append(row, e.DriverWords(profileDrivers), fmt.Sprintf("%.3f", e.CVAUC))
			} else {
				row = append(row, "", "")
			}
		}
		t.Rows = append(t.Rows, row)
	}
	against := "every other row"
	if p.Result.Against == explain.Siblings {
		against = "the other rows of its parent (a top-level cluster: every other row)"
	}
	t.Note = "each cluster against " + against + "; d is Cohen's d (0.5 medium, 0.8 large); missing values left out"
	if len(p.Result.Skipped) > 0 {
		t.Note += "; identifier columns skipped: " + strings.Join(p.Result.Skipped, ", ")
	}
	return t
}

func (p *Profile) String() string {
	return strings.Join(p.Lines(), "\n") + "\n\n" + p.table().Plain()
}

// Display shows the lines above the table.
func (p *Profile) Display() display.Bundle {
	var h strings.Builder
	h.WriteString(`<ul style="list-style:none;padding-left:0">`)
	for _, l := range p.Lines() {
		h.WriteString("<li>" + html.EscapeString(l) + "</li>")
	}
	h.WriteString("</ul>" + p.table().HTML())
	return display.Bundle{Data: map[string]any{"text/plain": p.String(), "text/html": h.String()}}
}

// Attrs are the lines and the labels.
func (p *Profile) Attrs() []string { return []string{"lines", "labels"} }

// Attr returns the lines, or the labels of the clusters described.
func (p *Profile) Attr(name string) (Value, bool) {
	var l List
	switch name {
	case "lines":
		for _, s := range p.Lines() {
			l = append(l, String(s))
		}
	case "labels":
		for _, c := range p.Result.Clusters {
			l = append(l, String(c.Label))
		}
	default:
		return nil, false
	}
	return l, true
}

func registerProfile(r *Registry) {
	r.Register(&Command{
		Name: "profile", Group: "explain",
		Summary: "Each cluster in plain words: what sets its rows apart in the original table, numbers and categories alike, with SHAP drivers when an explanation is given.",
		Doc: "For every cluster (noise aside), each numeric column of on compares the cluster's mean with the rest's by Cohen's d (the difference of the means over their pooled standard deviation; 0.5 is medium, 0.8 large), and each categorical or boolean column names the values over-represented in the cluster, as their share in the cluster beside their share overall. Columns not used for clustering count too; columns that identify rows (every value different, such as track_id) are skipped. Missing values are left out of means and shares: missing is never a category. " +
			"A line names up to three numeric columns with |d| ≥ 0.5 and two values holding at least 25% of the cluster and 1.2 times their overall share. " +
			"A nested cluster of a tree (\"3.1\") is compared with its siblings, the other rows of its parent, since what it shares with them is said on the parent's line; against=\"whole\" compares every cluster with all other rows. " +
			"With why=explain(...), each line also names the cluster's top three SHAP drivers (high or low values pushing rows in) and the classifier's cross-validated AUC.",
		Params: []Param{
			{Name: "clusters", Type: LabelsT, Doc: "clusters, a tree, or a categorical column whose values are the groups"},
			{Name: "on", Type: TabularT, Doc: "the original table, one row per clustered row, every column kept"},
			{Name: "why", Type: TypeOf("explanation"), Default: None, Doc: "an explanation of the same clusters, to name their SHAP drivers"},
			{Name: "noun", Type: Str, Default: String("rows"), Doc: "what a row is, in the lines: \"tracks\""},
			{Name: "against", Type: Str, Default: String("siblings"), Choices: []string{"siblings", "whole"}, Doc: "what a nested cluster is compared with"},
		},
		Returns: "profile",
		Examples: []string{
			`profile(cl, on=tracks, noun="tracks")`,
			`profile(cl, on=tracks, why=explain(cl, on=X, n_estimators=20), noun="tracks")`,
			`profile(tree, on=tracks)`,
			`profile(tracks.genre, on=tracks)                # the genres, described by the other columns`,
		},
		Run: runProfile,
	})
}

func runProfile(ctx context.Context, c *Call) (Value, error) {
	f := c.Value("on").(Tabular).Frame()
	v := c.Value("clusters")
	if col, ok := v.(*Column); ok && col.Data.Kind() == frame.Numeric {
		return nil, c.Errorf("clusters", "column %q is numeric; profile groups rows by clusters or by a categorical column", col.Data.Name())
	}
	labels, flat := labelsOf(v)
	if len(labels) != f.NumRows() {
		return nil, c.Errorf("on", "the clusters label %s rows but on has %s; profile the clusters on the table they were made from", thousands(len(labels)), thousands(f.NumRows()))
	}
	against, err := explain.ParseScope(c.Str("against"))
	if err != nil {
		return nil, c.Errorf("against", "%v", err)
	}
	res, err := profile.Profile(ctx, f, labels, profile.Settings{Against: against, Flat: flat})
	if err != nil {
		return nil, err
	}
	p := &Profile{Result: res, Names: namesOf(v), Noun: c.Str("noun")}
	if !c.IsNone("why") {
		p.Why = c.Value("why").(*Explanation)
		if len(p.Names) == 0 {
			p.Names = p.Why.Names
		}
		if !slices.ContainsFunc(res.Clusters, func(k profile.Cluster) bool { return p.explained(k.Label) != nil }) {
			return nil, c.Errorf("why", "this explanation explains none of these clusters; pass the explanation of the same clusters")
		}
		for _, k := range res.Clusters {
			if e := p.explained(k.Label); e != nil && e.Size != k.Size {
				return nil, c.Errorf("why", "this explanation is of other clusters: its cluster %q has %s rows, this one %s; pass the explanation of the same clusters", k.Label, thousands(e.Size), thousands(k.Size))
			}
		}
	}
	return p, nil
}
