package shap

import (
	"math"
	"os"
	"path/filepath"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/reckon-dev/reckon/analysis/gbt"
	"github.com/reckon-dev/reckon/analysis/gbt/xgbtest"
)

// compareContribs checks our values and expected value against XGBoost's
// pred_contribs, bias column included, on every row.
func compareContribs(t *testing.T, m *gbt.Model, path string, X *mat.Dense) {
	t.Helper()
	e := explain(t, m, X)
	contribs := xgbtest.Predict(t, path, X).Contribs
	n, d := X.Dims()
	if len(contribs) != n*(d+1) {
		t.Fatalf("XGBoost gave %d contributions for %d rows of %d features", len(contribs), n, d)
	}
	worst := 0.0
	for i := 0; i < n; i++ {
		row := contribs[i*(d+1) : (i+1)*(d+1)]
		for j := 0; j <= d; j++ {
			ours := e.Expected
			if j < d {
				ours = e.Values.At(i, j)
			}
			diff := math.Abs(ours - float64(row[j]))
			worst = max(worst, diff)
			if diff > 1e-5 {
				t.Fatalf("row %d column %d: %v, XGBoost %v", i, j, ours, row[j])
			}
		}
	}
	t.Logf("largest difference from XGBoost: %.2g", worst)
}

// Our models, exported: XGBoost's TreeSHAP gives the same values.
func TestExportedModelsMatchXGBoostContribs(t *testing.T) {
	xgbtest.Require(t)
	X, y := data(400, 6, 9, 0.15)
	for _, s := range []gbt.Settings{
		{NEstimators: 40},
		{NEstimators: 10, MaxDepth: 8, MinChildWeight: new(0.0), Subsample: 0.8, Seed: 2},
	} {
		m := train(t, X, y, s)
		path := filepath.Join(t.TempDir(), "model.json")
		if err := m.SaveXGBoost(path); err != nil {
			t.Fatal(err)
		}
		compareContribs(t, m, path, X)
	}
}

// XGBoost's own models, read from its JSON: the same values again.
func TestXGBoostModelsMatchXGBoostContribs(t *testing.T) {
	X, y := data(600, 6, 10, 0.15)
	ref := xgbtest.Train(t, X, y, 30, map[string]any{"max_depth": 7, "colsample_bytree": 0.7, "subsample": 0.9, "nthread": 1})[0]
	f, err := os.Open(ref.Path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	m, err := gbt.ReadXGBoostJSON(f)
	if err != nil {
		t.Fatal(err)
	}
	compareContribs(t, m, ref.Path, X)
}
