package vegalite

import (
	"encoding/json"
	"strings"
	"testing"
)

// exploreSteps are three clusterings of blobs: as they are, with two
// clusters merged, and with everything noise.
func exploreSteps(labels []string) []Clustering {
	steps := []Clustering{{Value: 10}, {Value: 25}, {Value: 50}}
	for k := range steps {
		s := &steps[k]
		noise := 0
		seen := map[int]bool{}
		for _, l := range labels {
			v := map[string]int{"-1": -1, "0": 0, "1": 1, "2": 2, "3": 3, "4": 4}[l]
			switch k {
			case 1:
				v = min(v, 2)
			case 2:
				v = -1
			}
			s.Labels = append(s.Labels, v)
			if v < 0 {
				noise++
			} else {
				seen[v] = true
			}
		}
		s.Clusters, s.Noise = len(seen), float64(noise)/float64(len(labels))
	}
	return steps
}

func exploreSpecs(t *testing.T) map[string]json.RawMessage {
	x, y, labels, _, ids, genre, _ := blobs(2000, 5, 4)
	raw, err := Explore(x, y, exploreSteps(labels), ExploreOptions{Param: "min_cluster_size", Title: "explore", ID: &Column{Name: "track_id", Text: ids}, Tooltip: []Column{{Name: "genre", Text: genre}}, Initial: 1})
	if err != nil {
		t.Fatal(err)
	}
	return map[string]json.RawMessage{"explore": raw}
}

func TestExploreCarriesALabelPerValue(t *testing.T) {
	raw := exploreSpecs(t)["explore"]
	var s struct {
		Hconcat []struct {
			Data      struct{ Values []map[string]json.RawMessage }
			Selection map[string]map[string]any
			Vconcat   []any
		}
	}
	if err := json.Unmarshal(raw, &s); err != nil {
		t.Fatal(err)
	}
	if len(s.Hconcat) != 2 || len(s.Hconcat[1].Vconcat) != 2 {
		t.Fatalf("want a scatter beside two summary charts: %.300s", raw)
	}
	row := s.Hconcat[0].Data.Values[0]
	for _, k := range []string{"l0", "l1", "l2"} {
		var codes []int
		if err := json.Unmarshal(row[k], &codes); err != nil || len(codes) != 2000 {
			t.Errorf("labels %s: %d, %v", k, len(codes), err)
		}
	}
	bind, _ := s.Hconcat[0].Selection[slider]["bind"].(map[string]any)
	if bind["input"] != "range" || bind["max"] != 2.0 {
		t.Errorf("slider %v: want a range input over the 3 values", bind)
	}
	if !strings.Contains(string(raw), "datum['l' + pick_k]") {
		t.Error("the colour does not follow the slider")
	}
}

func TestExploreRefusesBadInput(t *testing.T) {
	x := []float64{1, 2}
	for _, tc := range []struct {
		name  string
		steps []Clustering
		opts  ExploreOptions
		want  string
	}{
		{"none", nil, ExploreOptions{}, "no clusterings"},
		{"short", []Clustering{{Value: 5, Labels: []int{0}}}, ExploreOptions{}, "1 labels for 2 points"},
		{"initial", []Clustering{{Value: 5, Labels: []int{0, 0}}}, ExploreOptions{Initial: 3}, "initial clustering 3"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := Explore(x, x, tc.steps, tc.opts); err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v, want one saying %q", err, tc.want)
			}
		})
	}
}
