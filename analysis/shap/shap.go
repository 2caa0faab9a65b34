package shap

import (
	"context"
	"fmt"
	"sync/atomic"

	"gonum.org/v1/gonum/mat"

	"github.com/reckon-dev/reckon/analysis/gbt"
	"github.com/reckon-dev/reckon/analysis/internal/par"
	"github.com/reckon-dev/reckon/analysis/progress"
)

// Settings tune Explain.
type Settings struct {
	// Progress, when set, is called with phase "shap" and the number of
	// rows explained so far.
	Progress progress.Func
}

// Explanation holds the SHAP values of a set of rows.
type Explanation struct {
	// Values has one row per explained row and one column per feature:
	// Values.At(i, j) is how much feature j moved row i's margin
	// (log-odds) away from Expected.
	Values *mat.Dense
	// Expected is the model's expected margin: its base margin plus every
	// tree's average leaf value, weighted by the training covers.
	// XGBoost's pred_contribs puts it in its last ("bias") column.
	Expected float64
}

// rowChunk is the number of rows explained together: their values stay
// in cache while the trees' tables stream past once per chunk.
const rowChunk = 32

// Explain computes the SHAP values of every row of X (one column per
// model feature, NaN for a missing value) for the model's margin output.
func Explain(ctx context.Context, m *gbt.Model, X *mat.Dense, s Settings) (*Explanation, error) {
	if err := m.Validate(); err != nil {
		return nil, fmt.Errorf("shap: %w", err)
	}
	if X == nil {
		return nil, fmt.Errorf("shap: the feature matrix is missing")
	}
	n, d := X.Dims()
	if d != m.NumFeatures {
		return nil, fmt.Errorf("shap: the matrix has %d columns but the model has %d features", d, m.NumFeatures)
	}
	trees, err := prepare(ctx, m)
	if err != nil {
		return nil, err
	}
	phi := mat.NewDense(n, d, nil)
	var done atomic.Int64
	err = par.For(ctx, n, rowChunk, func(_, lo, hi int) {
		var masks []uint32
		var path []pathElem
		for _, t := range trees {
			for i := lo; i < hi; i++ {
				x, out := X.RawRowView(i), phi.RawRowView(i)
				if t.fast != nil {
					masks = t.fast.explain(x, out, masks)
				} else {
					path = t.classic.explain(x, out, path)
				}
			}
		}
		s.Progress.Report("shap", int(done.Add(int64(hi-lo))), n)
	})
	if err != nil {
		return nil, fmt.Errorf("shap: stopped: %w", err)
	}
	return &Explanation{Values: phi, Expected: expected(m)}, nil
}

// Expected returns the model's expected margin, the SHAP base value.
func Expected(m *gbt.Model) (float64, error) {
	if err := m.Validate(); err != nil {
		return 0, fmt.Errorf("shap: %w", err)
	}
	return expected(m), nil
}

func expected(m *gbt.Model) float64 {
	e := m.BaseMargin()
	for t := range m.Trees {
		e += nodeMean(&m.Trees[t], 0)
	}
	return e
}

// nodeMean is the cover-weighted mean of the leaf values below node i.
func nodeMean(t *gbt.Tree, i int) float64 {
	n := &t.Nodes[i]
	if n.IsLeaf() {
		return float64(n.Value)
	}
	l, r := &t.Nodes[n.Left], &t.Nodes[n.Right]
	return (nodeMean(t, int(n.Left))*l.Cover + nodeMean(t, int(n.Right))*r.Cover) / n.Cover
}

// prepared is one tree ready to explain rows: tabulated when its paths
// are short enough, otherwise walked by Lundberg's recursion.
type prepared struct {
	fast    *fastTree
	classic *classicTree
}

// Table budgets, in float64 values over all trees together: full tables
// (D values per pattern, the fastest) up to 64 MiB, then compact ones (two
// values per pattern) up to another 64 MiB; trees beyond both are walked
// by Lundberg's recursion. A depth-6 tree needs at most 64·64·6 values in
// full.
const (
	fullBudget    = 1 << 23
	compactBudget = 1 << 23
)

func prepare(ctx context.Context, m *gbt.Model) ([]prepared, error) {
	out := make([]prepared, len(m.Trees))
	full := make([]bool, len(m.Trees))
	fb, cb := fullBudget, compactBudget
	for t := range m.Trees {
		entries, values := tableSize(&m.Trees[t])
		switch {
		case entries < 0:
			out[t].classic = newClassicTree(&m.Trees[t])
		case values <= fb:
			fb -= values
			full[t] = true
		case 2*entries <= cb:
			cb -= 2 * entries
		default:
			out[t].classic = newClassicTree(&m.Trees[t])
		}
	}
	err := par.For(ctx, len(m.Trees), 1, func(t, _, _ int) {
		if out[t].classic == nil {
			out[t].fast = newFastTree(&m.Trees[t], full[t])
		}
	})
	if err != nil {
		return nil, fmt.Errorf("shap: stopped: %w", err)
	}
	return out, nil
}
