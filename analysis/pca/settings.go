package pca

import (
	"fmt"

	"github.com/reckon-dev/reckon/analysis/progress"
)

// Solver names an algorithm for the SVD, as scikit-learn's svd_solver does.
type Solver string

const (
	// Auto picks Full when the data have at most 500 rows and 500 columns
	// or when NComponents is at least 80% of the smaller dimension, and
	// Randomized otherwise (scikit-learn's "auto" before version 1.5).
	Auto Solver = "auto"
	// Full is the exact SVD of the centred data (gonum's Dgesvd). It is
	// not interrupted by a cancelled context once the factorisation runs.
	Full Solver = "full"
	// Randomized is the randomized SVD of Halko et al.
	Randomized Solver = "randomized"
)

// Settings configure a PCA. The zero value means scikit-learn's defaults,
// except for the seed, which is always explicit here.
type Settings struct {
	// NComponents is n_components, the number of principal axes kept. Zero
	// means 2.
	NComponents int
	// Whiten is whiten (default false): divide each projected coordinate
	// by the square root of its explained variance, so that every
	// component has unit variance. A component with no variance, which
	// only rank-deficient data have, stays 0 instead of becoming NaN.
	Whiten bool
	// Solver is svd_solver; "" means Auto.
	Solver Solver
	// IteratedPower is iterated_power, the number of power iterations of
	// the randomized solver. Zero means "auto": 7 when NComponents is less
	// than a tenth of the smaller dimension, else 4.
	IteratedPower int
	// NOversamples is n_oversamples, the extra random directions sketched
	// beyond NComponents by the randomized solver. Zero means 10.
	NOversamples int
	// Seed is random_state: the randomized solver's Gaussian sketch comes
	// from it, so the same seed gives the same result.
	Seed uint64
	// Progress, when set, hears the phases "centre", "power iteration"
	// (with the iteration count) and "svd".
	Progress progress.Func
}

// plan is Settings resolved against the shape of the data.
type plan struct {
	k, oversamples, iterations int
	solver                     Solver
}

func (s Settings) resolve(n, d int) (plan, error) {
	p := plan{k: s.NComponents, oversamples: s.NOversamples, iterations: s.IteratedPower, solver: s.Solver}
	if p.k == 0 {
		p.k = 2
	}
	if lim := min(n, d); p.k < 1 || p.k > lim {
		return p, fmt.Errorf("pca: n_components %d must be between 1 and %d, the smaller of the %d rows and %d columns", p.k, lim, n, d)
	}
	if p.oversamples < 0 {
		return p, fmt.Errorf("pca: n_oversamples %d must not be negative", p.oversamples)
	}
	if p.oversamples == 0 {
		p.oversamples = 10
	}
	if p.iterations < 0 {
		return p, fmt.Errorf("pca: iterated_power %d must not be negative", p.iterations)
	}
	if p.iterations == 0 {
		p.iterations = 4
		if 10*p.k < min(n, d) {
			p.iterations = 7
		}
	}
	switch p.solver {
	case "", Auto:
		p.solver = Randomized
		if max(n, d) <= 500 || 5*p.k >= 4*min(n, d) {
			p.solver = Full
		}
	case Full, Randomized:
	default:
		return p, fmt.Errorf("pca: svd_solver %q is not one of %q, %q or %q", string(s.Solver), Auto, Full, Randomized)
	}
	return p, nil
}
