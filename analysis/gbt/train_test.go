package gbt

import (
	"context"
	"errors"
	"math"
	"reflect"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"gonum.org/v1/gonum/mat"

	"github.com/reckon-dev/reckon/analysis/metrics"
)

func aucOf(t *testing.T, m *Model, X *mat.Dense, y []float64) float64 {
	t.Helper()
	p, err := m.PredictProba(context.Background(), X)
	if err != nil {
		t.Fatal(err)
	}
	labels := make([]bool, len(y))
	for i, v := range y {
		labels[i] = v == 1
	}
	auc, err := metrics.ROCAUC(labels, p)
	if err != nil {
		t.Fatal(err)
	}
	return auc
}

func TestTrainLearnsAndGeneralises(t *testing.T) {
	X, y := synthetic(2000, 5, 21, 0.05, false)
	m, err := Train(context.Background(), X.Slice(0, 1500, 0, 5).(*mat.Dense), y[:1500], Settings{NEstimators: 30, MaxDepth: 4})
	if err != nil {
		t.Fatal(err)
	}
	if auc := aucOf(t, m, X.Slice(1500, 2000, 0, 5).(*mat.Dense), y[1500:]); auc < 0.9 {
		t.Fatalf("hold-out AUC %.3f", auc)
	}
	if n := len(m.Trees); n != 30 {
		t.Fatalf("%d trees", n)
	}
	for ti := range m.Trees {
		if d := depth(&m.Trees[ti], 0); d > 4 {
			t.Fatalf("tree %d is %d deep", ti, d)
		}
	}
}

func depth(t *Tree, i int) int {
	n := &t.Nodes[i]
	if n.IsLeaf() {
		return 0
	}
	return 1 + max(depth(t, int(n.Left)), depth(t, int(n.Right)))
}

// Rows are sorted into leaves by their bins during training and by
// comparing raw values with thresholds afterwards; both must agree,
// missing values included. In the first tree every hessian is 1/4, so a
// leaf's cover counts the training rows the thresholds send there.
func TestLeafCoversCountRowsByThreshold(t *testing.T) {
	X, y := synthetic(3000, 8, 4, 0.2, false)
	m, err := Train(context.Background(), X, y, Settings{NEstimators: 1, MaxDepth: 6, MinChildWeight: new(0.0)})
	if err != nil {
		t.Fatal(err)
	}
	tr := &m.Trees[0]
	count := make([]int, len(tr.Nodes))
	for r := 0; r < 3000; r++ {
		count[tr.Leaf(X.RawRowView(r))]++
	}
	for i, n := range tr.Nodes {
		if n.IsLeaf() && n.Cover != float64(count[i])/4 {
			t.Fatalf("leaf %d: cover %v but %d rows reach it", i, n.Cover, count[i])
		}
	}
}

// A model does not depend on GOMAXPROCS, bit for bit, with row and column
// sampling, missing values, several feature blocks and rows cut into
// chunks; the seed changes it.
func TestTrainDeterministic(t *testing.T) {
	X, y := synthetic(8500, 130, 8, 0.1, false)
	ds, err := NewDataset(context.Background(), X, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(ds.off) < 2 || ds.n <= 8192 {
		t.Fatalf("the data should span several blocks and chunks: %d blocks, %d rows", len(ds.off), ds.n)
	}
	s := Settings{NEstimators: 3, MaxDepth: 4, Subsample: 0.7, ColsampleByTree: 0.5, Seed: 1}
	train := func(procs int, s Settings) *Model {
		defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(procs))
		m, err := TrainOn(context.Background(), ds, nil, y, s)
		if err != nil {
			t.Fatal(err)
		}
		return m
	}
	one, four := train(1, s), train(4, s)
	if !reflect.DeepEqual(one, four) {
		t.Fatal("GOMAXPROCS 1 and 4 grow different models")
	}
	s.Seed = 2
	if reflect.DeepEqual(one, train(2, s)) {
		t.Fatal("seeds 1 and 2 grow the same model despite sampling")
	}
}

// Training on a subset of a dataset's rows predicts those rows as training
// on a matrix of just those rows does (thresholds may differ where the
// dataset's other rows added cut points, leaves may not).
func TestTrainOnSubset(t *testing.T) {
	X, y := synthetic(600, 4, 9, 0.1, true)
	ds, err := NewDataset(context.Background(), X, 0)
	if err != nil {
		t.Fatal(err)
	}
	var rows []int
	for r := 0; r < 600; r += 3 {
		rows = append(rows, r, r+1)
	}
	sub := mat.NewDense(len(rows), 4, nil)
	ySub := make([]float64, len(rows))
	for i, r := range rows {
		sub.SetRow(i, X.RawRowView(r))
		ySub[i] = y[r]
	}
	s := Settings{NEstimators: 10, MaxDepth: 3}
	a, err := TrainOn(context.Background(), ds, rows, y, s)
	if err != nil {
		t.Fatal(err)
	}
	b, err := Train(context.Background(), sub, ySub, s)
	if err != nil {
		t.Fatal(err)
	}
	pa, _ := a.PredictMargin(context.Background(), sub)
	pb, _ := b.PredictMargin(context.Background(), sub)
	for i := range pa {
		if math.Abs(pa[i]-pb[i]) > 1e-12 {
			t.Fatalf("row %d: %v on the dataset, %v on the submatrix", rows[i], pa[i], pb[i])
		}
	}
}

// When missingness itself predicts the class, missing values learn to go
// the positive class's way.
func TestMissingValuesLearnTheirDirection(t *testing.T) {
	n := 1000
	X := mat.NewDense(n, 2, nil)
	y := make([]float64, n)
	for i := 0; i < n; i++ {
		X.Set(i, 0, float64(i%50))
		X.Set(i, 1, float64(i%7))
		if i%4 == 0 {
			X.Set(i, 0, math.NaN())
			y[i] = 1
		}
	}
	m, err := Train(context.Background(), X, y, Settings{NEstimators: 10, MaxDepth: 2})
	if err != nil {
		t.Fatal(err)
	}
	p, err := m.PredictProba(context.Background(), mat.NewDense(2, 2, []float64{math.NaN(), 3, 20, 3}))
	if err != nil {
		t.Fatal(err)
	}
	if p[0] < 0.9 || p[1] > 0.1 {
		t.Fatalf("P(positive | missing) = %.3f, P(positive | 20) = %.3f", p[0], p[1])
	}
}

func TestConstantFeatureIsNeverSplit(t *testing.T) {
	X, y := synthetic(400, 3, 2, 0, false)
	for r := 0; r < 400; r++ {
		X.Set(r, 1, 7)
	}
	m, err := Train(context.Background(), X, y, Settings{NEstimators: 10})
	if err != nil {
		t.Fatal(err)
	}
	for ti := range m.Trees {
		for _, n := range m.Trees[ti].Nodes {
			if !n.IsLeaf() && n.Feature == 1 {
				t.Fatalf("tree %d splits on the constant feature", ti)
			}
		}
	}
}

func TestTrainRejects(t *testing.T) {
	X, y := synthetic(20, 3, 1, 0, false)
	ds, err := NewDataset(context.Background(), X, 0)
	if err != nil {
		t.Fatal(err)
	}
	bad := func(v float64) []float64 { z := append([]float64(nil), y...); z[3] = v; return z }
	for _, tc := range []struct {
		name string
		run  func() error
		want string
	}{
		{"nil matrix", func() error { _, err := Train(context.Background(), nil, nil, Settings{}); return err }, "missing"},
		{"empty", func() error { _, err := Train(context.Background(), &mat.Dense{}, nil, Settings{}); return err }, "empty"},
		{"label count", func() error { _, err := Train(context.Background(), X, y[:5], Settings{}); return err }, "20 rows but there are 5 labels"},
		{"label 2", func() error { _, err := Train(context.Background(), X, bad(2), Settings{}); return err }, "label 2 of row 3"},
		{"label NaN", func() error { _, err := Train(context.Background(), X, bad(math.NaN()), Settings{}); return err }, "label NaN of row 3"},
		{"settings", func() error { _, err := Train(context.Background(), X, y, Settings{Subsample: 2}); return err }, "subsample 2"},
		{"no dataset", func() error { _, err := TrainOn(context.Background(), nil, nil, y, Settings{}); return err }, "dataset is missing"},
		{"other max_bin", func() error { _, err := TrainOn(context.Background(), ds, nil, y, Settings{MaxBin: 16}); return err }, "max_bin 16 differs"},
		{"row range", func() error { _, err := TrainOn(context.Background(), ds, []int{0, 20}, y, Settings{}); return err }, "row 20 is out of range"},
		{"row twice", func() error { _, err := TrainOn(context.Background(), ds, []int{1, 2, 1}, y, Settings{}); return err }, "twice"},
		{"no rows", func() error { _, err := TrainOn(context.Background(), ds, []int{}, y, Settings{}); return err }, "no rows"},
	} {
		err := tc.run()
		if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.HasPrefix(err.Error(), "gbt: ") {
			t.Errorf("%s: error %v, want one mentioning %q", tc.name, err, tc.want)
		}
	}
}

func TestTrainReportsProgressAndStopsWhenCancelled(t *testing.T) {
	X, y := synthetic(3000, 20, 6, 0, false)
	var calls atomic.Int32
	_, err := Train(context.Background(), X, y, Settings{NEstimators: 7, Progress: func(phase string, done, total int) {
		if phase != "trees" || total != 7 || done != int(calls.Add(1)) {
			t.Errorf("progress(%q, %d, %d) at call %d", phase, done, total, calls.Load())
		}
	}})
	if err != nil || calls.Load() != 7 {
		t.Fatalf("err %v, %d progress calls", err, calls.Load())
	}

	ctx, cancel := context.WithCancel(context.Background())
	var stopped time.Time
	_, err = Train(ctx, X, y, Settings{NEstimators: 1000, Progress: func(_ string, done, _ int) {
		if done == 2 {
			cancel()
			stopped = time.Now()
		}
	}})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err %v, want context.Canceled", err)
	}
	if d := time.Since(stopped); d > time.Second {
		t.Fatalf("returned %v after the cancellation", d)
	}
}
