package frame

import (
	"context"
	"fmt"

	"gonum.org/v1/gonum/mat"

	"github.com/reckon-dev/reckon/analysis/internal/par"
)

// Dense returns the named columns (every column when none are named) as a
// matrix with a row per table row, for the numeric methods. Boolean
// columns become 1 and 0. Missing values and categorical columns are
// errors that say how to deal with them, rather than being guessed at.
func (f *Frame) Dense(names ...string) (*mat.Dense, error) {
	idx, err := f.indices(names)
	if err != nil {
		return nil, err
	}
	if len(idx) == 0 {
		return nil, fmt.Errorf("frame: the table has no columns to make a matrix of")
	}
	if f.rows == 0 {
		return nil, fmt.Errorf("frame: the table has no rows to make a matrix of")
	}
	for _, i := range idx {
		c := f.cols[i]
		if c.kind == Categorical {
			return nil, fmt.Errorf("frame: column %q is categorical; one-hot encode it with onehot, or drop it", c.name)
		}
		if n := c.Missing(); n > 0 {
			values := "values"
			if n == 1 {
				values = "value"
			}
			return nil, fmt.Errorf("frame: column %q has %d missing %s; fill them with impute (for example strategy \"median\"), or drop the column", c.name, n, values)
		}
	}
	d := len(idx)
	data := make([]float64, f.rows*d)
	// Copy a block of rows at a time, so that the strided writes of each
	// column land in cache lines that the next columns fill too, and the
	// blocks in parallel. The copy cannot fail, so there is nothing to
	// cancel: MNIST's 55 million cells take a fraction of a second.
	_ = par.For(context.Background(), f.rows, 256, func(_, lo, hi int) {
		for j, i := range idx {
			c := f.cols[i]
			if c.kind == Numeric {
				for r, v := range c.num[lo:hi] {
					data[(lo+r)*d+j] = v
				}
				continue
			}
			for r, v := range c.flags[lo:hi] {
				data[(lo+r)*d+j] = float64(v)
			}
		}
	})
	return mat.NewDense(f.rows, d, data), nil
}
