package pipeline

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/reckon-dev/reckon/analysis/frame"
)

// DefaultBatchRows is the batch size of Apply when ApplyOptions.BatchRows
// is 0. UMAP's transform optimises a batch of up to 10,000 rows for 100
// epochs, as umap-learn's does: a batch of this size is placed the way
// umap-learn places it.
const DefaultBatchRows = 8192

// ApplyOptions tune Apply. The zero value reads comma-separated text in
// batches of 8,192 rows and stops at the first bad row.
type ApplyOptions struct {
	// Sep is the field separator; 0 means a comma.
	Sep rune
	// BatchRows is the number of rows assigned at a time: memory holds the
	// model and one batch. 0 means 8,192.
	BatchRows int
	// Skip skips bad rows (reporting each to OnSkip) instead of stopping.
	Skip bool
	// OnSkip, when set, is told of every row skipped.
	OnSkip func(err error)
	// Progress, when set, is called after every batch with the rows read
	// so far from this input.
	Progress func(rows int)
	// Sink, when set, receives every assigned batch in place of the CSV
	// written to out: reckon apply writes Parquet through it.
	Sink func(batch *frame.Frame) error
}

func (o ApplyOptions) batchRows() int {
	if o.BatchRows <= 0 {
		return DefaultBatchRows
	}
	return o.BatchRows
}

// ApplyStats count what Apply did.
type ApplyStats struct {
	// Rows were assigned, Skipped were bad and left out, Unseen held a
	// category the model was not fitted on.
	Rows, Skipped, Unseen int
}

// RowError is a bad row of an input: where it is and what is wrong.
type RowError struct {
	Name string
	// Line is the line of a text file the row is on, Row the number of
	// the row of a table (a Parquet file), from 1; one of them is set.
	Line, Row int
	Err       error
}

func (e *RowError) Error() string {
	if e.Line == 0 {
		return fmt.Sprintf("%s: row %d: %v", e.Name, e.Row, e.Err)
	}
	return fmt.Sprintf("%s:%d: %v", e.Name, e.Line, e.Err)
}

func (e *RowError) Unwrap() error { return e.Err }

// Apply assigns the rows of delimited text read from in (named name in
// messages) in batches and writes the result as CSV to out, with a header
// when header is set. Memory holds the model and one batch, whatever the
// input's size. A row with the wrong number of fields, a value that
// does not fit its column's type or no value in a column the model reads
// without imputing is a RowError: Apply stops on it, or skips and counts
// it with Skip. With opts.Sink, the batches go there instead of to out.
func (p *Pipeline) Apply(ctx context.Context, in io.Reader, name string, out io.Writer, header bool, opts ApplyOptions) (ApplyStats, error) {
	var st ApplyStats
	if err := p.Restore(ctx); err != nil {
		return st, err
	}
	batch := opts.batchRows()
	r := csv.NewReader(in)
	r.Comma = ','
	if opts.Sep != 0 {
		r.Comma = opts.Sep
	}
	r.FieldsPerRecord = -1
	r.ReuseRecord = true
	head, err := r.Read()
	if err == io.EOF {
		return st, fmt.Errorf("%s is empty: it has no header row", name)
	}
	if err != nil {
		return st, fmt.Errorf("%s: %w", name, err)
	}
	at := map[string]int{}
	for j, h := range head {
		h = strings.TrimPrefix(h, "\ufeff")
		if _, dup := at[h]; !dup {
			at[h] = j
		}
	}
	var names []string
	var kinds []frame.Kind
	var src []int
	for _, f := range p.Schema {
		j, ok := at[f.Name]
		if !ok {
			return st, fmt.Errorf("%s has no column %q; the model expects %s", name, f.Name, p.SchemaText())
		}
		k, err := frame.ParseKind(f.Type)
		if err != nil {
			return st, err
		}
		names, kinds, src = append(names, f.Name), append(kinds, k), append(src, j)
	}
	for _, id := range p.IDs {
		if j, ok := at[id]; ok {
			names, kinds, src = append(names, id), append(kinds, frame.Categorical), append(src, j)
		}
	}
	rows := frame.NewRows(names, kinds)
	var lines []int
	fields := make([]string, len(names))
	read := 0
	bad := opts.bad(&st)
	flush := func() error {
		if rows.Len() == 0 {
			return nil
		}
		f, err := rows.Frame()
		if err != nil {
			return err
		}
		where := func(i int) *RowError { return &RowError{Name: name, Line: lines[i]} }
		if err := p.writeBatch(ctx, f, where, name, out, &header, &st, opts); err != nil {
			return err
		}
		lines = lines[:0]
		if opts.Progress != nil {
			opts.Progress(read)
		}
		return nil
	}
	for {
		if err := ctx.Err(); err != nil {
			return st, err
		}
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		line, _ := r.FieldPos(0)
		if err != nil {
			var pe *csv.ParseError
			if !errors.As(err, &pe) {
				return st, fmt.Errorf("%s: %w", name, err)
			}
			if err := bad(&RowError{Name: name, Line: pe.Line, Err: pe.Err}); err != nil {
				return st, err
			}
			continue
		}
		read++
		var rowErr error
		if len(rec) != len(head) {
			rowErr = fmt.Errorf("the row has %d fields but the header names %d columns", len(rec), len(head))
		} else {
			for k, j := range src {
				fields[k] = rec[j]
			}
			rowErr = rows.Append(fields)
		}
		if rowErr != nil {
			if err := bad(&RowError{Name: name, Line: line, Err: rowErr}); err != nil {
				return st, err
			}
			continue
		}
		lines = append(lines, line)
		if rows.Len() >= batch {
			if err := flush(); err != nil {
				return st, err
			}
		}
	}
	if err := flush(); err != nil {
		return st, err
	}
	if header {
		// No rows: still write the header, so that the output is a table.
		empty, err := frame.NewRows(names, kinds).Frame()
		if err != nil {
			return st, err
		}
		if err := p.writeBatch(ctx, empty, nil, name, out, &header, &st, opts); err != nil {
			return st, err
		}
	}
	return st, nil
}

// bad returns what Apply does with a bad row: stop at it (returning
// it), or count it and report it to OnSkip.
func (o ApplyOptions) bad(st *ApplyStats) func(re *RowError) error {
	return func(re *RowError) error {
		if !o.Skip {
			return re
		}
		st.Skipped++
		if o.OnSkip != nil {
			o.OnSkip(re)
		}
		return nil
	}
}

// required are the input columns that must hold a value in every row:
// those the model reads as numbers without imputing them (a categorical
// column's missing value encodes as all zeros).
func (p *Pipeline) required() []string {
	kept := map[string]bool{}
	for _, f := range p.Schema {
		kept[f.Name] = f.Type != frame.Categorical.String()
	}
	for _, s := range p.Steps {
		switch s.Op {
		case "select":
			for name := range kept {
				kept[name] = kept[name] && slices.Contains(s.Columns, name)
			}
		case "drop", "impute":
			for _, name := range s.Columns {
				kept[name] = false
			}
		}
	}
	var out []string
	for _, f := range p.Schema {
		if kept[f.Name] {
			out = append(out, f.Name)
		}
	}
	return out
}

// writeBatch assigns a batch and writes it, as CSV with the header when
// *header is set (and then clears it), or to opts.Sink. where(i) locates
// row i: a row missing a value the model needs is bad, stopped at or
// skipped.
func (p *Pipeline) writeBatch(ctx context.Context, f *frame.Frame, where func(i int) *RowError, name string, out io.Writer, header *bool, st *ApplyStats, opts ApplyOptions) error {
	var keep []int
	var required []*frame.Column
	for _, name := range p.required() {
		if c, err := f.Column(name); err == nil && c.Missing() > 0 {
			required = append(required, c)
		}
	}
	for i := range f.NumRows() {
		var miss string
		for _, c := range required {
			if c.IsMissing(i) {
				miss = c.Name()
				break
			}
		}
		if miss == "" {
			keep = append(keep, i)
			continue
		}
		re := where(i)
		re.Err = fmt.Errorf("column %q has no value, and the model was fitted without missing values there (impute them when fitting)", miss)
		if err := opts.bad(st)(re); err != nil {
			return err
		}
	}
	if len(keep) < f.NumRows() {
		var err error
		if f, err = f.Take(keep); err != nil {
			return err
		}
	}
	res, err := p.Assign(ctx, f)
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	st.Rows += res.Table.NumRows()
	st.Unseen += res.Unseen
	if opts.Sink != nil {
		return opts.Sink(res.Table)
	}
	var b bytes.Buffer
	if err := res.Table.WriteCSV(&b); err != nil {
		return err
	}
	data := b.Bytes()
	if !*header {
		data = data[bytes.IndexByte(data, '\n')+1:]
	}
	*header = false
	_, err = out.Write(data)
	return err
}

// ApplyFrame assigns the rows of a table already read in batches of
// opts.BatchRows, as Apply does, and writes them as CSV (or to
// opts.Sink). A bad row is located by its number in the table.
func (p *Pipeline) ApplyFrame(ctx context.Context, f *frame.Frame, name string, out io.Writer, header bool, opts ApplyOptions) (ApplyStats, error) {
	var st ApplyStats
	err := p.applyFrame(ctx, f, 0, name, out, &header, &st, opts)
	return st, err
}

// ApplyParquet assigns the rows of the Parquet file at path as
// ApplyFrame does, streaming it a row group at a time: memory holds the
// model and one row group. A bad row is located by its row number in the
// file.
func (p *Pipeline) ApplyParquet(ctx context.Context, path, name string, out io.Writer, header bool, opts ApplyOptions) (ApplyStats, error) {
	var st ApplyStats
	empty := true
	progress := opts.Progress
	err := frame.ReadParquetGroups(ctx, path, frame.ParquetOptions{}, func(f *frame.Frame, offset int) error {
		empty = false
		opts.Progress = func(rows int) {
			if progress != nil {
				progress(offset + rows)
			}
		}
		return p.applyFrame(ctx, f, offset, name, out, &header, &st, opts)
	})
	if err != nil {
		return st, err
	}
	if empty {
		// A file without row groups: its schema is still checked, and the
		// header written.
		f, err := frame.ReadParquet(ctx, path, frame.ParquetOptions{})
		if err != nil {
			return st, err
		}
		err = p.applyFrame(ctx, f, 0, name, out, &header, &st, opts)
		return st, err
	}
	return st, nil
}

// applyFrame assigns the rows of f, which follow offset rows of the same
// input, in batches.
func (p *Pipeline) applyFrame(ctx context.Context, f *frame.Frame, offset int, name string, out io.Writer, header *bool, st *ApplyStats, opts ApplyOptions) error {
	if err := p.Restore(ctx); err != nil {
		return err
	}
	if err := p.CheckSchema(f); err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	batch := opts.batchRows()
	n := f.NumRows()
	for lo := 0; lo < n || lo == 0 && *header; lo += batch {
		rows := make([]int, 0, batch)
		for i := lo; i < min(lo+batch, n); i++ {
			rows = append(rows, i)
		}
		where := func(i int) *RowError { return &RowError{Name: name, Row: offset + lo + i + 1} }
		part, err := f.Take(rows)
		if err != nil {
			return err
		}
		if err := p.writeBatch(ctx, part, where, name, out, header, st, opts); err != nil {
			return err
		}
		if opts.Progress != nil {
			opts.Progress(min(lo+batch, n))
		}
	}
	return nil
}
