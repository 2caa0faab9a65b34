package frame

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Kind is the type of a column's values.
type Kind int

const (
	// Numeric columns hold float64 values; NaN marks a missing value.
	Numeric Kind = iota + 1
	// Categorical columns hold strings from a set of levels.
	Categorical
	// Boolean columns hold true and false.
	Boolean
)

func (k Kind) String() string {
	switch k {
	case Numeric:
		return "numeric"
	case Categorical:
		return "categorical"
	case Boolean:
		return "boolean"
	}
	return fmt.Sprintf("Kind(%d)", int(k))
}

// ParseKind returns the Kind named "numeric", "categorical" or "boolean".
func ParseKind(s string) (Kind, error) {
	for _, k := range []Kind{Numeric, Categorical, Boolean} {
		if s == k.String() {
			return k, nil
		}
	}
	return 0, fmt.Errorf("frame: %q is not a column type; use numeric, categorical or boolean", s)
}

// A Column is a named, typed sequence of values, any of which may be
// missing. Columns are immutable: operations on a Frame share the columns
// they do not change and build new ones for those they do.
type Column struct {
	name   string
	kind   Kind
	num    []float64 // Numeric: NaN is missing
	codes  []int32   // Categorical: index into levels, -1 is missing
	levels []string
	flags  []int8 // Boolean: 0 false, 1 true, -1 missing
}

// NewNumeric returns a numeric column holding values, where NaN marks a
// missing value. The column keeps the slice: do not change it afterwards.
func NewNumeric(name string, values []float64) *Column {
	return &Column{name: name, kind: Numeric, num: values}
}

// NewCategorical returns a categorical column of values. When valid is not
// nil, values[i] is missing where valid[i] is false.
func NewCategorical(name string, values []string, valid []bool) (*Column, error) {
	if valid != nil && len(valid) != len(values) {
		return nil, fmt.Errorf("frame: column %q has %d values but %d validity flags", name, len(values), len(valid))
	}
	c := &Column{name: name, kind: Categorical, codes: make([]int32, len(values))}
	index := map[string]int32{}
	for i, v := range values {
		if valid != nil && !valid[i] {
			c.codes[i] = -1
			continue
		}
		code, ok := index[v]
		if !ok {
			code = int32(len(c.levels))
			index[v] = code
			c.levels = append(c.levels, v)
		}
		c.codes[i] = code
	}
	return c, nil
}

// NewBoolean returns a boolean column of values. When valid is not nil,
// values[i] is missing where valid[i] is false.
func NewBoolean(name string, values []bool, valid []bool) (*Column, error) {
	if valid != nil && len(valid) != len(values) {
		return nil, fmt.Errorf("frame: column %q has %d values but %d validity flags", name, len(values), len(valid))
	}
	c := &Column{name: name, kind: Boolean, flags: make([]int8, len(values))}
	for i, v := range values {
		switch {
		case valid != nil && !valid[i]:
			c.flags[i] = -1
		case v:
			c.flags[i] = 1
		}
	}
	return c, nil
}

// Name is the column's name.
func (c *Column) Name() string { return c.name }

// Kind is the type of the column's values.
func (c *Column) Kind() Kind { return c.kind }

// Len is the number of values, missing ones included.
func (c *Column) Len() int {
	switch c.kind {
	case Numeric:
		return len(c.num)
	case Categorical:
		return len(c.codes)
	}
	return len(c.flags)
}

// IsMissing reports whether value i is missing.
func (c *Column) IsMissing(i int) bool {
	switch c.kind {
	case Numeric:
		return math.IsNaN(c.num[i])
	case Categorical:
		return c.codes[i] < 0
	}
	return c.flags[i] < 0
}

// Missing is the number of missing values.
func (c *Column) Missing() int {
	n := 0
	for i := 0; i < c.Len(); i++ {
		if c.IsMissing(i) {
			n++
		}
	}
	return n
}

// distinct is the number of distinct values present in a categorical
// column (its levels may include values that filtering removed).
func (c *Column) distinct() int {
	if c.kind != Categorical {
		return 2
	}
	used := make([]bool, len(c.levels))
	n := 0
	for _, k := range c.codes {
		if k >= 0 && !used[k] {
			used[k] = true
			n++
		}
	}
	return n
}

// Float64s returns the values as numbers: a numeric column's own values
// (shared with the column: do not change them), or a boolean column's as 1
// and 0 in a new slice; missing values are NaN. A categorical column has no
// numbers and returns nil.
func (c *Column) Float64s() []float64 {
	switch c.kind {
	case Numeric:
		return c.num
	case Boolean:
		out := make([]float64, len(c.flags))
		for i, f := range c.flags {
			out[i] = float64(f)
			if f < 0 {
				out[i] = math.NaN()
			}
		}
		return out
	}
	return nil
}

// Codes returns a categorical column's values as indices into Levels, -1
// for missing, shared with the column: do not change them. Other kinds
// return nil.
func (c *Column) Codes() []int32 { return c.codes }

// Levels returns a categorical column's distinct values in order of first
// appearance, shared with the column: do not change them. Other kinds
// return nil.
func (c *Column) Levels() []string { return c.levels }

// Bool returns value i of a boolean column; ok is false when it is missing
// or the column is not boolean.
func (c *Column) Bool(i int) (v, ok bool) {
	if c.kind != Boolean || c.flags[i] < 0 {
		return false, false
	}
	return c.flags[i] == 1, true
}

// Format returns value i as text: the shortest decimal that reads back as
// the same number, the category, or "true" or "false"; "" when missing.
func (c *Column) Format(i int) string {
	if c.IsMissing(i) {
		return ""
	}
	switch c.kind {
	case Numeric:
		return strconv.FormatFloat(c.num[i], 'g', -1, 64)
	case Categorical:
		return c.levels[c.codes[i]]
	}
	return strconv.FormatBool(c.flags[i] == 1)
}

// MissingLabel is how tables, legends and cluster labels show a missing
// value.
const MissingLabel = "NA"

// Label returns value i as a table, a legend or explain shows it: the
// shortest decimal, the category, or "true" or "false", and MissingLabel
// when it is missing. A category spelled like MissingLabel, or starting
// with a double quote, is shown in double quotes (as R's tibble shows the
// text "NA"), so that a missing value and a text never look alike.
func (c *Column) Label(i int) string {
	if c.IsMissing(i) {
		return MissingLabel
	}
	if c.kind == Categorical {
		return LevelLabel(c.levels[c.codes[i]])
	}
	return c.Format(i)
}

// LevelLabel returns a category as Label shows it.
func LevelLabel(s string) string {
	if s == MissingLabel || strings.HasPrefix(s, `"`) {
		return strconv.Quote(s)
	}
	return s
}

// take returns the column's values at rows, in that order.
func (c *Column) take(rows []int) *Column {
	d := &Column{name: c.name, kind: c.kind, levels: c.levels}
	switch c.kind {
	case Numeric:
		d.num = make([]float64, len(rows))
		for i, r := range rows {
			d.num[i] = c.num[r]
		}
	case Categorical:
		d.codes = make([]int32, len(rows))
		for i, r := range rows {
			d.codes[i] = c.codes[r]
		}
	case Boolean:
		d.flags = make([]int8, len(rows))
		for i, r := range rows {
			d.flags[i] = c.flags[r]
		}
	}
	return d
}
