package dsl

import (
	"fmt"
	"strings"
	"sync"

	"gonum.org/v1/gonum/mat"

	"github.com/reckon-dev/reckon/analysis/frame"
	"github.com/reckon-dev/reckon/display"
)

// Table is a data table, as load returns it. Tables never change: every
// command that transforms one returns a new one, so a table can cache the
// numeric matrix the analysis commands work on.
type Table struct {
	data *frame.Frame

	once  sync.Once
	dense *mat.Dense
	err   error
}

// NewTable wraps a frame.
func NewTable(f *frame.Frame) *Table { return &Table{data: f} }

func (t *Table) Type() string { return "table" }

// Size is the shape, as pandas writes it.
func (t *Table) Size() string {
	return count(t.data.NumRows(), "row") + " × " + count(t.data.NumCols(), "column")
}

// Matrix returns every column as a matrix, once: categorical columns and
// missing values are errors that name the column and the command that
// deals with them.
func (t *Table) Matrix() (*mat.Dense, error) {
	t.once.Do(func() { t.dense, t.err = t.data.Dense() })
	return t.dense, t.err
}

// Attrs are the column names.
func (t *Table) Attrs() []string { return t.data.Names() }

// Attr returns a column.
func (t *Table) Attr(name string) (Value, bool) {
	c, err := t.data.Column(name)
	if err != nil {
		return nil, false
	}
	return &Column{Table: t, Data: c}, true
}

// Index returns the column named by a string, for names that are not
// identifiers: t["energy level"].
func (t *Table) Index(i Value) (Value, error) {
	s, ok := i.(String)
	if !ok {
		return nil, fmt.Errorf("a table is indexed by a column name, as t[\"genre\"], not by %s", describeValue(i))
	}
	c, err := t.data.Column(string(s))
	if err != nil {
		return nil, err
	}
	return &Column{Table: t, Data: c}, nil
}

// previewRows and previewCols bound what showing a table prints.
const (
	previewRows = 10
	previewCols = 12
)

func (t *Table) preview() display.Table {
	cols := t.data.Columns()
	shown := cols
	if len(cols) > previewCols {
		shown = cols[:previewCols]
	}
	tb := display.Table{Columns: make([]string, len(shown)), Numeric: make([]bool, len(shown))}
	for j, c := range shown {
		tb.Columns[j] = c.Name()
		tb.Numeric[j] = c.Kind() == frame.Numeric
	}
	n := t.data.NumRows()
	for i := 0; i < min(n, previewRows); i++ {
		row := make([]string, len(shown))
		for j, c := range shown {
			row[j] = formatCell(c, i)
		}
		tb.Rows = append(tb.Rows, row)
	}
	var notes []string
	if n > previewRows {
		notes = append(notes, fmt.Sprintf("first %d of %s", previewRows, count(n, "row")))
	}
	if len(cols) > len(shown) {
		notes = append(notes, fmt.Sprintf("first %d of %s", len(shown), count(len(cols), "column")))
	}
	tb.Note = t.Size()
	if len(notes) > 0 {
		tb.Note += " (" + strings.Join(notes, "; ") + ")"
	}
	return tb
}

func (t *Table) String() string { return t.preview().Plain() }

// Display shows the first rows and columns, as HTML with a text twin.
func (t *Table) Display() display.Bundle { return t.preview().Bundle() }

// formatCell shows a value as a table cell: numbers with at most six
// significant digits, missing values as NA and a text spelled NA in
// quotes (frame.Column.Label).
func formatCell(c *frame.Column, i int) string {
	if c.Kind() == frame.Numeric && !c.IsMissing(i) {
		return formatShort(c.Float64s()[i])
	}
	return c.Label(i)
}

// thousands writes n with thousands separators: 70,000.
func thousands(n int) string { return display.Thousands(n) }

// Column is one column of a table, as t.name gives it: something to colour
// a plot by, or to compare in a where condition.
type Column struct {
	Table *Table
	Data  *frame.Column
}

func (c *Column) Type() string { return "column" }

func (c *Column) Size() string { return thousands(c.Data.Len()) + " values" }

func (c *Column) String() string {
	s := fmt.Sprintf("column %q (%s, %s values", c.Data.Name(), c.Data.Kind(), thousands(c.Data.Len()))
	if m := c.Data.Missing(); m > 0 {
		s += fmt.Sprintf(", %s missing", thousands(m))
	}
	if c.Data.Kind() == frame.Categorical {
		s += fmt.Sprintf(", %d levels", len(c.Data.Levels()))
	}
	return s + ")"
}

// Binary makes a comparison of the column with a value a Condition, the
// argument where takes: where(tracks, tracks.energy > 0.5).
func (c *Column) Binary(op string, other Value, left bool) (Value, error) {
	if !left {
		// 0.5 < t.energy reads as t.energy > 0.5.
		op = map[string]string{"<": ">", "<=": ">=", ">": "<", ">=": "<=", "==": "==", "!=": "!="}[op]
	}
	fop, err := frame.ParseOp(op)
	if err != nil || op == "" {
		return nil, fmt.Errorf("a column can be compared (==, !=, <, <=, >, >=), not combined with `%s`", op)
	}
	v, err := goValue(other)
	if err != nil {
		return nil, err
	}
	if l, ok := v.([]any); ok {
		if fop != frame.Eq {
			return nil, fmt.Errorf("a column compares with a list only by ==, meaning one of its values")
		}
		fop, v = frame.In, l
	}
	return &Condition{Column: c.Data.Name(), Op: fop, Value: v, text: fmt.Sprintf("%s %s %s", c.Data.Name(), op, other)}, nil
}

// Condition is a comparison of a column with a value, waiting for where
// to apply it to a table.
type Condition struct {
	Column string
	Op     frame.Op
	Value  any
	text   string
}

func (c *Condition) Type() string   { return "condition" }
func (c *Condition) String() string { return c.text }

// goValue turns a value of the language into the plain Go value frame
// compares with.
func goValue(v Value) (any, error) {
	switch x := v.(type) {
	case Number:
		return float64(x), nil
	case String:
		return string(x), nil
	case Bool:
		return bool(x), nil
	case List:
		out := make([]any, len(x))
		for i, it := range x {
			g, err := goValue(it)
			if err != nil {
				return nil, err
			}
			out[i] = g
		}
		return out, nil
	}
	return nil, fmt.Errorf("a column cannot be compared with %s", describeValue(v))
}

// Matrixer is a value the numeric commands can work on: a table, an
// embedding.
type Matrixer interface {
	Value
	Matrix() (*mat.Dense, error)
}

// DataT is the parameter type of commands that take numeric data.
var DataT = &Type{Name: "table or embedding", Accepts: func(v Value) bool { _, ok := v.(Matrixer); return ok }}

// Tabular is a value that is, or can be seen as, a table.
type Tabular interface {
	Value
	Frame() *frame.Frame
}

// Frame returns the table's frame.
func (t *Table) Frame() *frame.Frame { return t.data }

// TabularT is the parameter type of commands that take a table.
var TabularT = &Type{Name: "table", Accepts: func(v Value) bool { _, ok := v.(Tabular); return ok }}
