package notebook

import (
	"context"
	"fmt"
	"strings"

	"github.com/reckon-dev/reckon/kernel"
)

// CellError is a failing cell: where it is and what the interpreter said.
type CellError struct {
	// Index is the cell's position in the notebook, from 0, counting
	// every cell as Jupyter's cell list does.
	Index int
	// ExecutionCount is the cell's In [n].
	ExecutionCount int
	Err            *kernel.Error
}

func (e *CellError) Error() string {
	return fmt.Sprintf("cell %d (In [%d]) failed: %s: %s", e.Index, e.ExecutionCount, e.Err.Name, e.Err.Value)
}

func (e *CellError) Unwrap() error { return e.Err }

// Execute runs the notebook's code cells in order with in, writing their
// outputs and execution counts into nb, and stops at the first error,
// which it returns as a *CellError after recording it as the cell's error
// output. Outputs of an earlier run are cleared first, so cells after the
// error are left empty. Blank cells are skipped, as nbclient skips them.
// Errors are what the kernel reports (see kernel.Execute). The notebook's
// language_info becomes the interpreter's, as nbclient sets it from
// kernel_info.
func Execute(ctx context.Context, nb *Notebook, in kernel.Interpreter) error {
	info := in.Info().Language
	nb.Metadata["language_info"] = map[string]any{
		"name": info.Name, "version": info.Version, "mimetype": info.MIMEType,
		"file_extension": info.FileExtension, "pygments_lexer": info.PygmentsLexer,
		"codemirror_mode": info.CodeMirrorMode,
	}
	// Outputs of an earlier run go first, so that none survives beside
	// the new ones, even after a failing cell.
	for _, c := range nb.Cells {
		c.Outputs, c.ExecutionCount = nil, nil
	}
	rec := &recorder{ids: map[*Cell][]string{}}
	count := 0
	for i, c := range nb.Cells {
		if c.Type != "code" || strings.TrimSpace(c.Source) == "" {
			continue
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		count++
		n := count
		c.ExecutionCount = &n
		rec.cell, rec.clearWaiting = c, false
		res, e := kernel.Execute(ctx, in, c.Source, rec)
		// A help page goes where JupyterLab shows it: in the cell's output.
		for _, p := range res.Payload {
			if page, ok := p.(kernel.Page); ok {
				rec.add(Output{"output_type": "display_data", "data": page.Bundle.Data, "metadata": map[string]any{}}, "")
			}
		}
		if e != nil {
			rec.add(Output{"output_type": "error", "ename": e.Name, "evalue": e.Value, "traceback": e.Traceback}, "")
			return &CellError{Index: i, ExecutionCount: n, Err: e}
		}
		if res.Value != nil {
			rec.add(Output{"output_type": "execute_result", "execution_count": n,
				"data": res.Value.Data, "metadata": orEmpty(res.Value.Metadata)}, "")
		}
	}
	return nil
}

// recorder is the kernel.Output of the running cell: it turns what the
// cell shows into outputs as nbclient turns iopub messages into them.
type recorder struct {
	cell *Cell
	// ids holds, per cell, the display id of each output ("" for none),
	// so that an update finds every output showing its display.
	ids          map[*Cell][]string
	clearWaiting bool
}

func (r *recorder) add(o Output, id string) {
	if r.clearWaiting {
		r.clear()
	}
	// Consecutive writes to one stream make one output, as in JupyterLab.
	if n := len(r.cell.Outputs); n > 0 && o.Type() == "stream" {
		if last := r.cell.Outputs[n-1]; last.Type() == "stream" && last["name"] == o["name"] {
			last["text"] = last["text"].(string) + o["text"].(string)
			return
		}
	}
	r.cell.Outputs = append(r.cell.Outputs, o)
	r.ids[r.cell] = append(r.ids[r.cell], id)
}

func (r *recorder) Stream(name, text string) {
	r.add(Output{"output_type": "stream", "name": name, "text": text}, "")
}

func (r *recorder) Display(b kernel.Bundle, id string) {
	r.add(Output{"output_type": "display_data", "data": b.Data, "metadata": orEmpty(b.Metadata)}, id)
}

// Update replaces every output showing the display, in any cell, as
// nbclient applies update_display_data; an unknown id changes nothing.
func (r *recorder) Update(b kernel.Bundle, id string) {
	for c, ids := range r.ids {
		for j, shown := range ids {
			if shown == id {
				c.Outputs[j]["data"] = b.Data
				c.Outputs[j]["metadata"] = orEmpty(b.Metadata)
			}
		}
	}
}

func (r *recorder) Clear(wait bool) {
	if wait {
		r.clearWaiting = true
		return
	}
	r.clear()
}

func (r *recorder) clear() {
	r.cell.Outputs = nil
	delete(r.ids, r.cell)
	r.clearWaiting = false
}
