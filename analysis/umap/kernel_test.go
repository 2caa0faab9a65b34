package umap

import (
	"math"
	"math/rand/v2"
	"testing"
)

func TestKernelTable(t *testing.T) {
	a, b, gamma := 1.5769434601962196, 0.8950608779914887, 1.0
	k := newKernel(a, b, gamma)
	rng := rand.New(rand.NewPCG(2, 2))
	worstA, worstR := 0.0, 0.0
	for range 200000 {
		d2 := math.Exp(rng.Float64()*20 - 12)
		pb := math.Pow(d2, b)
		wantA := -2 * a * b * pb / d2 / (1 + a*pb)
		wantR := 2 * gamma * b / ((0.001 + d2) * (1 + a*pb))
		x := float32(d2)
		worstA = max(worstA, math.Abs(float64(lookup(k.attract, x))-wantA)/math.Abs(wantA))
		worstR = max(worstR, math.Abs(float64(lookup(k.repel, x))-wantR)/wantR)
	}
	if worstA > 5e-5 || worstR > 5e-5 {
		t.Errorf("relative error: attract %g, repel %g; want below 5e-5", worstA, worstR)
	}
	// Out of range squared distances take the boundary values.
	if got, want := lookup(k.repel, 1e30), k.repel[tabLen-1]; math.Abs(float64(got-want)) > 1e-3*float64(want) {
		t.Errorf("repel(1e30) = %g, want about %g", got, want)
	}
	if got := lookup(k.attract, 1e-30); math.IsInf(float64(got), 0) || math.IsNaN(float64(got)) {
		t.Errorf("attract(1e-30) = %g", got)
	}
}
