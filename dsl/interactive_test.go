package dsl

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/reckon-dev/reckon/display/vegalite"
)

// blobTracksSession is a session with a table of 300 tracks in three
// blobs, with ids and genres, embedded as emb and clustered as cl.
func blobTracksSession(t *testing.T) *Session {
	t.Helper()
	rng := rand.New(rand.NewPCG(3, 4))
	var b strings.Builder
	b.WriteString("track_id,genre,energy,tempo,loudness\n")
	for k, c := range [][3]float64{{0, 0, 0}, {10, 0, 5}, {0, 10, -5}} {
		for i := range 100 {
			fmt.Fprintf(&b, "t%03d,%s,%g,%g,%g\n", k*100+i, []string{"rock", "jazz", "pop"}[k], c[0]+rng.NormFloat64(), c[1]+rng.NormFloat64(), c[2]+rng.NormFloat64())
		}
	}
	s, _ := csvSession(t, "tracks", b.String(), `X = standardize(drop(tracks, "track_id", "genre"))
emb = pca(X, seed=1)
cl = hdbscan(emb, min_cluster_size=20)`)
	return s
}

// vegaSpec returns the Vega-Lite spec of a bundle, checking that the PNG
// and the text stay beside it.
func vegaSpec(t *testing.T, s *Session, src string) map[string]any {
	t.Helper()
	res, _, err := run(t, s, src)
	if err != nil {
		t.Fatalf("%s: %v", src, err)
	}
	b := Bundle(res.Value)
	raw, ok := b.Data[vegalite.MIME].(json.RawMessage)
	if !ok {
		t.Fatalf("%s: no %s in the bundle (%d types)", src, vegalite.MIME, len(b.Data))
	}
	if _, ok := b.Data["image/png"]; !ok || b.Plain() == "" {
		t.Errorf("%s: the PNG or the text is missing beside the Vega-Lite spec", src)
	}
	var spec map[string]any
	if err := json.Unmarshal(raw, &spec); err != nil {
		t.Fatalf("%s: %v", src, err)
	}
	return spec
}

func tooltipTitles(spec map[string]any) string {
	enc, _ := spec["encoding"].(map[string]any)
	tips, _ := enc["tooltip"].([]any)
	var titles []string
	for _, tip := range tips {
		titles = append(titles, tip.(map[string]any)["title"].(string))
	}
	return strings.Join(titles, ",")
}

func TestInteractivePlots(t *testing.T) {
	s := blobTracksSession(t)
	for _, tc := range []struct {
		src, tooltip, contains string
	}{
		// The row id comes from tracks, two steps up the lineage of emb.
		{`plot(emb, color=cl)`, "track_id,cluster,probability", `"t000"`},
		{`plot(emb, color=cl, tooltip=["genre", "energy"])`, "track_id,cluster,probability,genre,energy", `"t299"`},
		{`plot(emb, color=tracks.genre, tooltip=[tracks.tempo])`, "track_id,genre,tempo", `"rock"`},
		{`plot(emb, color=tracks.energy)`, "track_id,energy", `"t150"`},
	} {
		spec := vegaSpec(t, s, tc.src)
		if got := tooltipTitles(spec); got != tc.tooltip {
			t.Errorf("%s: tooltip %s, want %s", tc.src, got, tc.tooltip)
		}
		raw, _ := json.Marshal(spec)
		if !strings.Contains(string(raw), tc.contains) {
			t.Errorf("%s: the spec lacks %s", tc.src, tc.contains)
		}
	}
	spec := vegaSpec(t, s, `sweep(emb, min_cluster_size=[10, 20, 40])`)
	if spec["resolve"] == nil {
		t.Errorf("sweep's spec has no independent panels: %v", spec)
	}
}

func TestInteractivePlotsRefuseBadTooltips(t *testing.T) {
	s := blobTracksSession(t)
	for src, want := range map[string]string{
		`plot(emb, tooltip=["nope"])`:                                             `no column "nope" in the tables the data came from; they have`,
		`plot(emb, tooltip=[1])`:                                                  "item 1 is the number 1",
		`plot(emb, tooltip=["a", "b", "c", "d", "e", "f"])`:                       "at most 5 columns, and 6 were given",
		`plot(pca(standardize(select(tracks, "energy", "tempo"))), tooltip=[cl])`: "item 1 is",
	} {
		if _, _, err := run(t, s, src); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: error %v, want %q", src, err, want)
		}
	}
}

func TestInteractiveShapPlots(t *testing.T) {
	s := blobTracksSession(t)
	if _, _, err := run(t, s, `why = explain(cl, on=X, n_estimators=10, folds=2, seed=1)`); err != nil {
		t.Fatal(err)
	}
	bar := vegaSpec(t, s, `shap_bar(why, cluster=0)`)
	if rows := bar["data"].(map[string]any)["values"].([]any); len(rows) != 3 {
		t.Errorf("shap_bar: %d bars, want one per feature (3)", len(rows))
	}
	dep := vegaSpec(t, s, `shap_dependence(why, cluster=0, feature="energy")`)
	if got := tooltipTitles(dep); got == "" {
		t.Error("shap_dependence: no tooltip")
	}
	if x := dep["encoding"].(map[string]any)["x"].(map[string]any)["title"]; x != "energy" {
		t.Errorf("shap_dependence: x is %v, want energy", x)
	}
}

func TestExplore(t *testing.T) {
	s := blobTracksSession(t)
	for _, tc := range []struct {
		src    string
		text   []string
		values int
	}{
		{`explore(emb, cl, min_cluster_size=[10, 20, 40, 150])`, []string{"4 clusterings of 300 points by min_cluster_size", "min_cluster_size  clusters   noise", "150         0  100.0%"}, 4},
		{`explore(emb, cl, min_samples=[1, 5, 30], tooltip=["genre"])`, []string{"min_samples  clusters"}, 3},
		{`explore(emb, cl, min_cluster_size=[10, 20], min_samples=3)`, []string{"min_cluster_size"}, 2},
	} {
		spec := vegaSpec(t, s, tc.src)
		res, _, _ := run(t, s, tc.src)
		if _, ok := Bundle(res.Value).Data["text/html"]; ok {
			t.Errorf("%s: the bundle has HTML, which JupyterLab would show instead of the chart", tc.src)
		}
		text := Bundle(res.Value).Plain()
		for _, w := range tc.text {
			if !strings.Contains(text, w) {
				t.Errorf("%s: the text lacks %q:\n%s", tc.src, w, text)
			}
		}
		panes, _ := spec["hconcat"].([]any)
		if len(panes) != 2 {
			t.Fatalf("%s: want the scatter beside the summary charts", tc.src)
		}
		row := panes[0].(map[string]any)["data"].(map[string]any)["values"].([]any)[0].(map[string]any)
		for k := range tc.values {
			if labels, _ := row[fmt.Sprintf("l%d", k)].([]any); len(labels) != 300 {
				t.Errorf("%s: clustering %d carries %d labels, want 300", tc.src, k, len(labels))
			}
		}
		if ids, _ := row["i"].([]any); len(ids) != 300 {
			t.Errorf("%s: %d row ids, want 300", tc.src, len(ids))
		}
	}
	for src, want := range map[string]string{
		`explore(emb, cl)`: "give a list of values for exactly one of min_cluster_size and min_samples",
		`explore(emb, cl, min_cluster_size=[10], min_samples=[2])`:                                            "exactly one",
		`explore(pca(X, n_components=3), cl, min_cluster_size=[10, 500])`:                                     "500",
		`explore(select(tracks, "energy", "tempo"), recluster(cl, min_cluster_size=5), min_cluster_size=[0])`: "at least 2",
		`explore(emb, kmeans(emb, k=3, seed=1), min_cluster_size=[10])`:                                       "this needs clusters from hdbscan",
	} {
		if _, _, err := run(t, s, src); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: error %v, want %q", src, err, want)
		}
	}
}
