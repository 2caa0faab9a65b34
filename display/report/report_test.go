package report_test

import (
	"bytes"
	"math"
	"strings"
	"testing"

	"github.com/reckon-dev/reckon/analysis/explain"
	"github.com/reckon-dev/reckon/display"
	"github.com/reckon-dev/reckon/display/plot"
	"github.com/reckon-dev/reckon/display/report"
)

func sample(t testing.TB) report.Report {
	t.Helper()
	b, err := plot.Scatter([]float64{0, 1, 2, 3}, []float64{0, 1, 0, 1}, plot.ScatterOptions{Labels: []string{"0", "0", "1", "1"}})
	if err != nil {
		t.Fatal(err)
	}
	return report.Report{
		Title: "Songs <by> sound", Data: "tracks.csv: 4 rows × 3 columns", Done: []string{"load", "umap", "hdbscan"},
		Rows: 4, Clusters: 2, Noise: 0.25,
		Figures: []report.Figure{{Caption: "The embedding", Plot: b}},
		Cards: []report.Card{
			{Label: "0", Name: "ambient", Size: 2, Share: 0.5, Description: "high instrumentalness (0.82 vs 0.31)", Stability: "stable", AUC: 0.97,
				Drivers: []report.Driver{{Feature: "energy", Direction: explain.Lowers, Importance: 1.5}}, SHAP: b,
				Examples: display.Table{Columns: []string{"row", "energy"}, Numeric: []bool{true, true}, Rows: [][]string{{"1", "0.2"}}}},
			{Label: "1", Size: 1, Share: 0.25, AUC: math.NaN(), Note: "not explained: too small"},
		},
		Method: report.Method{
			Steps:   []report.Step{{Code: `tracks = load("tracks.csv")`}, {Code: "emb = umap(tracks, seed=7)", Defaults: []string{"n_neighbors=15"}}},
			Files:   []report.File{{Path: "tracks.csv", Size: 1234, SHA256: strings.Repeat("ab", 32), Rows: 4}},
			Version: "9.9.9",
		},
	}
}

func TestWriteIsOneSelfContainedPage(t *testing.T) {
	var buf bytes.Buffer
	if err := report.Write(&buf, sample(t)); err != nil {
		t.Fatal(err)
	}
	page := buf.String()
	for _, want := range []string{
		"<title>Songs &lt;by&gt; sound</title>",
		"2 clusters in 4 rows, 25.0% of them noise.",
		"load → umap → hdbscan",
		`<h3>ambient <span class="label">cluster 0</span></h3>`,
		"high instrumentalness (0.82 vs 0.31)",
		"CV AUC:</b> 0.970",
		`<td class="down">↓ low</td>`,
		"not explained: too small",
		"<code>emb = umap(tracks, seed=7)</code>",
		"defaults: n_neighbors=15",
		strings.Repeat("ab", 32),
		"Reckon 9.9.9",
		`width="720" height="540"`,
		"@media print",
	} {
		if !strings.Contains(page, want) {
			t.Errorf("the page lacks %q", want)
		}
	}
	if strings.Contains(page, "CV AUC:</b> NaN") {
		t.Error("an unexplained cluster shows a NaN AUC")
	}
	for _, remote := range []string{"http:", "https:", "src=\"//", "@import", "url("} {
		if strings.Contains(page, remote) {
			t.Errorf("the page refers to %q", remote)
		}
	}
}

func TestWriteRefusesPlotsWithoutAPNG(t *testing.T) {
	r := sample(t)
	r.Figures[0].Plot = display.Bundle{Data: map[string]any{"text/plain": "x", "image/svg+xml": "<svg/>"}}
	if err := report.Write(&bytes.Buffer{}, r); err == nil || !strings.Contains(err.Error(), `figure "The embedding": the plot has no PNG`) {
		t.Errorf("got %v", err)
	}
	r = sample(t)
	r.Cards[0].SHAP = display.Bundle{Data: map[string]any{"text/plain": "x", "image/png": "bm90IGEgcG5n"}}
	if err := report.Write(&bytes.Buffer{}, r); err == nil || !strings.Contains(err.Error(), "cluster 0: the plot's PNG does not decode") {
		t.Errorf("got %v", err)
	}
}
