package dsl

import (
	"strings"
	"testing"

	"github.com/reckon-dev/reckon/display/vegalite"
)

func TestStabilityAndSweep(t *testing.T) {
	s, _ := blobSession(t)
	tests := []struct {
		src  string
		want []string
	}{
		{"stability(pts, runs=3, min_cluster_size=20, seed=1)", []string{"3 runs, each with permuted rows and a fresh UMAP seed.", "stable"}},
		{"stability(pca(pts), runs=3, min_cluster_size=20)", []string{"3 runs, each with permuted rows. Adjusted Rand index between runs: mean 1.000, min 1.000", "1.000        1.000  stable"}},
		{"sweep(pts, min_cluster_size=[10, 20, 40])", []string{"min_cluster_size  clusters  noise  largest cluster  ARI with next value", "20         3"}},
		{"sweep(pts, min_cluster_size=[10, 20, 40], min_samples=5)", []string{"min_cluster_size"}},
		{"sweep(pts, min_cluster_size=20, min_samples=[2, 5, 10])", []string{"min_samples  clusters"}},
	}
	for _, tc := range tests {
		res, _, err := run(t, s, tc.src)
		if err != nil {
			t.Fatalf("%s: %v", tc.src, err)
		}
		got := Bundle(res.Value).Plain()
		for _, w := range tc.want {
			if !strings.Contains(got, w) {
				t.Errorf("%s lacks %q:\n%s", tc.src, w, got)
			}
		}
	}
	// The summary is a paragraph before the table, not a caption that
	// JupyterLab squeezes to the table's width.
	res, _, _ := run(t, s, "stability(pca(pts), runs=2, min_cluster_size=20)")
	if h := Bundle(res.Value).Data["text/html"].(string); !strings.HasPrefix(h, "<p>2 runs, each with permuted rows.") || strings.Contains(h, "<caption>") {
		t.Errorf("stability HTML: %.200s", h)
	}
	res, _, _ = run(t, s, "sweep(pts, min_cluster_size=[10, 20])")
	b := Bundle(res.Value)
	// JupyterLab draws the Vega-Lite chart only where no HTML outranks it;
	// other readers show the PNG.
	_, html := b.Data["text/html"]
	if _, ok := b.Data["image/png"]; !ok || html || b.Data[vegalite.MIME] == nil {
		t.Errorf("the sweep shows PNG %v, HTML %v, Vega-Lite %v; want the PNG and the chart, no HTML", ok, html, b.Data[vegalite.MIME] != nil)
	}
	for _, tc := range []struct{ src, want string }{
		{"sweep(pts, min_cluster_size=20)", "give a list of values for exactly one"},
		{"sweep(pts, min_cluster_size=[10], min_samples=[1])", "give a list of values for exactly one"},
		{"sweep(pts, min_cluster_size=[10, 1])", "whole numbers of at least 2"},
		{"sweep(pts, min_cluster_size=[])", "at least one value"},
		{"stability(pts, runs=1)", "runs must be a whole number of at least 2"},
	} {
		if _, _, err := run(t, s, tc.src); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v, want %q", tc.src, err, tc.want)
		}
	}
}
