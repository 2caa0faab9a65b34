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

	"github.com/reckon-dev/reckon/analysis/frame"
	"github.com/reckon-dev/reckon/analysis/pipeline"
)

// runApply is `reckon apply MODEL INPUT... [-o OUTPUT] [--on-error=skip|stop]`:
// it assigns the rows of CSV, TSV or Parquet files ("-" is standard input,
// as CSV) to the clusters of a saved model, in batches, and writes one CSV.
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
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	p, err := pipeline.Open(fs.Arg(0))
	if err != nil {
		fmt.Fprintf(stderr, "reckon apply: %v\n", err)
		return 1
	}
	out := stdout
	var file *os.File
	toParquet := strings.ToLower(filepath.Ext(*output)) == ".parquet"
	switch {
	case toParquet:
		// Parquet is written whole at the end: the CSV goes to a
		// temporary file first.
		if file, err = os.CreateTemp("", "reckon-apply-*.csv"); err != nil {
			fmt.Fprintf(stderr, "reckon apply: %v\n", err)
			return 1
		}
		defer os.Remove(file.Name())
		out = file
	case *output != "":
		if file, err = os.Create(*output); err != nil {
			fmt.Fprintf(stderr, "reckon apply: %v\n", err)
			return 1
		}
		out = file
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
		if ext := strings.ToLower(filepath.Ext(name)); ext == ".tsv" || ext == ".tab" {
			opts.Sep = '\t'
		}
		opts.OnSkip = func(err error) { fmt.Fprintf(stderr, "reckon apply: skipped %v\n", err) }
		if tty {
			opts.Progress = func(rows int) { fmt.Fprintf(stderr, "\r%s: %d rows", label, rows) }
		}
		var st pipeline.ApplyStats
		if strings.ToLower(filepath.Ext(name)) == ".parquet" {
			// Parquet is read whole, then assigned in batches.
			var f *frame.Frame
			if f, err = frame.ReadParquet(ctx, name, frame.ParquetOptions{}); err == nil {
				st, err = p.ApplyFrame(ctx, f, label, out, i == 0, opts)
			}
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
			if errors.As(err, &re) {
				fmt.Fprintf(stderr, "reckon apply: %v (--on-error=skip skips bad rows)\n", err)
			} else {
				fmt.Fprintf(stderr, "reckon apply: %v\n", err)
			}
			return 1
		}
	}
	if file != nil {
		if err := file.Close(); err != nil {
			fmt.Fprintf(stderr, "reckon apply: %v\n", err)
			return 1
		}
	}
	if toParquet {
		if err := csvToParquet(ctx, file.Name(), *output); err != nil {
			fmt.Fprintf(stderr, "reckon apply: %v\n", err)
			return 1
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

// csvToParquet rewrites the CSV that apply wrote as a Parquet file.
func csvToParquet(ctx context.Context, from, to string) error {
	f, err := frame.Read(ctx, from, frame.ReadOptions{})
	if err != nil {
		return err
	}
	w, err := os.Create(to)
	if err != nil {
		return err
	}
	if err := f.WriteParquet(w); err != nil {
		w.Close()
		return err
	}
	return w.Close()
}
