package gbt

import (
	"context"
	"math"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"
)

// stump splits feature 0 at 0.5: below goes left (-1), missing goes right
// (+1).
func stump() *Model {
	return &Model{NumFeatures: 2, BaseScore: 0.5, Trees: []Tree{{Nodes: []Node{
		{Left: 1, Right: 2, Feature: 0, Threshold: 0.5, Cover: 2},
		{Left: -1, Right: -1, Value: -1, Cover: 1},
		{Left: -1, Right: -1, Value: 1, Cover: 1},
	}}}}
}

func TestPredict(t *testing.T) {
	m := stump()
	X := mat.NewDense(4, 2, []float64{0, 9, 0.5, 9, math.NaN(), 9, math.Inf(-1), 9})
	got, err := m.PredictMargin(context.Background(), X)
	if err != nil {
		t.Fatal(err)
	}
	want := []float64{-1, 1, 1, -1}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("margins %v, want %v", got, want)
		}
	}
	p, err := m.PredictProba(context.Background(), X)
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(p[0]-1/(1+math.E)) > 1e-15 {
		t.Fatalf("probability %v", p[0])
	}
	if _, err := m.PredictMargin(context.Background(), mat.NewDense(1, 3, nil)); err == nil || !strings.Contains(err.Error(), "3 columns") {
		t.Fatalf("wrong width: %v", err)
	}
}

func TestValidate(t *testing.T) {
	for _, tc := range []struct {
		name   string
		break_ func(m *Model)
		want   string
	}{
		{"base score", func(m *Model) { m.BaseScore = 1 }, "base_score"},
		{"features", func(m *Model) { m.NumFeatures = 0 }, "0 features"},
		{"names", func(m *Model) { m.FeatureNames = []string{"a"} }, "names 1 features"},
		{"empty tree", func(m *Model) { m.Trees[0].Nodes = nil }, "no nodes"},
		{"one child", func(m *Model) { m.Trees[0].Nodes[0].Right = -1 }, "one child"},
		{"feature range", func(m *Model) { m.Trees[0].Nodes[0].Feature = 2 }, "feature 2 of 2"},
		{"cover", func(m *Model) { m.Trees[0].Nodes[0].Cover = 0 }, "cover 0"},
		{"cycle", func(m *Model) { m.Trees[0].Nodes[0].Right = 0 }, "reached twice"},
		{"child range", func(m *Model) { m.Trees[0].Nodes[0].Left = 7 }, "out of range"},
		{"value", func(m *Model) { m.Trees[0].Nodes[1].Value = float32(math.NaN()) }, "value NaN"},
	} {
		m := stump()
		tc.break_(m)
		err := m.Validate()
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want one mentioning %q", tc.name, err, tc.want)
		}
	}
	if err := stump().Validate(); err != nil {
		t.Fatal(err)
	}
}
