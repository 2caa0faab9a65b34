package umap

import (
	"math"
	"testing"
)

func TestFitAB(t *testing.T) {
	// Reference values from umap-learn's find_ab_params, run with scipy 1.10's
	// curve_fit. The defaults give umap-learn's well-known a = 1.577, b = 0.895.
	for _, tc := range []struct{ spread, minDist, a, b float64 }{
		{1, 0.1, 1.5769434601962196, 0.8950608779914887},
		{1, 0.0, 1.9328083975546724, 0.7904949734010681},
		{1, 0.5, 0.583030020479462, 1.3341669929263487},
		{2, 0.1, 0.5446605403757238, 0.8420554264219823},
		{0.5, 0.25, 3.7062902044323978, 1.334167247308424},
	} {
		a, b := fitAB(tc.spread, tc.minDist)
		if math.Abs(a-tc.a) > 1e-4*tc.a || math.Abs(b-tc.b) > 1e-4*tc.b {
			t.Errorf("spread %v, min_dist %v: a, b = %.6f, %.6f; want %.6f, %.6f", tc.spread, tc.minDist, a, b, tc.a, tc.b)
		}
	}
}
