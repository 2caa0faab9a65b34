package assign

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"path"
	"strings"
	"sync/atomic"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/io/fileio"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/io/filesystem"
	_ "github.com/apache/beam/sdks/v2/go/pkg/beam/io/filesystem/local" // local paths always work
	"github.com/apache/beam/sdks/v2/go/pkg/beam/register"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/transforms/stats"

	"github.com/reckon-dev/reckon/analysis/frame"
	"github.com/reckon-dev/reckon/analysis/pipeline"
)

func init() {
	register.DoFn5x1[context.Context, fileio.ReadableFile, func(Batch), func(string, int), func(BadRow), error](&assignFn{})
	register.Emitter1[Batch]()
	register.Emitter2[string, int]()
	register.Emitter1[BadRow]()
}

// Options say which model Apply runs, on which files, and where it
// writes.
type Options struct {
	// Model is the model file, saved by save() or pipeline.Save.
	Model string
	// Input is a glob of the files to assign, as Beam's filesystem
	// matches it: "data/tracks-*.csv", "gs://bucket/tracks-*.parquet".
	Input string
	// Output is the prefix of the files written: PREFIX-SSSSS-of-NNNNN.csv
	// hold the labelled rows, PREFIX-summary.csv the rows per cluster and
	// PREFIX-errors.csv the bad rows.
	Output string
	// Format is "csv", "tsv" or "parquet". Empty tells each file's format
	// by its name, as `reckon apply` does: .parquet is Parquet, .tsv and
	// .tab are tab-separated, anything else is CSV; a .gz suffix is read
	// through gzip.
	Format string
	// Shards is the number of files the labelled rows are written to. 0
	// means as many as the files Input matches when the job is built.
	Shards int
	// BatchRows is the number of rows assigned at a time, as `reckon
	// apply --batch`; 0 means its default, 8,192.
	BatchRows int
	// Stop fails the job at the first bad row, naming its file and line,
	// instead of sending it to the dead letters.
	Stop bool
}

// Result holds the collections Apply makes, for pipelines that go on
// from them.
type Result struct {
	// Rows are the labelled rows, as Batch.
	Rows beam.PCollection
	// Counts are the rows per cluster, summed: KV<string, int> whose key
	// is the CSV of the cluster and its name ("0,first").
	Counts beam.PCollection
	// Bad are the dead letters, as BadRow.
	Bad beam.PCollection
}

// Batch is one batch of labelled rows of an input file, as `reckon
// apply` writes it.
type Batch struct {
	// File is the input file the rows come from.
	File string
	// Index is the batch's place among its file's batches, from 0.
	Index int
	// Header is the CSV header of the labelled rows, without its newline.
	Header string
	// Rows are CSV records, each ending in a newline.
	Rows string
}

// BadRow is a dead letter: a row that could not be assigned.
type BadRow struct {
	File  string
	Line  int
	Error string
}

// Apply adds to s the reading of the files o.Input matches, their
// assignment to the clusters of o.Model, and the writing of the labelled
// rows, the counts per cluster and the dead letters under o.Output.
// Building the job lists o.Input once (when o.Shards is 0) and fails if
// nothing matches.
func Apply(ctx context.Context, s beam.Scope, o Options) (Result, error) {
	switch {
	case o.Model == "":
		return Result{}, errors.New("no model: give the model file saved by save()")
	case o.Input == "":
		return Result{}, errors.New("no input: give a pattern of the files to assign")
	case o.Output == "":
		return Result{}, errors.New("no output: give the prefix of the files to write")
	case o.Format != "" && o.Format != "csv" && o.Format != "tsv" && o.Format != "parquet":
		return Result{}, fmt.Errorf("the format must be csv, tsv or parquet, not %q", o.Format)
	case o.Shards < 0 || o.BatchRows < 0:
		return Result{}, errors.New("the number of shards and the batch size must not be negative")
	}
	// An unregistered scheme (gs:// without the gcs filesystem) is an
	// error here rather than the panic of Beam's checks below.
	for _, name := range []string{o.Model, o.Input, o.Output} {
		fs, err := filesystem.New(ctx, name)
		if err != nil {
			return Result{}, err
		}
		fs.Close()
	}
	if o.Shards == 0 {
		names, err := list(ctx, o.Input)
		if err != nil {
			return Result{}, err
		}
		o.Shards = len(names)
	}
	s = s.Scope("reckon.Apply")
	files := fileio.ReadMatches(s, fileio.MatchFiles(s, o.Input, fileio.MatchEmptyDisallow()))
	// A runner may fuse the match with what follows and run every file in
	// one bundle: the reshuffle spreads the files over the workers.
	files = beam.Reshuffle(s, files)
	rows, counts, bad := beam.ParDo3(s, &assignFn{Model: o.Model, Format: o.Format, BatchRows: o.BatchRows, Stop: o.Stop}, files)
	counts = stats.SumPerKey(s, counts)
	writeRows(s, o.Output, o.Shards, rows)
	writeSummary(s, o.Output, counts, bad)
	return Result{Rows: rows, Counts: counts, Bad: bad}, nil
}

// list returns the files pattern matches, failing when there is none.
func list(ctx context.Context, pattern string) ([]string, error) {
	fs, err := filesystem.New(ctx, pattern)
	if err != nil {
		return nil, err
	}
	defer fs.Close()
	names, err := fs.List(ctx, pattern)
	if err != nil {
		return nil, fmt.Errorf("listing %s: %w", pattern, err)
	}
	if len(names) == 0 {
		return nil, fmt.Errorf("no file matches %s", pattern)
	}
	return names, nil
}

// Open loads the model file at name through Beam's filesystem, so that
// gs:// and the other registered schemes work as local paths do.
func Open(ctx context.Context, name string) (*pipeline.Pipeline, error) {
	fs, err := filesystem.New(ctx, name)
	if err != nil {
		return nil, err
	}
	defer fs.Close()
	r, err := fs.OpenRead(ctx, name)
	if err != nil {
		return nil, err
	}
	defer r.Close()
	b, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	p, err := pipeline.Load(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return p, nil
}

// format is the format a file is read in: the one asked for, or the one
// its name tells.
func format(asked, name string) string {
	if asked != "" {
		return asked
	}
	switch strings.ToLower(path.Ext(strings.TrimSuffix(strings.ToLower(name), ".gz"))) {
	case ".parquet":
		return "parquet"
	case ".tsv", ".tab":
		return "tsv"
	}
	return "csv"
}

var (
	assigned = beam.NewCounter("reckon", "rows")
	skipped  = beam.NewCounter("reckon", "bad_rows")
	unseen   = beam.NewCounter("reckon", "unseen_category_rows")
)

// assignFn assigns whole files with the model it loads in Setup.
type assignFn struct {
	Model     string
	Format    string
	BatchRows int
	Stop      bool

	p *pipeline.Pipeline
}

// Setup loads the model and rebuilds its neighbour index and condensed
// tree once for the DoFn instance, which the runner reuses for bundle
// after bundle: never once per file or row.
func (f *assignFn) Setup(ctx context.Context) error {
	p, err := Open(ctx, f.Model)
	if err != nil {
		return err
	}
	if err := p.Restore(ctx); err != nil {
		return fmt.Errorf("%s: %w", f.Model, err)
	}
	f.p = p
	loads.Add(1)
	return nil
}

// loads counts the models Setup loaded in this process, for the tests.
var loads atomic.Int64

// ProcessElement assigns one input file with the code of `reckon apply`,
// emitting each batch of labelled rows, the rows per cluster of each
// batch and the dead letters.
func (f *assignFn) ProcessElement(ctx context.Context, file fileio.ReadableFile, emit func(Batch), count func(string, int), bad func(BadRow)) error {
	name := file.Metadata.Path
	b := &batcher{file: name, emit: emit, count: count}
	opts := pipeline.ApplyOptions{BatchRows: f.BatchRows, Skip: !f.Stop}
	// Apply calls Progress after every batch it writes: what it wrote
	// since is one batch.
	var flushErr error
	opts.Progress = func(int) {
		if flushErr == nil {
			flushErr = b.flush()
		}
	}
	opts.OnSkip = func(err error) {
		skipped.Inc(ctx, 1)
		d := BadRow{File: name, Error: err.Error()}
		var re *pipeline.RowError
		if errors.As(err, &re) {
			d.Line, d.Error = re.Line, re.Err.Error()
		}
		bad(d)
	}
	var st pipeline.ApplyStats
	switch form := format(f.Format, name); form {
	case "parquet":
		// Parquet keeps its row groups' index at the end: it is read
		// whole, as `reckon apply` and Beam's parquetio read it.
		data, err := file.Read(ctx)
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		fr, err := frame.ReadParquetFrom(ctx, bytes.NewReader(data), int64(len(data)), name, frame.ParquetOptions{})
		if err != nil {
			return err
		}
		if st, err = f.p.ApplyFrame(ctx, fr, name, b, true, opts); err != nil {
			return err
		}
	default:
		r, err := file.Open(ctx)
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		defer r.Close()
		if form == "tsv" {
			opts.Sep = '\t'
		}
		if st, err = f.p.Apply(ctx, r, name, b, true, opts); err != nil {
			return err
		}
	}
	if flushErr != nil {
		return flushErr
	}
	assigned.Inc(ctx, int64(st.Rows))
	unseen.Inc(ctx, int64(st.Unseen))
	return b.flush()
}

// batcher is the writer Apply writes a file's labelled rows to: it
// keeps what was written until flush makes it a Batch.
type batcher struct {
	file   string
	emit   func(Batch)
	count  func(string, int)
	buf    bytes.Buffer
	header string
	index  int
	// cluster and name are the positions of those columns.
	cluster, name int
}

func (b *batcher) Write(p []byte) (int, error) { return b.buf.Write(p) }

// flush emits what was written since the last flush as a Batch, with
// its rows per cluster. The first write of a file begins with the header.
func (b *batcher) flush() error {
	data := b.buf.Bytes()
	defer b.buf.Reset()
	if b.header == "" && len(data) > 0 {
		r := csv.NewReader(bytes.NewReader(data))
		head, err := r.Read()
		if err != nil {
			return fmt.Errorf("%s: reading the labelled rows' header: %w", b.file, err)
		}
		b.cluster, b.name = -1, -1
		for j, h := range head {
			switch h {
			case "cluster":
				b.cluster = j
			case "name":
				b.name = j
			}
		}
		if b.cluster < 0 || b.name < 0 {
			return fmt.Errorf("%s: the labelled rows have no cluster or name column: %s", b.file, strings.Join(head, ","))
		}
		off := r.InputOffset()
		b.header = strings.TrimSuffix(string(data[:off]), "\n")
		data = data[off:]
	}
	if len(data) == 0 {
		return nil
	}
	r := csv.NewReader(bytes.NewReader(data))
	r.ReuseRecord = true
	counts := map[string]int{}
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return fmt.Errorf("%s: reading back the labelled rows: %w", b.file, err)
		}
		counts[csvLine(rec[b.cluster], rec[b.name])]++
	}
	for k, n := range counts {
		b.count(k, n)
	}
	b.emit(Batch{File: b.file, Index: b.index, Header: b.header, Rows: string(data)})
	b.index++
	return nil
}

// csvLine is fields as one CSV record, without its newline.
func csvLine(fields ...string) string {
	var s strings.Builder
	w := csv.NewWriter(&s)
	_ = w.Write(fields) // a strings.Builder does not fail
	w.Flush()
	return strings.TrimSuffix(s.String(), "\n")
}
