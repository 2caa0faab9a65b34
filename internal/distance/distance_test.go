package distance

import (
	"math"
	"testing"
)

func TestSqEuclidean(t *testing.T) {
	for _, tc := range []struct {
		a, b []float64
		want float64
	}{
		{nil, nil, 0},
		{[]float64{1}, []float64{4}, 9},
		{[]float64{0, 0}, []float64{3, 4}, 25},
		{[]float64{1, 2, 3}, []float64{1, 2, 3, 99}, 0}, // b may be longer
	} {
		if got := SqEuclidean(tc.a, tc.b); got != tc.want {
			t.Errorf("SqEuclidean(%v, %v) = %v, want %v", tc.a, tc.b, got, tc.want)
		}
	}
	if got := SqEuclidean([]float32{0, 0}, []float32{3, 4}); got != 25 {
		t.Errorf("float32: %v, want 25", got)
	}
	// Column order: the sum is the left-to-right one, to the bit.
	a, b := []float64{1e16, 1, -1e16}, []float64{0, 0, 0}
	if got, want := SqEuclidean(a, b), (1e32+1)+1e32; got != want || math.IsNaN(got) {
		t.Errorf("sum order: %v, want %v", got, want)
	}
}
