package vegalite

import (
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/reckon-dev/reckon/display/plot"
)

// blobs returns n points in k clusters with noise, ids and a genre.
func blobs(n, k int, seed uint64) (x, y []float64, labels []string, prob []float64, ids []string, genre []string, energy []float64) {
	r := rand.New(rand.NewPCG(seed, 1))
	for i := range n {
		c := r.IntN(k+1) - 1
		cx, cy := float64(c)*4, float64(c%3)*3
		x = append(x, cx+r.NormFloat64())
		y = append(y, cy+r.NormFloat64())
		labels = append(labels, fmt.Sprint(c))
		p := 0.0
		if c >= 0 {
			p = r.Float64()
		}
		prob = append(prob, p)
		ids = append(ids, fmt.Sprintf("T%06d", i))
		genre = append(genre, []string{"rock", "jazz", "ambient", "pop"}[r.IntN(4)])
		energy = append(energy, r.Float64())
	}
	return
}

// spec decodes a spec into its parts for checking.
type spec struct {
	Schema    string `json:"$schema"`
	Title     string `json:"title"`
	Data      struct{ Values []map[string]json.RawMessage }
	Transform []map[string]any `json:"transform"`
	Encoding  map[string]json.RawMessage
	Selection map[string]map[string]any
}

func decode(t testing.TB, raw json.RawMessage) spec {
	t.Helper()
	var s spec
	if err := json.Unmarshal(raw, &s); err != nil {
		t.Fatalf("the spec is not JSON: %v", err)
	}
	return s
}

func TestScatterCarriesEveryPointCompactly(t *testing.T) {
	x, y, labels, prob, ids, genre, energy := blobs(1000, 4, 1)
	raw, err := Scatter(x, y, ScatterOptions{
		Title: "clusters", Labels: labels, Names: map[string]string{"2": "ambient"}, Probabilities: prob,
		ID: &Column{Name: "track_id", Text: ids}, Tooltip: []Column{{Name: "genre", Text: genre}, {Name: "energy", Numbers: energy}},
	})
	if err != nil {
		t.Fatal(err)
	}
	s := decode(t, raw)
	if s.Schema != schema || s.Title != "clusters" {
		t.Errorf("schema %q title %q", s.Schema, s.Title)
	}
	row := s.Data.Values[0]
	for _, key := range []string{"x", "y", "c", "p", "i", "t0", "t1"} {
		var arr []any
		if err := json.Unmarshal(row[key], &arr); err != nil || len(arr) != 1000 {
			t.Errorf("column %s: %d values, %v; want 1000", key, len(arr), err)
		}
	}
	// The genre has 4 values: coded. The ids are all distinct: as they are.
	if !strings.HasPrefix(string(row["t0"]), "[") || strings.Contains(string(row["t0"]), `"`) {
		t.Errorf("genre not dictionary-coded: %.40s", row["t0"])
	}
	if !strings.Contains(string(row["i"]), `"T000000"`) {
		t.Errorf("ids not carried: %.40s", row["i"])
	}
	// Noise is drawn first, underneath.
	var codes []int
	json.Unmarshal(row["c"], &codes)
	domain, _ := legend(labels, map[string]string{"2": "ambient"})
	if got := domain[codes[0]]; got != "noise" {
		t.Errorf("first point drawn is %q, want noise", got)
	}
	if !strings.Contains(strings.Join(domain, ","), "2 · ambient") {
		t.Errorf("legend %v does not name cluster 2", domain)
	}
	var tips []map[string]any
	json.Unmarshal(s.Encoding["tooltip"], &tips)
	var titles []string
	for _, tip := range tips {
		titles = append(titles, tip["title"].(string))
	}
	if got, want := strings.Join(titles, ","), "track_id,cluster,probability,genre,energy"; got != want {
		t.Errorf("tooltip %s, want %s", got, want)
	}
	if s.Selection["zoom"]["bind"] != "scales" || s.Selection["pick"]["bind"] != "legend" {
		t.Errorf("selections %v: want zoom bound to scales and pick to the legend", s.Selection)
	}
	// Coordinates spanning about 20 units are rounded to 0.01.
	var xs []float64
	json.Unmarshal(row["x"], &xs)
	for i, v := range xs[:50] {
		if math.Abs(v*100-math.Round(v*100)) > 1e-9 {
			t.Fatalf("x[%d] = %v is not rounded to hundredths", i, v)
		}
	}
}

// Without an id column the tooltip names each point by its row number, as
// umap.plot.interactive shows the index: a scatter of a table with no id
// still says which row a point is. The numbers follow the points into
// their drawing order, noise first.
func TestScatterWithoutIDShowsRowNumbers(t *testing.T) {
	x, y := []float64{0, 1, 5, 6}, []float64{0, 1, 5, 6}
	for _, tc := range []struct {
		name string
		raw  func() (json.RawMessage, error)
	}{
		{"scatter", func() (json.RawMessage, error) {
			return Scatter(x, y, ScatterOptions{Labels: []string{"0", "0", "1", "-1"}})
		}},
		{"explore", func() (json.RawMessage, error) {
			return Explore(x, y, []Clustering{{Value: 2, Labels: []int{0, 0, 1, -1}, Clusters: 2, Noise: 0.25}, {Value: 3, Labels: []int{0, 0, 0, -1}, Clusters: 1, Noise: 0.25}}, ExploreOptions{Param: "min_cluster_size"})
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			raw, err := tc.raw()
			if err != nil {
				t.Fatal(err)
			}
			var found struct {
				Rows string
				// The first field of each tooltip: the scatter's and,
				// in explore, the line charts'.
				Tips []any
			}
			// The explore chart nests the scatter among its panels.
			var walk func(v any)
			walk = func(v any) {
				switch v := v.(type) {
				case map[string]any:
					if vals, ok := v["values"].([]any); ok && len(vals) == 1 {
						if row, ok := vals[0].(map[string]any); ok && row["i"] != nil {
							b, _ := json.Marshal(row["i"])
							found.Rows = string(b)
						}
					}
					if tips, ok := v["tooltip"].([]any); ok && len(tips) > 0 {
						found.Tips = append(found.Tips, tips[0])
					}
					for _, c := range v {
						walk(c)
					}
				case []any:
					for _, c := range v {
						walk(c)
					}
				}
			}
			var doc any
			if err := json.Unmarshal(raw, &doc); err != nil {
				t.Fatal(err)
			}
			walk(doc)
			if found.Rows != "[3,0,1,2]" {
				t.Errorf("row numbers %s, want [3,0,1,2]: noise drawn first", found.Rows)
			}
			want := map[string]any{"field": "i", "type": "quantitative", "title": "row", "format": "d"}
			if !slices.ContainsFunc(found.Tips, func(tip any) bool { return reflect.DeepEqual(tip, want) }) {
				t.Errorf("first tooltip fields %v; want the scatter's to be the row number", found.Tips)
			}
		})
	}
}

func TestScatterSamplesAboveMaxPoints(t *testing.T) {
	n := MaxPoints + 5000
	x, y := make([]float64, n), make([]float64, n)
	for i := range x {
		x[i], y[i] = float64(i%1000), float64(i/1000)
	}
	a, err := Scatter(x, y, ScatterOptions{Title: "big", Seed: 3})
	if err != nil {
		t.Fatal(err)
	}
	b, _ := Scatter(x, y, ScatterOptions{Title: "big", Seed: 3})
	if string(a) != string(b) {
		t.Error("the same seed gave different samples")
	}
	s := decode(t, a)
	var xs []float64
	json.Unmarshal(s.Data.Values[0]["x"], &xs)
	if len(xs) != MaxPoints {
		t.Errorf("%d points carried, want %d", len(xs), MaxPoints)
	}
	if want := "big (a random sample of 100,000 of 105,000 points (seed 3))"; s.Title != want {
		t.Errorf("title %q, want %q", s.Title, want)
	}
}

func TestScatterRefusesMismatchedInput(t *testing.T) {
	x := []float64{1, 2, 3}
	for _, tc := range []struct {
		name string
		opts ScatterOptions
		want string
	}{
		{"labels", ScatterOptions{Labels: []string{"0"}}, "1 labels for 3 points"},
		{"both", ScatterOptions{Labels: []string{"0", "0", "1"}, Values: x}, "not both"},
		{"probabilities", ScatterOptions{Probabilities: []float64{1}}, "1 probabilities for 3 points"},
		{"id", ScatterOptions{ID: &Column{Name: "id", Text: []string{"a"}}}, "column id"},
		{"too many", ScatterOptions{Tooltip: make([]Column, 6)}, "at most 5"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Scatter(x, x, tc.opts)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v, want one saying %q", err, tc.want)
			}
		})
	}
	if _, err := Scatter(nil, nil, ScatterOptions{}); err == nil {
		t.Error("no points: no error")
	}
}

func TestAppendNumber(t *testing.T) {
	for _, tc := range []struct {
		x    float64
		d    int
		want string
	}{
		{1.23456, 2, "1.23"}, {1.2, 2, "1.2"}, {3, 2, "3"}, {-0.001, 2, "0"}, {1234.5, 0, "1234"}, {math.NaN(), 2, "null"}, {-2.505, 1, "-2.5"},
	} {
		if got := string(appendNumber(nil, tc.x, tc.d)); got != tc.want {
			t.Errorf("appendNumber(%v, %d) = %s, want %s", tc.x, tc.d, got, tc.want)
		}
	}
}

func TestLinesAndBar(t *testing.T) {
	raw, err := Lines("min_cluster_size", []float64{10, 25, 50}, []plot.Series{{Name: "clusters", Y: []float64{8, 5, 3}}, {Name: "ARI with next value", Y: []float64{0.9, 0.8, math.NaN()}}}, "sweep")
	if err != nil {
		t.Fatal(err)
	}
	if s := decode(t, raw); len(s.Data.Values) != 5 {
		t.Errorf("%d rows, want 5 (the missing ARI left out)", len(s.Data.Values))
	}
	if _, err := Bar([]string{"energy", "tempo"}, []float64{0.5, 0.2}, "Cluster 0"); err != nil {
		t.Fatal(err)
	}
	if _, err := Bar([]string{"energy"}, nil, ""); err == nil {
		t.Error("a bar without a value: no error")
	}
}

// BenchmarkScatterBytes measures the notebook bytes a scatter's spec costs
// per 10,000 points, with clusters, probabilities, an id and five tooltip
// columns, as plot(emb, color=cl) of the example tracks carries.
func BenchmarkScatterBytes(b *testing.B) {
	for _, n := range []int{10_000, 70_000} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			x, y, labels, prob, ids, genre, energy := blobs(n, 12, 2)
			tips := []Column{{Name: "genre", Text: genre}}
			for k := range 4 {
				tips = append(tips, Column{Name: fmt.Sprint("f", k), Numbers: energy[k:]})
				tips[len(tips)-1].Numbers = append(tips[len(tips)-1].Numbers, energy[:k]...)
			}
			var size int
			for b.Loop() {
				raw, err := Scatter(x, y, ScatterOptions{Labels: labels, Probabilities: prob, ID: &Column{Name: "track_id", Text: ids}, Tooltip: tips})
				if err != nil {
					b.Fatal(err)
				}
				size = len(raw)
			}
			b.ReportMetric(float64(size)/float64(n)*10_000, "bytes/10k-points")
			b.ReportMetric(float64(size), "bytes")
		})
	}
}
