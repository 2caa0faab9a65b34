package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"github.com/reckon-dev/reckon/dsl"
	"github.com/reckon-dev/reckon/internal/notebook"
)

// runNotebook executes a notebook in-process and writes it, with its
// outputs, to out: the notebook itself when out is empty, standard output
// when out is "-". A failing cell still gets written, holding its error.
func runNotebook(name, out string, params []string, stdout, stderr io.Writer) int {
	fail := func(format string, args ...any) int {
		fmt.Fprintf(stderr, "reckon run: "+format+"\n", args...)
		return 1
	}
	src, err := os.ReadFile(name)
	if err != nil {
		return fail("%v", err)
	}
	nb, err := notebook.Read(src)
	if err != nil {
		return fail("%s: %v", name, err)
	}
	if len(params) > 0 {
		code, err := dsl.ParameterSource(params)
		if err != nil {
			return fail("%v", err)
		}
		notebook.InjectParameters(nb, code)
	}
	if out == "" {
		out = name
	}
	// Relative paths in the notebook mean what they mean in Jupyter:
	// relative to the notebook's directory.
	wd, err := os.Getwd()
	if err != nil {
		return fail("%v", err)
	}
	if err := os.Chdir(filepath.Dir(name)); err != nil {
		return fail("%v", err)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	start := time.Now()
	interp := &dsl.Interpreter{Session: dsl.NewSession(newRegistry(), dsl.Options{})}
	runErr := notebook.Execute(ctx, nb, interp)
	if err := os.Chdir(wd); err != nil {
		return fail("%v", err)
	}
	data, err := nb.Write()
	if err != nil {
		return fail("%v", err)
	}
	if out == "-" {
		_, err = stdout.Write(data)
	} else {
		err = os.WriteFile(out, data, 0o644)
	}
	if err != nil {
		return fail("%v", err)
	}
	var cellErr *notebook.CellError
	if errors.As(runErr, &cellErr) {
		fmt.Fprintf(stderr, "%s: %v\n", name, cellErr)
		for _, l := range cellErr.Err.Traceback {
			fmt.Fprintln(stderr, l)
		}
		fmt.Fprintf(stderr, "the notebook, with the error in cell %d, is in %s\n", cellErr.Index, out)
		return 1
	}
	if runErr != nil {
		return fail("%s: %v", name, runErr)
	}
	if out != "-" {
		fmt.Fprintf(stderr, "reckon run: executed %s in %.1fs; wrote %s\n", name, time.Since(start).Seconds(), out)
	}
	return 0
}
