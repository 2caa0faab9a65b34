package dsl

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// blobSession holds pts: three well separated 2-D blobs of 100 points
// each and a few far outliers, as a table.
func blobSession(t *testing.T) (*Session, string) {
	t.Helper()
	dir := t.TempDir()
	rng := rand.New(rand.NewPCG(1, 2))
	var b strings.Builder
	b.WriteString("x,y\n")
	for _, c := range [][2]float64{{0, 0}, {10, 0}, {0, 10}} {
		for i := 0; i < 100; i++ {
			fmt.Fprintf(&b, "%g,%g\n", c[0]+rng.NormFloat64()*0.5, c[1]+rng.NormFloat64()*0.5)
		}
	}
	for _, p := range [][2]float64{{30, 30}, {-30, 25}, {25, -30}} {
		fmt.Fprintf(&b, "%g,%g\n", p[0], p[1])
	}
	p := filepath.Join(dir, "blobs.csv")
	if err := os.WriteFile(p, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	s := NewSession(NewRegistry(), Options{QuietProgress: true})
	if _, _, err := run(t, s, `pts = load("`+p+`")`); err != nil {
		t.Fatal(err)
	}
	return s, dir
}

func TestClusterCommands(t *testing.T) {
	s, dir := blobSession(t)
	out := filepath.Join(dir, "cl.csv")
	tests := []struct {
		src  string
		want []string
	}{
		{"cl = hdbscan(pts, min_cluster_size=20)\ncl", []string{"cluster  size  share  persistence  mean probability", "noise       3   1.0%", "hdbscan: 3 clusters over 303 rows, 1.0% noise"}},
		{"cl.n_clusters", []string{"3"}},
		{"clusters(recluster(cl, min_cluster_size=150, allow_single_cluster=true))", []string{"hdbscan: "}},
		{"kmeans(pts, k=3, seed=1)", []string{"kmeans: 3 clusters over 303 rows"}},
		{"approximate_predict(cl, select(head(pts, 4), \"x\", \"y\"))", []string{"approximate_predict: 1 cluster over 4 rows"}},
		{"plot(pts, color=cl)", []string{"Scatter of 303 points coloured by cluster: 3 clusters"}},
		{"condensed_tree(cl)", []string{"ondensed tree"}},
		{"export(cl, to=\"" + out + "\")", nil},
	}
	for _, tc := range tests {
		t.Run(tc.src, func(t *testing.T) {
			res, _, err := run(t, s, tc.src)
			if err != nil {
				t.Fatal(err)
			}
			if res.Value == nil {
				return
			}
			got := Bundle(res.Value).Plain()
			for _, w := range tc.want {
				if !strings.Contains(got, w) {
					t.Errorf("lacks %q:\n%s", w, got)
				}
			}
		})
	}
	b, err := os.ReadFile(out)
	if err != nil || !strings.HasPrefix(string(b), "row,label,probability,outlier_score\n") || strings.Count(string(b), "\n") != 304 {
		t.Errorf("export wrote %d bytes starting %.60q (%v)", len(b), b, err)
	}
}

func TestClusterErrors(t *testing.T) {
	s, _ := blobSession(t)
	if _, _, err := run(t, s, "km = kmeans(pts, k=3)"); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		src, kind, want string
	}{
		{"hdbscan(pts, min_cluster_size=1)", ValueError, "min_cluster_size must be a whole number of at least 2"},
		{"hdbscan(pts, alpha=0)", ValueError, "alpha must be greater than 0"},
		{"hdbscan(pts, cluster_selection_method=\"leaves\")", ValueError, `must be one of "eom", "leaf", not "leaves"`},
		{"hdbscan(pts, min_cluster_size=500)", CommandError, "hdbscan"},
		{"recluster(km, min_cluster_size=10)", ValueError, "these clusters come from kmeans"},
		{"condensed_tree(km)", ValueError, "needs clusters from hdbscan"},
		{"kmeans(pts, k=0)", ValueError, "at least 1"},
		{"hdbscan(pts, min_sample=3)", TypeError, "did you mean `min_samples`?"},
	} {
		_, _, err := run(t, s, tc.src)
		var e *Error
		if !errors.As(err, &e) || e.Kind != tc.kind || !strings.Contains(e.Msg, tc.want) {
			t.Errorf("%s: %v, want %s containing %q", tc.src, err, tc.kind, tc.want)
		}
	}
}
