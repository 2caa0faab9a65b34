package gbt

import (
	"context"
	"math"
	"slices"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"
)

func TestQuantileCuts(t *testing.T) {
	// XGBoost widens the range in float32 arithmetic.
	above := func(v float32) float32 { return v + (abs32(v) + 1e-5) }
	below := func(v float32) float32 { return v - (abs32(v) + 1e-5) }
	for _, tc := range []struct {
		name   string
		vals   []float32
		maxBin int
		cuts   []float32
		minVal float32
	}{
		{"few distinct values get a bin each", []float32{3, 1, 2, 2, 1}, 256, []float32{2, 3, above(3)}, below(1)},
		{"constant", []float32{-2, -2}, 256, []float32{above(-2)}, below(-2)},
		{"no values", nil, 256, []float32{1e-5}, -1e-5},
		{"quantiles", []float32{0, 1, 2, 3, 4, 5, 6, 7, 8}, 3, []float32{4, 8, above(8)}, below(0)},
	} {
		cuts, minVal := quantileCuts(slices.Clone(tc.vals), tc.maxBin)
		if !slices.Equal(cuts, tc.cuts) || minVal != tc.minVal {
			t.Errorf("%s: cuts %v min %v, want %v min %v", tc.name, cuts, minVal, tc.cuts, tc.minVal)
		}
	}
}

// Whatever the data, cuts ascend strictly, stay within max_bin, and every
// value lands in the bin whose bounds hold it.
func TestQuantileCutsBoundTheirBins(t *testing.T) {
	X, _ := synthetic(2000, 3, 11, 0, false)
	for _, maxBin := range []int{2, 7, 64, 256, 5000} {
		for f := 0; f < 3; f++ {
			var vals []float32
			for r := 0; r < 2000; r++ {
				vals = append(vals, float32(X.At(r, f)))
			}
			cuts, minVal := quantileCuts(slices.Clone(vals), maxBin)
			if len(cuts) > maxBin {
				t.Fatalf("max_bin %d: %d bins", maxBin, len(cuts))
			}
			for i := 1; i < len(cuts); i++ {
				if !(cuts[i-1] < cuts[i]) {
					t.Fatalf("max_bin %d: cuts not ascending: %v", maxBin, cuts)
				}
			}
			for _, v := range vals {
				b := binOf(cuts, v)
				if !(v < cuts[b]) || (b > 0 && !(cuts[b-1] <= v)) || !(minVal < v) {
					t.Fatalf("max_bin %d: %v in bin %d of %v", maxBin, v, b, cuts)
				}
			}
		}
	}
}

// The sparse store gives back every value's slot, in every feature block.
func TestDatasetSlots(t *testing.T) {
	X, _ := synthetic(500, 300, 3, 0.3, false)
	ds, err := NewDataset(context.Background(), X, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(ds.off) < 2 {
		t.Fatalf("want several feature blocks, got %d", len(ds.off))
	}
	for r := 0; r < 500; r++ {
		for f := 0; f < 300; f++ {
			want := ds.Bins(f)
			if v := X.At(r, f); !math.IsNaN(v) {
				want = binOf(ds.Cuts(f), float32(v))
			}
			if got := ds.slot(r, f); got != want {
				t.Fatalf("row %d feature %d: slot %d, want %d", r, f, got, want)
			}
		}
	}
}

func TestNewDatasetRejects(t *testing.T) {
	inf := mat.NewDense(2, 2, []float64{1, 2, 3, math.Inf(-1)})
	huge := mat.NewDense(1, 1, []float64{1e300})
	for _, tc := range []struct {
		name   string
		X      *mat.Dense
		maxBin int
		want   string
	}{
		{"nil", nil, 0, "missing"},
		{"infinite", inf, 0, "row 1, column 1 holds -Inf"},
		{"beyond float32", huge, 0, "row 0, column 0"},
		{"max_bin", mat.NewDense(1, 1, nil), 1, "max_bin 1"},
	} {
		_, err := NewDataset(context.Background(), tc.X, tc.maxBin)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want one mentioning %q", tc.name, err, tc.want)
		}
	}
}

// slot returns row r's slot for feature f: its bin, or Bins(f) when the
// value is missing.
func (ds *Dataset) slot(r, f int) int {
	b := f / ds.block
	lo := uint16((f - b*ds.block) * ds.stride)
	return slotIn(ds.codes[b][ds.off[b][r]:ds.off[b][r+1]], lo, lo+uint16(ds.nbins[f]), int(ds.defSlot[f]))
}
