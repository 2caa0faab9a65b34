package dsl

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"
)

// TestSaveOpenAssign fits the quickstart's pipeline on the example tracks,
// saves its explanation, opens it again and assigns the training rows:
// they keep their clusters, carry reasons, and the opened model assigns
// the same bytes as the one in the session.
func TestSaveOpenAssign(t *testing.T) {
	path := filepath.Join(t.TempDir(), "tracks.reckon")
	s := NewSession(NewRegistry(), Options{QuietProgress: true})
	src := `tracks = load("../examples/data/tracks.csv")
X = standardize(impute(drop(tracks, "track_id", "genre")))
emb = umap(X, n_neighbors=15, min_dist=0, seed=7)
cl = name(hdbscan(emb, min_cluster_size=25), {"0": "first"})
why = explain(cl, on=X, n_estimators=20, seed=1)
saved = save(why, to="` + path + `")
m = open_model("` + path + `")
a = assign(m, tracks)
b = assign(why, tracks)`
	if _, _, err := run(t, s, src); err != nil {
		t.Fatal(err)
	}
	m, _ := s.Get("m")
	for _, want := range []string{"fitted on ../examples/data/tracks.csv: 1300 rows", "tempo (numeric)", "ids passed through: track_id", "cluster 0: first", "umap(X, n_neighbors=15"} {
		if !strings.Contains(m.String(), want) {
			t.Errorf("open_model shows\n%s\nwithout %q", m, want)
		}
	}
	a, _ := s.Get("a")
	b, _ := s.Get("b")
	var ab, bb bytes.Buffer
	if err := a.(*Table).Frame().WriteCSV(&ab); err != nil {
		t.Fatal(err)
	}
	if err := b.(*Table).Frame().WriteCSV(&bb); err != nil {
		t.Fatal(err)
	}
	if ab.String() != bb.String() {
		t.Error("the opened model assigns differently from the model in the session")
	}
	if head := strings.SplitN(ab.String(), "\n", 2)[0]; head != "track_id,cluster,name,probability,outlier_score,reason_1,reason_2,reason_3" {
		t.Errorf("assign's columns are %s", head)
	}
	cl, _ := s.Get("cl")
	labels := cl.(*Clusters).Labels
	got, _ := a.(*Table).Frame().Column("cluster")
	agree, total := 0, 0
	for i, l := range got.Float64s() {
		if labels[i] >= 0 {
			total++
			if int(l) == labels[i] {
				agree++
			}
		}
	}
	t.Logf("%d of %d training rows outside noise keep their cluster", agree, total)
	if float64(agree) < 0.99*float64(total) {
		t.Errorf("%d of %d training rows outside noise keep their cluster, want at least 99%%", agree, total)
	}

	for _, tc := range []struct{ src, want string }{
		{`assign(m, drop(tracks, "tempo"))`, `the input has no column "tempo"; the model expects energy (numeric)`},
		{`assign(m, categorical(tracks, "tempo"))`, `column "tempo" is categorical but the model was fitted on it as numeric`},
		{`save(hdbscan(X, min_cluster_size=25), to="` + path + `x")`, ""},
		{`open_model("` + path + `nothing")`, "no such file"},
	} {
		_, _, err := run(t, s, tc.src)
		if tc.want == "" {
			if err != nil {
				t.Errorf("%s: %v", tc.src, err)
			}
			continue
		}
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v, want an error saying %q", tc.src, err, tc.want)
		}
	}
}
