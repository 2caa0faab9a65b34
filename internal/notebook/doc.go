// Package notebook reads, runs and writes Jupyter notebooks (nbformat 4)
// without Jupyter: the engine behind `reckon run NOTEBOOK.ipynb`.
//
// Read parses a notebook, accepting what nbformat writes (multi-line
// strings as lists of lines) and keeping every field it does not know, so
// that a notebook survives a round trip. Write writes it back as nbformat
// does: keys sorted, one-space indent, multi-line text split into lines,
// non-ASCII characters as they are.
//
// Execute runs the code cells in order through a kernel.Interpreter — the
// same one the kernel serves — and records what each cell shows exactly as
// nbclient would record the kernel's messages: stream, display_data,
// execute_result (with its execution_count) and error outputs;
// update_display replaces every earlier output with that display id, in
// any cell; clear_output clears the cell (at the next output when asked to
// wait). It stops at the first failing cell, whose error output stays in
// the notebook, and returns a *CellError naming the cell.
//
// Parameters follow papermill: InjectParameters puts a cell tagged
// "injected-parameters" after the cell tagged "parameters", or at the top
// when there is none, replacing the cell an earlier run injected.
package notebook
