package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/reckon-dev/reckon/analysis/frame"
	"github.com/reckon-dev/reckon/analysis/metrics"
	"github.com/reckon-dev/reckon/examples/data"
	"github.com/reckon-dev/reckon/internal/notebook"
)

// planted is what examples/data/README.md says sets each genre apart: the
// feature that defines it first, then the others, with the direction of
// each (+1 higher than the other tracks, -1 lower).
var planted = map[string][]struct {
	feature string
	dir     int
}{
	"classical":  {{"loudness", -1}, {"energy", -1}, {"acousticness", 1}, {"duration_min", 1}},
	"hiphop":     {{"speechiness", 1}, {"tempo", -1}, {"danceability", 1}, {"instrumentalness", -1}},
	"electronic": {{"instrumentalness", 1}, {"tempo", 1}, {"energy", 1}, {"acousticness", -1}},
	"rock":       {{"energy", 1}, {"tempo", 1}, {"acousticness", -1}, {"loudness", 1}},
	"jazz":       {{"acousticness", 1}, {"energy", -1}, {"valence", 1}},
	"pop":        {{"instrumentalness", -1}, {"valence", 1}, {"danceability", 1}, {"loudness", 1}},
}

// subStyles are the planted sub-styles' tempos, in BPM.
var subStyles = map[string][2]float64{"electronic": {128, 154}, "rock": {129, 147}, "jazz": {128, 111}}

// TestDemoFindsThePlantedTruth runs `reckon demo` and checks what it found
// against what was planted in the tracks: the genres as clusters, the
// sub-styles inside three of them, and each genre's features among the
// drivers explain names; then that the lineage the notebook shows makes
// the same clusters again.
func TestDemoFindsThePlantedTruth(t *testing.T) {
	// The binary users run, without the race detector, which would slow
	// the method tenfold.
	bin := plainBinary(t)
	dir := filepath.Join(t.TempDir(), "demo")
	var stdout, stderr bytes.Buffer
	cmd := exec.Command(bin, "demo", "--out", dir)
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("reckon demo: %v\n%s%s", err, stdout.String(), stderr.String())
	}
	out := stdout.String()
	t.Log(out)
	for _, f := range demoFiles {
		if st, err := os.Stat(filepath.Join(dir, f)); err != nil || st.Size() == 0 {
			t.Errorf("the demo did not write %s: %v", f, err)
		}
		if !strings.Contains(out, "  "+f+" ") {
			t.Errorf("the summary does not list %s", f)
		}
	}

	tracks, err := frame.ReadFrom(context.Background(), bytes.NewReader(data.TracksCSV), "tracks.csv", frame.ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	gcol, _ := tracks.Column("genre")
	genre := make([]string, tracks.NumRows())
	for i := range genre {
		genre[i] = gcol.Format(i)
	}
	tcol, _ := tracks.Column("tempo")
	tempo := tcol.Float64s()

	// Level 1: the clusters are the genres.
	labels := csvColumn(t, filepath.Join(dir, "clusters.csv"), "label")
	ari, err := metrics.AdjustedRandIndex(ints(t, labels), ints(t, genre))
	if err != nil {
		t.Fatal(err)
	}
	if ari < 0.9 {
		t.Errorf("ARI of the clusters with the genres %.3f, want at least 0.9", ari)
	}
	genreOf := majority(labels, genre)

	// Level 2: recurse splits the genres that mix two sub-styles by
	// tempo, and no other.
	level1 := csvColumn(t, filepath.Join(dir, "tree.csv"), "level_1")
	level2 := csvColumn(t, filepath.Join(dir, "tree.csv"), "level_2")
	for g := range planted {
		var rows []int
		for i, x := range genre {
			if x == g {
				rows = append(rows, i)
			}
		}
		parent := mode(rows, level1)
		sum, n := map[string]float64{}, map[string]int{}
		for _, i := range rows {
			if level1[i] == parent && level2[i] != parent && !strings.HasSuffix(level2[i], "noise") && !math.IsNaN(tempo[i]) {
				sum[level2[i]] += tempo[i]
				n[level2[i]]++
			}
		}
		centres, hasStyles := subStyles[g]
		if !hasStyles {
			if len(n) > 0 {
				t.Errorf("recurse split %s (cluster %s), which has no planted sub-styles, into %d", g, parent, len(n))
			}
			continue
		}
		var means []float64
		for sub := range n {
			if n[sub] >= 30 {
				means = append(means, sum[sub]/float64(n[sub]))
			}
		}
		slices.Sort(means)
		if len(means) != 2 || math.Abs(means[0]-min(centres[0], centres[1])) > 8 || math.Abs(means[1]-max(centres[0], centres[1])) > 8 {
			t.Errorf("inside %s (cluster %s) recurse found sub-clusters with mean tempos %.0f; the planted sub-styles are near %.0f and %.0f BPM", g, parent, means, centres[0], centres[1])
		}
	}
	if !strings.Contains(out, "Zooming in, recurse split ") {
		t.Error("the summary does not say what recurse found")
	}
	checkLineageRemakes(t, bin, dir)

	// explain: each genre's defining feature is among its cluster's top
	// three drivers, and no top driver contradicts what was planted.
	line := regexp.MustCompile(`(?m)^  (\d+) +(\S+) +\d+ tracks  (.*) \(CV AUC (\d\.\d+)\)$`)
	found := line.FindAllStringSubmatch(out, -1)
	if len(found) != 6 {
		t.Fatalf("the summary lists %d explained clusters, want 6", len(found))
	}
	for _, m := range found {
		g := genreOf[m[1]]
		drivers := strings.Split(m[3], ", ")
		want := planted[g]
		head := map[int]string{1: "high ", -1: "low "}[want[0].dir] + want[0].feature
		if !slices.Contains(drivers, head) {
			t.Errorf("cluster %s (%s): top drivers %q lack %q", m[1], g, drivers, head)
		}
		for _, d := range drivers {
			for _, p := range want {
				if strings.HasSuffix(d, " "+p.feature) && d != map[int]string{1: "high ", -1: "low "}[p.dir]+p.feature {
					t.Errorf("cluster %s (%s): driver %q contradicts the planted %s", m[1], g, d, p.feature)
				}
			}
		}
		if auc, _ := strconv.ParseFloat(m[4], 64); auc < 0.95 {
			t.Errorf("cluster %s (%s): CV AUC %s", m[1], g, m[4])
		}
	}
}

// checkLineageRemakes runs the script the quickstart's last cell shows,
// lineage(cl), with `reckon run` in a fresh folder, and checks that it
// makes the same clusters with the same names.
func checkLineageRemakes(t *testing.T, bin, dir string) {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(dir, "quickstart.ipynb"))
	if err != nil {
		t.Fatal(err)
	}
	nb, err := notebook.Read(raw)
	if err != nil {
		t.Fatal(err)
	}
	last := nb.Cells[len(nb.Cells)-1]
	if !strings.HasPrefix(last.Source, "lineage(cl)") || len(last.Outputs) != 1 {
		t.Fatalf("the quickstart's last cell is %q with %d outputs, not lineage(cl)", last.Source, len(last.Outputs))
	}
	script := last.Outputs[0].Text()
	again := t.TempDir()
	if err := os.WriteFile(filepath.Join(again, "again.reckon"), []byte(script+"\nexport(cl, to=\"clusters.csv\")\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, "run", "again.reckon")
	cmd.Dir = again
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("re-running lineage(cl):\n%s\n%v\n%s", script, err, out)
	}
	for _, col := range []string{"label", "name"} {
		if a, b := csvColumn(t, filepath.Join(dir, "clusters.csv"), col), csvColumn(t, filepath.Join(again, "clusters.csv"), col); !slices.Equal(a, b) {
			t.Errorf("re-running lineage(cl) gives other clusters' %ss:\n%s", col, script)
		}
	}
}

func TestDemoRejectsStrayArguments(t *testing.T) {
	var stdout, stderr bytes.Buffer
	if code := run([]string{"demo", "extra"}, nil, &stdout, &stderr); code != 2 || !strings.Contains(stderr.String(), `unexpected argument "extra"`) {
		t.Errorf("exit %d, stderr %q", code, stderr.String())
	}
}

// csvColumn reads one column of a CSV file.
func csvColumn(t *testing.T, path, name string) []string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	j := slices.Index(recs[0], name)
	if j < 0 {
		t.Fatalf("%s has no column %q: %v", path, name, recs[0])
	}
	col := make([]string, len(recs)-1)
	for i, r := range recs[1:] {
		col[i] = r[j]
	}
	return col
}

// ints numbers the distinct values of a labelling.
func ints(t *testing.T, labels []string) []int {
	t.Helper()
	ids := map[string]int{}
	out := make([]int, len(labels))
	for i, l := range labels {
		if _, ok := ids[l]; !ok {
			ids[l] = len(ids)
		}
		out[i] = ids[l]
	}
	return out
}

// majority maps each label to the value most of its rows have.
func majority(labels, values []string) map[string]string {
	count := map[[2]string]int{}
	best := map[string]string{}
	for i, l := range labels {
		count[[2]string{l, values[i]}]++
		if b, ok := best[l]; !ok || count[[2]string{l, values[i]}] > count[[2]string{l, b}] {
			best[l] = values[i]
		}
	}
	return best
}

// mode is the commonest value of col over rows.
func mode(rows []int, col []string) string {
	count := map[string]int{}
	best := ""
	for _, i := range rows {
		count[col[i]]++
		if count[col[i]] > count[best] {
			best = col[i]
		}
	}
	return best
}
