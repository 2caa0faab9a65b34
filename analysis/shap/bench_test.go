package shap

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/reckon-dev/reckon/analysis/gbt"
	"github.com/reckon-dev/reckon/analysis/gbt/xgbtest"
	"github.com/reckon-dev/reckon/analysis/internal/mnist"
)

// benchDigit is the digit the MNIST model separates from the others.
const benchDigit = 8

var (
	mnistOnce  sync.Once
	mnistModel *gbt.Model
	mnistRows  *mat.Dense
	mnistErr   error
)

// mnistSetup trains the model, 100 trees of depth 6 on all 70,000
// digits, and returns it with the first 10,000 digits to explain.
func mnistSetup(b *testing.B) (*gbt.Model, *mat.Dense) {
	b.Helper()
	mnistOnce.Do(func() {
		set, err := mnist.Load()
		if err != nil {
			mnistErr = err
			return
		}
		X := mat.NewDense(set.Len(), mnist.Dim, set.Float64(0))
		y := make([]float64, set.Len())
		for i, l := range set.Labels {
			if l == benchDigit {
				y[i] = 1
			}
		}
		mnistModel, mnistErr = gbt.Train(context.Background(), X, y, gbt.Settings{})
		mnistRows = X.Slice(0, 10000, 0, mnist.Dim).(*mat.Dense)
	})
	if mnistErr != nil {
		b.Skipf("MNIST: %v", mnistErr)
	}
	return mnistModel, mnistRows
}

// BenchmarkExplainMNIST computes TreeSHAP for 10,000 MNIST rows of a
// 100-tree depth-6 model, the speed target (3.4 s on 2 cores).
func BenchmarkExplainMNIST(b *testing.B) {
	m, X := mnistSetup(b)
	b.ResetTimer()
	for b.Loop() {
		if _, err := Explain(context.Background(), m, X, Settings{}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(b.Elapsed().Seconds()/float64(b.N), "s/10k-rows")
}

const contribsScript = `
import sys, time, numpy as np, xgboost as xgb
model, data, rows, cols, threads = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
X = np.fromfile(data, dtype="<f4").reshape(rows, cols)
b = xgb.Booster()
b.load_model(model)
b.set_param({"nthread": threads})
d = xgb.DMatrix(X, missing=np.nan)
t0 = time.perf_counter()
b.predict(d, pred_contribs=True)
print(time.perf_counter() - t0)
`

// BenchmarkXGBoostExplainMNIST times XGBoost's pred_contribs (2 threads)
// on the same model and rows, for comparison. It runs only when
// RECKON_XGBOOST_BENCH=1.
func BenchmarkXGBoostExplainMNIST(b *testing.B) {
	if os.Getenv("RECKON_XGBOOST_BENCH") != "1" {
		b.Skip("set RECKON_XGBOOST_BENCH=1 to time XGBoost beside this package")
	}
	xgbtest.Require(b)
	m, X := mnistSetup(b)
	dir := b.TempDir()
	model, data := filepath.Join(dir, "model.json"), filepath.Join(dir, "x.f32")
	if err := m.SaveXGBoost(model); err != nil {
		b.Fatal(err)
	}
	xgbtest.WriteMatrix(b, data, X)
	b.ResetTimer()
	var secs float64
	for b.Loop() {
		out := xgbtest.Run(b, contribsScript, model, data, "10000", strconv.Itoa(mnist.Dim), "2")
		s, err := strconv.ParseFloat(string(out[:len(out)-1]), 64)
		if err != nil {
			b.Fatal(err)
		}
		secs += s
	}
	b.ReportMetric(secs/float64(b.N), "s/10k-rows")
}
