package frame

import (
	"bufio"
	"context"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/reckon-dev/reckon/internal/cputime"
)

// benchTable is a table like writeLargeCSV's: an integer id, eight
// numeric columns, a categorical and a boolean one, with a few gaps.
func benchTable(rows int) (*Frame, error) {
	rng := rand.New(rand.NewPCG(1, 2))
	genres := []string{"rock", "jazz", "pop", "folk", "metal", "blues", "soul", "punk", "house", "techno", "ambient", "classical"}
	cols := []*Column{}
	id := make([]float64, rows)
	for i := range id {
		id[i] = float64(i)
	}
	cols = append(cols, NewNumeric("id", id))
	for j := 0; j < 8; j++ {
		x := make([]float64, rows)
		for i := range x {
			// Seven significant digits, as writeLargeCSV writes.
			v, _ := strconv.ParseFloat(strconv.FormatFloat(rng.NormFloat64()*float64(j+1), 'g', 7, 64), 64)
			x[i] = v
		}
		cols = append(cols, NewNumeric("x"+strconv.Itoa(j), x))
	}
	genre := make([]string, rows)
	live := make([]bool, rows)
	valid := make([]bool, rows)
	for i := range genre {
		genre[i] = genres[rng.IntN(len(genres))]
		live[i] = rng.IntN(2) == 0
		valid[i] = rng.IntN(50) != 0
	}
	g, err := NewCategorical("genre", genre, valid)
	if err != nil {
		return nil, err
	}
	l, err := NewBoolean("live", live, nil)
	if err != nil {
		return nil, err
	}
	return New(append(cols, g, l)...)
}

// peakHeap samples the live heap every millisecond until stop is called,
// which returns the highest figure seen, in bytes.
func peakHeap() (stop func() uint64) {
	sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	var peak uint64
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		tick := time.NewTicker(time.Millisecond)
		defer tick.Stop()
		for {
			metrics.Read(sample)
			peak = max(peak, sample[0].Value.Uint64())
			select {
			case <-done:
				return
			case <-tick.C:
			}
		}
	}()
	return func() uint64 {
		close(done)
		wg.Wait()
		metrics.Read(sample)
		return max(peak, sample[0].Value.Uint64())
	}
}

// BenchmarkLoadParquetVsCSV loads the same table of RECKON_FRAME_BENCH_ROWS
// rows (a million unless set) from a CSV file and from a Parquet file
// written by WriteParquet, and reports each one's speed in MB/s of its own
// file, in million rows per second, and the peak of the live heap during
// the load (sampled every millisecond) in MB, and the processor time a load
// takes (a fairer figure than the wall time on a busy machine).
//
//	go test -run '^$' -bench LoadParquetVsCSV -benchtime 5x ./analysis/frame/
func BenchmarkLoadParquetVsCSV(b *testing.B) {
	rows := 1_000_000
	if s := os.Getenv("RECKON_FRAME_BENCH_ROWS"); s != "" {
		v, err := strconv.Atoi(s)
		if err != nil {
			b.Fatalf("RECKON_FRAME_BENCH_ROWS=%q: %v", s, err)
		}
		rows = v
	}
	table, err := benchTable(rows)
	if err != nil {
		b.Fatal(err)
	}
	dir := b.TempDir()
	paths := map[string]string{"csv": filepath.Join(dir, "t.csv"), "parquet": filepath.Join(dir, "t.parquet")}
	for format, path := range paths {
		file, err := os.Create(path)
		if err != nil {
			b.Fatal(err)
		}
		w := bufio.NewWriterSize(file, 1<<20)
		write := table.WriteCSV
		if format == "parquet" {
			write = table.WriteParquet
		}
		if err := write(w); err != nil {
			b.Fatal(err)
		}
		if err := w.Flush(); err != nil {
			b.Fatal(err)
		}
		if err := file.Close(); err != nil {
			b.Fatal(err)
		}
	}
	table = nil
	load := map[string]func(ctx context.Context, path string) (*Frame, error){
		"csv": func(ctx context.Context, path string) (*Frame, error) { return Read(ctx, path, ReadOptions{}) },
		"parquet": func(ctx context.Context, path string) (*Frame, error) {
			return ReadParquet(ctx, path, ParquetOptions{})
		},
	}
	for _, format := range []string{"csv", "parquet"} {
		b.Run(format, func(b *testing.B) {
			st, err := os.Stat(paths[format])
			if err != nil {
				b.Fatal(err)
			}
			b.SetBytes(st.Size())
			var peak uint64
			var cpu time.Duration
			for b.Loop() {
				b.StopTimer()
				runtime.GC()
				debug.FreeOSMemory()
				stop := peakHeap()
				b.StartTimer()
				cpu0 := cputime.Used()
				f, err := load[format](context.Background(), paths[format])
				cpu += cputime.Used() - cpu0
				b.StopTimer()
				peak = max(peak, stop())
				if err != nil {
					b.Fatal(err)
				}
				if f.NumRows() != rows {
					b.Fatalf("read %d rows, want %d", f.NumRows(), rows)
				}
				runtime.KeepAlive(f)
				b.StartTimer()
			}
			b.ReportMetric(float64(rows)*float64(b.N)/b.Elapsed().Seconds()/1e6, "Mrows/s")
			b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MB")
			b.ReportMetric(float64(st.Size())/(1<<20), "file-MB")
			b.ReportMetric(cpu.Seconds()/float64(b.N), "cpu-s/op")
		})
	}
}
