package umap

import "math"

// The gradient coefficients of the optimisation are functions of the
// squared embedded distance d2 alone:
//
//	attract(d2) = -2ab d2^(b-1) / (1 + a d2^b)
//	repel(d2)   = 2 gamma b / ((0.001 + d2) (1 + a d2^b))
//
// Evaluating d2^b for each of the half a billion samples of a large run
// would dominate the time, so both are tabulated once per run and
// interpolated linearly. The table is indexed by the bits of the float32
// d2: the exponent and the top 7 bits of the mantissa pick an interval
// whose width is at most 1/128 of d2, small enough that the interpolation
// error stays below 5e-5 relative, far below the noise of stochastic
// gradient descent. The lookup is a few integer operations and two loads,
// and gives the same bits on every run.

const (
	tabShift = 16 // mantissa bits below the table index
	tabLoExp = -20
	tabHiExp = 12
	tabLo    = uint32(127+tabLoExp) << 23
	tabHi    = uint32(127+tabHiExp) << 23
	tabLen   = (tabHi-tabLo)>>tabShift + 1
)

type kernel struct {
	attract, repel []float32
}

func newKernel(a, b, gamma float64) *kernel {
	k := &kernel{attract: make([]float32, tabLen), repel: make([]float32, tabLen)}
	for i := range tabLen {
		x := float64(math.Float32frombits(tabLo + uint32(i)<<tabShift))
		pb := math.Pow(x, b)
		k.attract[i] = float32(-2 * a * b * pb / x / (1 + a*pb))
		k.repel[i] = float32(2 * gamma * b / ((0.001 + x) * (1 + a*pb)))
	}
	return k
}

// lookup interpolates tab at d2 > 0, clamping d2 to the table's range
// [2^-20, 2^12], beyond which the coefficients no longer matter: below, the
// gradient components they give are clipped or below 1e-3; above (points
// more than 64 apart, in a layout that starts in [0, 10]), below 1e-6.
// Small tables (16 KiB each) stay in the first-level cache.
func lookup(tab []float32, d2 float32) float32 {
	off := min(max(math.Float32bits(d2), tabLo), tabHi-1) - tabLo
	i := off >> tabShift
	f := float32(off&(1<<tabShift-1)) * (1.0 / (1 << tabShift))
	v0, v1 := tab[i], tab[i+1]
	return v0 + f*(v1-v0)
}
