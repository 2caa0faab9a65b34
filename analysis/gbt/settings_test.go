package gbt

import (
	"math"
	"reflect"
	"strings"
	"testing"
)

func TestSettingsZeroValueIsXGBoostDefault(t *testing.T) {
	p, err := Settings{}.resolve()
	if err != nil {
		t.Fatal(err)
	}
	want := params{nEstimators: 100, maxDepth: 6, eta: 0.3, minChildWeight: 1, lambda: 1,
		subsample: 1, colsample: 1, maxBin: 256, scalePosWeight: 1, baseScore: 0.5}
	p.progress = nil
	if !reflect.DeepEqual(p, want) {
		t.Fatalf("defaults %+v, want %+v", p, want)
	}
	p, err = Settings{MinChildWeight: new(0.0), Lambda: new(0.0)}.resolve()
	if err != nil || p.minChildWeight != 0 || p.lambda != 0 {
		t.Fatalf("explicit zeros: %+v, %v", p, err)
	}
}

func TestSettingsRejected(t *testing.T) {
	for _, tc := range []struct {
		s    Settings
		want string
	}{
		{Settings{NEstimators: -1}, "n_estimators -1"},
		{Settings{MaxDepth: -2}, "max_depth -2"},
		{Settings{MaxDepth: 99}, "max_depth 99"},
		{Settings{MaxBin: 1}, "max_bin 1"},
		{Settings{MaxBin: 70000}, "max_bin 70000"},
		{Settings{LearningRate: 1.5}, "learning_rate 1.5"},
		{Settings{LearningRate: -0.1}, "learning_rate -0.1"},
		{Settings{LearningRate: math.NaN()}, "learning_rate NaN"},
		{Settings{MinChildWeight: new(-1.0)}, "min_child_weight -1"},
		{Settings{Lambda: new(math.Inf(1))}, "lambda +Inf"},
		{Settings{Alpha: -1}, "alpha -1"},
		{Settings{Gamma: -0.5}, "gamma -0.5"},
		{Settings{Subsample: 1.2}, "subsample 1.2"},
		{Settings{ColsampleByTree: -1}, "colsample_bytree -1"},
		{Settings{ScalePosWeight: -3}, "scale_pos_weight -3"},
		{Settings{BaseScore: 1}, "base_score 1"},
	} {
		err := tc.s.Validate()
		if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.HasPrefix(err.Error(), "gbt: ") {
			t.Errorf("%+v: error %v, want one mentioning %q", tc.s, err, tc.want)
		}
	}
}
