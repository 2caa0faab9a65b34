package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/reckon-dev/reckon/internal/notebook"
)

// writeNotebook writes a notebook of code cells (markdown where a cell
// starts with "# ") to dir/name; a cell starting with "#parameters" is
// tagged parameters.
func writeNotebook(t *testing.T, path string, cells ...string) {
	t.Helper()
	nb := &notebook.Notebook{Format: 4, Minor: 5, Metadata: map[string]any{}}
	for i, src := range cells {
		c := &notebook.Cell{ID: "c" + string(rune('a'+i)), Type: "code", Source: src, Metadata: map[string]any{}}
		if strings.HasPrefix(src, "# ") {
			c.Type = "markdown"
		}
		if strings.HasPrefix(src, "#parameters") {
			c.Metadata["tags"] = []any{"parameters"}
		}
		nb.Cells = append(nb.Cells, c)
	}
	data, err := nb.Write()
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

func readNotebook(t *testing.T, path string) *notebook.Notebook {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	nb, err := notebook.Read(data)
	if err != nil {
		t.Fatal(err)
	}
	return nb
}

func TestRunNotebook(t *testing.T) {
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "data"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "data", "t.csv"), []byte("a,b\n1,2\n3,5\n4,4\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	in := filepath.Join(dir, "nb.ipynb")
	writeNotebook(t, in,
		"# Parameters, then a table read relative to the notebook",
		"#parameters\nn = 1\nlabel = \"old\"",
		`t = load("data/t.csv")`+"\nprint(label, n * 2)\nn",
		"plot(t, color=[1, 2, 3])",
		`display("10%", display_id="p")`,
		`update_display("100%", display_id="p")`,
	)
	before, _ := os.ReadFile(in)
	out := filepath.Join(dir, "out.ipynb")
	code, stdout, stderr := runCLI([]string{"run", in, "-p", "n=21", "-o", out, "-p", "label=new value"}, "")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if stdout != "" || !strings.Contains(stderr, "wrote "+out) {
		t.Errorf("stdout %q, stderr %q", stdout, stderr)
	}
	if after, _ := os.ReadFile(in); string(after) != string(before) {
		t.Error("with -o, the input notebook changed")
	}
	nb := readNotebook(t, out)
	if len(nb.Cells) != 7 || !nb.Cells[2].HasTag("injected-parameters") || nb.Cells[2].Source != "# Parameters\nn = 21\nlabel = \"new value\"\n" {
		t.Fatalf("injected cell: %d cells, cell 2 %+v", len(nb.Cells), nb.Cells[2])
	}
	c := nb.Cells[3]
	if len(c.Outputs) != 2 || c.Outputs[0].Text() != "new value 42\n" || c.Outputs[1].Type() != "execute_result" ||
		c.Outputs[1].Text() != "21" || c.Outputs[1]["execution_count"] != float64(3) || *c.ExecutionCount != 3 {
		t.Errorf("cell 3 outputs %v", c.Outputs)
	}
	plotData, _ := nb.Cells[4].Outputs[0]["data"].(map[string]any)
	if _, ok := plotData["image/png"]; !ok || plotData["image/svg+xml"] != nil {
		t.Errorf("the plot is not PNG only: %v", keys(plotData))
	}
	if got := nb.Cells[5].Outputs[0].Text(); got != "\"100%\"" {
		t.Errorf("the updated display shows %q", got)
	}

	// Without -o the notebook itself takes the outputs; a second run with
	// new parameters replaces the injected cell.
	for _, n := range []string{"2", "3"} {
		if code, _, stderr := runCLI([]string{"run", "-p", "n=" + n, in}, ""); code != 0 {
			t.Fatalf("exit %d: %s", code, stderr)
		}
	}
	nb = readNotebook(t, in)
	if len(nb.Cells) != 7 || nb.Cells[2].Source != "# Parameters\nn = 3\n" || nb.Cells[3].Outputs[1].Text() != "3" {
		t.Errorf("in place: %d cells, injected %q, outputs %v", len(nb.Cells), nb.Cells[2].Source, nb.Cells[3].Outputs)
	}
}

func TestRunNotebookStopsAtTheFirstError(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "bad.ipynb")
	writeNotebook(t, in, "# A failing notebook", `print("first")`, "x = 1\ny = prnt(x)", `print("never")`)
	code, _, stderr := runCLI([]string{"run", in}, "")
	if code != 1 {
		t.Fatalf("exit %d, want 1", code)
	}
	for _, want := range []string{"cell 2 (In [2]) failed: NameError: line 2, column 5: unknown command `prnt`", "y = prnt(x)", "the notebook, with the error in cell 2, is in " + in} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr %q lacks %q", stderr, want)
		}
	}
	nb := readNotebook(t, in)
	if nb.Cells[1].Outputs[0].Text() != "first\n" {
		t.Errorf("cell 1 lost its output: %v", nb.Cells[1].Outputs)
	}
	if o := nb.Cells[2].Outputs; len(o) != 1 || o[0].Type() != "error" || o[0]["ename"] != "NameError" {
		t.Errorf("the failing cell holds %v", o)
	}
	if nb.Cells[3].ExecutionCount != nil || len(nb.Cells[3].Outputs) != 0 {
		t.Errorf("the cell after the error ran")
	}
}

func TestRunNotebookArguments(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "nb.ipynb")
	writeNotebook(t, in, "1")
	bad := filepath.Join(dir, "bad.ipynb")
	os.WriteFile(bad, []byte(`{"nbformat": 4, "cells": [{"cell_type": "sql"}]}`), 0o644)
	for _, tc := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"run", in, "-p", "n"}, 1, `parameter "n" must be name=value`},
		{[]string{"run", in, "-p"}, 2, "-p needs a value"},
		{[]string{"run", in, "-x"}, 2, "unknown flag -x"},
		{[]string{"run", in, in}, 2, "one file at a time"},
		{[]string{"run", "-", "-p", "a=1"}, 2, "-o and -p apply to notebooks"},
		{[]string{"run", bad}, 1, `bad.ipynb: cell 0: unknown cell_type "sql"`},
		{[]string{"run", filepath.Join(dir, "none.ipynb")}, 1, "no such file"},
	} {
		code, _, stderr := runCLI(tc.args, "")
		if code != tc.code || !strings.Contains(stderr, tc.want) {
			t.Errorf("%q: exit %d, stderr %q; want %d and %q", tc.args, code, stderr, tc.code, tc.want)
		}
	}
	code, stdout, _ := runCLI([]string{"run", in, "-o", "-"}, "")
	if code != 0 || !strings.Contains(stdout, `"execution_count": 1`) {
		t.Errorf("-o - wrote %q", stdout)
	}
}

func keys(m map[string]any) []string {
	var k []string
	for key := range m {
		k = append(k, key)
	}
	return k
}
