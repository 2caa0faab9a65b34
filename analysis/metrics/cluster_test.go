package metrics

import (
	"context"
	"math"
	"math/rand/v2"
	"runtime"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/reckon-dev/reckon/internal/pyref"
)

// sklearnJSON runs a scikit-learn script on in, given as JSON, and
// decodes its output into out.
func sklearnJSON(t *testing.T, script string, in, out any) {
	t.Helper()
	pyref.Require(t, "python3-sklearn", "sklearn", "numpy")
	pyref.JSON(t, script, in, out)
}

// labelPair is a fixed pair of labellings to score.
type labelPair struct {
	name string
	a, b []int
}

func randomLabels(rng *rand.Rand, n, k int, noise float64) []int {
	l := make([]int, n)
	for i := range l {
		if rng.Float64() < noise {
			l[i] = -1
		} else {
			l[i] = rng.IntN(k)
		}
	}
	return l
}

// perturbed copies l and relabels a fraction of its rows at random.
func perturbed(rng *rand.Rand, l []int, frac float64, k int) []int {
	out := append([]int(nil), l...)
	for i := range out {
		if rng.Float64() < frac {
			out[i] = rng.IntN(k+1) - 1
		}
	}
	return out
}

func labelPairs() []labelPair {
	rng := rand.New(rand.NewPCG(2024, 11))
	base := randomLabels(rng, 500, 6, 0.1)
	big := randomLabels(rng, 3000, 25, 0.05)
	renamed := make([]int, len(base))
	for i, l := range base {
		renamed[i] = map[int]int{-1: 7, 0: 3, 1: 0, 2: 5, 3: 1, 4: 2, 5: -1}[l]
	}
	return []labelPair{
		{"identical", base, base},
		{"renamed", base, renamed},
		{"slightly perturbed", base, perturbed(rng, base, 0.1, 6)},
		{"heavily perturbed", base, perturbed(rng, base, 0.7, 6)},
		{"independent", base, randomLabels(rng, 500, 4, 0)},
		{"many clusters", big, perturbed(rng, big, 0.3, 25)},
		{"one cluster each", make([]int, 50), make([]int, 50)},
		{"one against two", make([]int, 50), append(make([]int, 25), []int{1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1}...)},
		{"all singletons", []int{0, 1, 2, 3, 4, 5}, []int{5, 4, 3, 2, 1, 0}},
		{"tiny", []int{0, 0, 1, 1}, []int{0, 1, 0, 1}},
	}
}

const sklearnScores = `
import json, sys, warnings
import numpy as np
from sklearn.metrics import adjusted_rand_score, adjusted_mutual_info_score, silhouette_score, jaccard_score
warnings.simplefilter("ignore")
cfg = json.load(sys.stdin)
out = {"ari": [], "ami": [], "jaccard": [], "silhouette": []}
for a, b in cfg["pairs"]:
    a, b = np.array(a), np.array(b)
    out["ari"].append(adjusted_rand_score(a, b))
    out["ami"].append(adjusted_mutual_info_score(a, b))
    best = []
    for c in sorted(set(a.tolist()) - {-1}):
        scores = [(jaccard_score(a == c, b == o), o) for o in sorted(set(b.tolist()) - {-1})]
        scores = [s for s in scores if s[0] > 0]
        best.append(max(scores, key=lambda s: (s[0], -s[1])) if scores else (0.0, -1))
    out["jaccard"].append(best)
for X, labels in cfg["silhouette"]:
    out["silhouette"].append(float(silhouette_score(np.array(X), np.array(labels))))
json.dump(out, sys.stdout)
`

func silhouetteCases() []struct {
	X      *mat.Dense
	labels []int
} {
	rng := rand.New(rand.NewPCG(7, 7))
	var cases []struct {
		X      *mat.Dense
		labels []int
	}
	for _, c := range []struct{ n, d, k int }{{120, 2, 3}, {300, 5, 4}, {80, 3, 2}} {
		X := mat.NewDense(c.n, c.d, nil)
		labels := make([]int, c.n)
		for i := range c.n {
			labels[i] = i % c.k
			for j := range c.d {
				X.Set(i, j, float64(labels[i]*2)+rng.NormFloat64())
			}
		}
		cases = append(cases, struct {
			X      *mat.Dense
			labels []int
		}{X, labels})
	}
	// noise as a label, a lone row, and exact duplicates
	X := mat.NewDense(40, 2, nil)
	labels := make([]int, 40)
	for i := range 40 {
		labels[i] = i%3 - 1
		X.Set(i, 0, float64(i%3)+rng.NormFloat64()*0.2)
		X.Set(i, 1, float64(i%5/2))
	}
	labels[39] = 9
	cases = append(cases, struct {
		X      *mat.Dense
		labels []int
	}{X, labels})
	return cases
}

func rowsOf(m *mat.Dense) [][]float64 {
	r, _ := m.Dims()
	out := make([][]float64, r)
	for i := range out {
		out[i] = m.RawRowView(i)
	}
	return out
}

// TestMatchesScikitLearn scores fixed labellings and data with
// scikit-learn and compares.
func TestClusterScoresMatchScikitLearn(t *testing.T) {
	pairs := labelPairs()
	sil := silhouetteCases()
	in := map[string]any{}
	var ps [][2][]int
	for _, p := range pairs {
		ps = append(ps, [2][]int{p.a, p.b})
	}
	in["pairs"] = ps
	var ss [][2]any
	for _, c := range sil {
		ss = append(ss, [2]any{rowsOf(c.X), c.labels})
	}
	in["silhouette"] = ss
	var want struct {
		ARI, AMI   []float64
		Jaccard    [][][2]float64
		Silhouette []float64
	}
	sklearnJSON(t, sklearnScores, in, &want)
	for i, p := range pairs {
		ari, err := AdjustedRandIndex(p.a, p.b)
		if err != nil {
			t.Fatal(err)
		}
		if math.Abs(ari-want.ARI[i]) > 1e-14 {
			t.Errorf("%s: ARI %v, scikit-learn %v", p.name, ari, want.ARI[i])
		}
		ami, err := AdjustedMutualInfo(p.a, p.b)
		if err != nil {
			t.Fatal(err)
		}
		if math.Abs(ami-want.AMI[i]) > 1e-10 {
			t.Errorf("%s: AMI %v, scikit-learn %v", p.name, ami, want.AMI[i])
		}
		rec, err := JaccardRecovery(p.a, p.b)
		if err != nil {
			t.Fatal(err)
		}
		if len(rec) != len(want.Jaccard[i]) {
			t.Fatalf("%s: %d clusters recovered, scikit-learn %d", p.name, len(rec), len(want.Jaccard[i]))
		}
		for j, r := range rec {
			w := want.Jaccard[i][j]
			if math.Abs(r.Jaccard-w[0]) > 1e-14 || r.Match != int(w[1]) {
				t.Errorf("%s: cluster %d best match %d at %v, scikit-learn %v at %v", p.name, r.Cluster, r.Match, r.Jaccard, w[1], w[0])
			}
		}
	}
	for i, c := range sil {
		s, err := Silhouette(context.Background(), c.X, c.labels, SilhouetteOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if math.Abs(s-want.Silhouette[i]) > 1e-9 {
			t.Errorf("silhouette case %d: %v, scikit-learn %v", i, s, want.Silhouette[i])
		}
	}
}

func TestScoresOfIdenticalPartitions(t *testing.T) {
	for _, p := range labelPairs()[:2] {
		for _, f := range []func([]int, []int) (float64, error){AdjustedRandIndex, AdjustedMutualInfo} {
			v, err := f(p.a, p.b)
			if err != nil || math.Abs(v-1) > 1e-12 {
				t.Fatalf("%s: %v, %v; want 1", p.name, v, err)
			}
		}
	}
	rec, err := JaccardRecovery(labelPairs()[0].a, labelPairs()[0].b)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rec {
		if r.Jaccard != 1 || r.Match != r.Cluster {
			t.Fatalf("cluster %d recovered by %d at %v", r.Cluster, r.Match, r.Jaccard)
		}
	}
}

// TestScoresAreSymmetric: ARI and AMI do not depend on which labelling
// comes first.
func TestScoresAreSymmetric(t *testing.T) {
	for _, p := range labelPairs() {
		for _, f := range []func([]int, []int) (float64, error){AdjustedRandIndex, AdjustedMutualInfo} {
			x, _ := f(p.a, p.b)
			y, _ := f(p.b, p.a)
			if math.Abs(x-y) > 1e-12 {
				t.Fatalf("%s: %v one way, %v the other", p.name, x, y)
			}
		}
	}
}

func TestJaccardRecoveryByHand(t *testing.T) {
	ref := []int{0, 0, 0, 0, 1, 1, 1, -1, 2, 2}
	other := []int{5, 5, 5, -1, 6, 6, 5, 6, -1, -1}
	got, err := JaccardRecovery(ref, other)
	if err != nil {
		t.Fatal(err)
	}
	want := []Recovery{
		{Cluster: 0, Size: 4, Match: 5, Jaccard: 3.0 / 5}, // {0,1,2} of {0,1,2,3} ∪ {0,1,2,6}
		{Cluster: 1, Size: 3, Match: 6, Jaccard: 2.0 / 4}, // {4,5} of {4,5,6} ∪ {4,5,7}
		{Cluster: 2, Size: 2, Match: -1, Jaccard: 0},      // all noise in other
	}
	if len(got) != len(want) {
		t.Fatalf("got %+v", got)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("entry %d: %+v, want %+v", i, got[i], want[i])
		}
	}
}

func TestSilhouetteSameForAnyGOMAXPROCS(t *testing.T) {
	c := silhouetteCases()[1]
	run := func(procs int) float64 {
		defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(procs))
		s, err := Silhouette(context.Background(), c.X, c.labels, SilhouetteOptions{SampleSize: 250, Seed: 3})
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	if a, b := run(1), run(4); a != b {
		t.Fatalf("GOMAXPROCS 1 gives %v, 4 gives %v", a, b)
	}
}

func TestSilhouetteSampling(t *testing.T) {
	c := silhouetteCases()[1]
	full, err := Silhouette(context.Background(), c.X, c.labels, SilhouetteOptions{})
	if err != nil {
		t.Fatal(err)
	}
	a, err := Silhouette(context.Background(), c.X, c.labels, SilhouetteOptions{SampleSize: 200, Seed: 5})
	if err != nil {
		t.Fatal(err)
	}
	b, _ := Silhouette(context.Background(), c.X, c.labels, SilhouetteOptions{SampleSize: 200, Seed: 5})
	if a != b {
		t.Fatalf("the same seed gives %v and %v", a, b)
	}
	if math.Abs(a-full) > 0.05 {
		t.Fatalf("sampled %v is far from the full %v", a, full)
	}
	all, _ := Silhouette(context.Background(), c.X, c.labels, SilhouetteOptions{SampleSize: 1000})
	if all != full {
		t.Fatalf("a sample larger than the data gives %v, not %v", all, full)
	}
}

func TestClusterScoresBadInput(t *testing.T) {
	for _, f := range []func([]int, []int) (float64, error){AdjustedRandIndex, AdjustedMutualInfo} {
		if _, err := f([]int{1, 2}, []int{1}); err == nil || !strings.Contains(err.Error(), "2 and 1 rows") {
			t.Fatalf("length mismatch: %v", err)
		}
		if _, err := f(nil, nil); err == nil || !strings.Contains(err.Error(), "empty") {
			t.Fatalf("empty: %v", err)
		}
	}
	if _, err := JaccardRecovery([]int{1}, nil); err == nil {
		t.Fatal("JaccardRecovery accepted a length mismatch")
	}
	X := mat.NewDense(4, 1, []float64{0, 1, 2, 3})
	ctx := context.Background()
	for _, tc := range []struct {
		name   string
		X      *mat.Dense
		labels []int
		opts   SilhouetteOptions
		want   string
	}{
		{"no data", nil, nil, SilhouetteOptions{}, "no rows"},
		{"label count", X, []int{0, 1}, SilhouetteOptions{}, "2 labels for 4 rows"},
		{"one label", X, []int{0, 0, 0, 0}, SilhouetteOptions{}, "between 2 and 3 distinct labels, got 1"},
		{"all distinct", X, []int{0, 1, 2, 3}, SilhouetteOptions{}, "got 4"},
		{"NaN", mat.NewDense(3, 1, []float64{0, math.NaN(), 1}), []int{0, 1, 1}, SilhouetteOptions{}, "row 1, column 0 holds NaN"},
		{"negative sample", X, []int{0, 0, 1, 1}, SilhouetteOptions{SampleSize: -1}, "sample size -1"},
	} {
		if _, err := Silhouette(ctx, tc.X, tc.labels, tc.opts); err == nil || !strings.Contains(err.Error(), tc.want) || !strings.HasPrefix(err.Error(), "metrics: ") {
			t.Errorf("%s: error %v, want one containing %q", tc.name, err, tc.want)
		}
	}
}

func TestSilhouetteCancellation(t *testing.T) {
	c := silhouetteCases()[1]
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Silhouette(ctx, c.X, c.labels, SilhouetteOptions{}); err == nil || !strings.Contains(err.Error(), "canceled") {
		t.Fatalf("error %v, want a cancellation", err)
	}
}
