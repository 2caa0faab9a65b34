package dsl

import (
	"context"
	"strings"
	"time"

	"github.com/reckon-dev/reckon/display"
	"github.com/reckon-dev/reckon/kernel"
)

// registerCore adds the commands every session has: printing, help, the
// session's variables, and direct control of displays.
func registerCore(r *Registry) {
	r.Register(
		&Command{
			Name: "print", Group: "basics",
			Summary: "Write values to the cell's output as text.",
			Doc:     "Strings are written without quotes, other values in their text form, separated by sep and followed by end.",
			Params: []Param{
				{Name: "values", Type: Any, Variadic: true, Doc: "what to print"},
				{Name: "sep", Type: Str, Default: String(" "), Doc: "written between values"},
				{Name: "end", Type: Str, Default: String("\n"), Doc: "written after the last value"},
				{Name: "stderr", Type: Boolean, Default: Bool(false), Doc: "write to standard error instead of standard output"},
			},
			Examples: []string{`print("rows:", 70000)`, `print("careful", stderr=true)`},
			Run: func(ctx context.Context, c *Call) (Value, error) {
				parts := make([]string, len(c.List("values")))
				for i, v := range c.List("values") {
					parts[i] = plainText(v)
				}
				stream := "stdout"
				if c.Bool("stderr") {
					stream = "stderr"
				}
				c.Out.Stream(stream, strings.Join(parts, c.Str("sep"))+c.Str("end"))
				return None, nil
			},
		},
		&Command{
			Name: "help", Group: "basics",
			Summary: "List the commands, or document one command or value.",
			Doc:     "help() lists every command by group. help(umap) shows a command's signature, defaults, parameters and examples; help(x) describes the value x holds. `?umap` shows the same in the pager.",
			Params: []Param{
				{Name: "topic", Type: Any, Default: None, Doc: "a command or a variable"},
			},
			Returns:  "help",
			Examples: []string{"help()", "help(print)"},
			Run: func(ctx context.Context, c *Call) (Value, error) {
				if c.IsNone("topic") {
					return commandList(c.Session.reg), nil
				}
				return helpFor(c.Session, c.Value("topic")), nil
			},
		},
		&Command{
			Name: "vars", Group: "basics",
			Summary:  "List the session's variables with their types and sizes.",
			Doc:      "Variables are listed by name, with the kind of value each holds and its size (rows × columns, items, points). export(vars(), to=\"vars.csv\") writes the listing.",
			Returns:  "table",
			Examples: []string{`vars()`},
			Run: func(ctx context.Context, c *Call) (Value, error) {
				t := display.Table{Columns: []string{"name", "type", "size"}}
				for _, name := range c.Session.VarNames() {
					v, _ := c.Session.Get(name)
					size := ""
					if s, ok := v.(Sizer); ok {
						size = s.Size()
					}
					t.Rows = append(t.Rows, []string{name, v.Type(), size})
				}
				if len(t.Rows) == 0 {
					t.Note = "no variables yet: assign one with name = value"
				}
				return Listing{Table: t}, nil
			},
		},
		&Command{
			Name: "del", Group: "basics",
			Summary: "Remove variables from the session.",
			Doc:     "The names are written bare, as del(x), not as strings. A name that is not a variable is an error, and then none of the names is removed.",
			Params: []Param{
				{Name: "names", Type: Str, Variadic: true, TakesName: true, Doc: "the variables to remove, as bare names"},
			},
			Examples: []string{"del(emb, cl)"},
			Run: func(ctx context.Context, c *Call) (Value, error) {
				names := c.List("names")
				if len(names) == 0 {
					return nil, c.Errorf("names", "del needs at least one variable name, as in del(x)")
				}
				for i, n := range names {
					name := string(n.(String))
					if _, ok := c.Session.Get(name); !ok {
						return nil, c.ItemErrorf(i, "no variable is named `%s`%s", name, didYouMean(name, c.Session.VarNames()))
					}
				}
				for _, n := range names {
					c.Session.Delete(string(n.(String)))
				}
				return None, nil
			},
		},
		&Command{
			Name: "sleep", Group: "basics",
			Summary: "Wait, doing nothing; an interrupt ends the wait.",
			Doc:     "Useful to try out interrupts and progress displays.",
			Params: []Param{
				{Name: "seconds", Type: Num, Doc: "how long to wait"},
				{Name: "progress", Type: Boolean, Default: Bool(false), Doc: "show a progress bar while waiting"},
			},
			Examples: []string{`sleep(0.1)`, `sleep(0.2, progress=true)`},
			Run: func(ctx context.Context, c *Call) (Value, error) {
				secs := c.Num("seconds")
				if !(secs >= 0 && secs <= 7*24*3600) {
					return nil, c.Errorf("seconds", "seconds must be between 0 and a week, not %s", formatNumber(secs))
				}
				d := time.Duration(secs * float64(time.Second))
				if !c.Bool("progress") {
					select {
					case <-time.After(d):
						return None, nil
					case <-ctx.Done():
						return nil, ctx.Err()
					}
				}
				// Report every millisecond, far more often than any display
				// should be sent, as busy analysis code does.
				report := c.Progress()
				start := time.Now()
				tick := time.NewTicker(time.Millisecond)
				defer tick.Stop()
				total := int(d / time.Millisecond)
				for {
					elapsed := time.Since(start)
					report.Report("waiting", min(int(elapsed/time.Millisecond), total), total)
					if elapsed >= d {
						return None, nil
					}
					select {
					case <-tick.C:
					case <-ctx.Done():
						return nil, ctx.Err()
					}
				}
			},
		},
		&Command{
			Name: "display", Group: "basics",
			Summary: "Show a value now, in its richest form, without ending the cell.",
			Doc:     "With a display_id, a later update_display with the same id replaces what was shown.",
			Params: []Param{
				{Name: "value", Type: Any, Doc: "what to show"},
				{Name: "display_id", Type: Str, Default: None, Doc: "a name for the display, to update it later"},
			},
			Examples: []string{`display("step 1 done", display_id="status")`},
			Run: func(ctx context.Context, c *Call) (Value, error) {
				id := ""
				if !c.IsNone("display_id") {
					id = c.Str("display_id")
				}
				c.Out.Display(kernel.Bundle(Bundle(c.Value("value"))), id)
				return None, nil
			},
		},
		&Command{
			Name: "update_display", Group: "basics",
			Summary: "Replace what an earlier display with the same display_id shows.",
			Doc:     "Only the display is replaced, wherever it is on the page, as IPython's update_display does; a display_id no display has shown changes nothing.",
			Params: []Param{
				{Name: "value", Type: Any, Doc: "what to show instead"},
				{Name: "display_id", Type: Str, Doc: "the id given to display"},
			},
			Examples: []string{`display("step 1 done", display_id="status")`, `update_display("step 2 done", display_id="status")`},
			Run: func(ctx context.Context, c *Call) (Value, error) {
				if c.Str("display_id") == "" {
					return nil, c.Errorf("display_id", "display_id must not be empty")
				}
				c.Out.Update(kernel.Bundle(Bundle(c.Value("value"))), c.Str("display_id"))
				return None, nil
			},
		},
		&Command{
			Name: "clear_output", Group: "basics",
			Summary: "Clear the cell's output.",
			Doc:     "As IPython's clear_output: with wait=true the output is cleared only when the next output arrives, which keeps a cell that redraws itself from flickering.",
			Params: []Param{
				{Name: "wait", Type: Boolean, Default: Bool(false), Doc: "clear only when the next output arrives, to avoid flicker"},
			},
			Examples: []string{`clear_output(wait=true)`},
			Run: func(ctx context.Context, c *Call) (Value, error) {
				c.Out.Clear(c.Bool("wait"))
				return None, nil
			},
		},
	)
}

// Listing is a grid to look at rather than data to analyse, such as
// what vars() returns.
type Listing struct {
	display.Table
	// Raw, when set, are the rows as export writes them: numbers in full
	// and as numbers, where Rows holds them formatted for reading.
	Raw [][]string
}

func (Listing) Type() string { return "listing" }

func (t Listing) String() string { return t.Table.Plain() }

// Display shows the table as HTML with its text twin.
func (t Listing) Display() display.Bundle { return t.Table.Bundle() }

// Size is the table's row count.
func (t Listing) Size() string { return count(len(t.Rows), "row") }

// Export writes the listing as CSV: Raw when it is set, else the rows as
// shown, with the thousands separators of numeric columns taken out.
func (t Listing) Export(ctx context.Context, path, format string) (string, error) {
	return exportGrid(path, format, "a table", t.Columns, t.csvRows())
}

func (t Listing) csvRows() [][]string {
	if t.Raw != nil {
		return t.Raw
	}
	rows := make([][]string, len(t.Rows))
	for i, r := range t.Rows {
		rows[i] = make([]string, len(r))
		for j, cell := range r {
			if j < len(t.Numeric) && t.Numeric[j] {
				cell = strings.ReplaceAll(cell, ",", "")
			}
			rows[i][j] = cell
		}
	}
	return rows
}
