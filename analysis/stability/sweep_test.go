package stability

import (
	"context"
	"math"
	"reflect"
	"strings"
	"testing"

	"github.com/reckon-dev/reckon/analysis/hdbscan"
	"github.com/reckon-dev/reckon/analysis/metrics"
)

// Every way of sweeping gives, at each value, the clustering a fit at that
// value gives, and compares it with the next one.
func TestSweepMatchesFitsAtEachValue(t *testing.T) {
	x := blobs()
	ctx := context.Background()
	base, err := hdbscan.Fit(ctx, x, hdbscan.Options{MinSamples: 5, Selection: hdbscan.Selection{MinClusterSize: 40}})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		s    SweepSettings
		fit  func(v int) hdbscan.Options
	}{
		{"min_cluster_size, hierarchy per value", SweepSettings{Vary: MinClusterSize, Values: []int{10, 20, 150}},
			func(v int) hdbscan.Options { return hdbscan.Options{Selection: hdbscan.Selection{MinClusterSize: v}} }},
		{"min_cluster_size, reselected", SweepSettings{Vary: MinClusterSize, Values: []int{10, 20, 150}, HDBSCAN: hdbscan.Options{MinSamples: 5}},
			func(v int) hdbscan.Options {
				return hdbscan.Options{MinSamples: 5, Selection: hdbscan.Selection{MinClusterSize: v}}
			}},
		{"min_cluster_size, from a fitted hierarchy", SweepSettings{Vary: MinClusterSize, Values: []int{10, 20, 150}, Hierarchy: base},
			func(v int) hdbscan.Options {
				return hdbscan.Options{MinSamples: 5, Selection: hdbscan.Selection{MinClusterSize: v}}
			}},
		{"min_samples", SweepSettings{Vary: MinSamples, Values: []int{1, 5, 30}, HDBSCAN: hdb},
			func(v int) hdbscan.Options { o := hdb; o.MinSamples = v; return o }},
	} {
		steps, err := Sweep(ctx, x, tc.s)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if len(steps) != len(tc.s.Values) {
			t.Fatalf("%s: %d steps for %d values", tc.name, len(steps), len(tc.s.Values))
		}
		for i, st := range steps {
			want, err := hdbscan.Fit(ctx, x, tc.fit(st.Value))
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(st.Result.Labels, want.Labels) {
				t.Errorf("%s: at %d the labels differ from a fit's", tc.name, st.Value)
			}
			noise, largest := 0, map[int]int{}
			for _, l := range want.Labels {
				if l < 0 {
					noise++
				} else {
					largest[l]++
				}
			}
			most := 0
			for _, k := range largest {
				most = max(most, k)
			}
			if st.Largest != most {
				t.Errorf("%s: largest %d, want %d", tc.name, st.Largest, most)
			}
			if st.Noise != float64(noise)/300 {
				t.Errorf("%s: noise %v, want %v", tc.name, st.Noise, float64(noise)/300)
			}
			if i+1 == len(steps) {
				if !math.IsNaN(st.ARINext) {
					t.Errorf("%s: the last value has an ARI with a next one: %v", tc.name, st.ARINext)
				}
				continue
			}
			ari, _ := metrics.AdjustedRandIndex(st.Result.Labels, steps[i+1].Result.Labels)
			if st.ARINext != ari {
				t.Errorf("%s: ARI with next %v, want %v", tc.name, st.ARINext, ari)
			}
		}
	}
	// Three blobs of 100: 150 is more than any cluster holds.
	steps, _ := Sweep(ctx, x, SweepSettings{Vary: MinClusterSize, Values: []int{20, 150}})
	if steps[0].Result.NumClusters() != 3 || steps[0].Largest < 90 || steps[0].ARINext >= 1 {
		t.Errorf("at 20: %d clusters, largest %d, ARI %v", steps[0].Result.NumClusters(), steps[0].Largest, steps[0].ARINext)
	}
}

func TestSweepRefusesBadSettings(t *testing.T) {
	for _, tc := range []struct {
		s    SweepSettings
		want string
	}{
		{SweepSettings{Vary: "alpha", Values: []int{1}}, `not "alpha"`},
		{SweepSettings{Vary: MinSamples}, "at least one value"},
		{SweepSettings{Vary: MinClusterSize, Values: []int{20, 1}}, "min_cluster_size=1"},
	} {
		if _, err := Sweep(context.Background(), blobs(), tc.s); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%+v: %v, want an error with %q", tc.s, err, tc.want)
		}
	}
}
