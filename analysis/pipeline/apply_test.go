package pipeline

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/reckon-dev/reckon/analysis/frame"
)

// TestApplyStreams checks that Apply in one batch writes what Assign
// writes, and that smaller batches assign the same clusters (UMAP's
// transform refines a batch's points together, so their coordinates can
// differ in the last digits).
func TestApplyStreams(t *testing.T) {
	ctx := context.Background()
	train, _ := blobs(600, 1)
	p, _ := fitted(t, train)
	fresh, _ := blobs(300, 5)
	res, err := p.Assign(ctx, fresh)
	must(t, err)
	want := csvOf(t, res.Table)
	in := csvOf(t, fresh)

	var out bytes.Buffer
	st, err := p.Apply(ctx, strings.NewReader(in), "fresh.csv", &out, true, ApplyOptions{})
	must(t, err)
	if st.Rows != 300 || out.String() != want {
		t.Errorf("one batch: %d rows, same bytes as Assign: %v", st.Rows, out.String() == want)
	}
	out.Reset()
	batches := 0
	_, err = p.Apply(ctx, strings.NewReader(in), "fresh.csv", &out, true, ApplyOptions{BatchRows: 64, Progress: func(int) { batches++ }})
	must(t, err)
	if batches != 5 {
		t.Errorf("300 rows in batches of 64 made %d batches, want 5", batches)
	}
	clusters := func(s string) []string {
		var c []string
		for _, line := range strings.Split(strings.TrimSpace(s), "\n")[1:] {
			c = append(c, strings.Split(line, ",")[1])
		}
		return c
	}
	a, b := clusters(want), clusters(out.String())
	same := 0
	for i := range a {
		if a[i] == b[i] {
			same++
		}
	}
	if same < len(a)*99/100 {
		t.Errorf("batches of 64 assign %d of %d rows as one batch does", same, len(a))
	}

	var re *RowError
	_, err = p.Apply(ctx, strings.NewReader("id,kind,f1,f2,f3,f4\nx,a,1,2,3,4\ny,a,1,oops,3,4\n"), "in.csv", io.Discard, true, ApplyOptions{})
	if !errors.As(err, &re) || re.Line != 3 || !strings.Contains(err.Error(), `in.csv:3: column "f2" holds "oops"`) {
		t.Errorf("a bad row: %v", err)
	}
}

// rowSource generates n rows of CSV in the planted groups, without
// holding them: an input of any size in constant memory.
type rowSource struct {
	n, i int
	buf  []byte
}

func (r *rowSource) Read(p []byte) (int, error) {
	for len(r.buf) < len(p) && r.i <= r.n {
		if r.i == 0 {
			r.buf = append(r.buf, "id,kind,f1,f2,f3,f4\n"...)
		} else {
			g := planted[r.i%len(planted)]
			jit := float64(r.i%7)/7 - 0.5
			r.buf = fmt.Appendf(r.buf, "r%d,%s,%g,%g,%g,%g\n", r.i, []string{"a", "b", "c", "a"}[r.i%len(planted)], g[0]+jit, g[1]-jit, g[2]+jit/2, g[3])
		}
		r.i++
	}
	if len(r.buf) == 0 {
		return 0, io.EOF
	}
	n := copy(p, r.buf)
	r.buf = r.buf[n:]
	return n, nil
}

// BenchmarkApply measures the rows per second Apply assigns, in batches
// of 8,192, with a tracks-sized model (4 features, 600 training rows).
func BenchmarkApply(b *testing.B) {
	train, _ := blobs(600, 1)
	p, _ := fitted(b, train)
	must(b, p.Restore(context.Background()))
	const rows = 20000
	b.ResetTimer()
	for range b.N {
		if _, err := p.Apply(context.Background(), &rowSource{n: rows}, "gen", io.Discard, true, ApplyOptions{}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(rows*b.N)/b.Elapsed().Seconds(), "rows/s")
}

// BenchmarkApplyMemory reports the peak heap while applying inputs of
// growing size: it stays that of the model and one batch.
func BenchmarkApplyMemory(b *testing.B) {
	train, _ := blobs(600, 1)
	p, _ := fitted(b, train)
	must(b, p.Restore(context.Background()))
	for _, rows := range []int{20000, 200000} {
		b.Run(fmt.Sprint(rows), func(b *testing.B) {
			var peak atomic.Uint64
			stop := make(chan struct{})
			done := make(chan struct{})
			go func() {
				defer close(done)
				var ms runtime.MemStats
				for {
					runtime.ReadMemStats(&ms)
					if ms.HeapAlloc > peak.Load() {
						peak.Store(ms.HeapAlloc)
					}
					select {
					case <-stop:
						return
					case <-time.After(5 * time.Millisecond):
					}
				}
			}()
			for range b.N {
				if _, err := p.Apply(context.Background(), &rowSource{n: rows}, "gen", io.Discard, true, ApplyOptions{}); err != nil {
					b.Fatal(err)
				}
			}
			close(stop)
			<-done
			b.ReportMetric(float64(peak.Load())/(1<<20), "peak-heap-MiB")
		})
	}
}

// TestApplyBadRows checks that a row missing a value the model needs (a
// column it does not impute) is a bad row located by its line, or by its
// row number in a Parquet file, stopped at or skipped and counted, and
// that a Parquet file streamed a row group at a time gives the same
// bytes as the table applied at once, through a Parquet sink too.
func TestApplyBadRows(t *testing.T) {
	ctx := context.Background()
	train, _ := nested(t, 600, 3)
	p, _ := fittedTree(t, train)
	if got := p.required(); strings.Join(got, ",") != "f1,f2,f3,f4" {
		t.Errorf("required columns %v, want f1 to f4", got)
	}
	in := "id,f1,f2,f3,f4\nx,1,2,3,4\ny,1,,3,4\nz,30,1,1,1\n"
	var re *RowError
	_, err := p.Apply(ctx, strings.NewReader(in), "in.csv", io.Discard, true, ApplyOptions{})
	if !errors.As(err, &re) || re.Line != 3 || !strings.Contains(err.Error(), `in.csv:3: column "f2" has no value`) {
		t.Errorf("a row missing a value: %v", err)
	}
	var skipped []string
	st, err := p.Apply(ctx, strings.NewReader(in), "in.csv", io.Discard, true, ApplyOptions{Skip: true, OnSkip: func(err error) { skipped = append(skipped, err.Error()) }})
	must(t, err)
	if st.Rows != 2 || st.Skipped != 1 || len(skipped) != 1 || !strings.HasPrefix(skipped[0], "in.csv:3:") {
		t.Errorf("skipping: %+v, told %q", st, skipped)
	}

	fresh, _ := nested(t, 300, 9)
	f2, _ := fresh.Column("f2")
	v := f2.Float64s()
	v[200] = math.NaN()
	cols := fresh.Columns()
	cols[2] = frame.NewNumeric("f2", v)
	withGap, err := frame.New(cols...)
	must(t, err)
	path := filepath.Join(t.TempDir(), "fresh.parquet")
	file, err := os.Create(path)
	must(t, err)
	must(t, withGap.WriteParquet(file))
	must(t, file.Close())
	_, err = p.ApplyParquet(ctx, path, "fresh.parquet", io.Discard, true, ApplyOptions{})
	if !errors.As(err, &re) || re.Row != 201 || !strings.Contains(err.Error(), `fresh.parquet: row 201: column "f2" has no value`) {
		t.Errorf("a Parquet row missing a value: %v", err)
	}
	var streamed, whole bytes.Buffer
	st, err = p.ApplyParquet(ctx, path, "fresh.parquet", &streamed, true, ApplyOptions{Skip: true})
	must(t, err)
	if st.Rows != 299 || st.Skipped != 1 {
		t.Errorf("a Parquet file, skipping: %+v", st)
	}
	keep := make([]int, 0, 299)
	for i := range 300 {
		if i != 200 {
			keep = append(keep, i)
		}
	}
	rest, err := withGap.Take(keep)
	must(t, err)
	_, err = p.ApplyFrame(ctx, rest, "rest", &whole, true, ApplyOptions{})
	must(t, err)
	if streamed.String() != whole.String() {
		t.Error("the Parquet file streamed assigns differently from its table at once")
	}
	var pq bytes.Buffer
	var w *frame.ParquetWriter
	_, err = p.ApplyFrame(ctx, rest, "rest", nil, true, ApplyOptions{Sink: func(b *frame.Frame) error {
		if w == nil {
			w = frame.NewParquetWriter(&pq, b)
		}
		return w.Write(b)
	}})
	must(t, err)
	must(t, w.Close())
	back, err := frame.ReadParquetFrom(ctx, bytes.NewReader(pq.Bytes()), int64(pq.Len()), "out.parquet", frame.ParquetOptions{})
	must(t, err)
	if csvOf(t, back) != whole.String() {
		t.Error("the Parquet written through the sink differs from the CSV")
	}
}
