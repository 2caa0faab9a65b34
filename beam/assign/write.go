package assign

import (
	"bufio"
	"cmp"
	"context"
	"encoding/binary"
	"fmt"
	"hash/fnv"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/io/filesystem"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/register"
)

func init() {
	register.DoFn1x2[Batch, int, Batch](&shardFn{})
	register.DoFn3x1[context.Context, int, func(*Batch) bool, error](&writeShardFn{})
	register.Iter1[Batch]()
	register.DoFn4x1[context.Context, []byte, func(*string, *int) bool, func(*BadRow) bool, error](&summaryFn{})
	register.Iter2[string, int]()
	register.Iter1[BadRow]()
}

// ShardName is the name of shard i of n under prefix, as Beam's file
// sinks name them: PREFIX-00003-of-00008.csv.
func ShardName(prefix string, i, n int) string {
	return fmt.Sprintf("%s-%05d-of-%05d.csv", prefix, i, n)
}

// SummaryName is the file of the rows per cluster under prefix.
func SummaryName(prefix string) string { return prefix + "-summary.csv" }

// ErrorsName is the file of the dead letters under prefix.
func ErrorsName(prefix string) string { return prefix + "-errors.csv" }

// writeRows writes the labelled rows' batches to n shards under prefix.
func writeRows(s beam.Scope, prefix string, n int, rows beam.PCollection) {
	s = s.Scope("WriteRows")
	keyed := beam.ParDo(s, &shardFn{Shards: n}, rows)
	beam.ParDo0(s, &writeShardFn{Prefix: prefix, Shards: n}, beam.GroupByKey(s, keyed))
}

// shardFn keys a batch by its shard, a hash of its file and place, so
// that a file's batches spread over the shards.
type shardFn struct{ Shards int }

func (f *shardFn) ProcessElement(b Batch) (int, Batch) {
	h := fnv.New64a()
	io.WriteString(h, b.File)
	h.Write(binary.LittleEndian.AppendUint64(nil, uint64(b.Index)))
	return int(h.Sum64() % uint64(f.Shards)), b
}

// writeShardFn writes one shard: the header, then its batches' rows. The
// shard is written whole by one call, so a retry rewrites the same file;
// a shard no batch went to is not written.
type writeShardFn struct {
	Prefix string
	Shards int
}

func (f *writeShardFn) ProcessElement(ctx context.Context, shard int, batches func(*Batch) bool) error {
	name := ShardName(f.Prefix, shard, f.Shards)
	return create(ctx, name, func(w *bufio.Writer) error {
		var b Batch
		var header, from string
		for batches(&b) {
			switch {
			case from == "":
				header, from = b.Header, b.File
				w.WriteString(header + "\n")
			case b.Header != header:
				return fmt.Errorf("%s gives the columns %s but %s gives %s: the inputs of one job must have the same columns", from, header, b.File, b.Header)
			}
			if _, err := w.WriteString(b.Rows); err != nil {
				return err
			}
		}
		return nil
	})
}

// writeSummary writes the rows per cluster and the dead letters, each
// sorted, once every row is assigned; both files are written even when
// empty, so that "no bad rows" is a file with a header only.
func writeSummary(s beam.Scope, prefix string, counts, bad beam.PCollection) {
	s = s.Scope("WriteSummary")
	beam.ParDo0(s, &summaryFn{Prefix: prefix}, beam.Impulse(s), beam.SideInput{Input: counts}, beam.SideInput{Input: bad})
}

type summaryFn struct{ Prefix string }

func (f *summaryFn) ProcessElement(ctx context.Context, _ []byte, counts func(*string, *int) bool, bad func(*BadRow) bool) error {
	type count struct {
		key     string
		cluster float64
		rows    int
	}
	var cs []count
	var k string
	var n int
	for counts(&k, &n) {
		c, _ := strconv.ParseFloat(k[:strings.IndexByte(k+",", ',')], 64)
		cs = append(cs, count{k, c, n})
	}
	slices.SortFunc(cs, func(a, b count) int { return cmp.Or(cmp.Compare(a.cluster, b.cluster), strings.Compare(a.key, b.key)) })
	err := create(ctx, SummaryName(f.Prefix), func(w *bufio.Writer) error {
		w.WriteString("cluster,name,rows\n")
		for _, c := range cs {
			fmt.Fprintf(w, "%s,%d\n", c.key, c.rows)
		}
		return nil
	})
	if err != nil {
		return err
	}
	// The dead letters are few, or the job has a problem bigger than
	// sorting them: they are sorted in memory.
	var ds []BadRow
	var d BadRow
	for bad(&d) {
		ds = append(ds, d)
	}
	slices.SortFunc(ds, func(a, b BadRow) int { return cmp.Or(strings.Compare(a.File, b.File), cmp.Compare(a.Line, b.Line)) })
	return create(ctx, ErrorsName(f.Prefix), func(w *bufio.Writer) error {
		w.WriteString("file,line,error\n")
		for _, d := range ds {
			w.WriteString(csvLine(d.File, strconv.Itoa(d.Line), d.Error) + "\n")
		}
		return nil
	})
}

// create writes the file name through Beam's filesystem with write.
func create(ctx context.Context, name string, write func(*bufio.Writer) error) error {
	fs, err := filesystem.New(ctx, name)
	if err != nil {
		return err
	}
	defer fs.Close()
	f, err := fs.OpenWrite(ctx, name)
	if err != nil {
		return err
	}
	w := bufio.NewWriterSize(f, 1<<20)
	if err := write(w); err != nil {
		f.Close()
		return fmt.Errorf("%s: %w", name, err)
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return fmt.Errorf("%s: %w", name, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	return nil
}
