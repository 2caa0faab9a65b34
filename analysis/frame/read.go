package frame

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/reckon-dev/reckon/analysis/internal/par"
	"github.com/reckon-dev/reckon/analysis/progress"
	"github.com/reckon-dev/reckon/internal/suggest"
)

// ReadOptions configure Read and ReadFrom. The zero value reads a
// comma-separated file (tab-separated for .tsv and .tab files) and infers
// every column's type.
type ReadOptions struct {
	// Sep is sep, the field separator: a single ASCII character other than
	// a quote or a line break. Zero means a tab for files named *.tsv or
	// *.tab and a comma otherwise.
	Sep rune
	// Types is dtype: the type of the named columns, which are then not
	// inferred. Reading a column of codes such as "007" as Categorical
	// keeps them as written.
	Types map[string]Kind
	// InferRows is how many values (missing ones aside) of each column
	// decide its type; zero means 1000. Within them a column is boolean if
	// every value is true or false (as True, TRUE or true), numeric if
	// every value is a number, and categorical otherwise; a column with no
	// values at all is numeric. After them, a value that does not fit a
	// numeric or boolean column is an error.
	InferRows int
	// Progress, when set, hears the phase "read" with the bytes read so
	// far and the size of the file (0 when unknown).
	Progress progress.Func
}

// Read loads a delimited text file with a header row, as pandas' read_csv
// does with its defaults: UTF-8 text with or without a byte order mark,
// fields quoted as RFC 4180 describes (a quoted field may hold separators,
// line breaks and doubled quotes), and the texts "", "NA", "NaN", "null",
// "NULL", "None", "N/A", "n/a", "nan", "-nan", "-NaN", "#N/A", "#N/A N/A",
// "#NA", "<NA>", "1.#IND", "-1.#IND", "1.#QNAN" and "-1.#QNAN" read as
// missing values. Unlike pandas, and as PostgreSQL and polars do, such a
// text in quotes ("NA" in quotes, or "") is a value in a categorical
// column, so that a category spelled NA stays apart from missing values
// and WriteCSV's output reads back as it was; in a numeric or boolean
// column it is missing, as it cannot be a value there. Empty header names
// become "Unnamed: i" and repeated ones get ".1", ".2" appended. Numbers are stored as float64, so integers
// beyond 2^53 lose precision.
//
// The file is streamed: its text is never held in memory whole, and the
// work of parsing is shared between two goroutines and more; memory
// follows the data, so a file of a million columns and one row takes
// about what its cells need. Cancelling ctx stops the reading at once,
// even of an endless input or a pipe that blocks. A file that cannot be
// opened is an error naming it; input that is not UTF-8 text (a binary
// file, UTF-16) is refused in one sentence that echoes none of it; a
// record longer than MaxRecordBytes, a line with more or fewer fields
// than the header, and a value that does not fit its column's type (see
// ReadOptions.InferRows) are errors naming the file, the line and the
// column. Errors quote at most 40 bytes of the input.
func Read(ctx context.Context, path string, opts ReadOptions) (*Frame, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("frame: %w", err)
	}
	defer f.Close()
	// Closing the file ends a read that blocks, on a pipe say, as soon as
	// ctx is cancelled.
	stop := context.AfterFunc(ctx, func() { f.Close() })
	defer stop()
	var size int64
	if st, err := f.Stat(); err == nil {
		size = st.Size()
	}
	if opts.Sep == 0 {
		switch strings.ToLower(filepath.Ext(path)) {
		case ".tsv", ".tab":
			opts.Sep = '\t'
		}
	}
	return read(ctx, f, path, size, opts)
}

// ReadFrom is Read for text from r; name stands for the file in errors,
// and the separator defaults to a comma. Cancelling ctx stops the reading
// between two reads from r; a Read of r that blocks is not interrupted.
func ReadFrom(ctx context.Context, r io.Reader, name string, opts ReadOptions) (*Frame, error) {
	return read(ctx, r, name, 0, opts)
}

// batchBytes and batchFields bound a batch: about a megabyte of text, so
// that the tokenizer and the conversion overlap in small steps and a
// cancellation is seen within milliseconds.
const (
	batchBytes  = 1 << 20
	batchFields = 1 << 17
)

// counter counts the bytes read through it, for progress reports, and
// stops reading once ctx is cancelled, so that an endless input is
// interruptible whatever the tokenizer is doing.
type counter struct {
	ctx context.Context
	r   io.Reader
	n   int64
}

func (c *counter) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

func read(ctx context.Context, r io.Reader, name string, size int64, opts ReadOptions) (*Frame, error) {
	sep := byte(',')
	if opts.Sep != 0 {
		if opts.Sep >= utf8.RuneSelf || opts.Sep == '"' || opts.Sep == '\n' || opts.Sep == '\r' {
			return nil, fmt.Errorf("frame: the separator %q must be one ASCII character other than a quote or a line break", opts.Sep)
		}
		sep = byte(opts.Sep)
	}
	inferRows := opts.InferRows
	if inferRows < 0 {
		return nil, fmt.Errorf("frame: InferRows %d must not be negative", inferRows)
	}
	if inferRows == 0 {
		inferRows = 1000
	}
	src := &counter{ctx: ctx, r: r}
	// A file known to be large reads in large gulps; a small buffer keeps
	// reading small texts cheap.
	t := newTokenizer(src, sep, 64<<10)
	if size > 16<<20 {
		t = newTokenizer(src, sep, 1<<20)
	}

	// fail reports a reading error, or the cancellation that caused it
	// (a read of a file closed on cancellation fails).
	fail := func(err error) error {
		if ctx.Err() != nil {
			return fmt.Errorf("frame: reading %s interrupted: %w", name, ctx.Err())
		}
		return fileError(name, err)
	}
	if err := t.sniff(); err != nil {
		return nil, fail(err)
	}
	var head batch
	ok, err := t.next(&head)
	if err != nil {
		return nil, fail(err)
	}
	if !ok {
		return nil, fmt.Errorf("frame: %s is empty; its first line must name the columns", name)
	}
	names, err := headerNames(&head)
	if err != nil {
		return nil, fmt.Errorf("frame: %s:%d: %w", name, head.lines[0], err)
	}
	builders := make([]*builder, len(names))
	for i, n := range names {
		builders[i] = newBuilder(n, 0, inferRows)
	}
	if err := applyTypes(builders, names, opts.Types); err != nil {
		return nil, err
	}

	ncols := len(names)
	batches := make(chan *batch, 1)
	free := make(chan *batch, 3)
	for i := 0; i < 3; i++ {
		free <- &batch{}
	}
	stop := make(chan struct{})
	// On the way out, stop the tokenizer and wait for it to close
	// batches, so that nothing reads r once read has returned.
	defer func() {
		close(stop)
		for range batches {
		}
	}()
	go tokenize(t, src, names, batches, free, stop)

	rows := 0
	fails := make([]failure, ncols)
	for {
		var b *batch
		select {
		case b, ok = <-batches:
		case <-ctx.Done():
		}
		if err := ctx.Err(); err != nil {
			return nil, fmt.Errorf("frame: reading %s interrupted: %w", name, err)
		}
		if !ok {
			break
		}
		n := len(b.lines)
		if rows == 0 && size > 0 && n > 0 {
			// Reserve room for the rows the file probably holds, judging
			// by the first batch, so that columns rarely grow by copying.
			// The estimate follows the data: a file of one wide row
			// reserves one row.
			perRow := float64(len(b.data)+len(b.ends)) / float64(n)
			est := int(float64(size)/perRow*1.05) + 1
			for _, bl := range builders {
				bl.reserve(est)
			}
		}
		if err := convert(ctx, b, builders, fails, name); err != nil {
			return nil, err
		}
		rows += n
		if b.err != nil {
			return nil, fail(b.err)
		}
		opts.Progress.Report("read", int(b.read), int(size))
		free <- b
	}
	cols := make([]*Column, ncols)
	for i, bl := range builders {
		cols[i] = bl.column()
	}
	return &Frame{cols: cols, rows: rows}, nil
}

// tokenize fills batches from t until the input or a record with the wrong
// number of fields ends it, or stop closes.
func tokenize(t *tokenizer, src *counter, names []string, batches chan<- *batch, free <-chan *batch, stop <-chan struct{}) {
	defer close(batches)
	ncols := len(names)
	for {
		var b *batch
		select {
		case b = <-free:
		case <-stop:
			return
		}
		b.reset()
		done := false
		for len(b.data) < batchBytes && len(b.ends) < batchFields {
			before := len(b.ends)
			ok, err := t.next(b)
			if err != nil {
				b.err, done = err, true
				break
			}
			if !ok {
				done = true
				break
			}
			if got := len(b.ends) - before; got != ncols {
				b.err, done = raggedError(b, got, ncols, names), true
				b.truncate(before, len(b.lines)-1)
				break
			}
		}
		b.read = src.n
		select {
		case batches <- b:
		case <-stop:
			return
		}
		if done {
			return
		}
	}
}

func raggedError(b *batch, got, ncols int, names []string) error {
	line := b.lines[len(b.lines)-1]
	if got > ncols {
		return &lineError{line: line, err: fmt.Errorf("the line has %d fields but the header names %d columns; field %d onwards has no column", got, ncols, ncols+1)}
	}
	fields := "fields"
	if got == 1 {
		fields = "field"
	}
	return &lineError{line: line, err: fmt.Errorf("the line has %d %s but the header names %d columns; column %d (%s) onwards is missing", got, fields, ncols, got+1, clip(names[got]))}
}

// fileError places a tokenizer error in the file.
func fileError(name string, err error) error {
	var le *lineError
	var ne *notTextError
	switch {
	case errors.As(err, &le):
		return fmt.Errorf("frame: %s:%d: %w", name, le.line, le.err)
	case errors.As(err, &ne):
		return fmt.Errorf("frame: %s is not a text table: %w", name, ne)
	}
	return fmt.Errorf("frame: reading %s: %w", name, err)
}

// A failure is the first field of a column, in a batch, that did not fit.
type failure struct {
	rec    int // -1 when all fitted
	reason string
}

// convert adds a batch to the builders, a few columns per goroutine, and
// returns the error of the earliest field that did not fit; fails, one
// per column, is its scratch space.
func convert(ctx context.Context, b *batch, builders []*builder, fails []failure, name string) error {
	ncols, n := len(builders), len(b.lines)
	var literal map[int]bool
	if len(b.literal) > 0 {
		literal = make(map[int]bool, len(b.literal))
		for _, i := range b.literal {
			literal[i] = true
		}
	}
	colsPerChunk := max(1, 4096/max(n, 1))
	err := par.For(ctx, ncols, colsPerChunk, func(_, lo, hi int) {
		for c := lo; c < hi; c++ {
			bl := builders[c]
			fails[c].rec = -1
			for rec := 0; rec < n; rec++ {
				i := rec*ncols + c
				if reason := bl.add(b.field(i), literal != nil && literal[i]); reason != "" {
					fails[c] = failure{rec, reason}
					break
				}
			}
		}
	})
	if err != nil {
		return fmt.Errorf("frame: reading %s interrupted: %w", name, err)
	}
	first := -1
	for c, f := range fails {
		if f.rec >= 0 && (first < 0 || f.rec < fails[first].rec) {
			first = c
		}
	}
	if first < 0 {
		return nil
	}
	f := fails[first]
	bl := builders[first]
	line := b.fieldLine(f.rec, first, ncols)
	hint := ""
	if bl.kind == Numeric || bl.kind == Boolean {
		hint = fmt.Sprintf(", though the column's first values made it %s; correct the value, or read the column as categorical (ReadOptions.Types; load's categorical=[...])", bl.kind)
	}
	return fmt.Errorf("frame: %s:%d: column %d (%s): %s%s", name, line, first+1, clip(bl.name), f.reason, hint)
}

// headerNames reads the column names from the header record, naming empty
// ones "Unnamed: i" and telling repeated ones apart with ".1", ".2"..., as
// pandas does.
func headerNames(head *batch) ([]string, error) {
	names := make([]string, len(head.ends))
	taken := map[string]bool{}
	for i := range names {
		f := head.field(i)
		if !utf8.Valid(f) {
			return nil, fmt.Errorf("column %d's name has bytes that are not UTF-8 text; save the file as UTF-8", i+1)
		}
		names[i] = string(f)
		if names[i] == "" {
			names[i] = fmt.Sprintf("Unnamed: %d", i)
		}
	}
	// next remembers, for each repeated name, the suffix to try next, so
	// that many repeats cost linear time.
	next := map[string]int{}
	for i, n := range names {
		if taken[n] {
			k := max(next[n], 1)
			for taken[fmt.Sprintf("%s.%d", n, k)] {
				k++
			}
			names[i] = fmt.Sprintf("%s.%d", n, k)
			next[n] = k + 1
		}
		taken[names[i]] = true
	}
	return names, nil
}

// applyTypes fixes the types that ReadOptions.Types names.
func applyTypes(builders []*builder, names []string, types map[string]Kind) error {
	keys := make([]string, 0, len(types))
	for k := range types {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		kind := types[k]
		if kind != Numeric && kind != Categorical && kind != Boolean {
			return fmt.Errorf("frame: column %q is given the unknown type %v", k, kind)
		}
		i := -1
		for j, n := range names {
			if n == k {
				i = j
			}
		}
		if i < 0 {
			if best, ok := suggest.Nearest(k, names); ok {
				return fmt.Errorf("frame: Types names a column %q that the file lacks; did you mean %q?", k, best)
			}
			return fmt.Errorf("frame: Types names a column %q that the file lacks", k)
		}
		builders[i].kind = kind
	}
	return nil
}
