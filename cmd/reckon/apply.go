package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"

	"github.com/reckon-dev/reckon/analysis/frame"
	"github.com/reckon-dev/reckon/analysis/pipeline"
)

// runApply is `reckon apply MODEL INPUT... [-o OUTPUT] [--on-error=skip|stop]`:
// it assigns the rows of CSV, TSV or Parquet files ("-" is standard input,
// as CSV) to the clusters of a saved model, in batches (a Parquet file a
// row group at a time), and writes one CSV or, when OUTPUT ends in
// .parquet, one Parquet file.
func runApply(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("reckon apply", flag.ContinueOnError)
	fs.SetOutput(stderr)
	output := fs.String("o", "", "write to `OUTPUT` instead of standard output")
	onError := fs.String("on-error", "stop", "what a bad row does: stop, or skip (counted and reported)")
	batch := fs.Int("batch", 0, "rows assigned at a time (0: 8192)")
	if err := fs.Parse(reorder(args)); err != nil {
		return 2
	}
	if fs.NArg() < 2 {
		fmt.Fprint(stderr, "reckon apply: needs a model file and at least one input (- reads standard input)\nusage: reckon apply MODEL INPUT... [-o OUTPUT] [--on-error=skip|stop]\n")
		return 2
	}
	if *onError != "stop" && *onError != "skip" {
		fmt.Fprintf(stderr, "reckon apply: --on-error must be stop or skip, not %q\n", *onError)
		return 2
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	p, err := pipeline.Open(fs.Arg(0))
	if err != nil {
		fmt.Fprintf(stderr, "reckon apply: %v\n", err)
		return 1
	}
	out := stdout
	var file *os.File
	toParquet := strings.ToLower(filepath.Ext(*output)) == ".parquet"
	rename := false
	if st, err := os.Stat(*output); *output != "" && (err != nil || st.Mode().IsRegular()) {
		// A file is written beside its final name and renamed when
		// complete, so that an interrupted run leaves no half file.
		if file, err = os.CreateTemp(filepath.Dir(*output), ".reckon-apply-*"); err != nil {
			fmt.Fprintf(stderr, "reckon apply: %v\n", err)
			return 1
		}
		defer os.Remove(file.Name())
		defer file.Close()
		out, rename = file, true
	} else if *output != "" {
		// A device or a pipe (/dev/null, a FIFO) is written to as it is.
		if file, err = os.OpenFile(*output, os.O_WRONLY, 0); err != nil {
			fmt.Fprintf(stderr, "reckon apply: %v\n", err)
			return 1
		}
		defer file.Close()
		out = file
	}
	// A Parquet output is written a batch at a time, its schema taken from
	// the first batch.
	var pw *frame.ParquetWriter
	sink := func(b *frame.Frame) error {
		if pw == nil {
			var ints []string
			if c, err := b.Column("cluster"); err == nil && c.Kind() == frame.Numeric {
				ints = append(ints, "cluster")
			}
			pw = frame.NewParquetWriter(out, b, ints...)
		}
		return pw.Write(b)
	}
	tty := isTerminal(stderr)
	var total pipeline.ApplyStats
	for i, name := range fs.Args()[1:] {
		in, label := stdin, "<stdin>"
		if name != "-" {
			f, err := os.Open(name)
			if err != nil {
				fmt.Fprintf(stderr, "reckon apply: %v\n", err)
				return 1
			}
			defer f.Close()
			in, label = f, name
		}
		opts := pipeline.ApplyOptions{BatchRows: *batch, Skip: *onError == "skip"}
		if toParquet {
			opts.Sink = sink
		}
		if ext := strings.ToLower(filepath.Ext(name)); ext == ".tsv" || ext == ".tab" {
			opts.Sep = '\t'
		}
		opts.OnSkip = func(err error) { fmt.Fprintf(stderr, "reckon apply: skipped %v\n", err) }
		if tty {
			opts.Progress = func(rows int) { fmt.Fprintf(stderr, "\r%s: %d rows", label, rows) }
		}
		var st pipeline.ApplyStats
		if strings.ToLower(filepath.Ext(name)) == ".parquet" {
			st, err = p.ApplyParquet(ctx, name, label, out, i == 0, opts)
		} else {
			st, err = p.Apply(ctx, in, label, out, i == 0, opts)
		}
		if tty {
			fmt.Fprint(stderr, "\r\033[K")
		}
		total.Rows += st.Rows
		total.Skipped += st.Skipped
		total.Unseen += st.Unseen
		if err != nil {
			var re *pipeline.RowError
			switch {
			case ctx.Err() != nil:
				where := "the rows written so far stay on standard output"
				if *output != "" {
					where = *output + " was not written"
				}
				fmt.Fprintf(stderr, "reckon apply: stopped by a signal after assigning %d rows; %s\n", total.Rows, where)
			case errors.As(err, &re):
				fmt.Fprintf(stderr, "reckon apply: %v (--on-error=skip skips bad rows)\n", err)
			default:
				fmt.Fprintf(stderr, "reckon apply: %v\n", err)
			}
			return 1
		}
	}
	if pw != nil {
		if err := pw.Close(); err != nil {
			fmt.Fprintf(stderr, "reckon apply: %v\n", err)
			return 1
		}
	}
	if file != nil {
		if err := file.Close(); err != nil {
			fmt.Fprintf(stderr, "reckon apply: %v\n", err)
			return 1
		}
		if rename {
			if err := os.Chmod(file.Name(), 0o644); err != nil {
				fmt.Fprintf(stderr, "reckon apply: %v\n", err)
				return 1
			}
			if err := os.Rename(file.Name(), *output); err != nil {
				fmt.Fprintf(stderr, "reckon apply: %v\n", err)
				return 1
			}
		}
	}
	msg := fmt.Sprintf("reckon apply: assigned %d rows", total.Rows)
	if total.Skipped > 0 {
		msg += fmt.Sprintf("; skipped %d bad rows", total.Skipped)
	}
	if total.Unseen > 0 {
		msg += fmt.Sprintf("; %d rows held a category the model was not fitted on (encoded as all zeros)", total.Unseen)
	}
	fmt.Fprintln(stderr, msg)
	return 0
}

// reorder puts flags before the positional arguments, so that
// `reckon apply m.reckon in.csv -o out.csv` parses as users write it.
func reorder(args []string) []string {
	var flags, rest []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "-" || !strings.HasPrefix(a, "-"):
			rest = append(rest, a)
		case a == "--":
			rest = append(rest, args[i+1:]...)
			i = len(args)
		default:
			flags = append(flags, a)
			if !strings.Contains(a, "=") && i+1 < len(args) && (a == "-o" || a == "--o" || a == "-batch" || a == "--batch" || a == "-on-error" || a == "--on-error") {
				flags = append(flags, args[i+1])
				i++
			}
		}
	}
	return append(flags, rest...)
}

// isTerminal reports whether w is a terminal, where progress is shown.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}
