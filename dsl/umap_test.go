package dsl

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestUMAPReusesNeighboursAndChecksItsInput(t *testing.T) {
	s, _ := blobSession(t)
	res, _, err := run(t, s, "emb = umap(pts, seed=3)\nemb")
	if err != nil {
		t.Fatal(err)
	}
	if got := res.Value.String(); !strings.HasPrefix(got, "UMAP of 303 × 2 (n_neighbors=15, min_dist=0.1, 500 epochs, ") || strings.Contains(got, "reused") {
		t.Errorf("first umap: %s", got)
	}
	// Another min_dist, n_epochs or seed: the neighbours are not found again.
	for _, src := range []string{"umap(pts, min_dist=0, seed=3)", "umap(pts, n_epochs=50)", "umap(pts, seed=9)"} {
		res, _, err := run(t, s, src)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(res.Value.String(), "neighbours reused from an earlier call") {
			t.Errorf("%s did not reuse the neighbours: %s", src, strings.SplitN(res.Value.String(), "\n", 2)[0])
		}
	}
	// Other neighbours are another graph.
	res, _, _ = run(t, s, "umap(pts, n_neighbors=10)")
	if strings.Contains(res.Value.String(), "reused") {
		t.Error("n_neighbors=10 reused the graph of n_neighbors=15")
	}
	res, _, err = run(t, s, "transform(emb, head(pts, 3))")
	if err != nil || !strings.Contains(res.Value.String(), "3 rows placed in the umap embedding") {
		t.Errorf("transform: %v %v", err, res.Value)
	}
	for _, tc := range []struct{ src, kind, want string }{
		{"umap(head(pts, 10))", ValueError, "n_neighbors 15 must be smaller than the 10 rows"},
		{"umap(pts, min_dist=2)", ValueError, "min_dist 2 must not exceed spread 1"},
		{"umap(pts, metric=\"cosin\")", ValueError, "did you mean `cosine`?"},
		{"umap(pts, set_op_mix_ratio=1.5)", ValueError, "between 0 and 1"},
		{"umap(pts, n_neighbors=1)", ValueError, "at least 2"},
	} {
		_, _, err := run(t, s, tc.src)
		var e *Error
		if !errors.As(err, &e) || e.Kind != tc.kind || !strings.Contains(e.Msg, tc.want) {
			t.Errorf("%s: %v, want %s containing %q", tc.src, err, tc.kind, tc.want)
		}
	}
}

func TestUMAPRefusesCategoricalAndMissingData(t *testing.T) {
	s, _ := dataSession(t)
	for _, tc := range []struct{ src, want string }{
		{"umap(tracks)", `column "genre" is categorical; one-hot encode it with onehot, or drop it`},
		{"umap(select(tracks, \"tempo\", \"energy\"))", `column "tempo" has 1 missing value; fill them with impute`},
	} {
		if _, _, err := run(t, s, tc.src); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v", tc.src, err)
		}
	}
}

func TestRecurse(t *testing.T) {
	s, dir := blobSession(t)
	res, _, err := run(t, s, "tree = recurse(pts, min_cluster_size=20, seed=1)\ntree")
	if err != nil {
		t.Fatal(err)
	}
	text := res.Value.String()
	for _, want := range []string{"all  (303 rows)\n├─ 0  (", "\n└─ ", " rows — "} {
		if !strings.Contains(text, want) {
			t.Errorf("tree lacks %q:\n%s", want, text)
		}
	}
	if h := Bundle(res.Value).Data["text/html"].(string); !strings.Contains(h, "<ul") || !strings.Contains(h, "<li><b>0</b> <small>") {
		t.Errorf("tree HTML: %s", h)
	}
	out := filepath.Join(dir, "levels.csv")
	for _, src := range []string{"plot(tree)", "plot(pts, color=tree)", "explain(tree, on=pts, n_estimators=5)", `export(tree, to="` + out + `")`, "tree.levels"} {
		if _, _, err := run(t, s, src); err != nil {
			t.Errorf("%s: %v", src, err)
		}
	}
	b, _ := os.ReadFile(out)
	if !strings.HasPrefix(string(b), "level_1,level_2,label\n") || strings.Count(string(b), "\n") != 304 {
		t.Errorf("exported levels: %.60q", b)
	}
	if _, _, err := run(t, s, "plot(tree, color=tree)"); err == nil {
		t.Error("plot(tree, color=...) was accepted")
	}
	if _, _, err := run(t, s, "recurse(pts, depth=0)"); err == nil || !strings.Contains(err.Error(), "depth must be a whole number of at least 1") {
		t.Errorf("depth 0: %v", err)
	}
	// A billion levels once allocated a label per row per level up front.
	res, _, err = run(t, s, "recurse(pts, depth=1000000000, min_cluster_size=20, seed=1)")
	if err != nil {
		t.Fatal(err)
	}
	if want := "depth 1,000,000,000 asked, but 303 rows can be split at most 14 times (min_cluster_size 20, min_points 40)"; !strings.Contains(res.Value.String(), want) {
		t.Errorf("deep tree:\n%s\nwant %q", res.Value, want)
	}
}
