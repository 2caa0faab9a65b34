package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"

	"github.com/reckon-dev/reckon/analysis/frame"
	"github.com/reckon-dev/reckon/internal/synth"
)

// runSynth writes a table with planted structure, for trying the method
// at scale: reckon synth --rows N --seed S -o FILE, as CSV, or as Parquet
// when FILE ends in .parquet.
func runSynth(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("reckon synth", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var s synth.Settings
	fs.IntVar(&s.Rows, "rows", 1_000_000, "rows to make")
	fs.Uint64Var(&s.Seed, "seed", 0, "the seed: the same seed makes the same file")
	fs.IntVar(&s.Features, "features", 20, "numeric features, at most 20")
	fs.IntVar(&s.Groups, "groups", 8, "planted groups")
	fs.IntVar(&s.SplitGroups, "split", 3, "groups that mix two sub-groups (-1 for none)")
	fs.Float64Var(&s.Noise, "noise", 0.02, "share of background rows (-1 for none)")
	out := fs.String("o", "", "the file to write: CSV, Parquet when it ends in .parquet, - for CSV on standard output")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	switch {
	case fs.NArg() > 0:
		fmt.Fprintf(stderr, "reckon synth: unexpected argument %q\n", fs.Arg(0))
		return 2
	case *out == "":
		fmt.Fprint(stderr, "reckon synth: needs -o FILE, the file to write (.csv or .parquet; - for CSV on standard output)\n")
		return 2
	case s.Rows < 1:
		// Settings would read 0 as the default.
		fmt.Fprintf(stderr, "reckon synth: rows must be at least 1, not %d\n", s.Rows)
		return 2
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	t, err := synth.Generate(ctx, s)
	if err != nil {
		fmt.Fprintf(stderr, "reckon synth: %v\n", err)
		return 2
	}
	if *out == "-" {
		if err := t.WriteCSV(ctx, stdout); err != nil {
			fmt.Fprintf(stderr, "reckon synth: %v\n", err)
			return 1
		}
		return 0
	}
	if err := writeFile(ctx, *out, t); err != nil {
		fmt.Fprintf(stderr, "reckon synth: %v\n", err)
		return 1
	}
	fmt.Fprintf(stdout, "wrote %d rows × %d columns to %s\n", t.Rows, len(t.Names)+2, *out)
	return 0
}

// writeFile writes the table to path, as Parquet when the name ends in
// .parquet and as CSV otherwise, leaving no partial file behind.
func writeFile(ctx context.Context, path string, t *synth.Table) error {
	write := t.WriteCSV
	if strings.EqualFold(filepath.Ext(path), ".parquet") {
		write = func(ctx context.Context, w io.Writer) error { return writeParquet(ctx, w, t) }
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	err = write(ctx, f)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(path)
	}
	return err
}

// writeParquet writes the table as Parquet with the columns and values of
// its CSV: group and subgroup as text, the features as doubles rounded as
// the CSV writes them, so both files load to the same table.
func writeParquet(ctx context.Context, w io.Writer, t *synth.Table) error {
	groups, subs := make([]string, t.Rows), make([]string, t.Rows)
	for i := range t.Rows {
		groups[i], subs[i] = synth.GroupName(t.Group[i]), t.SubGroupName(i)
	}
	g, err := frame.NewCategorical("group", groups, nil)
	if err != nil {
		return err
	}
	sg, err := frame.NewCategorical("subgroup", subs, nil)
	if err != nil {
		return err
	}
	cols := []*frame.Column{g, sg}
	for j, name := range t.Names {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		v := make([]float64, t.Rows)
		for i := range v {
			v[i] = t.Written(i, j)
		}
		cols = append(cols, frame.NewNumeric(name, v))
	}
	f, err := frame.New(cols...)
	if err != nil {
		return err
	}
	if err := f.WriteParquet(w); err != nil {
		return fmt.Errorf("writing the table: %w", err)
	}
	return nil
}
