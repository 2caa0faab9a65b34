package dsl

import (
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/reckon-dev/reckon/internal/browser"
)

// reportSession runs the method on the blobs, ready for a report.
func reportSession(t *testing.T) (*Session, string) {
	t.Helper()
	s, dir := blobSession(t)
	src := `X = standardize(pts)
emb = umap(X, n_neighbors=10, n_epochs=60, seed=3)
cl = hdbscan(emb, min_cluster_size=20)
why = explain(cl, on=pts, n_estimators=10, folds=2)
st = stability(emb, runs=2, min_cluster_size=20, seed=1)
`
	if _, _, err := run(t, s, src); err != nil {
		t.Fatal(err)
	}
	return s, dir
}

func TestReportHoldsTheFindingsAndTheMethod(t *testing.T) {
	s, dir := reportSession(t)
	out := filepath.Join(dir, "findings.html")
	_, rec, err := run(t, s, `named = name(cl, {"0": "first blob"})
report(named, why=why, on=pts, stability=st, to="`+out+`", title="Blobs <&> friends")`)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(rec.stdout.String(), "wrote "+out) {
		t.Errorf("report said %q", rec.stdout.String())
	}
	page, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := os.ReadFile(filepath.Join(dir, "blobs.csv"))
	sum := sha256.Sum256(raw)
	html := string(page)
	for _, want := range []string{
		"<title>Blobs &lt;&amp;&gt; friends</title>",
		"3 clusters in 303 rows.</p>",
		"load → standardize → umap → hdbscan → name → explain → stability",
		`id="cluster-0"`, `id="cluster-2"`,
		`<h3>first blob <span class="label">cluster 0</span></h3>`,
		`<p class="describe">`,
		`<code>named = name(cl, names={&#34;0&#34;: &#34;first blob&#34;})</code>`,
		"CV AUC:</b> 0.9",
		"stable — found again with mean Jaccard 1.00",
		"<code>emb = umap(X, n_neighbors=10, n_epochs=60, seed=3)</code>",
		"defaults: n_components=2, min_dist=0.1",
		"<code>why = explain(cl, on=pts, n_estimators=10, folds=2, seed=0)</code>",
		hex.EncodeToString(sum[:]),
		"Reckon " + Version,
		"@media print",
		"Example rows",
	} {
		if !strings.Contains(html, want) {
			t.Errorf("the report lacks %q", want)
		}
	}
	if n := strings.Count(html, `<img src="data:image/png;base64,`); n != 1+3 {
		t.Errorf("%d inline images, want the embedding and a SHAP summary for each of 3 clusters", n)
	}
}

func TestReportOfATreeDrawsItsIcicle(t *testing.T) {
	s, dir := reportSession(t)
	out := filepath.Join(dir, "tree.html")
	src := `tree = recurse(X, depth=2, min_cluster_size=20, n_neighbors=10, seed=3)
report(tree, on=pts, to="` + out + `")`
	if _, _, err := run(t, s, src); err != nil {
		t.Fatal(err)
	}
	page, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	html := string(page)
	for _, want := range []string{"<title>Clusters in blobs.csv</title>", "Clusters within clusters", "tree = recurse(X, depth=2"} {
		if !strings.Contains(html, want) {
			t.Errorf("the tree's report lacks %q", want)
		}
	}
	if n := strings.Count(html, `<img src="data:image/png;base64,`); n != 2 {
		t.Errorf("%d images, want the tree's embedding and its icicle", n)
	}
}

func TestReportRefusesMismatchedInputs(t *testing.T) {
	s, dir := reportSession(t)
	for _, tc := range []struct{ src, want string }{
		{`report(cl, on=head(pts, 3), to="` + filepath.Join(dir, "x.html") + `")`, "on has 3 rows but the clusters 303"},
		{`report(cl, to="` + filepath.Join(dir, "no", "such", "dir.html") + `")`, "no such file or directory"},
		{`report(emb)`, "`clusters` of `report` must be a clusters or tree"},
	} {
		if _, _, err := run(t, s, tc.src); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v, want %q", tc.src, err, tc.want)
		}
	}
}

// TestReportOpensOfflineInABrowser opens the report in headless Chromium
// with the network cut off: every image must load from the file itself,
// and the page must ask for nothing.
func TestReportOpensOfflineInABrowser(t *testing.T) {
	browser.Require(t)
	s, dir := reportSession(t)
	out := filepath.Join(dir, "findings.html")
	if _, _, err := run(t, s, `report(cl, why=why, on=pts, stability=st, to="`+out+`")`); err != nil {
		t.Fatal(err)
	}
	page := browser.Open(t, out)
	browser.Artifact(t, "report-screenshot.png", page.Screenshot)
	if page.Title != "Clusters in blobs.csv" {
		t.Errorf("title %q", page.Title)
	}
	if len(page.Images) != 4 {
		t.Errorf("%d images, want 4", len(page.Images))
	}
	for _, img := range page.Images {
		if !img.Complete || img.NaturalWidth == 0 {
			t.Errorf("an image did not load (naturalWidth %d): %.60s", img.NaturalWidth, img.Src)
		}
		if !strings.HasPrefix(img.Src, "data:image/png;base64,") {
			t.Errorf("an image is not inline: %.60s", img.Src)
		}
	}
	for _, l := range page.Links {
		remote := strings.HasPrefix(l.URL, "http:") || strings.HasPrefix(l.URL, "https:") || strings.HasPrefix(l.URL, "//")
		if remote && !(l.Tag == "a" && l.Attr == "href") {
			t.Errorf("<%s %s=%q> reaches the network", l.Tag, l.Attr, l.URL)
		}
	}
	if len(page.Requests) > 0 {
		t.Errorf("the page asked for %v", page.Requests)
	}
	if len(page.Screenshot) < 8 || string(page.Screenshot[1:4]) != "PNG" {
		t.Error("no PNG screenshot")
	}
}
