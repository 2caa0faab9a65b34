package frame

import (
	"fmt"
	"strings"

	"github.com/reckon-dev/reckon/internal/randseed"
	"github.com/reckon-dev/reckon/internal/suggest"
)

// A Frame is a table: named, typed columns of equal length. Frames are
// immutable; every operation returns a new Frame, sharing the columns it
// leaves as they were.
type Frame struct {
	cols []*Column
	rows int
}

// New returns a frame of the columns, which must have distinct, non-empty
// names and equal lengths.
func New(cols ...*Column) (*Frame, error) {
	f := &Frame{cols: cols}
	seen := map[string]bool{}
	for i, c := range cols {
		if c == nil {
			return nil, fmt.Errorf("frame: column %d is nil", i)
		}
		if c.name == "" {
			return nil, fmt.Errorf("frame: column %d has no name", i)
		}
		if seen[c.name] {
			return nil, fmt.Errorf("frame: two columns are named %q", c.name)
		}
		seen[c.name] = true
		if i == 0 {
			f.rows = c.Len()
		} else if c.Len() != f.rows {
			return nil, fmt.Errorf("frame: column %q has %d values but column %q has %d", c.name, c.Len(), cols[0].name, f.rows)
		}
	}
	return f, nil
}

// NumRows is the number of rows.
func (f *Frame) NumRows() int { return f.rows }

// NumCols is the number of columns.
func (f *Frame) NumCols() int { return len(f.cols) }

// Names returns the column names in order.
func (f *Frame) Names() []string {
	names := make([]string, len(f.cols))
	for i, c := range f.cols {
		names[i] = c.name
	}
	return names
}

// Columns returns the columns in order.
func (f *Frame) Columns() []*Column { return append([]*Column(nil), f.cols...) }

// Column returns the column called name. An unknown name is an error that
// suggests the nearest existing one.
func (f *Frame) Column(name string) (*Column, error) {
	i, err := f.index(name)
	if err != nil {
		return nil, err
	}
	return f.cols[i], nil
}

func (f *Frame) index(name string) (int, error) {
	for i, c := range f.cols {
		if c.name == name {
			return i, nil
		}
	}
	return -1, f.unknown(name)
}

// indices resolves names to column positions; no names means every column.
func (f *Frame) indices(names []string) ([]int, error) {
	if len(names) == 0 {
		idx := make([]int, len(f.cols))
		for i := range idx {
			idx[i] = i
		}
		return idx, nil
	}
	idx := make([]int, len(names))
	for k, name := range names {
		i, err := f.index(name)
		if err != nil {
			return nil, err
		}
		idx[k] = i
	}
	return idx, nil
}

// unknown is the error for a column name the frame lacks.
func (f *Frame) unknown(name string) error {
	if best, ok := suggest.Nearest(name, f.Names()); ok {
		return fmt.Errorf("frame: no column %q; did you mean %q?", name, best)
	}
	if len(f.cols) == 0 {
		return fmt.Errorf("frame: no column %q; the table has no columns", name)
	}
	names := f.Names()
	if len(names) > 8 {
		names = append(names[:8:8], "...")
	}
	return fmt.Errorf("frame: no column %q; the columns are %s", name, strings.Join(names, ", "))
}

// Select returns the named columns, in the order given.
func (f *Frame) Select(names ...string) (*Frame, error) {
	idx, err := f.indices(names)
	if err != nil {
		return nil, err
	}
	cols := make([]*Column, len(idx))
	for k, i := range idx {
		cols[k] = f.cols[i]
	}
	return New(cols...)
}

// Drop returns the frame without the named columns.
func (f *Frame) Drop(names ...string) (*Frame, error) {
	drop := map[int]bool{}
	for _, name := range names {
		i, err := f.index(name)
		if err != nil {
			return nil, err
		}
		drop[i] = true
	}
	out := &Frame{rows: f.rows}
	for i, c := range f.cols {
		if !drop[i] {
			out.cols = append(out.cols, c)
		}
	}
	return out, nil
}

// Take returns the rows at the given indices, in that order; an index may
// repeat.
func (f *Frame) Take(rows []int) (*Frame, error) {
	for _, r := range rows {
		if r < 0 || r >= f.rows {
			return nil, fmt.Errorf("frame: row %d is outside the table's %d rows", r, f.rows)
		}
	}
	return f.take(rows), nil
}

func (f *Frame) take(rows []int) *Frame {
	out := &Frame{rows: len(rows), cols: make([]*Column, len(f.cols))}
	for i, c := range f.cols {
		out.cols[i] = c.take(rows)
	}
	return out
}

// Head returns the first n rows, or all of them when there are fewer.
func (f *Frame) Head(n int) (*Frame, error) {
	if n < 0 {
		return nil, fmt.Errorf("frame: head needs a row count of at least 0, not %d", n)
	}
	return f.take(span(min(n, f.rows))), nil
}

// Sample returns n rows drawn at random without replacement, in the order
// drawn; the same seed draws the same rows.
func (f *Frame) Sample(n int, seed uint64) (*Frame, error) {
	if n < 0 || n > f.rows {
		return nil, fmt.Errorf("frame: cannot sample %d rows without replacement from %d", n, f.rows)
	}
	rng := randseed.New(seed, 0x5a3b1e)
	// A partial Fisher-Yates shuffle: the first n places end up holding a
	// uniform random sample, in random order.
	perm := span(f.rows)
	for i := 0; i < n; i++ {
		j := i + rng.IntN(f.rows-i)
		perm[i], perm[j] = perm[j], perm[i]
	}
	return f.take(perm[:n]), nil
}

// span returns 0, 1, ..., n-1.
func span(n int) []int {
	s := make([]int, n)
	for i := range s {
		s[i] = i
	}
	return s
}
