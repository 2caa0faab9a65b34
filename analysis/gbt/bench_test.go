package gbt

import (
	"context"
	"os"
	"testing"
	"time"

	"gonum.org/v1/gonum/mat"

	"github.com/reckon-dev/reckon/analysis/gbt/xgbtest"
	"github.com/reckon-dev/reckon/analysis/internal/mnist"
	"github.com/reckon-dev/reckon/analysis/metrics"
)

// benchDigit is the digit the MNIST benchmarks separate from the others.
const benchDigit = 8

// mnistOneVsAll returns the first n MNIST images (all 70,000 when n is 0)
// and labels 1 for benchDigit, 0 otherwise.
func mnistOneVsAll(tb testing.TB, n int) (*mat.Dense, []float64) {
	tb.Helper()
	set, err := mnist.Load()
	if err != nil {
		tb.Skipf("MNIST is not available: %v", err)
	}
	if n == 0 {
		n = set.Len()
	}
	y := make([]float64, n)
	for i := range y {
		if set.Labels[i] == benchDigit {
			y[i] = 1
		}
	}
	return mat.NewDense(n, mnist.Dim, set.Float64(n)), y
}

// BenchmarkTrainMNIST trains 100 trees of depth 6 on all 70,000 digits
// (one digit against the rest), the speed target.
func BenchmarkTrainMNIST(b *testing.B) {
	X, y := mnistOneVsAll(b, 0)
	b.ResetTimer()
	for b.Loop() {
		if _, err := Train(context.Background(), X, y, Settings{}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkHoldoutMNIST trains on the 60,000 training digits and reports
// the ROC AUC on the 10,000 test digits (and 1-AUC, which shows more
// digits) next to the training time.
func BenchmarkHoldoutMNIST(b *testing.B) {
	X, y := mnistOneVsAll(b, 0)
	train := X.Slice(0, 60000, 0, mnist.Dim).(*mat.Dense)
	test := X.Slice(60000, 70000, 0, mnist.Dim).(*mat.Dense)
	b.ResetTimer()
	var auc float64
	var secs float64
	for b.Loop() {
		start := time.Now()
		m, err := Train(context.Background(), train, y[:60000], Settings{})
		if err != nil {
			b.Fatal(err)
		}
		secs = time.Since(start).Seconds()
		p, err := m.PredictMargin(context.Background(), test)
		if err != nil {
			b.Fatal(err)
		}
		labels := make([]bool, 10000)
		for i := range labels {
			labels[i] = y[60000+i] == 1
		}
		if auc, err = metrics.ROCAUC(labels, p); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(auc, "AUC")
	b.ReportMetric(1-auc, "1-AUC")
	b.ReportMetric(secs, "train-s")
}

// BenchmarkXGBoostMNIST trains XGBoost (hist, 2 threads, its defaults:
// 100 trees of depth 6) on the same data as BenchmarkTrainMNIST and
// BenchmarkHoldoutMNIST, for comparison: the training time on all 70,000
// digits and the hold-out AUC of a model trained on the first 60,000. It
// runs only when RECKON_XGBOOST_BENCH=1.
func BenchmarkXGBoostMNIST(b *testing.B) {
	if os.Getenv("RECKON_XGBOOST_BENCH") != "1" {
		b.Skip("set RECKON_XGBOOST_BENCH=1 to time XGBoost beside this package")
	}
	xgbtest.Require(b)
	X, y := mnistOneVsAll(b, 0)
	train := X.Slice(0, 60000, 0, mnist.Dim).(*mat.Dense)
	test := X.Slice(60000, 70000, 0, mnist.Dim).(*mat.Dense)
	params := map[string]any{"nthread": 2}
	var all, held xgbtest.Trained
	for b.Loop() {
		all = xgbtest.Train(b, X, y, 100, params)[0]
		held = xgbtest.Train(b, train, y[:60000], 100, params)[0]
	}
	margin := xgbtest.Predict(b, held.Path, test).Margin
	labels := make([]bool, 10000)
	scores := make([]float64, 10000)
	for i := range labels {
		labels[i] = y[60000+i] == 1
		scores[i] = float64(margin[i])
	}
	auc, err := metrics.ROCAUC(labels, scores)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(auc, "AUC")
	b.ReportMetric(1-auc, "1-AUC")
	b.ReportMetric((all.DMatrix + all.Train).Seconds(), "train70k-s")
	b.ReportMetric(all.Train.Seconds(), "xgb.train70k-s")
}
