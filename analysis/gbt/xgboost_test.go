package gbt

import (
	"bytes"
	"context"
	"math"
	"os"
	"path/filepath"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/reckon-dev/reckon/analysis/gbt/xgbtest"
	"github.com/reckon-dev/reckon/analysis/metrics"
)

func readXGBoost(t *testing.T, path string) *Model {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	m, err := ReadXGBoostJSON(f)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// When every feature has fewer distinct values than max_bin, XGBoost's
// quantile sketch keeps them all, so both implementations see the same
// bins and must grow the same trees: same splits, thresholds, default
// directions and covers, and leaf values equal up to XGBoost's float32
// gradients.
func TestTreesMatchXGBoost(t *testing.T) {
	X, y := synthetic(600, 6, 1, 0.1, true)
	const rounds = 8
	cases := []struct {
		name   string
		s      Settings
		params map[string]any
	}{
		{"defaults", Settings{}, map[string]any{}},
		{"stumps", Settings{MaxDepth: 1}, map[string]any{"max_depth": 1}},
		{"depth 2", Settings{MaxDepth: 2}, map[string]any{"max_depth": 2}},
		{"shallow slow", Settings{MaxDepth: 3, LearningRate: 0.1}, map[string]any{"max_depth": 3, "eta": 0.1}},
		{"deep", Settings{MaxDepth: 10}, map[string]any{"max_depth": 10}},
		{"no lambda", Settings{MaxDepth: 4, Lambda: new(0.0)}, map[string]any{"max_depth": 4, "lambda": 0}},
		{"alpha", Settings{MaxDepth: 4, Alpha: 0.7}, map[string]any{"max_depth": 4, "alpha": 0.7}},
		{"gamma", Settings{MaxDepth: 5, Gamma: 2}, map[string]any{"max_depth": 5, "gamma": 2}},
		{"min child weight", Settings{MaxDepth: 5, MinChildWeight: new(8.0)}, map[string]any{"max_depth": 5, "min_child_weight": 8}},
		{"no min child weight", Settings{MaxDepth: 3, MinChildWeight: new(0.0)}, map[string]any{"max_depth": 3, "min_child_weight": 0}},
		{"scale pos weight", Settings{MaxDepth: 4, ScalePosWeight: 3}, map[string]any{"max_depth": 4, "scale_pos_weight": 3}},
		{"base score", Settings{MaxDepth: 4, BaseScore: 0.2}, map[string]any{"max_depth": 4, "base_score": 0.2}},
	}
	var params []map[string]any
	for _, tc := range cases {
		tc.params["nthread"] = 1
		params = append(params, tc.params)
	}
	refs := xgbtest.Train(t, X, y, rounds, params...)
	for i, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			tc.s.NEstimators = rounds
			m, err := Train(context.Background(), X, y, tc.s)
			if err != nil {
				t.Fatal(err)
			}
			ref := readXGBoost(t, refs[i].Path)
			if len(m.Trees) != len(ref.Trees) {
				t.Fatalf("%d trees, XGBoost %d", len(m.Trees), len(ref.Trees))
			}
			if m.BaseScore != float64(float32(ref.BaseScore)) && math.Abs(m.BaseScore-ref.BaseScore) > 1e-7 {
				t.Fatalf("base score %v, XGBoost %v", m.BaseScore, ref.BaseScore)
			}
			for ti := range m.Trees {
				ours, theirs := m.Trees[ti].Nodes, ref.Trees[ti].Nodes
				if len(ours) != len(theirs) {
					t.Fatalf("tree %d has %d nodes, XGBoost's %d", ti, len(ours), len(theirs))
				}
				for i := range ours {
					a, b := ours[i], theirs[i]
					if a.Left != b.Left || a.Right != b.Right || a.Feature != b.Feature || a.Threshold != b.Threshold || a.DefaultLeft != b.DefaultLeft {
						t.Fatalf("tree %d node %d differs:\n ours    %+v\n XGBoost %+v", ti, i, a, b)
					}
					if !close(float64(a.Value), float64(b.Value), 1e-5) || !close(a.Cover, b.Cover, 1e-5) || !close(a.Gain, b.Gain, 1e-4) {
						t.Fatalf("tree %d node %d values differ:\n ours    %+v\n XGBoost %+v", ti, i, a, b)
					}
				}
			}
		})
	}
}

func close(a, b, tol float64) bool {
	return math.Abs(a-b) <= tol*math.Max(1, math.Max(math.Abs(a), math.Abs(b)))
}

// An exported model loads into XGBoost, which then puts every row into the
// same leaf of every tree, sums the margin to the same float32 bits and
// gives the same probability.
func TestExportedModelPredictsIdenticallyInXGBoost(t *testing.T) {
	xgbtest.Require(t)
	X, y := synthetic(800, 7, 2, 0.15, false)
	m, err := Train(context.Background(), X, y, Settings{NEstimators: 20, Subsample: 0.8, ColsampleByTree: 0.7, Seed: 3})
	if err != nil {
		t.Fatal(err)
	}
	m.FeatureNames = []string{"a", "b", "c", "d", "e", "f", "g g"}
	path := filepath.Join(t.TempDir(), "model.json")
	if err := m.SaveXGBoost(path); err != nil {
		t.Fatal(err)
	}
	test, _ := synthetic(500, 7, 99, 0.15, false)
	pred := xgbtest.Predict(t, path, test)
	ours, err := m.PredictMargin(context.Background(), test)
	if err != nil {
		t.Fatal(err)
	}
	proba, err := m.PredictProba(context.Background(), test)
	if err != nil {
		t.Fatal(err)
	}
	nt := len(m.Trees)
	for i := 0; i < 500; i++ {
		x := test.RawRowView(i)
		for ti := range m.Trees {
			if got, want := m.Trees[ti].Leaf(x), int(pred.Leaves[i*nt+ti]); got != want {
				t.Fatalf("row %d tree %d: leaf %d, XGBoost %d", i, ti, got, want)
			}
		}
		if got, want := marginFloat32(m, x), pred.Margin[i]; got != want {
			t.Fatalf("row %d: float32 margin %v, XGBoost %v", i, got, want)
		}
		if math.Abs(ours[i]-float64(pred.Margin[i])) > 1e-5 {
			t.Fatalf("row %d: margin %v, XGBoost %v", i, ours[i], pred.Margin[i])
		}
		if math.Abs(proba[i]-float64(pred.Prob[i])) > 1e-6 {
			t.Fatalf("row %d: probability %v, XGBoost %v", i, proba[i], pred.Prob[i])
		}
	}
}

// Reading back an exported model gives the same model, up to the float32
// precision of XGBoost's covers and gains.
func TestXGBoostJSONRoundTrip(t *testing.T) {
	X, y := synthetic(300, 4, 5, 0.2, false)
	m, err := Train(context.Background(), X, y, Settings{NEstimators: 5})
	if err != nil {
		t.Fatal(err)
	}
	m.FeatureNames = []string{"w", "x", "y", "z"}
	var buf bytes.Buffer
	if err := m.WriteXGBoostJSON(&buf); err != nil {
		t.Fatal(err)
	}
	back, err := ReadXGBoostJSON(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if back.NumFeatures != m.NumFeatures || back.BaseScore != m.BaseScore || len(back.Trees) != len(m.Trees) {
		t.Fatalf("read back %d features, base %v, %d trees", back.NumFeatures, back.BaseScore, len(back.Trees))
	}
	for i, name := range m.FeatureNames {
		if back.FeatureNames[i] != name {
			t.Fatalf("feature names %q, want %q", back.FeatureNames, m.FeatureNames)
		}
	}
	for ti := range m.Trees {
		for i, a := range m.Trees[ti].Nodes {
			b := back.Trees[ti].Nodes[i]
			if a.Left != b.Left || a.Right != b.Right || a.Feature != b.Feature || a.Threshold != b.Threshold ||
				a.DefaultLeft != b.DefaultLeft || a.Value != b.Value ||
				float32(a.Cover) != float32(b.Cover) || float32(a.Gain) != float32(b.Gain) {
				t.Fatalf("tree %d node %d: wrote %+v, read %+v", ti, i, a, b)
			}
		}
	}
}

func TestReadXGBoostJSONRejects(t *testing.T) {
	for _, tc := range []struct{ name, json string }{
		{"not json", "{"},
		{"objective", `{"learner":{"objective":{"name":"reg:squarederror"},"gradient_booster":{"name":"gbtree"},"learner_model_param":{"num_feature":"2"}}}`},
		{"booster", `{"learner":{"objective":{"name":"binary:logistic"},"gradient_booster":{"name":"gblinear"},"learner_model_param":{"num_feature":"2"}}}`},
		{"lengths", `{"learner":{"objective":{"name":"binary:logistic"},"gradient_booster":{"name":"gbtree","model":{"trees":[{"left_children":[1,-1,-1],"right_children":[2,-1]}]}},"learner_model_param":{"num_feature":"2","base_score":"5E-1"}}}`},
		{"cycle", `{"learner":{"objective":{"name":"binary:logistic"},"gradient_booster":{"name":"gbtree","model":{"trees":[{"left_children":[1,0],"right_children":[1,0],"split_conditions":[0.5,0.5],"split_indices":[0,0],"default_left":[0,0],"sum_hessian":[1.0,1.0],"base_weights":[0.0,0.0]}]}},"learner_model_param":{"num_feature":"2","base_score":"5E-1"}}}`},
	} {
		if _, err := ReadXGBoostJSON(bytes.NewBufferString(tc.json)); err == nil {
			t.Errorf("%s: no error", tc.name)
		}
	}
}

// On a problem with continuous features (where the two implementations'
// quantiles differ a little) the hold-out AUC matches XGBoost's.
func TestHoldoutAUCCloseToXGBoost(t *testing.T) {
	xgbtest.Require(t)
	X, y := synthetic(3000, 10, 7, 0.05, false)
	train := X.Slice(0, 2000, 0, 10).(*mat.Dense)
	test := X.Slice(2000, 3000, 0, 10).(*mat.Dense)
	m, err := Train(context.Background(), train, y[:2000], Settings{NEstimators: 50, MaxDepth: 4, MaxBin: 32})
	if err != nil {
		t.Fatal(err)
	}
	ref := xgbtest.Train(t, train, y[:2000], 50, map[string]any{"max_depth": 4, "max_bin": 32, "nthread": 1})[0]
	labels := make([]bool, 1000)
	for i := range labels {
		labels[i] = y[2000+i] == 1
	}
	ours, err := m.PredictMargin(context.Background(), test)
	if err != nil {
		t.Fatal(err)
	}
	theirs := xgbtest.Predict(t, ref.Path, test).Margin
	aucOurs, err := metrics.ROCAUC(labels, ours)
	if err != nil {
		t.Fatal(err)
	}
	th := make([]float64, len(theirs))
	for i, v := range theirs {
		th[i] = float64(v)
	}
	aucTheirs, err := metrics.ROCAUC(labels, th)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("hold-out AUC %.4f, XGBoost %.4f", aucOurs, aucTheirs)
	if math.Abs(aucOurs-aucTheirs) > 0.01 {
		t.Fatalf("hold-out AUC %.4f, XGBoost %.4f", aucOurs, aucTheirs)
	}
}
