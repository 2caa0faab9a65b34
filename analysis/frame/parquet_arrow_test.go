package frame

import (
	"bytes"
	"fmt"
	"math"
	"strconv"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/decimal128"
	"github.com/apache/arrow-go/v18/arrow/memory"
	arrowpq "github.com/apache/arrow-go/v18/parquet"
	"github.com/apache/arrow-go/v18/parquet/compress"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"
)

// These tests read files written by an independent implementation of
// Parquet, Apache Arrow's (the Go twin of what pandas and pyarrow use), so
// that the reader is not only checked against parquet-go's own writer.

// An arrowColumn appends value i of a column (or a null) to an Arrow
// builder, and says what Reckon should read: the value formatted, or
// missing.
type arrowColumn struct {
	field  arrow.Field
	kind   Kind
	append func(b array.Builder, i int)
	want   func(i int) (string, bool)
}

func nullEvery(k int) func(int) bool { return func(i int) bool { return i%k == k-1 } }

// arrowColumns covers every Arrow type that Reckon reads, each with
// nulls at a different rhythm.
func arrowColumns() []arrowColumn {
	num := func(name string, dt arrow.DataType, null func(int) bool, v func(i int) float64, add func(b array.Builder, i int)) arrowColumn {
		return arrowColumn{
			field: arrow.Field{Name: name, Type: dt, Nullable: true}, kind: Numeric,
			append: func(b array.Builder, i int) {
				if null(i) {
					b.AppendNull()
				} else {
					add(b, i)
				}
			},
			want: func(i int) (string, bool) { return strconv.FormatFloat(v(i), 'g', -1, 64), null(i) },
		}
	}
	word := func(i int) string { return fmt.Sprintf("wörd %d ✓", (i*7)%23) }
	str := func(name string, dt arrow.DataType, null func(int) bool, add func(b array.Builder, s string)) arrowColumn {
		return arrowColumn{
			field: arrow.Field{Name: name, Type: dt, Nullable: true}, kind: Categorical,
			append: func(b array.Builder, i int) {
				if null(i) {
					b.AppendNull()
				} else {
					add(b, word(i))
				}
			},
			want: func(i int) (string, bool) { return word(i), null(i) },
		}
	}
	return []arrowColumn{
		num("int8", arrow.PrimitiveTypes.Int8, nullEvery(5), func(i int) float64 { return float64(int8(i)) },
			func(b array.Builder, i int) { b.(*array.Int8Builder).Append(int8(i)) }),
		num("int16", arrow.PrimitiveTypes.Int16, nullEvery(6), func(i int) float64 { return float64(int16(i * 300)) },
			func(b array.Builder, i int) { b.(*array.Int16Builder).Append(int16(i * 300)) }),
		num("int32", arrow.PrimitiveTypes.Int32, nullEvery(7), func(i int) float64 { return float64(-i * 100000) },
			func(b array.Builder, i int) { b.(*array.Int32Builder).Append(int32(-i * 100000)) }),
		num("int64", arrow.PrimitiveTypes.Int64, nullEvery(8), func(i int) float64 { return float64(int64(i) * 1e12) },
			func(b array.Builder, i int) { b.(*array.Int64Builder).Append(int64(i) * 1e12) }),
		num("uint8", arrow.PrimitiveTypes.Uint8, nullEvery(9), func(i int) float64 { return float64(uint8(i)) },
			func(b array.Builder, i int) { b.(*array.Uint8Builder).Append(uint8(i)) }),
		num("uint16", arrow.PrimitiveTypes.Uint16, nullEvery(10), func(i int) float64 { return float64(uint16(60000 + i)) },
			func(b array.Builder, i int) { b.(*array.Uint16Builder).Append(uint16(60000 + i)) }),
		num("uint32", arrow.PrimitiveTypes.Uint32, nullEvery(11), func(i int) float64 { return float64(uint32(math.MaxUint32 - i)) },
			func(b array.Builder, i int) { b.(*array.Uint32Builder).Append(uint32(math.MaxUint32 - i)) }),
		num("uint64", arrow.PrimitiveTypes.Uint64, nullEvery(12), func(i int) float64 { return float64(uint64(1<<63) + uint64(i)<<12) },
			func(b array.Builder, i int) { b.(*array.Uint64Builder).Append(uint64(1<<63) + uint64(i)<<12) }),
		num("float32", arrow.PrimitiveTypes.Float32, nullEvery(13), func(i int) float64 { return float64(float32(i) / 3) },
			func(b array.Builder, i int) { b.(*array.Float32Builder).Append(float32(i) / 3) }),
		num("float64", arrow.PrimitiveTypes.Float64, nullEvery(3), func(i int) float64 { return math.Sin(float64(i)) * 1e5 },
			func(b array.Builder, i int) { b.(*array.Float64Builder).Append(math.Sin(float64(i)) * 1e5) }),
		num("decimal", &arrow.Decimal128Type{Precision: 9, Scale: 2}, nullEvery(14), func(i int) float64 { return float64(i*7-3000) / 100 },
			func(b array.Builder, i int) {
				b.(*array.Decimal128Builder).Append(decimal128.FromI64(int64(i*7 - 3000)))
			}),
		str("string", arrow.BinaryTypes.String, nullEvery(4), func(b array.Builder, s string) { b.(*array.StringBuilder).Append(s) }),
		str("large string", arrow.BinaryTypes.LargeString, nullEvery(15), func(b array.Builder, s string) { b.(*array.LargeStringBuilder).Append(s) }),
		str("dictionary", &arrow.DictionaryType{IndexType: arrow.PrimitiveTypes.Int32, ValueType: arrow.BinaryTypes.String}, nullEvery(16),
			func(b array.Builder, s string) {
				if err := b.(*array.BinaryDictionaryBuilder).AppendString(s); err != nil {
					panic(err)
				}
			}),
		{
			field: arrow.Field{Name: "bool", Type: arrow.FixedWidthTypes.Boolean, Nullable: true}, kind: Boolean,
			append: func(b array.Builder, i int) {
				if i%17 == 16 {
					b.AppendNull()
				} else {
					b.(*array.BooleanBuilder).Append(i%3 == 0)
				}
			},
			want: func(i int) (string, bool) { return strconv.FormatBool(i%3 == 0), i%17 == 16 },
		},
		{
			field: arrow.Field{Name: "required", Type: arrow.PrimitiveTypes.Float64, Nullable: false}, kind: Numeric,
			append: func(b array.Builder, i int) { b.(*array.Float64Builder).Append(float64(i)) },
			want:   func(i int) (string, bool) { return strconv.Itoa(i), false },
		},
	}
}

// writeArrow writes rows of the columns through pqarrow, several record
// batches of them, with the writer properties given.
func writeArrow(t testing.TB, cols []arrowColumn, rows int, props ...arrowpq.WriterProperty) []byte {
	t.Helper()
	fields := make([]arrow.Field, len(cols))
	for i, c := range cols {
		fields[i] = c.field
	}
	schema := arrow.NewSchema(fields, nil)
	var buf bytes.Buffer
	w, err := pqarrow.NewFileWriter(schema, &buf, arrowpq.NewWriterProperties(props...), pqarrow.DefaultWriterProps())
	if err != nil {
		t.Fatal(err)
	}
	const batch = 250
	for lo := 0; lo < rows || lo == 0; lo += batch {
		hi := min(lo+batch, rows)
		arrays := make([]arrow.Array, len(cols))
		for j, c := range cols {
			b := array.NewBuilder(memory.DefaultAllocator, c.field.Type)
			for i := lo; i < hi; i++ {
				c.append(b, i)
			}
			arrays[j] = b.NewArray()
			b.Release()
		}
		rec := array.NewRecordBatch(schema, arrays, int64(hi-lo))
		if err := w.Write(rec); err != nil {
			t.Fatal(err)
		}
		rec.Release()
		for _, a := range arrays {
			a.Release()
		}
		if rows == 0 {
			break
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestReadParquetWrittenByArrow(t *testing.T) {
	cols := arrowColumns()
	const rows = 1000
	for _, tc := range []struct {
		name  string
		props []arrowpq.WriterProperty
	}{
		{"snappy, dictionary, v1 pages", []arrowpq.WriterProperty{arrowpq.WithCompression(compress.Codecs.Snappy), arrowpq.WithDictionaryDefault(true)}},
		{"zstd, dictionary, v2 pages", []arrowpq.WriterProperty{arrowpq.WithCompression(compress.Codecs.Zstd), arrowpq.WithDictionaryDefault(true), arrowpq.WithDataPageVersion(arrowpq.DataPageV2)}},
		{"gzip, plain, decimals as integers", []arrowpq.WriterProperty{arrowpq.WithCompression(compress.Codecs.Gzip), arrowpq.WithDictionaryDefault(false), arrowpq.WithStoreDecimalAsInteger(true)}},
		{"uncompressed, small pages, dictionary falling back to plain", []arrowpq.WriterProperty{
			arrowpq.WithDictionaryDefault(true), arrowpq.WithDataPageSize(200), arrowpq.WithDictionaryPageSizeLimit(100), arrowpq.WithBatchSize(50)}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			props := append([]arrowpq.WriterProperty{arrowpq.WithMaxRowGroupLength(300)}, tc.props...)
			data := writeArrow(t, cols, rows, props...)
			f, err := readParquetBytes(data)
			if err != nil {
				t.Fatal(err)
			}
			if f.NumRows() != rows || f.NumCols() != len(cols) {
				t.Fatalf("read %d rows × %d columns, want %d × %d", f.NumRows(), f.NumCols(), rows, len(cols))
			}
			for j, c := range cols {
				got := f.cols[j]
				if got.name != c.field.Name || got.kind != c.kind {
					t.Fatalf("column %d is %q (%v), want %q (%v)", j, got.name, got.kind, c.field.Name, c.kind)
				}
				for i := 0; i < rows; i++ {
					want, missing := c.want(i)
					if got.IsMissing(i) != missing || (!missing && got.Format(i) != want) {
						t.Fatalf("column %q row %d: %q (missing %v), want %q (missing %v)", got.name, i, got.Format(i), got.IsMissing(i), want, missing)
					}
				}
			}
		})
	}
}

// A file of no rows keeps its columns and their types.
func TestReadParquetEmptyFromArrow(t *testing.T) {
	cols := arrowColumns()
	f, err := readParquetBytes(writeArrow(t, cols, 0))
	if err != nil {
		t.Fatal(err)
	}
	if f.NumRows() != 0 || f.NumCols() != len(cols) {
		t.Fatalf("read %d rows × %d columns, want 0 × %d", f.NumRows(), f.NumCols(), len(cols))
	}
	for j, c := range cols {
		if f.cols[j].kind != c.kind {
			t.Fatalf("column %q is %v, want %v", c.field.Name, f.cols[j].kind, c.kind)
		}
	}
}

// Columns Reckon has no type for are refused with one sentence naming the
// column and saying what to do.
func TestReadParquetRefusesNestedAndTemporalColumns(t *testing.T) {
	for _, tc := range []struct {
		dt   arrow.DataType
		want string
	}{
		{arrow.ListOf(arrow.PrimitiveTypes.Int64), `column "odd" is nested (a list, map or struct)`},
		{arrow.StructOf(arrow.Field{Name: "a", Type: arrow.PrimitiveTypes.Int64, Nullable: true}), `column "odd" is nested (a list, map or struct)`},
		{arrow.MapOf(arrow.BinaryTypes.String, arrow.PrimitiveTypes.Int64), `column "odd" is nested (a list, map or struct)`},
		{arrow.FixedWidthTypes.Timestamp_us, `column "odd" holds dates or times, for which Reckon has no column type; convert it to numbers (say, seconds since 1970) or to strings before writing the file`},
		{arrow.FixedWidthTypes.Date32, `column "odd" holds dates or times`},
		{arrow.BinaryTypes.Binary, ""},
	} {
		t.Run(tc.dt.String(), func(t *testing.T) {
			cols := []arrowColumn{
				{field: arrow.Field{Name: "fine", Type: arrow.PrimitiveTypes.Int64, Nullable: true}, append: func(b array.Builder, i int) { b.(*array.Int64Builder).Append(int64(i)) }},
				{field: arrow.Field{Name: "odd", Type: tc.dt, Nullable: true}, append: func(b array.Builder, i int) { b.AppendNull() }},
			}
			_, err := readParquetBytes(writeArrow(t, cols, 3))
			if tc.want == "" {
				// A binary column of nulls only holds no bytes that are not
				// text: it reads as a categorical column of missing values.
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.want) || strings.Count(err.Error(), ". ") > 0 {
				t.Fatalf("got %v, want one sentence saying %q", err, tc.want)
			}
		})
	}
}

// Byte arrays that are not UTF-8 text are refused, naming the column.
func TestReadParquetRefusesBinaryThatIsNotText(t *testing.T) {
	cols := []arrowColumn{{field: arrow.Field{Name: "blob", Type: arrow.BinaryTypes.Binary, Nullable: true},
		append: func(b array.Builder, i int) { b.(*array.BinaryBuilder).Append([]byte{0xff, byte(i)}) }}}
	_, err := readParquetBytes(writeArrow(t, cols, 3))
	if err == nil || !strings.Contains(err.Error(), `column "blob": "\xff\x00" is binary data, not UTF-8 text`) {
		t.Fatalf("got %v", err)
	}
}
