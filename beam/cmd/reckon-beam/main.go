// Command reckon-beam applies a saved Reckon model to sharded CSV or
// Parquet files on Apache Beam, with the code of `reckon apply`:
//
//	reckon-beam --model tracks.reckon --input 'data/tracks-*.csv' --output out/tracks \
//	    [--format csv|tsv|parquet] [--num_shards N] [--batch N] [--on_error skip|stop] [runner flags]
//
// It writes out/tracks-SSSSS-of-NNNNN.csv (the labelled rows),
// out/tracks-summary.csv (rows per cluster) and out/tracks-errors.csv (the
// bad rows: file, line, error). Without --runner it runs on Prism, Beam's
// runner inside this process; the README says how to run it on Dataflow,
// Flink and Spark. Package assign tells the story.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"strings"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/x/beamx"

	"github.com/reckon-dev/reckon/beam/assign"
)

var (
	model   = flag.String("model", "", "the model file saved by save() (local, gs://...)")
	input   = flag.String("input", "", "a pattern of the files to assign, e.g. 'gs://bucket/tracks-*.csv'")
	output  = flag.String("output", "", "the prefix of the files written")
	format  = flag.String("format", "", "csv, tsv or parquet (default: by each file's extension, as reckon apply)")
	shards  = flag.Int("num_shards", 0, "files the labelled rows are written to (default: as many as the input files)")
	batch   = flag.Int("batch", 0, "rows assigned at a time, as reckon apply --batch (0: 8192)")
	onError = flag.String("on_error", "skip", "what a bad row does: skip (to the dead letters in PREFIX-errors.csv) or stop the job")
)

func main() {
	flag.Parse()
	// On a remote runner this binary is also the worker: Init turns it
	// into one there and returns here on the launching machine.
	beam.Init()
	if err := run(context.Background()); err != nil {
		fmt.Fprintf(os.Stderr, "reckon-beam: %v\n", err)
		os.Exit(1)
	}
}

func run(ctx context.Context) error {
	if *onError != "skip" && *onError != "stop" {
		return fmt.Errorf("--on_error must be skip or stop, not %q", *onError)
	}
	if *model == "" {
		return fmt.Errorf("no --model: give the model file saved by save()")
	}
	// A model that does not load fails here, in one sentence, not on
	// every worker.
	if _, err := assign.Open(ctx, *model); err != nil {
		return err
	}
	p, s := beam.NewPipelineWithRoot()
	o := assign.Options{Model: *model, Input: *input, Output: *output, Format: *format, Shards: *shards, BatchRows: *batch, Stop: *onError == "stop"}
	if _, err := assign.Apply(ctx, s, o); err != nil {
		return err
	}
	res, err := beamx.RunWithMetrics(ctx, p)
	if err != nil {
		// The runner has logged the whole chain; its last line is the
		// cause, the one sentence worth repeating.
		msg := strings.TrimSpace(err.Error())
		cause := msg[strings.LastIndex(msg, "\n")+1:]
		return fmt.Errorf("the job failed: %s", cause)
	}
	if res == nil {
		return nil // an asynchronous runner: the job goes on without us
	}
	fmt.Fprintln(os.Stderr, assign.TotalsOf(res.Metrics()).Report(*output))
	return nil
}
