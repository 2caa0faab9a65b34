package pipeline

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/reckon-dev/reckon/analysis/frame"
)

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
	Line int
	Err  error
}

func (e *RowError) Error() string { return fmt.Sprintf("%s:%d: %v", e.Name, e.Line, e.Err) }
func (e *RowError) Unwrap() error { return e.Err }

// Apply assigns the rows of delimited text read from in (named name in
// messages) in batches and writes the result as CSV to out, with a header
// when header is set. Memory holds the model and one batch, whatever the
// input's size. A row with the wrong number of fields or a value that
// does not fit its column's type is a RowError: Apply stops on it, or
// skips and counts it with Skip.
func (p *Pipeline) Apply(ctx context.Context, in io.Reader, name string, out io.Writer, header bool, opts ApplyOptions) (ApplyStats, error) {
	var st ApplyStats
	if err := p.Restore(ctx); err != nil {
		return st, err
	}
	batch := opts.BatchRows
	if batch <= 0 {
		batch = 8192
	}
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
	fields := make([]string, len(names))
	read := 0
	flush := func() error {
		if rows.Len() == 0 {
			return nil
		}
		f, err := rows.Frame()
		if err != nil {
			return err
		}
		if err := p.writeBatch(ctx, f, name, out, &header, &st); err != nil {
			return err
		}
		if opts.Progress != nil {
			opts.Progress(read)
		}
		return nil
	}
	// bad stops at a bad row, or counts and reports it when skipping.
	bad := func(line int, err error) error {
		re := &RowError{Name: name, Line: line, Err: err}
		if !opts.Skip {
			return re
		}
		st.Skipped++
		if opts.OnSkip != nil {
			opts.OnSkip(re)
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
			if err := bad(pe.Line, pe.Err); err != nil {
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
			if err := bad(line, rowErr); err != nil {
				return st, err
			}
			continue
		}
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
		if err := p.writeBatch(ctx, empty, name, out, &header, &st); err != nil {
			return st, err
		}
	}
	return st, nil
}

// writeBatch assigns a batch and writes it as CSV, with the header when
// *header is set (and then clears it).
func (p *Pipeline) writeBatch(ctx context.Context, f *frame.Frame, name string, out io.Writer, header *bool, st *ApplyStats) error {
	res, err := p.Assign(ctx, f)
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	st.Rows += res.Table.NumRows()
	st.Unseen += res.Unseen
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

// ApplyFrame assigns the rows of a table already read (a Parquet file) in
// batches of opts.BatchRows, as Apply does, and writes them as CSV.
func (p *Pipeline) ApplyFrame(ctx context.Context, f *frame.Frame, name string, out io.Writer, header bool, opts ApplyOptions) (ApplyStats, error) {
	var st ApplyStats
	if err := p.Restore(ctx); err != nil {
		return st, err
	}
	if err := p.CheckSchema(f); err != nil {
		return st, fmt.Errorf("%s: %w", name, err)
	}
	batch := opts.BatchRows
	if batch <= 0 {
		batch = 8192
	}
	n := f.NumRows()
	for lo := 0; lo < n || lo == 0 && header; lo += batch {
		rows := make([]int, 0, batch)
		for i := lo; i < min(lo+batch, n); i++ {
			rows = append(rows, i)
		}
		part, err := f.Take(rows)
		if err != nil {
			return st, err
		}
		if err := p.writeBatch(ctx, part, name, out, &header, &st); err != nil {
			return st, err
		}
		if opts.Progress != nil {
			opts.Progress(min(lo+batch, n))
		}
	}
	return st, nil
}
