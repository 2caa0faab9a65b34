package notebook

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/reckon-dev/reckon/kernel"
)

// script is an interpreter whose cells are commands of a tiny language,
// one per line, so that tests can make a cell show anything the kernel
// protocol allows.
type script struct{}

func (script) Execute(ctx context.Context, code string, out kernel.Output) (kernel.Result, error) {
	var res kernel.Result
	for _, line := range strings.Split(code, "\n") {
		verb, arg, _ := strings.Cut(line, " ")
		text := func(s string) kernel.Bundle { return kernel.Bundle{Data: map[string]any{"text/plain": s}} }
		switch verb {
		case "print":
			out.Stream("stdout", arg+"\n")
		case "warn":
			out.Stream("stderr", arg+"\n")
		case "show":
			id, s, _ := strings.Cut(arg, " ")
			if id == "-" {
				id = ""
			}
			out.Display(text(s), id)
		case "update":
			id, s, _ := strings.Cut(arg, " ")
			out.Update(text(s), id)
		case "clear":
			out.Clear(arg == "wait")
		case "value":
			b := text(arg)
			res.Value = &b
		case "page":
			res.Payload = append(res.Payload, kernel.Page{Bundle: kernel.Bundle{Data: map[string]any{"text/plain": arg}}})
		case "fail":
			return res, &kernel.Error{Name: "ValueError", Value: "line 2, column 1: " + arg, Traceback: []string{"ValueError: " + arg, "  at 2:1:"}}
		case "oops":
			return res, errors.New(arg)
		case "panic":
			panic(arg)
		}
	}
	return res, nil
}

func (script) Complete(string, int) kernel.Completion         { return kernel.Completion{} }
func (script) Inspect(string, int, int) (kernel.Bundle, bool) { return kernel.Bundle{}, false }
func (script) IsComplete(string) (string, string)             { return "complete", "" }
func (script) Info() kernel.Info                              { return kernel.Info{Language: kernel.LanguageInfo{Name: "script"}} }

func notebookOf(cells ...string) *Notebook {
	nb := &Notebook{Format: 4, Minor: 5, Metadata: map[string]any{}}
	for _, src := range cells {
		typ := "code"
		if strings.HasPrefix(src, "# ") {
			typ = "markdown"
		}
		nb.Cells = append(nb.Cells, &Cell{Type: typ, Source: src, Metadata: map[string]any{}})
	}
	return nb
}

// summary renders a cell's outputs compactly: type:text, per output.
func summary(c *Cell) string {
	var parts []string
	for _, o := range c.Outputs {
		s := o.Type() + ":" + strings.TrimSuffix(o.Text(), "\n")
		if o.Type() == "error" {
			s = "error:" + o["ename"].(string)
		}
		if n, ok := o["execution_count"]; ok {
			s += "@" + jsonText(n)
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, " | ")
}

func jsonText(v any) string { b, _ := json.Marshal(v); return string(b) }

func TestExecuteRecordsOutputsAsNbclient(t *testing.T) {
	nb := notebookOf(
		"print a\nprint b\nwarn c\nprint d",
		"# a markdown cell",
		"show bar 10%\nshow - other\nvalue 42",
		"   \n",
		"update bar 100%\nshow bar again",
		"print gone\nclear\nprint kept",
		"print stays\nclear wait\nprint replaces",
		"page help text",
		"update nobody x\nvalue done",
	)
	if err := Execute(context.Background(), nb, script{}); err != nil {
		t.Fatal(err)
	}
	want := []string{
		"stream:a\nb | stream:c | stream:d",
		"",
		"display_data:100% | display_data:other | execute_result:42@2",
		"",
		"display_data:again",
		"stream:kept",
		"stream:replaces",
		"display_data:help text",
		"execute_result:done@7",
	}
	counts := []any{1, nil, 2, nil, 3, 4, 5, 6, 7}
	for i, c := range nb.Cells {
		if got := summary(c); got != want[i] {
			t.Errorf("cell %d: outputs %q, want %q", i, got, want[i])
		}
		var got any
		if c.ExecutionCount != nil {
			got = *c.ExecutionCount
		}
		if c.Type == "code" && got != counts[i] {
			t.Errorf("cell %d: execution_count %v, want %v", i, got, counts[i])
		}
	}
	if nb.Metadata["language_info"].(map[string]any)["name"] != "script" {
		t.Errorf("language_info = %v", nb.Metadata["language_info"])
	}
}

func TestExecuteStopsAtTheFirstError(t *testing.T) {
	for _, tc := range []struct {
		cell, ename, msg string
	}{
		{"print before\nfail bad value", "ValueError", "cell 1 (In [2]) failed: ValueError: line 2, column 1: bad value"},
		{"oops plain error", "Error", "cell 1 (In [2]) failed: Error: plain error"},
		{"panic boom", "InternalError", "cell 1 (In [2]) failed: InternalError: the kernel hit a bug and recovered: boom"},
	} {
		nb := notebookOf("print ok", tc.cell, "print never")
		nb.Cells[2].Outputs = []Output{{"output_type": "stream", "name": "stdout", "text": "old\n"}}
		err := Execute(context.Background(), nb, script{})
		var ce *CellError
		if !errors.As(err, &ce) || ce.Index != 1 || ce.Err.Name != tc.ename || err.Error() != tc.msg {
			t.Fatalf("%s: error %v, want %q", tc.cell, err, tc.msg)
		}
		outs := nb.Cells[1].Outputs
		if last := outs[len(outs)-1]; last.Type() != "error" || last["ename"] != tc.ename || len(last["traceback"].([]string)) == 0 {
			t.Errorf("%s: the failing cell's outputs are %v", tc.cell, outs)
		}
		if len(nb.Cells[2].Outputs) != 0 || nb.Cells[2].ExecutionCount != nil {
			t.Errorf("the cell after the error ran or kept an earlier run's outputs: %v", nb.Cells[2].Outputs)
		}
	}
}

func TestExecuteStopsWhenCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := Execute(ctx, notebookOf("print a"), script{}); !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v", err)
	}
}

func TestInjectParameters(t *testing.T) {
	for _, tc := range []struct {
		cells []string
		tags  map[int]string
		want  []string
	}{
		{[]string{"# title", "print a"}, nil, []string{"P", "# title", "print a"}},
		{[]string{"# title", "n = 1", "print a"}, map[int]string{1: ParametersTag}, []string{"# title", "n = 1", "P", "print a"}},
		// An earlier injection is replaced, wherever it was.
		{[]string{"n = 1", "old", "print a"}, map[int]string{0: ParametersTag, 1: InjectedTag}, []string{"n = 1", "P", "print a"}},
	} {
		nb := notebookOf(tc.cells...)
		for i, tag := range tc.tags {
			nb.Cells[i].Metadata["tags"] = []any{tag}
		}
		nb.Cells[0].ID = InjectedTag // an id the injected cell must not reuse
		InjectParameters(nb, "P")
		var got []string
		ids := map[string]bool{}
		for _, c := range nb.Cells {
			got = append(got, c.Source)
			if c.Source == "P" && (!c.HasTag(InjectedTag) || c.Type != "code") {
				t.Errorf("injected cell %+v", c)
			}
			if c.ID != "" && ids[c.ID] {
				t.Errorf("cell id %q twice", c.ID)
			}
			ids[c.ID] = true
		}
		if !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%q: cells %q, want %q", tc.cells, got, tc.want)
		}
	}
}

// A notebook nbformat wrote comes back byte for byte, outputs and all.
func TestReadWriteRoundTrip(t *testing.T) {
	files, _ := filepath.Glob("testdata/*.ipynb")
	examples, _ := filepath.Glob(filepath.Join("..", "..", "examples", "*.ipynb"))
	files = append(files, examples...)
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		nb, err := Read(data)
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		out, err := nb.Write()
		if err != nil {
			t.Fatal(err)
		}
		if string(out) != string(data) {
			t.Errorf("%s changed in a round trip", f)
		}
	}
}

func TestReadRejectsWhatIsNotANotebook(t *testing.T) {
	for src, want := range map[string]string{
		`[1, 2]`:                       "not a notebook",
		`{"nbformat": 3, "cells": []}`: "nbformat 3 is not supported",
		`{"nbformat": 4}`:              `no "cells"`,
		`{"nbformat": 4, "cells": [{"cell_type": "python"}]}`:                `cell 0: unknown cell_type "python"`,
		`{"nbformat": 4, "cells": [{"cell_type": "code", "source": 3}]}`:     "cell 0: source must be a string",
		`{"nbformat": 4, "cells": [null]}`:                                   "cell 0: a cell must be an object",
		`{"nbformat": 4, "cells": [{"cell_type": "code", "outputs": [{}]}]}`: "output 0 has no output_type",
		`{"nbformat": "4", "cells": []}`:                                     `"nbformat" is not what nbformat 4 says`,
	} {
		if _, err := Read([]byte(src)); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: error %v, want %q", src, err, want)
		}
	}
}

// Whatever Read accepts, Write writes and Read reads back the same.
func FuzzRead(f *testing.F) {
	files, _ := filepath.Glob("testdata/*.ipynb")
	examples, _ := filepath.Glob(filepath.Join("..", "..", "examples", "*.ipynb"))
	files = append(files, examples...)
	for _, p := range files {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(b)
		}
	}
	f.Add([]byte(`{"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": [{"cell_type": "code", "source": ["a\n", "b"], "outputs": [{"output_type": "stream", "name": "stdout", "text": "x"}]}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		nb, err := Read(data)
		if err != nil {
			return
		}
		out, err := nb.Write()
		if err != nil {
			t.Fatalf("Write: %v", err)
		}
		again, err := Read(out)
		if err != nil {
			t.Fatalf("Read of what Write wrote: %v\n%s", err, out)
		}
		out2, err := again.Write()
		if err != nil || string(out2) != string(out) {
			t.Fatalf("a second round trip changed the notebook:\n%s\n%s", out, out2)
		}
	})
}
