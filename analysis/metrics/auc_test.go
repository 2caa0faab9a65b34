package metrics

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"
)

func TestROCAUC(t *testing.T) {
	for _, tc := range []struct {
		name   string
		labels []bool
		scores []float64
		want   float64
	}{
		{"perfect", []bool{false, false, true, true}, []float64{0.1, 0.2, 0.8, 0.9}, 1},
		{"reversed", []bool{true, true, false, false}, []float64{0.1, 0.2, 0.8, 0.9}, 0},
		{"all tied", []bool{true, false, true, false}, []float64{1, 1, 1, 1}, 0.5},
		// sklearn.metrics.roc_auc_score([0,0,1,1,0,1], [0.1,0.4,0.35,0.8,0.4,0.4]) = 0.666...
		{"ties across classes", []bool{false, false, true, true, false, true}, []float64{0.1, 0.4, 0.35, 0.8, 0.4, 0.4}, 6.0 / 9},
		{"infinite scores", []bool{false, true}, []float64{math.Inf(-1), math.Inf(1)}, 1},
	} {
		got, err := ROCAUC(tc.labels, tc.scores)
		if err != nil || math.Abs(got-tc.want) > 1e-15 {
			t.Errorf("%s: %v, %v; want %v", tc.name, got, err, tc.want)
		}
	}
}

// The AUC is the fraction of (positive, negative) pairs ordered right,
// ties counting half.
func TestROCAUCCountsPairs(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 1))
	for trial := 0; trial < 20; trial++ {
		n := 2 + rng.IntN(60)
		labels := make([]bool, n)
		scores := make([]float64, n)
		for i := range labels {
			labels[i] = i%2 == 0 || rng.IntN(3) == 0
			scores[i] = float64(rng.IntN(8)) // many ties
		}
		labels[1] = false
		var good, pairs float64
		for i := range labels {
			for j := range labels {
				if labels[i] && !labels[j] {
					pairs++
					switch {
					case scores[i] > scores[j]:
						good++
					case scores[i] == scores[j]:
						good += 0.5
					}
				}
			}
		}
		got, err := ROCAUC(labels, scores)
		if err != nil || math.Abs(got-good/pairs) > 1e-12 {
			t.Fatalf("trial %d: %v, %v; counting pairs gives %v", trial, got, err, good/pairs)
		}
	}
}

func TestROCAUCRejects(t *testing.T) {
	for _, tc := range []struct {
		name   string
		labels []bool
		scores []float64
		want   string
	}{
		{"lengths", []bool{true}, []float64{1, 2}, "1 labels but 2 scores"},
		{"one class", []bool{true, true}, []float64{1, 2}, "needs both classes"},
		{"empty", nil, nil, "needs both classes"},
		{"NaN", []bool{true, false}, []float64{math.NaN(), 1}, "score 0 is NaN"},
	} {
		_, err := ROCAUC(tc.labels, tc.scores)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want one mentioning %q", tc.name, err, tc.want)
		}
	}
}
