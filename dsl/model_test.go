package dsl

import (
	"bytes"
	"fmt"
	"maps"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"gonum.org/v1/gonum/stat"

	"github.com/reckon-dev/reckon/analysis/metrics"
	"github.com/reckon-dev/reckon/analysis/pipeline"
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
	ab, bb := tableCSV(t, s, "a"), tableCSV(t, s, "b")
	if ab != bb {
		t.Error("the opened model assigns differently from the model in the session")
	}
	if head := strings.SplitN(ab, "\n", 2)[0]; head != "track_id,cluster,name,probability,outlier_score,reason_1,reason_2,reason_3" {
		t.Errorf("assign's columns are %s", head)
	}
	a, _ := s.Get("a")
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

// TestAssignFreshTracks draws fresh tracks from the planted genres (each
// feature from its genre's mean and spread in the example file) and
// assigns them with the quickstart's model: they land in the cluster
// their genre's tracks were fitted into (ARI at least 0.9, noise left
// out).
func TestAssignFreshTracks(t *testing.T) {
	s := NewSession(NewRegistry(), Options{QuietProgress: true})
	if _, _, err := run(t, s, `tracks = load("../examples/data/tracks.csv")
X = standardize(impute(drop(tracks, "track_id", "genre")))
cl = hdbscan(umap(X, n_neighbors=15, min_dist=0, seed=7), min_cluster_size=25)`); err != nil {
		t.Fatal(err)
	}
	tv, _ := s.Get("tracks")
	tracks := tv.(*Table).Frame()
	clv, _ := s.Get("cl")
	labels := clv.(*Clusters).Labels
	genre, _ := tracks.Column("genre")
	// Each genre's cluster: where most of its tracks went.
	votes := map[string]map[int]int{}
	for i, l := range labels {
		g := genre.Label(i)
		if votes[g] == nil {
			votes[g] = map[int]int{}
		}
		votes[g][l]++
	}
	clusterOf := map[string]int{}
	for g, v := range votes {
		best := -1
		for l, n := range v {
			if l >= 0 && (best < 0 || n > v[best] || n == v[best] && l < best) {
				best = l
			}
		}
		clusterOf[g] = best
	}
	features := []string{"energy", "danceability", "acousticness", "instrumentalness", "valence", "tempo", "loudness", "speechiness", "duration_min"}
	rng := rand.New(rand.NewPCG(9, 9))
	var csv strings.Builder
	csv.WriteString("track_id,genre," + strings.Join(features, ",") + "\n")
	var want []int
	genres := slices.Sorted(maps.Keys(clusterOf))
	for k := range 600 {
		g := genres[k%len(genres)]
		fmt.Fprintf(&csv, "n%d,%s", k, g)
		for _, name := range features {
			c, _ := tracks.Column(name)
			var xs []float64
			for i, v := range c.Float64s() {
				if genre.Label(i) == g && !math.IsNaN(v) {
					xs = append(xs, v)
				}
			}
			mean, sd := stat.MeanStdDev(xs, nil)
			fmt.Fprintf(&csv, ",%g", mean+sd*rng.NormFloat64())
		}
		csv.WriteString("\n")
		want = append(want, clusterOf[g])
	}
	path := filepath.Join(t.TempDir(), "fresh.csv")
	if err := os.WriteFile(path, []byte(csv.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	res, _, err := run(t, s, `assign(cl, load("`+path+`"))`)
	if err != nil {
		t.Fatal(err)
	}
	got, _ := res.Value.(*Table).Frame().Column("cluster")
	var a, b []int
	for i, l := range got.Float64s() {
		if l >= 0 {
			a, b = append(a, int(l)), append(b, want[i])
		}
	}
	ari, err := metrics.AdjustedRandIndex(a, b)
	t.Logf("fresh tracks: %d of %d assigned to a cluster, ARI %.3f with their genre's cluster", len(a), len(want), ari)
	if err != nil || ari < 0.9 || len(a) < len(want)*8/10 {
		t.Errorf("fresh tracks: %d of %d assigned to a cluster, ARI %.3f (%v) with their genre's cluster; want at least 0.9", len(a), len(want), ari, err)
	}
}

// TestSavePCA saves a clustering of a UMAP of a PCA, as for MNIST: the
// opened model assigns the training rows as the session does.
func TestSavePCA(t *testing.T) {
	path := filepath.Join(t.TempDir(), "pca.reckon")
	s := NewSession(NewRegistry(), Options{QuietProgress: true})
	if _, _, err := run(t, s, `tracks = load("../examples/data/tracks.csv")
X = standardize(impute(drop(tracks, "track_id", "genre")))
cl = hdbscan(umap(pca(X, n_components=5), seed=7), min_cluster_size=25)
save(cl, to="`+path+`")
a = assign(open_model("`+path+`"), tracks)
b = assign(cl, tracks)`); err != nil {
		t.Fatal(err)
	}
	a, _ := s.Get("a")
	cl, _ := s.Get("cl")
	if tableCSV(t, s, "a") != tableCSV(t, s, "b") {
		t.Error("the opened model assigns differently from the session's")
	}
	got, _ := a.(*Table).Frame().Column("cluster")
	same := 0
	for i, l := range cl.(*Clusters).Labels {
		if l < 0 || int(got.Float64s()[i]) == l {
			same++
		}
	}
	if same < len(cl.(*Clusters).Labels)*99/100 {
		t.Errorf("%d of %d training rows keep their cluster", same, len(cl.(*Clusters).Labels))
	}
	if m, err := pipelineOpen(path); err != nil || !strings.Contains(m, "select → impute → standardize → pca → umap → hdbscan") {
		t.Errorf("the model's steps: %q, %v", m, err)
	}
}

func pipelineOpen(path string) (string, error) {
	p, err := pipeline.Open(path)
	if err != nil {
		return "", err
	}
	return p.Summary(), nil
}

// TestFitsAreForgotten: the calls save replays are kept only while a
// variable's value was made from them, so that reassigned variables free
// their values.
func TestFitsAreForgotten(t *testing.T) {
	s := NewSession(NewRegistry(), Options{QuietProgress: true})
	if _, _, err := run(t, s, `t = load("../examples/data/tracks.csv")
X = standardize(impute(drop(t, "track_id", "genre")))
X = standardize(drop(t, "track_id", "genre", "tempo"))
print(1)`); err != nil {
		t.Fatal(err)
	}
	// load, and the second X's drop and standardize: the first X's three
	// calls are gone.
	if len(s.fits) != 3 {
		t.Errorf("%d calls kept, want 3", len(s.fits))
	}
}

// tableCSV is the table variable name of s as CSV, to compare two tables
// byte for byte.
func tableCSV(t *testing.T, s *Session, name string) string {
	t.Helper()
	v, _ := s.Get(name)
	var b bytes.Buffer
	if err := v.(*Table).Frame().WriteCSV(&b); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// TestSaveTree saves the explanation of a named recursive clustering,
// opens it and assigns the training rows: they keep their tree paths,
// take the names of their clusters or parents, carry reasons, and the
// opened model assigns the same bytes as the tree in the session.
func TestSaveTree(t *testing.T) {
	path := filepath.Join(t.TempDir(), "tree.reckon")
	s := NewSession(NewRegistry(), Options{QuietProgress: true})
	src := `tracks = load("../examples/data/tracks.csv")
X = standardize(impute(drop(tracks, "track_id", "genre")))
tree = name(recurse(X, depth=2, min_cluster_size=25, n_neighbors=15, min_dist=0, seed=7), {"0": "first"})
why = explain(tree, on=X, n_estimators=20, seed=1)
saved = save(why, to="` + path + `")
m = open_model("` + path + `")
a = assign(m, tracks)
b = assign(why, tracks)`
	if _, _, err := run(t, s, src); err != nil {
		t.Fatal(err)
	}
	m, _ := s.Get("m")
	for _, want := range []string{"format 2", "recurse", "cluster 0: first"} {
		if !strings.Contains(m.String(), want) {
			t.Errorf("open_model shows\n%s\nwithout %q", m, want)
		}
	}
	if tableCSV(t, s, "a") != tableCSV(t, s, "b") {
		t.Error("the opened tree assigns differently from the tree in the session")
	}
	a, _ := s.Get("a")
	tree, _ := s.Get("tree")
	paths := tree.(*Tree).Result.Labels
	f := a.(*Table).Frame()
	got, _ := f.Column("cluster")
	names, _ := f.Column("name")
	reason, _ := f.Column("reason_1")
	agree, total, deep := 0, 0, 0
	for i, want := range paths {
		if strings.HasSuffix(want, "noise") {
			continue
		}
		total++
		if got.Label(i) == want {
			agree++
		}
		if strings.Contains(want, ".") {
			deep++
		}
		if strings.HasPrefix(got.Label(i), "0") && names.Label(i) != "first" {
			t.Errorf("row %d of %s is named %q, want its parent's name", i, got.Label(i), names.Label(i))
		}
		if reason.IsMissing(i) {
			t.Errorf("row %d of %s has no reason", i, got.Label(i))
		}
	}
	t.Logf("%d of %d training rows outside noise keep their tree path; %d are below the top level", agree, total, deep)
	if deep == 0 {
		t.Error("no training row is below the top level")
	}
	// A training row is placed where it was embedded at every level, so
	// it keeps its whole path, however fragile the sub-clusters.
	if float64(agree) < 0.99*float64(total) {
		t.Errorf("%d of %d training rows outside noise keep their tree path, want at least 99%%", agree, total)
	}
}
