package frame

import (
	"fmt"
	"io"
	"math"
	"reflect"

	"github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/compress"
	"github.com/parquet-go/parquet-go/encoding"
)

// parquetRowGroup is the number of rows per row group that WriteParquet
// writes: large enough for good compression, small enough that a reader
// streaming row groups holds little at a time.
const parquetRowGroup = 128 << 10

// WriteParquet writes the table as a Parquet file, snappy-compressed as
// pandas and pyarrow write by default, every column optional (nullable)
// with missing values as nulls:
//
//   - a numeric column whose values are all whole numbers of at most 2^53
//     is written as 64-bit integers (as the CSV holds "3", not "3.0", and
//     pandas reads it as int64), any other as doubles;
//   - a categorical column as dictionary-encoded UTF-8 strings;
//   - a boolean column as booleans.
//
// ReadParquet gives the table back exactly.
func (f *Frame) WriteParquet(w io.Writer) error {
	var ints []string
	for _, c := range f.cols {
		if c.kind == Numeric && wholeNumbers(c.num) {
			ints = append(ints, c.name)
		}
	}
	pw := NewParquetWriter(w, f, ints...)
	if err := pw.Write(f); err != nil {
		return err
	}
	return pw.Close()
}

// A ParquetWriter writes tables of the same columns one after another as
// one Parquet file, a row group of up to 131,072 rows at a time, so that
// a table too large for memory can be written in batches.
type ParquetWriter struct {
	w     *parquet.GenericWriter[any]
	names []string
	kinds []Kind
	ints  []bool
}

// NewParquetWriter writes tables with the columns of like (their names
// and types; its rows are not written) as WriteParquet does, numeric
// columns as doubles except those named in ints, written as 64-bit
// integers.
func NewParquetWriter(w io.Writer, like *Frame, ints ...string) *ParquetWriter {
	pw := &ParquetWriter{}
	fields := make([]orderedField, len(like.cols))
	for i, c := range like.cols {
		var node parquet.Node
		integer := false
		switch c.kind {
		case Numeric:
			node = parquet.Leaf(parquet.DoubleType)
			for _, name := range ints {
				if name == c.name {
					node, integer = parquet.Int(64), true
				}
			}
		case Categorical:
			node = parquet.Encoded(parquet.String(), &parquet.RLEDictionary)
		case Boolean:
			node = parquet.Leaf(parquet.BooleanType)
		}
		fields[i] = orderedField{Node: parquet.Optional(node), name: c.name}
		pw.names, pw.kinds, pw.ints = append(pw.names, c.name), append(pw.kinds, c.kind), append(pw.ints, integer)
	}
	schema := parquet.NewSchema("schema", orderedGroup(fields))
	pw.w = parquet.NewGenericWriter[any](w, schema,
		parquet.Compression(&parquet.Snappy),
		parquet.MaxRowsPerRowGroup(parquetRowGroup))
	return pw
}

// Write appends the rows of f, whose columns must be those the writer was
// made for, in order and of the same types.
func (pw *ParquetWriter) Write(f *Frame) error {
	if len(f.cols) != len(pw.names) {
		return fmt.Errorf("frame: writing Parquet: a table of %d columns where the file has %d", len(f.cols), len(pw.names))
	}
	for j, c := range f.cols {
		if c.name != pw.names[j] || c.kind != pw.kinds[j] {
			return fmt.Errorf("frame: writing Parquet: column %d is %q (%s) where the file has %q (%s)", j+1, c.name, c.kind, pw.names[j], pw.kinds[j])
		}
		if pw.ints[j] && !wholeNumbers(c.num) {
			return fmt.Errorf("frame: writing Parquet: column %q holds a number that is not a whole number, in a column of integers", c.name)
		}
	}
	const batch = 1024
	rows := make([]parquet.Row, 0, batch)
	for lo := 0; lo < f.rows; lo += batch {
		hi := min(lo+batch, f.rows)
		rows = rows[:0]
		for i := lo; i < hi; i++ {
			row := make(parquet.Row, len(f.cols))
			for j, c := range f.cols {
				if c.IsMissing(i) {
					row[j] = parquet.NullValue().Level(0, 0, j)
				} else {
					row[j] = parquetValue(c, i, pw.ints[j]).Level(0, 1, j)
				}
			}
			rows = append(rows, row)
		}
		if _, err := pw.w.WriteRows(rows); err != nil {
			return fmt.Errorf("frame: writing Parquet: %w", err)
		}
	}
	return nil
}

// Close writes the file's footer; the file is not complete before.
func (pw *ParquetWriter) Close() error {
	if err := pw.w.Close(); err != nil {
		return fmt.Errorf("frame: writing Parquet: %w", err)
	}
	return nil
}

// wholeNumbers reports whether every value present is a whole number that
// a float64 holds exactly, and is not -0, which an integer cannot hold.
func wholeNumbers(v []float64) bool {
	for _, x := range v {
		if !math.IsNaN(x) && (x != math.Trunc(x) || math.Abs(x) > 1<<53 || (x == 0 && math.Signbit(x))) {
			return false
		}
	}
	return true
}

// parquetValue is value i of c, which is present, as Parquet stores it.
func parquetValue(c *Column, i int, integer bool) parquet.Value {
	switch c.kind {
	case Numeric:
		if integer {
			return parquet.Int64Value(int64(c.num[i]))
		}
		return parquet.DoubleValue(c.num[i])
	case Categorical:
		return parquet.ByteArrayValue([]byte(c.levels[c.codes[i]]))
	}
	return parquet.BooleanValue(c.flags[i] == 1)
}

// orderedGroup is a Parquet group whose fields keep the order given;
// parquet.Group, a map, sorts them by name.
type orderedGroup []orderedField

type orderedField struct {
	parquet.Node
	name string
}

func (f orderedField) Name() string { return f.name }
func (f orderedField) Value(base reflect.Value) reflect.Value {
	return base.MapIndex(reflect.ValueOf(f.name))
}

func (g orderedGroup) ID() int                     { return 0 }
func (g orderedGroup) String() string              { return "group" }
func (g orderedGroup) Type() parquet.Type          { return parquet.Group{}.Type() }
func (g orderedGroup) Optional() bool              { return false }
func (g orderedGroup) Repeated() bool              { return false }
func (g orderedGroup) Required() bool              { return true }
func (g orderedGroup) Leaf() bool                  { return false }
func (g orderedGroup) Encoding() encoding.Encoding { return nil }
func (g orderedGroup) Compression() compress.Codec { return nil }
func (g orderedGroup) GoType() reflect.Type        { return reflect.TypeOf(map[string]any{}) }
func (g orderedGroup) Fields() []parquet.Field {
	fields := make([]parquet.Field, len(g))
	for i := range g {
		fields[i] = g[i]
	}
	return fields
}
