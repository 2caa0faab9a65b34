package frame

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strconv"
	"testing"
	"time"

	"github.com/reckon-dev/reckon/internal/cputime"
)

// writeLargeCSV writes about size bytes of CSV: an integer id, eight
// numeric columns, a categorical and a boolean one, about 100 bytes a row.
func writeLargeCSV(path string, size int64) (rows int, err error) {
	file, err := os.Create(path)
	if err != nil {
		return 0, err
	}
	w := bufio.NewWriterSize(file, 1<<20)
	w.WriteString("id,x0,x1,x2,x3,x4,x5,x6,x7,genre,live\n")
	rng := rand.New(rand.NewPCG(1, 2))
	genres := []string{"rock", "jazz", "pop", "folk", "metal", "blues", "soul", "punk", "house", "techno", "ambient", "classical"}
	var line []byte
	var written int64
	for written < size {
		line = strconv.AppendInt(line[:0], int64(rows), 10)
		for j := 0; j < 8; j++ {
			line = append(line, ',')
			line = strconv.AppendFloat(line, rng.NormFloat64()*float64(j+1), 'g', 7, 64)
		}
		line = append(line, ',')
		line = append(line, genres[rng.IntN(len(genres))]...)
		line = append(line, ',')
		line = strconv.AppendBool(line, rng.IntN(2) == 0)
		line = append(line, '\n')
		w.Write(line)
		written += int64(len(line))
		rows++
	}
	if err := w.Flush(); err != nil {
		return 0, err
	}
	return rows, file.Close()
}

// procStatus reads a memory figure, in bytes, from /proc/self/status.
func procStatus(field string) int64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return -1
	}
	for _, line := range bytes.Split(b, []byte{'\n'}) {
		if v, ok := bytes.CutPrefix(line, []byte(field+":")); ok {
			kb, err := strconv.ParseInt(string(bytes.TrimSpace(bytes.TrimSuffix(bytes.TrimSpace(v), []byte("kB")))), 10, 64)
			if err == nil {
				return kb << 10
			}
		}
	}
	return -1
}

// BenchmarkReadLarge loads a generated CSV of RECKON_FRAME_BENCH_MB
// megabytes (256 unless set; 1024 gives the 1 GB figure) and reports the
// throughput and, on Linux, the peak resident memory the load added, in MB
// and as a multiple of the file size and of the loaded table's own size.
func BenchmarkReadLarge(b *testing.B) {
	mb := int64(256)
	if s := os.Getenv("RECKON_FRAME_BENCH_MB"); s != "" {
		v, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			b.Fatalf("RECKON_FRAME_BENCH_MB=%q: %v", s, err)
		}
		mb = v
	}
	path := filepath.Join(b.TempDir(), "large.csv")
	rows, err := writeLargeCSV(path, mb<<20)
	if err != nil {
		b.Fatal(err)
	}
	st, err := os.Stat(path)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(st.Size())
	var peak, table int64
	var cpu time.Duration
	for b.Loop() {
		runtime.GC()
		debug.FreeOSMemory()
		// Writing 5 to clear_refs resets the peak resident size (Linux).
		resettable := os.WriteFile("/proc/self/clear_refs", []byte("5"), 0) == nil
		before := procStatus("VmRSS")
		cpu0 := cputime.Used()
		f, err := Read(context.Background(), path, ReadOptions{})
		cpu += cputime.Used() - cpu0
		if err != nil {
			b.Fatal(err)
		}
		if f.NumRows() != rows {
			b.Fatalf("read %d rows, want %d", f.NumRows(), rows)
		}
		if resettable && before > 0 {
			peak = max(peak, procStatus("VmHWM")-before)
		}
		table = int64(f.NumRows()) * (9*8 + 4 + 1) // nine float64, an int32 code, an int8 flag
		runtime.KeepAlive(f)
	}
	if peak > 0 {
		b.ReportMetric(float64(peak)/(1<<20), "peak-MB")
		b.ReportMetric(float64(peak)/float64(st.Size()), "peak/file")
		b.ReportMetric(float64(peak)/float64(table), "peak/table")
	}
	b.ReportMetric(float64(table)/(1<<20), "table-MB")
	b.ReportMetric(cpu.Seconds()/float64(b.N), "cpu-s/op")
	fmt.Fprintf(os.Stderr, "read %d rows, %d bytes\n", rows, st.Size())
}

// BenchmarkReadShape loads a wide file (200,000 columns, one row) and a
// tall one (10 columns, 200,000 rows) of small integers and reports what
// the load allocates, and what the table keeps, per cell: memory follows
// the data whatever its shape.
func BenchmarkReadShape(b *testing.B) {
	for _, shape := range []struct {
		name       string
		cols, rows int
	}{
		{"wide", 200_000, 1},
		{"tall", 10, 200_000},
	} {
		b.Run(shape.name, func(b *testing.B) {
			path := wideCSV(b, shape.cols, shape.rows)
			cells := float64(shape.cols * shape.rows)
			var alloc, kept uint64
			for b.Loop() {
				var before, after runtime.MemStats
				runtime.GC()
				runtime.ReadMemStats(&before)
				f, err := Read(context.Background(), path, ReadOptions{})
				if err != nil {
					b.Fatal(err)
				}
				runtime.GC()
				runtime.ReadMemStats(&after)
				alloc += after.TotalAlloc - before.TotalAlloc
				kept = after.HeapAlloc - before.HeapAlloc
				runtime.KeepAlive(f)
			}
			b.ReportMetric(float64(alloc)/float64(b.N)/cells, "alloc-B/cell")
			b.ReportMetric(float64(kept)/cells, "kept-B/cell")
		})
	}
}
