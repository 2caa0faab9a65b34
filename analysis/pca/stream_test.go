package pca

import (
	"context"
	"fmt"
	"math"
	"runtime"
	"slices"
	"testing"

	"gonum.org/v1/gonum/mat"
)

// StreamScores finds the scores the full SVD finds, up to each
// component's sign, on data whose leading components stand apart, and the
// same bytes for any GOMAXPROCS.
func TestStreamScoresMatchTheFullSVD(t *testing.T) {
	for _, tc := range []struct {
		seed          uint64
		n, d, rank, k int
	}{
		{1, 40, 5, 5, 2}, {2, 700, 12, 3, 2}, {3, 3000, 9, 9, 2}, {4, 5000, 30, 4, 3},
	} {
		t.Run(fmt.Sprintf("%dx%d k=%d", tc.n, tc.d, tc.k), func(t *testing.T) {
			x := latent(tc.seed, tc.n, tc.d, tc.rank, float64(tc.seed))
			rows := make([][]float32, tc.n)
			for i := range rows {
				for _, v := range x.RawRowView(i) {
					rows[i] = append(rows[i], float32(v))
				}
			}
			// The reference sees the rows as StreamScores does, in float32.
			x32 := mat.NewDense(tc.n, tc.d, nil)
			for i, r := range rows {
				for j, v := range r {
					x32.Set(i, j, float64(v))
				}
			}
			_, want, err := FitTransform(context.Background(), x32, Settings{NComponents: tc.k, Solver: Full})
			if err != nil {
				t.Fatal(err)
			}
			row := func(i int) []float32 { return rows[i] }
			got, err := StreamScores(context.Background(), tc.n, tc.d, row, tc.k, tc.seed)
			if err != nil {
				t.Fatal(err)
			}
			for c := range tc.k {
				sign, scale := 1.0, 0.0
				if got[c]*want.At(0, c) < 0 {
					sign = -1
				}
				for i := range tc.n {
					scale = max(scale, math.Abs(want.At(i, c)))
				}
				for i := range tc.n {
					if d := math.Abs(sign*got[i*tc.k+c] - want.At(i, c)); d > 1e-6*scale {
						t.Fatalf("component %d, row %d: %g, want %g", c, i, sign*got[i*tc.k+c], want.At(i, c))
					}
				}
			}
			defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
			again, err := StreamScores(context.Background(), tc.n, tc.d, row, tc.k, tc.seed)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(got, again) {
				t.Error("GOMAXPROCS 1 gives other scores")
			}
		})
	}
}
