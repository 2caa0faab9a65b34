package frame

import (
	"bytes"
	"context"
	"errors"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/encoding/thrift"
	"github.com/parquet-go/parquet-go/format"
)

func parquetBytes(t testing.TB, f *Frame) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := f.WriteParquet(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func readParquetBytes(data []byte) (*Frame, error) {
	return ReadParquetFrom(context.Background(), bytes.NewReader(data), int64(len(data)), "test.parquet", ParquetOptions{})
}

// sameTable fails unless got has want's columns, in order, with the same
// kinds and values (numbers to the bit, missing where missing).
func sameTable(t testing.TB, got, want *Frame) {
	t.Helper()
	if !slices.Equal(got.Names(), want.Names()) || got.NumRows() != want.NumRows() {
		t.Fatalf("read %v with %d rows, want %v with %d", got.Names(), got.NumRows(), want.Names(), want.NumRows())
	}
	for i, g := range got.cols {
		w := want.cols[i]
		if g.kind != w.kind {
			t.Fatalf("column %q is %v, want %v", g.name, g.kind, w.kind)
		}
		for r := 0; r < w.Len(); r++ {
			gm, wm := g.IsMissing(r), w.IsMissing(r)
			same := gm == wm && g.Format(r) == w.Format(r)
			if w.kind == Numeric && !wm {
				same = math.Float64bits(g.num[r]) == math.Float64bits(w.num[r])
			}
			if !same {
				t.Fatalf("column %q row %d: %q (missing %v), want %q (missing %v)", g.name, r, g.Format(r), gm, w.Format(r), wm)
			}
		}
	}
}

func mustCategorical(t testing.TB, name string, values []string, valid []bool) *Column {
	t.Helper()
	c, err := NewCategorical(name, values, valid)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func mustBoolean(t testing.TB, name string, values, valid []bool) *Column {
	t.Helper()
	c, err := NewBoolean(name, values, valid)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func mustFrame(t testing.TB, cols ...*Column) *Frame {
	t.Helper()
	f, err := New(cols...)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func TestParquetRoundTrip(t *testing.T) {
	nan := math.NaN()
	long := make([]float64, parquetRowGroup+7) // more than one row group
	for i := range long {
		long[i] = float64(i%1000) / 8
	}
	long[5] = nan
	for _, tc := range []struct {
		name  string
		table *Frame
	}{
		{"every type with gaps", mustFrame(t,
			NewNumeric("z whole", []float64{1, -2, nan, 1 << 53, 0}),
			NewNumeric("a real", []float64{1.5, nan, math.Inf(-1), 1e-300, math.Copysign(0, -1)}),
			NewNumeric("huge", []float64{1 << 60, 1, 2, 3, 4}),
			mustCategorical(t, "ville", []string{"Zürich", "東京", "", "x", "Zürich"}, []bool{true, true, true, false, true}),
			mustBoolean(t, "ok", []bool{true, false, false, true, true}, []bool{true, true, false, true, true}),
		)},
		{"one row", mustFrame(t,
			NewNumeric("x", []float64{42}),
			mustCategorical(t, "s", []string{"👋 hello, \"world\"\n"}, nil),
			mustBoolean(t, "b", []bool{false}, nil),
		)},
		{"no rows", mustFrame(t,
			NewNumeric("x", []float64{}),
			mustCategorical(t, "s", nil, nil),
			mustBoolean(t, "b", nil, nil),
		)},
		{"all missing", mustFrame(t,
			NewNumeric("x", []float64{nan, nan}),
			mustCategorical(t, "s", []string{"", ""}, []bool{false, false}),
			mustBoolean(t, "b", []bool{true, true}, []bool{false, false}),
		)},
		{"several row groups", mustFrame(t, NewNumeric("x", long))},
		{"no columns", mustFrame(t)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			back, err := readParquetBytes(parquetBytes(t, tc.table))
			if err != nil {
				t.Fatal(err)
			}
			sameTable(t, back, tc.table)
		})
	}
}

// Whole numbers are written as 64-bit integers, others as doubles, so that
// pandas reads an id column as int64, as it does from CSV.
func TestWriteParquetChoosesIntegersForWholeNumbers(t *testing.T) {
	f := mustFrame(t,
		NewNumeric("id", []float64{1, 2, math.NaN()}),
		NewNumeric("x", []float64{1, 2.5, 3}),
		NewNumeric("negative zero", []float64{0, math.Copysign(0, -1), 1}),
		NewNumeric("beyond 2^53", []float64{1 << 54, 1, 2}),
	)
	data := parquetBytes(t, f)
	file, err := parquet.OpenFile(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	var kinds []string
	for _, c := range file.Root().Columns() {
		kinds = append(kinds, c.Type().String())
	}
	if want := []string{"INT(64,true)", "DOUBLE", "DOUBLE", "DOUBLE"}; !slices.Equal(kinds, want) {
		t.Fatalf("column types %q, want %q", kinds, want)
	}
}

func TestWriteParquetFileOnDisk(t *testing.T) {
	f := tracks(t)
	path := filepath.Join(t.TempDir(), "tracks.parquet")
	if err := os.WriteFile(path, parquetBytes(t, f), 0o644); err != nil {
		t.Fatal(err)
	}
	var seen []int
	back, err := ReadParquet(context.Background(), path, ParquetOptions{Progress: func(phase string, done, total int) {
		if phase == "read" && total == f.NumRows() {
			seen = append(seen, done)
		}
	}})
	if err != nil {
		t.Fatal(err)
	}
	sameTable(t, back, f)
	if !slices.Equal(seen, []int{f.NumRows()}) {
		t.Fatalf("progress %v, want one report of %d rows", seen, f.NumRows())
	}
	if _, err := ReadParquet(context.Background(), filepath.Join(t.TempDir(), "none.parquet"), ParquetOptions{}); err == nil || !strings.Contains(err.Error(), "none.parquet") {
		t.Fatalf("a missing file gave %v", err)
	}
}

func TestReadParquetRefusesWhatIsNotAWholeFile(t *testing.T) {
	good := parquetBytes(t, tracks(t))
	for _, tc := range []struct {
		name string
		data []byte
		want string
	}{
		{"empty", nil, "test.parquet is not a Parquet file: it does not begin with the Parquet marker PAR1"},
		{"csv", []byte("a,b\n1,2\n"), "test.parquet is not a Parquet file: it does not begin with the Parquet marker PAR1"},
		{"magic only", []byte("PAR1"), "is probably truncated"},
		{"cut in the data", good[:len(good)/2], "does not end with the Parquet marker PAR1, and is probably truncated"},
		{"cut before the end", good[:len(good)-1], "is probably truncated"},
		{"footer too long", append(append([]byte("PAR1"), 0xff, 0xff, 0, 0), "PAR1"...), "its footer claims 65535 bytes of the file's 12"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := readParquetBytes(tc.data)
			if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.HasPrefix(err.Error(), "frame: ") {
				t.Fatalf("got %v, want an error saying %q", err, tc.want)
			}
		})
	}
	// Every truncation is an error, never a panic or a shorter table.
	for n := 0; n < len(good); n++ {
		if _, err := readParquetBytes(good[:n]); err == nil {
			t.Fatalf("the first %d of %d bytes read without an error", n, len(good))
		}
	}
}

func TestReadParquetStopsWhenCancelled(t *testing.T) {
	data := parquetBytes(t, mustFrame(t, NewNumeric("x", make([]float64, 1000))))
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := ReadParquetFrom(ctx, bytes.NewReader(data), int64(len(data)), "t.parquet", ParquetOptions{})
	if !errors.Is(err, context.Canceled) || !strings.Contains(err.Error(), "reading t.parquet interrupted") {
		t.Fatalf("reading with a cancelled context gave %v", err)
	}
	// An interrupt during the read stops it at the next page.
	data = parquetBytes(t, mustFrame(t, NewNumeric("x", make([]float64, 3*parquetRowGroup))))
	ctx, cancel = context.WithCancel(context.Background())
	groups := 0
	_, err = ReadParquetFrom(ctx, bytes.NewReader(data), int64(len(data)), "t.parquet", ParquetOptions{Progress: func(string, int, int) {
		groups++
		cancel()
	}})
	if !errors.Is(err, context.Canceled) || groups != 1 {
		t.Fatalf("cancelling after the first of 3 row groups gave %v after %d", err, groups)
	}
}

// randomTable has a column of each kind with about a tenth of its values
// missing, and strings from a small alphabet so that they repeat.
func randomTable(t testing.TB, rows int, seed uint64) *Frame {
	rng := rand.New(rand.NewPCG(seed, 7))
	num := make([]float64, rows)
	ints := make([]float64, rows)
	strs := make([]string, rows)
	bools := make([]bool, rows)
	valid := make([][]bool, 2)
	for k := range valid {
		valid[k] = make([]bool, rows)
	}
	for i := 0; i < rows; i++ {
		num[i] = rng.NormFloat64()
		ints[i] = float64(rng.IntN(100) - 50)
		if rng.IntN(10) == 0 {
			num[i] = math.NaN()
		}
		strs[i] = "s" + strconv.Itoa(rng.IntN(30)) + "é"
		bools[i] = rng.IntN(2) == 0
		for k := range valid {
			valid[k][i] = rng.IntN(10) != 0
		}
	}
	return mustFrame(t, NewNumeric("num", num), NewNumeric("int", ints),
		mustCategorical(t, "str", strs, valid[0]), mustBoolean(t, "bool", bools, valid[1]))
}

func TestReadParquetDoesNotDependOnGOMAXPROCS(t *testing.T) {
	data := parquetBytes(t, randomTable(t, 5000, 3))
	want, err := readParquetBytes(data)
	if err != nil {
		t.Fatal(err)
	}
	for _, procs := range []int{1, 2, 8} {
		t.Run(strconv.Itoa(procs), func(t *testing.T) {
			defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(procs))
			got, err := readParquetBytes(data)
			if err != nil {
				t.Fatal(err)
			}
			sameTable(t, got, want)
		})
	}
}

// Page headers that would make parquet-go allocate more than the file
// could hold are refused before any page is read.
func TestCheckParquetPages(t *testing.T) {
	const rows = 10
	data := func(dph int32) thrift.Null[format.DataPageHeader] {
		return thrift.New(format.DataPageHeader{NumValues: dph})
	}
	for _, tc := range []struct {
		name   string
		header format.PageHeader
		chunk  int64 // the chunk's size beyond the header; 0 for the page's
		rows   int64 // the footer's row count; 0 for rows
		want   string
	}{
		{"a plausible page", format.PageHeader{Type: format.DataPage, UncompressedPageSize: 20, CompressedPageSize: 10, DataPageHeader: data(rows)}, 0, 0, ""},
		{"a page beyond its chunk", format.PageHeader{Type: format.DataPage, UncompressedPageSize: 20, CompressedPageSize: 10, DataPageHeader: data(rows)}, 5, 0, "a page of 10 bytes overruns its column chunk"},
		{"a gigabyte page", format.PageHeader{Type: format.DataPage, UncompressedPageSize: 1 << 30, CompressedPageSize: 10, DataPageHeader: data(rows)}, 0, 0, "a page claims 1073741824 bytes, more than the 256 MB any writer makes"},
		{"more values than rows", format.PageHeader{Type: format.DataPage, UncompressedPageSize: 20, CompressedPageSize: 10, DataPageHeader: data(1 << 30)}, 0, 0, "a page claims 1073741824 values in a row group of 10 rows"},
		{"a dictionary too big for its bytes", format.PageHeader{Type: format.DictionaryPage, UncompressedPageSize: 20, CompressedPageSize: 10,
			DictionaryPageHeader: thrift.New(format.DictionaryPageHeader{NumValues: 1 << 20})}, 0, 0, "a dictionary page claims 1048576 values in 20 bytes"},
		{"billions of rows in a few bytes", format.PageHeader{Type: format.DataPage, UncompressedPageSize: 20, CompressedPageSize: 10, DataPageHeader: data(rows)}, 0, 1 << 40, "its footer claims 1099511627776 rows in"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			header, err := thrift.Marshal(new(thrift.CompactProtocol), &tc.header)
			if err != nil {
				t.Fatal(err)
			}
			file := append(append([]byte("PAR1"), header...), make([]byte, 10+8)...)
			chunk := int64(len(header)) + 10
			if tc.chunk > 0 {
				chunk = int64(len(header)) + tc.chunk
			}
			meta := &format.FileMetaData{NumRows: rows, RowGroups: []format.RowGroup{{NumRows: rows, Columns: []format.ColumnChunk{
				{MetaData: format.ColumnMetaData{DataPageOffset: 4, TotalCompressedSize: chunk}}}}}}
			if tc.rows > 0 {
				meta.NumRows = tc.rows
			}
			err = checkParquetPages(bytes.NewReader(file), int64(len(file)), meta)
			if tc.want == "" && err != nil || tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)) {
				t.Fatalf("got %v, want %q", err, tc.want)
			}
		})
	}
}

// TestParquetInBatches writes a table in batches with a ParquetWriter and
// streams it back a row group at a time: the row groups put together are
// the table, each no larger than a row group, at the right offsets.
func TestParquetInBatches(t *testing.T) {
	want := randomTable(t, 2*parquetRowGroup+100, 5)
	path := filepath.Join(t.TempDir(), "batches.parquet")
	file, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	pw := NewParquetWriter(file, want, "int")
	for lo := 0; lo < want.NumRows(); lo += 50000 {
		rows := make([]int, 0, 50000)
		for i := lo; i < min(lo+50000, want.NumRows()); i++ {
			rows = append(rows, i)
		}
		part, err := want.Take(rows)
		if err != nil {
			t.Fatal(err)
		}
		if err := pw.Write(part); err != nil {
			t.Fatal(err)
		}
	}
	if err := pw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := file.Close(); err != nil {
		t.Fatal(err)
	}
	groups, seen := 0, 0
	err = ReadParquetGroups(context.Background(), path, ParquetOptions{}, func(f *Frame, offset int) error {
		groups++
		if offset != seen || f.NumRows() > parquetRowGroup {
			t.Errorf("a row group of %d rows at offset %d, after %d rows", f.NumRows(), offset, seen)
		}
		rows := make([]int, f.NumRows())
		for i := range rows {
			rows[i] = offset + i
		}
		part, err := want.Take(rows)
		if err != nil {
			return err
		}
		sameTable(t, f, part)
		seen += f.NumRows()
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if groups != 3 || seen != want.NumRows() {
		t.Errorf("%d row groups of %d rows in all, want 3 of %d", groups, seen, want.NumRows())
	}

	stop := errors.New("stop")
	if err := ReadParquetGroups(context.Background(), path, ParquetOptions{}, func(*Frame, int) error { return stop }); err != stop {
		t.Errorf("the callback's error came back as %v", err)
	}
	if err := pw.Write(mustFrame(t, NewNumeric("other", []float64{1}))); err == nil {
		t.Error("a table of other columns was written")
	}
}
