package stats

import (
	"math"
	"testing"
)

// The wants are numpy.quantile's (numpy 1.26, method="linear").
func TestQuantile(t *testing.T) {
	x := []float64{1, 2, 3, 4, 10}
	for _, tc := range []struct{ q, want float64 }{
		{0, 1}, {0.25, 2}, {0.5, 3}, {0.75, 4}, {1, 10}, {0.9, 7.6}, {0.05, 1.2},
	} {
		if got := Quantile(x, tc.q); math.Abs(got-tc.want) > 1e-12 {
			t.Errorf("Quantile(%v) = %v, want %v", tc.q, got, tc.want)
		}
	}
	hundred := make([]float64, 100)
	for i := range hundred {
		hundred[i] = float64(i + 1)
	}
	for _, tc := range []struct {
		v       []float64
		q, want float64
	}{
		{hundred, 0.05, 5.95}, {hundred, 0.95, 95.05}, {hundred, 0, 1}, {hundred, 1, 100},
		{[]float64{1, 2, 4, 8}, 0.25, 1.75}, {[]float64{1, 2, 4, 8}, 0.5, 3},
		{[]float64{1, 2, 4, 8}, 0.75, 5}, {[]float64{1, 2, 4, 8}, 0.9, 6.8},
	} {
		if got := Quantile(tc.v, tc.q); math.Abs(got-tc.want) > 1e-12 {
			t.Errorf("Quantile(%v…, %v) = %v, want %v", tc.v[0], tc.q, got, tc.want)
		}
	}
	// numpy.quantile([0.72, 0.95], 0.95) is 0.9385 (the lerp from the
	// upper end), where a + (b-a)*t gives 0.9384999999999999.
	if got := Quantile([]float64{0.72, 0.95}, 0.95); got != 0.9385 {
		t.Errorf("upper lerp: %v, want numpy's 0.9385", got)
	}
	if !math.IsNaN(Quantile(nil, 0.5)) {
		t.Error("no values gave a number")
	}
	if got := Quantile([]float64{5}, 0.3); got != 5 {
		t.Errorf("one value: %v", got)
	}
}

func TestCorrelation(t *testing.T) {
	nan := math.NaN()
	for _, tc := range []struct {
		x, y []float64
		want float64
	}{
		{[]float64{1, 2, 3}, []float64{2, 4, 6}, 1},
		{[]float64{1, 2, 3}, []float64{3, 2, 1}, -1},
		{[]float64{1, 2, 3, 4}, []float64{1, 3, 2, 4}, 0.8},
		{[]float64{1, 1, 1}, []float64{3, 2, 1}, nan},
		{[]float64{0.1, 0.1, 0.1}, []float64{3, 2, 1}, nan}, // constant, though its mean is inexact
		{[]float64{1, 2}, []float64{5, 5}, nan},
		{[]float64{1}, []float64{2}, nan},
		{nil, nil, nan},
	} {
		got := Correlation(tc.x, tc.y)
		if math.IsNaN(tc.want) != math.IsNaN(got) || !math.IsNaN(got) && math.Abs(got-tc.want) > 1e-12 {
			t.Errorf("Correlation(%v, %v) = %v, want %v", tc.x, tc.y, got, tc.want)
		}
	}
}
