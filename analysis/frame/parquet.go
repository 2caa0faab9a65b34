package frame

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"math/big"
	"os"
	"strings"
	"unicode/utf8"

	"github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/encoding"
	"github.com/parquet-go/parquet-go/format"

	"github.com/reckon-dev/reckon/analysis/internal/par"
	"github.com/reckon-dev/reckon/analysis/progress"
)

// ParquetOptions configure ReadParquet. The zero value reads every column.
type ParquetOptions struct {
	// Progress, when set, hears the phase "read" with the rows read so far
	// and the rows the file holds, after each row group.
	Progress progress.Func
}

// parquetMagic opens and closes every Parquet file.
var parquetMagic = []byte("PAR1")

// ReadParquet loads a Parquet file, as pandas' read_parquet does for a flat
// table. Columns map to Reckon's types by their Parquet type:
//
//   - integers of any width, signed or not, floats and doubles are numeric
//     (stored as float64, so integers beyond 2^53 lose precision);
//   - decimals are numeric too, converted to the nearest float64;
//   - UTF-8 strings, enums, JSON text and unannotated byte arrays holding
//     UTF-8 text are categorical, whether dictionary-encoded or not;
//   - booleans are boolean;
//   - nulls are missing values.
//
// Dates, times, timestamps, intervals, UUIDs, float16, binary data that is
// not UTF-8 and nested or repeated columns (lists, maps, structs) are refused
// with an error naming the column, since Reckon has no type for them; cast
// them to numbers or strings before writing the file.
//
// The file is streamed a row group at a time, each page decoded straight
// into the columns, so memory holds the table and about one row group's
// pages; the row groups' columns are decoded in parallel. ctx is checked
// between pages. A file that is not Parquet, is truncated or is corrupt is
// an error naming the file.
func ReadParquet(ctx context.Context, path string, opts ParquetOptions) (*Frame, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("frame: %w", err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("frame: %w", err)
	}
	return ReadParquetFrom(ctx, f, st.Size(), path, opts)
}

// ReadParquetFrom is ReadParquet for the size bytes of r; name stands for
// the file in errors.
func ReadParquetFrom(ctx context.Context, r io.ReaderAt, size int64, name string, opts ParquetOptions) (*Frame, error) {
	return readParquetFrom(ctx, r, size, name, opts, nil)
}

// ReadParquetGroups streams the Parquet file at path a row group at a
// time: each is read as ReadParquet reads a file, and each(f, offset)
// gets its rows, offset being the number of rows before them. Memory holds
// one row group's table, whatever the file's size. An error of each stops
// the reading and is returned as it is.
func ReadParquetGroups(ctx context.Context, path string, opts ParquetOptions, each func(f *Frame, offset int) error) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("frame: %w", err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return fmt.Errorf("frame: %w", err)
	}
	_, err = readParquetFrom(ctx, f, st.Size(), path, opts, each)
	return err
}

// eachPanic carries a panic of ReadParquetGroups' callback past the
// recovery that turns parquet-go's panics on corrupt files into errors:
// it is not the file's fault.
type eachPanic struct{ v any }

func callEach(each func(*Frame, int) error, f *Frame, offset int) error {
	defer func() {
		if p := recover(); p != nil {
			panic(eachPanic{p})
		}
	}()
	return each(f, offset)
}

func readParquetFrom(ctx context.Context, r io.ReaderAt, size int64, name string, opts ParquetOptions, each func(*Frame, int) error) (fr *Frame, err error) {
	if err := checkParquetEnds(r, size, name); err != nil {
		return nil, err
	}
	// parquet-go trusts much of what a file says; a corrupt file can make
	// it panic. Everything that can be checked beforehand is, and what
	// remains becomes an error here rather than a crash of the kernel.
	defer func() {
		if p := recover(); p != nil {
			if e, ok := p.(eachPanic); ok {
				panic(e.v)
			}
			fr, err = nil, fmt.Errorf("frame: %s is not a readable Parquet file: it is corrupt (%v)", name, firstLine(p))
		}
	}()
	file, err := parquet.OpenFile(r, size, parquet.SkipPageIndex(true), parquet.SkipBloomFilters(true), parquet.ReadBufferSize(1<<20))
	if err != nil {
		return nil, fmt.Errorf("frame: %s is not a readable Parquet file: %w", name, err)
	}
	if err := checkParquetPages(r, size, file.Metadata()); err != nil {
		return nil, fmt.Errorf("frame: %s is not a readable Parquet file: %w", name, err)
	}
	return readParquet(ctx, file, size, name, opts, each)
}

// checkParquetEnds tells a file that is not Parquet at all, and one that
// was cut short, from one that is merely corrupt.
func checkParquetEnds(r io.ReaderAt, size int64, name string) error {
	head := make([]byte, 4)
	if n, _ := r.ReadAt(head, 0); n < 4 || !bytes.Equal(head, parquetMagic) {
		return fmt.Errorf("frame: %s is not a Parquet file: it does not begin with the Parquet marker PAR1", name)
	}
	tail := make([]byte, 8)
	if size < 12 {
		return fmt.Errorf("frame: %s is not a complete Parquet file: it holds only %d bytes, and is probably truncated", name, size)
	}
	if n, _ := r.ReadAt(tail, size-8); n < 8 || !bytes.Equal(tail[4:], parquetMagic) {
		return fmt.Errorf("frame: %s is not a complete Parquet file: it does not end with the Parquet marker PAR1, and is probably truncated", name)
	}
	footer := int64(uint32(tail[0]) | uint32(tail[1])<<8 | uint32(tail[2])<<16 | uint32(tail[3])<<24)
	if footer > size-12 {
		return fmt.Errorf("frame: %s is not a complete Parquet file: its footer claims %d bytes of the file's %d", name, footer, size)
	}
	return nil
}

// firstLine is the first line of a recovered panic's text.
func firstLine(p any) string {
	s, _, _ := strings.Cut(fmt.Sprint(p), "\n")
	return s
}

// readParquet reads the file whole or, with each, a row group at a time.
func readParquet(ctx context.Context, file *parquet.File, size int64, name string, opts ParquetOptions, each func(*Frame, int) error) (*Frame, error) {
	root := file.Root()
	if root == nil || root.Leaf() {
		return nil, fmt.Errorf("frame: %s is not a readable Parquet file: its schema has no columns", name)
	}
	fields := root.Columns()
	var cols []*parquetColumn
	newColumns := func() error {
		cols = make([]*parquetColumn, len(fields))
		for i, c := range fields {
			pc, err := newParquetColumn(c)
			if err != nil {
				return fmt.Errorf("frame: %s: %w", name, err)
			}
			cols[i] = pc
		}
		return nil
	}
	if err := newColumns(); err != nil {
		return nil, err
	}
	total := file.NumRows()
	groups := file.RowGroups()
	var claimed int64
	for _, rg := range groups {
		if rg.NumRows() < 0 || len(rg.ColumnChunks()) != len(cols) {
			return nil, fmt.Errorf("frame: %s is not a readable Parquet file: a row group's metadata is corrupt", name)
		}
		claimed += rg.NumRows()
	}
	if claimed != total || total < 0 {
		return nil, fmt.Errorf("frame: %s is not a readable Parquet file: its row groups hold %d rows but its footer says %d", name, claimed, total)
	}
	// Reserve room for the rows, unless the footer claims more than the
	// file could plausibly hold (run-length encoding packs a run of
	// equal values into a few bytes, but not into nothing).
	if each == nil {
		reserve := int(min(total, size*64+1024))
		for _, c := range cols {
			c.reserve(reserve)
		}
	}
	done := 0
	for g, rg := range groups {
		chunks := rg.ColumnChunks()
		want := rg.NumRows()
		errs := make([]error, len(cols))
		// par.For returns ctx's error, which is checked next.
		_ = par.For(ctx, len(cols), 1, func(_, lo, hi int) {
			for c := lo; c < hi; c++ {
				errs[c] = cols[c].readChunk(ctx, chunks[c], want)
			}
		})
		if err := ctx.Err(); err != nil {
			return nil, fmt.Errorf("frame: reading %s interrupted: %w", name, err)
		}
		// The first column's error, whichever goroutine met it first.
		for _, err := range errs {
			if err != nil {
				return nil, fmt.Errorf("frame: %s: row group %d: %w", name, g+1, err)
			}
		}
		if each != nil {
			fr, err := gathered(cols, name)
			if err != nil {
				return nil, err
			}
			if err := callEach(each, fr, done); err != nil {
				return nil, err
			}
			if err := newColumns(); err != nil {
				return nil, err
			}
		}
		done += int(want)
		opts.Progress.Report("read", done, int(total))
	}
	if each != nil {
		return nil, nil
	}
	return gathered(cols, name)
}

// gathered is the table of the columns read.
func gathered(cols []*parquetColumn, name string) (*Frame, error) {
	out := make([]*Column, len(cols))
	for i, c := range cols {
		// A copy, so that the table does not keep the builder's index
		// and scratch space alive.
		col := c.Column
		out[i] = &col
	}
	fr, err := New(out...)
	if err != nil {
		return nil, fmt.Errorf("frame: %s: %w", name, err)
	}
	return fr, nil
}

// A parquetColumn gathers one column's values across row groups into the
// Column it holds.
type parquetColumn struct {
	Column
	maxDef int
	// physical is the Parquet type the values are stored as; toFloat
	// converts a page of them (not dictionary indexes) to numbers.
	physical parquet.Kind
	toFloat  func(dst []float64, v encoding.Values) ([]float64, error)

	index map[string]int32 // the code of each level

	// The dictionary of the column chunk being read, and its values as
	// numbers or as codes of this column.
	dict      parquet.Dictionary
	dictNums  []float64
	dictCodes []int32

	scratchNum  []float64
	scratchCode []int32
	scratchFlag []int8
}

// newParquetColumn decides how a top-level column of the file is read, or
// why it cannot be.
func newParquetColumn(c *parquet.Column) (*parquetColumn, error) {
	name := c.Name()
	if !c.Leaf() {
		return nil, fmt.Errorf("column %q is nested (a list, map or struct), and Reckon reads only flat columns of numbers, strings and booleans; flatten it before writing the file", name)
	}
	if c.Repeated() || c.MaxRepetitionLevel() > 0 {
		return nil, fmt.Errorf("column %q is repeated (a list), and Reckon reads only flat columns of numbers, strings and booleans; flatten it before writing the file", name)
	}
	if c.MaxDefinitionLevel() > 1 {
		return nil, fmt.Errorf("column %q is nested (a list, map or struct), and Reckon reads only flat columns of numbers, strings and booleans; flatten it before writing the file", name)
	}
	typ := c.Type()
	pc := &parquetColumn{Column: Column{name: name}, maxDef: c.MaxDefinitionLevel(), physical: typ.Kind()}
	refuse := func(what, cast string) error {
		return fmt.Errorf("column %q holds %s, for which Reckon has no column type; %s before writing the file", name, what, cast)
	}
	var lt format.LogicalTypeValue
	if l := typ.LogicalType(); l != nil {
		lt = l.Value
	}
	switch t := lt.(type) {
	case *format.DateType, *format.TimeType, *format.TimestampType:
		return nil, refuse("dates or times", "convert it to numbers (say, seconds since 1970) or to strings")
	case *format.UUIDType:
		return nil, refuse("UUIDs", "convert it to strings")
	case *format.Float16Type:
		return nil, refuse("16-bit floats", "convert it to 32- or 64-bit floats")
	case *format.BsonType, *format.VariantType, *format.GeometryType, *format.GeographyType:
		return nil, refuse("binary documents or geometries", "convert it to strings or numbers")
	case *format.MapType, *format.ListType:
		return nil, fmt.Errorf("column %q is nested (a list, map or struct), and Reckon reads only flat columns of numbers, strings and booleans; flatten it before writing the file", name)
	case *format.DecimalType:
		// No decimal type anywhere goes beyond 76 digits; a larger scale
		// is a corrupt file, and 10^scale would take long to compute.
		if t.Scale < 0 || t.Scale > 100 {
			return nil, fmt.Errorf("column %q holds decimals with the impossible scale %d; the file is corrupt", name, t.Scale)
		}
		pc.kind, pc.toFloat = Numeric, decimalFloats(pc.physical, int(t.Scale))
		if pc.toFloat == nil {
			return nil, refuse("decimals stored in an unusual way", "convert it to doubles")
		}
		return pc, nil
	case *format.IntType:
		if !t.IsSigned {
			pc.kind = Numeric
			switch pc.physical {
			case parquet.Int32:
				pc.toFloat = func(dst []float64, v encoding.Values) ([]float64, error) {
					for _, x := range v.Int32() {
						dst = append(dst, float64(uint32(x)))
					}
					return dst, nil
				}
			case parquet.Int64:
				pc.toFloat = func(dst []float64, v encoding.Values) ([]float64, error) {
					for _, x := range v.Int64() {
						dst = append(dst, float64(uint64(x)))
					}
					return dst, nil
				}
			default:
				return nil, refuse("integers stored in an unusual way", "convert it to 64-bit integers")
			}
			return pc, nil
		}
	}
	switch pc.physical {
	case parquet.Boolean:
		pc.kind = Boolean
	case parquet.Int32:
		pc.kind = Numeric
		pc.toFloat = func(dst []float64, v encoding.Values) ([]float64, error) {
			for _, x := range v.Int32() {
				dst = append(dst, float64(x))
			}
			return dst, nil
		}
	case parquet.Int64:
		pc.kind = Numeric
		pc.toFloat = func(dst []float64, v encoding.Values) ([]float64, error) {
			for _, x := range v.Int64() {
				dst = append(dst, float64(x))
			}
			return dst, nil
		}
	case parquet.Float:
		pc.kind = Numeric
		pc.toFloat = func(dst []float64, v encoding.Values) ([]float64, error) {
			for _, x := range v.Float() {
				dst = append(dst, float64(x))
			}
			return dst, nil
		}
	case parquet.Double:
		pc.kind = Numeric
		pc.toFloat = func(dst []float64, v encoding.Values) ([]float64, error) {
			return append(dst, v.Double()...), nil
		}
	case parquet.ByteArray:
		pc.kind = Categorical
		pc.index = map[string]int32{}
	case parquet.Int96:
		return nil, refuse("96-bit timestamps", "write timestamps as numbers or strings")
	default:
		return nil, refuse("fixed-length binary values", "convert it to strings or numbers")
	}
	return pc, nil
}

// decimalFloats converts decimals stored as physical to float64, dividing
// the unscaled integers by 10^digits; nil when the storage is not one that
// Parquet allows for decimals.
func decimalFloats(physical parquet.Kind, digits int) func([]float64, encoding.Values) ([]float64, error) {
	scale := new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(digits)), nil)
	s, _ := new(big.Float).SetInt(scale).Float64()
	// Unscaled integers up to 2^53 and powers of ten up to 10^22 are exact
	// in float64, and one division of them rounds correctly; the rest go
	// through big numbers.
	exact := func(x int64) float64 {
		if digits <= 22 && x >= -1<<53 && x <= 1<<53 {
			return float64(x) / s
		}
		return bigFloat(big.NewInt(x), scale)
	}
	switch physical {
	case parquet.Int32:
		return func(dst []float64, v encoding.Values) ([]float64, error) {
			for _, x := range v.Int32() {
				dst = append(dst, exact(int64(x)))
			}
			return dst, nil
		}
	case parquet.Int64:
		return func(dst []float64, v encoding.Values) ([]float64, error) {
			for _, x := range v.Int64() {
				dst = append(dst, exact(x))
			}
			return dst, nil
		}
	case parquet.FixedLenByteArray:
		return func(dst []float64, v encoding.Values) ([]float64, error) {
			data, size := v.FixedLenByteArray()
			if size <= 0 {
				return dst, fmt.Errorf("decimals of %d bytes", size)
			}
			for i := 0; i+size <= len(data); i += size {
				dst = append(dst, bigFloat(twosComplement(data[i:i+size]), scale))
			}
			return dst, nil
		}
	case parquet.ByteArray:
		return func(dst []float64, v encoding.Values) ([]float64, error) {
			data, offsets := v.ByteArray()
			for i := 0; i+1 < len(offsets); i++ {
				dst = append(dst, bigFloat(twosComplement(data[offsets[i]:offsets[i+1]]), scale))
			}
			return dst, nil
		}
	}
	return nil
}

// twosComplement reads a big-endian two's complement integer, as Parquet
// stores decimals.
func twosComplement(b []byte) *big.Int {
	x := new(big.Int).SetBytes(b)
	if len(b) > 0 && b[0]&0x80 != 0 {
		x.Sub(x, new(big.Int).Lsh(big.NewInt(1), uint(8*len(b))))
	}
	return x
}

// bigFloat is x/scale rounded to the nearest float64.
func bigFloat(x, scale *big.Int) float64 {
	v, _ := new(big.Rat).SetFrac(x, scale).Float64()
	return v
}

func (c *parquetColumn) reserve(n int) {
	switch c.kind {
	case Numeric:
		c.num = grow(c.num, n)
	case Categorical:
		c.codes = grow(c.codes, n)
	case Boolean:
		c.flags = grow(c.flags, n)
	}
}

// readChunk appends the column's values in one row group, which should
// hold want rows.
func (c *parquetColumn) readChunk(ctx context.Context, chunk parquet.ColumnChunk, want int64) error {
	start := c.Len()
	// Each column chunk has its own dictionary; forgetting the last one
	// keeps a recycled dictionary object from passing for it.
	c.dict = nil
	pages := chunk.Pages()
	defer pages.Close()
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		p, err := pages.ReadPage()
		if err == io.EOF {
			break
		}
		if err != nil {
			return fmt.Errorf("column %q: %w", c.name, err)
		}
		err = c.readPage(p)
		parquet.Release(p)
		if err != nil {
			return fmt.Errorf("column %q: %w", c.name, err)
		}
		if int64(c.Len()-start) > want {
			break
		}
	}
	if got := int64(c.Len() - start); got != want {
		return fmt.Errorf("column %q holds %d values where the row group has %d rows; the file is corrupt", c.name, got, want)
	}
	return nil
}

// readPage appends a page's values, nulls as missing values.
func (c *parquetColumn) readPage(p parquet.Page) error {
	n := int(p.NumValues())
	defs := p.DefinitionLevels()
	if len(defs) != 0 && len(defs) != n {
		return fmt.Errorf("a page has %d values but %d definition levels", n, len(defs))
	}
	present := n
	if len(defs) != 0 {
		present = 0
		for _, d := range defs {
			switch {
			case int(d) == c.maxDef:
				present++
			case int(d) > c.maxDef:
				return fmt.Errorf("a definition level of %d where at most %d is allowed", d, c.maxDef)
			}
		}
	}
	vals := p.Data()
	if c.kind == Boolean {
		return c.readBooleans(vals, present, defs)
	}
	dict := p.Dictionary()
	var idx []int32
	if dict != nil {
		if vals.Kind() != encoding.Int32 {
			return fmt.Errorf("a dictionary-encoded page holds no dictionary indexes")
		}
		idx = vals.Int32()
		if dict != c.dict {
			if err := c.loadDictionary(dict); err != nil {
				return err
			}
		}
	} else if vals.Kind() != valuesKind[c.physical] {
		return fmt.Errorf("a page holds values of another type than the column's, or dictionary indexes without a dictionary")
	}
	var err error
	switch c.kind {
	case Numeric:
		s := c.scratchNum[:0]
		if dict != nil {
			for _, k := range idx {
				if k < 0 || int(k) >= len(c.dictNums) {
					return fmt.Errorf("a dictionary index %d outside the dictionary's %d values", k, len(c.dictNums))
				}
				s = append(s, c.dictNums[k])
			}
		} else if s, err = c.toFloat(s, vals); err != nil {
			return err
		}
		c.scratchNum = s
		if len(s) != present {
			return fmt.Errorf("a page has %d values where its definition levels call for %d", len(s), present)
		}
		c.num = scatter(c.num, s, defs, c.maxDef, math.NaN())
	case Categorical:
		s := c.scratchCode[:0]
		if dict != nil {
			for _, k := range idx {
				if k < 0 || int(k) >= len(c.dictCodes) {
					return fmt.Errorf("a dictionary index %d outside the dictionary's %d values", k, len(c.dictCodes))
				}
				s = append(s, c.dictCodes[k])
			}
		} else if s, err = c.appendCodes(s, vals); err != nil {
			return err
		}
		c.scratchCode = s
		if len(s) != present {
			return fmt.Errorf("a page has %d values where its definition levels call for %d", len(s), present)
		}
		c.codes = scatter(c.codes, s, defs, c.maxDef, -1)
	}
	return nil
}

// valuesKind is the kind of encoding.Values that holds a page of each
// Parquet type.
var valuesKind = map[parquet.Kind]encoding.Kind{
	parquet.Boolean: encoding.Boolean, parquet.Int32: encoding.Int32, parquet.Int64: encoding.Int64,
	parquet.Int96: encoding.Int96, parquet.Float: encoding.Float, parquet.Double: encoding.Double,
	parquet.ByteArray: encoding.ByteArray, parquet.FixedLenByteArray: encoding.FixedLenByteArray,
}

// scatter appends the present values, with missing where the definition
// level says a value is null.
func scatter[T any](dst, present []T, defs []byte, maxDef int, missing T) []T {
	if len(defs) == 0 {
		return append(dst, present...)
	}
	k := 0
	for _, d := range defs {
		if int(d) == maxDef {
			dst = append(dst, present[k])
			k++
		} else {
			dst = append(dst, missing)
		}
	}
	return dst
}

// loadDictionary converts a column chunk's dictionary to numbers or codes.
func (c *parquetColumn) loadDictionary(dict parquet.Dictionary) error {
	vals := dict.Page().Data()
	if vals.Kind() != valuesKind[c.physical] {
		return fmt.Errorf("the dictionary holds values of another type than the column's")
	}
	var err error
	switch c.kind {
	case Numeric:
		c.dictNums, err = c.toFloat(c.dictNums[:0], vals)
	case Categorical:
		c.dictCodes, err = c.appendCodes(c.dictCodes[:0], vals)
	}
	if err != nil {
		return err
	}
	c.dict = dict
	return nil
}

// appendCodes appends the codes of a page of strings, adding the levels
// it has not seen.
func (c *parquetColumn) appendCodes(dst []int32, vals encoding.Values) ([]int32, error) {
	data, offsets := vals.ByteArray()
	for i := 0; i+1 < len(offsets); i++ {
		lo, hi := offsets[i], offsets[i+1]
		if lo > hi || int(hi) > len(data) {
			return dst, fmt.Errorf("a string's offsets %d:%d fall outside the page's %d bytes", lo, hi, len(data))
		}
		v := data[lo:hi]
		code, ok := c.index[string(v)]
		if !ok {
			if !utf8.Valid(v) {
				return dst, errors.New("it holds binary data, bytes that are not UTF-8 text; Reckon reads byte arrays as text (categories)")
			}
			code = int32(len(c.levels))
			s := string(v)
			c.index[s] = code
			c.levels = append(c.levels, s)
		}
		dst = append(dst, code)
	}
	return dst, nil
}

// readBooleans appends a page of booleans, which Parquet packs eight to
// a byte, the first in the lowest bit. (Pages read whole from a file start
// at the first bit of their data.)
func (c *parquetColumn) readBooleans(vals encoding.Values, present int, defs []byte) error {
	if vals.Kind() != encoding.Boolean {
		return fmt.Errorf("a page holds values of another type than the column's")
	}
	bits := vals.Boolean()
	if len(bits)*8 < present {
		return fmt.Errorf("a page of booleans has %d values where its definition levels call for %d", len(bits)*8, present)
	}
	flags := c.scratchFlag[:0]
	for i := 0; i < present; i++ {
		flags = append(flags, int8(bits[i>>3]>>(i&7)&1))
	}
	c.scratchFlag = flags
	c.flags = scatter(c.flags, flags, defs, c.maxDef, -1)
	return nil
}
