package synth_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"math"
	"runtime"
	"strings"
	"testing"

	"github.com/reckon-dev/reckon/analysis/frame"
	"github.com/reckon-dev/reckon/analysis/hdbscan"
	"github.com/reckon-dev/reckon/analysis/metrics"
	"github.com/reckon-dev/reckon/analysis/umap"
	"github.com/reckon-dev/reckon/internal/synth"
	"gonum.org/v1/gonum/mat"
)

func csvOf(t *testing.T, s synth.Settings) []byte {
	t.Helper()
	tab, err := synth.Generate(context.Background(), s)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := tab.WriteCSV(context.Background(), &buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestSameSeedSameBytes: a seed gives the same file, whatever GOMAXPROCS;
// another seed another file.
func TestSameSeedSameBytes(t *testing.T) {
	s := synth.Settings{Rows: 20_000, Seed: 3}
	want := sha256.Sum256(csvOf(t, s))
	for _, procs := range []int{1, 2, 7} {
		prev := runtime.GOMAXPROCS(procs)
		got := sha256.Sum256(csvOf(t, s))
		runtime.GOMAXPROCS(prev)
		if got != want {
			t.Errorf("GOMAXPROCS=%d: another file from the same seed", procs)
		}
	}
	if sha256.Sum256(csvOf(t, synth.Settings{Rows: 20_000, Seed: 4})) == want {
		t.Error("seeds 3 and 4 made the same file")
	}
}

// TestCSVReadsBack: the file loads as a table of the right shape, with the
// planted labels as text and the features as numbers.
func TestCSVReadsBack(t *testing.T) {
	data := csvOf(t, synth.Settings{Rows: 1000, Seed: 1})
	f, err := frame.ReadFrom(context.Background(), bytes.NewReader(data), "synth.csv", frame.ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if f.NumRows() != 1000 || f.NumCols() != 22 {
		t.Fatalf("read %d × %d, want 1000 × 22", f.NumRows(), f.NumCols())
	}
	if got := strings.Join(f.Names()[:4], ","); got != "group,subgroup,energy,danceability" {
		t.Errorf("columns start %s", got)
	}
	if _, err := f.Drop("group", "subgroup"); err != nil {
		t.Fatal(err)
	}
	x, err := f.Dense(synth.FeatureNames...)
	if err != nil {
		t.Fatal(err)
	}
	tab, _ := synth.Generate(context.Background(), synth.Settings{Rows: 1000, Seed: 1})
	for i := range 1000 {
		for j := range 20 {
			if v, want := x.At(i, j), tab.At(i, j); math.Abs(v-want) > 1e-4*math.Abs(want)+1e-9 {
				t.Fatalf("row %d, %s: read %g, made %g", i, synth.FeatureNames[j], v, want)
			}
		}
	}
}

func standardized(tab *synth.Table, rows []int) *mat.Dense {
	d := len(tab.Names)
	x := mat.NewDense(len(rows), d, nil)
	for k, i := range rows {
		x.SetRow(k, tab.X[i*d:(i+1)*d])
	}
	for j := range d {
		col := mat.Col(nil, j, x)
		mean, sd := 0.0, 0.0
		for _, v := range col {
			mean += v
		}
		mean /= float64(len(col))
		for _, v := range col {
			sd += (v - mean) * (v - mean)
		}
		sd = math.Sqrt(sd / float64(len(col)))
		for i, v := range col {
			x.Set(i, j, (v-mean)/sd)
		}
	}
	return x
}

// TestPlantedStructure: the groups are what HDBSCAN finds in the raw
// features, the split groups' sub-groups what it finds inside each, and
// the shares are the ones asked for.
func TestPlantedStructure(t *testing.T) {
	ctx := context.Background()
	tab, err := synth.Generate(ctx, synth.Settings{Rows: 6000, Seed: 11})
	if err != nil {
		t.Fatal(err)
	}
	var all []int
	noise := 0
	members := map[int][]int{}
	for i, g := range tab.Group {
		all = append(all, i)
		if g == synth.Noise {
			noise++
			continue
		}
		members[g] = append(members[g], i)
	}
	if share := float64(noise) / 6000; share < 0.015 || share > 0.025 {
		t.Errorf("%.3f of the rows are background, want about 0.02", share)
	}
	if len(members) != 8 {
		t.Fatalf("%d groups, want 8", len(members))
	}
	res, err := hdbscan.Fit(ctx, standardized(tab, all), hdbscan.Options{Selection: hdbscan.Selection{MinClusterSize: 100}})
	if err != nil {
		t.Fatal(err)
	}
	if ari := ariOnMembers(t, tab.Group, res.Labels, all); ari < 0.95 {
		t.Errorf("HDBSCAN of all rows: ARI %.3f with the groups, want ≥ 0.95", ari)
	}
	// The three split groups and two others: each UMAP takes seconds
	// under the race detector.
	for g := range 5 {
		rows := members[g]
		// As recurse does: a group's own embedding shows its valley,
		// which 20 dimensions of noise hide from HDBSCAN.
		emb, err := umap.Fit(ctx, standardized(tab, rows), umap.Settings{Seed: 7})
		if err != nil {
			t.Fatal(err)
		}
		res, err := hdbscan.Fit(ctx, emb.Embedding, hdbscan.Options{Selection: hdbscan.Selection{MinClusterSize: 50}})
		if err != nil {
			t.Fatal(err)
		}
		split := g < 3
		if got := res.NumClusters() >= 2; got != split {
			t.Errorf("group %s: %d clusters inside", synth.GroupName(g), res.NumClusters())
			continue
		}
		if !split {
			continue
		}
		sub := make([]int, len(rows))
		for k, i := range rows {
			sub[k] = tab.SubGroup[i]
		}
		if ari := ariOnMembers(t, sub, res.Labels, span(len(rows))); ari < 0.8 {
			t.Errorf("group %s: ARI %.3f with its sub-groups (%d clusters), want ≥ 0.8", synth.GroupName(g), ari, res.NumClusters())
		}
	}
}

func span(n int) []int {
	s := make([]int, n)
	for i := range s {
		s[i] = i
	}
	return s
}

// ariOnMembers scores labels against the truth on the rows the truth puts
// in a group (background rows have none to recover).
func ariOnMembers(t *testing.T, truth, got []int, rows []int) float64 {
	t.Helper()
	var a, b []int
	for k, i := range rows {
		if truth[i] != synth.Noise {
			a, b = append(a, truth[i]), append(b, got[k])
		}
	}
	ari, err := metrics.AdjustedRandIndex(a, b)
	if err != nil {
		t.Fatal(err)
	}
	return ari
}

func TestBadSettings(t *testing.T) {
	for _, s := range []synth.Settings{{Rows: -1}, {Features: 21}, {Features: 1}, {Groups: 2, SplitGroups: 3}, {Noise: 1}, {Groups: -2}} {
		if _, err := synth.Generate(context.Background(), s); err == nil || !strings.HasPrefix(err.Error(), "synth: ") {
			t.Errorf("%+v: error %v", s, err)
		}
	}
}
