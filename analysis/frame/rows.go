package frame

import (
	"fmt"
	"math"
)

// Rows builds a frame of known columns and types from rows of text
// fields, with Read's rules for numbers, booleans and missing values. It
// is for reading in batches: a row that does not fit is refused whole,
// with an error naming the column, and the rows before it are kept.
type Rows struct {
	names []string
	kinds []Kind
	num   [][]float64
	text  [][]string
	valid [][]bool // categorical columns: false where missing
	flags [][]int8
	n     int
}

// NewRows starts an empty batch of the named columns of the given kinds.
func NewRows(names []string, kinds []Kind) *Rows {
	n := len(names)
	return &Rows{names: names, kinds: kinds, num: make([][]float64, n), text: make([][]string, n), valid: make([][]bool, n), flags: make([][]int8, n)}
}

// Len is the number of rows held.
func (r *Rows) Len() int { return r.n }

// Append adds a row, one field per column.
func (r *Rows) Append(fields []string) error {
	if len(fields) != len(r.names) {
		return fmt.Errorf("the row has %d fields, not %d", len(fields), len(r.names))
	}
	// Check every field before adding any, so that a bad row leaves no
	// trace.
	for j, f := range fields {
		if isMissing([]byte(f)) {
			continue
		}
		switch r.kinds[j] {
		case Numeric:
			if _, ok := parseNumber([]byte(f)); !ok {
				return fmt.Errorf("column %q holds %q, which is not a number", r.names[j], f)
			}
		case Boolean:
			if _, ok := parseBool([]byte(f)); !ok {
				return fmt.Errorf("column %q holds %q, which is not true or false", r.names[j], f)
			}
		}
	}
	for j, f := range fields {
		miss := isMissing([]byte(f))
		switch r.kinds[j] {
		case Numeric:
			v := math.NaN()
			if !miss {
				v, _ = parseNumber([]byte(f))
			}
			r.num[j] = append(r.num[j], v)
		case Boolean:
			fl := int8(-1)
			if !miss {
				v, _ := parseBool([]byte(f))
				fl = boolFlag(v)
			}
			r.flags[j] = append(r.flags[j], fl)
		default:
			r.text[j] = append(r.text[j], f)
			r.valid[j] = append(r.valid[j], !miss)
		}
	}
	r.n++
	return nil
}

// Frame returns the rows held as a frame and empties the batch.
func (r *Rows) Frame() (*Frame, error) {
	cols := make([]*Column, len(r.names))
	for j, name := range r.names {
		switch r.kinds[j] {
		case Numeric:
			cols[j] = NewNumeric(name, r.num[j])
		case Boolean:
			cols[j] = &Column{name: name, kind: Boolean, flags: r.flags[j]}
		default:
			c, err := NewCategorical(name, r.text[j], r.valid[j])
			if err != nil {
				return nil, err
			}
			cols[j] = c
		}
		r.num[j], r.text[j], r.valid[j], r.flags[j] = nil, nil, nil, nil
	}
	r.n = 0
	return New(cols...)
}
