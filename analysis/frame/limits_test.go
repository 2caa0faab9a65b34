package frame

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

// endless is an input that does not end, or not before limit bytes when
// that is set: the byte fill, over and over, after an optional head.
// After cancelAt bytes it calls cancel, if set.
type endless struct {
	head     string
	fill     byte
	n, limit int64
	cancelAt int64
	cancel   func()
}

func (e *endless) Read(p []byte) (int, error) {
	if e.cancel != nil && e.n >= e.cancelAt {
		e.cancel()
	}
	if e.limit > 0 && e.n >= e.limit {
		return 0, io.EOF
	}
	k := 0
	for ; k < len(p) && e.n < int64(len(e.head)); k++ {
		p[k] = e.head[e.n]
		e.n++
	}
	for ; k < len(p); k++ {
		p[k] = e.fill
		if e.head != "" && e.n%4 == 3 {
			p[k] = '\n' // rows of three digits after a header
		}
		e.n++
	}
	return k, nil
}

// allocated returns the bytes f allocates.
func allocated(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

func TestReadRefusesAnEndlessLineInBoundedMemory(t *testing.T) {
	var err error
	used := allocated(func() {
		_, err = ReadFrom(context.Background(), &endless{fill: 'x', limit: 4 * MaxRecordBytes}, "endless.csv", ReadOptions{})
	})
	want := "frame: endless.csv:1: the line runs past 16 MiB, the most one record may hold"
	if err == nil || err.Error() != want {
		t.Fatalf("an endless line gave %v, want %s", err, want)
	}
	if used > 8*MaxRecordBytes {
		t.Fatalf("refusing an endless line allocated %d MiB, want at most %d", used>>20, 8*16)
	}
	// The same for a quoted field that never closes, over many lines.
	_, err = ReadFrom(context.Background(), &endless{head: "a\n\"", fill: 'y', limit: 4 * MaxRecordBytes}, "quoted.csv", ReadOptions{})
	if err == nil || !strings.HasPrefix(err.Error(), "frame: quoted.csv:2: the line runs past 16 MiB") {
		t.Fatalf("an endless quoted field gave %v", err)
	}
}

func TestReadRefusesDevZeroAndDevUrandom(t *testing.T) {
	for _, tc := range []struct{ path, want string }{
		{"/dev/zero", "frame: /dev/zero is not a text table: line 1 has a NUL byte, which text never holds"},
		{"/dev/urandom", "frame: /dev/urandom is not a text table: line "},
	} {
		if _, err := os.Stat(tc.path); err != nil {
			t.Skipf("no %s here", tc.path)
		}
		_, err := Read(context.Background(), tc.path, ReadOptions{})
		if err == nil || !strings.HasPrefix(err.Error(), tc.want) {
			t.Fatalf("reading %s gave %v, want %s...", tc.path, err, tc.want)
		}
		if len(err.Error()) > 120 {
			t.Fatalf("reading %s gave an error of %d bytes: %q", tc.path, len(err.Error()), err)
		}
	}
}

func TestReadStopsAnEndlessInputWhenCancelled(t *testing.T) {
	for _, tc := range []struct {
		name, head string
		fill       byte
	}{
		{"an endless line", "", 'x'},
		{"an endless table", "a\n", '1'},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			const at = 8 << 20
			src := &endless{head: tc.head, fill: tc.fill, limit: 4 * MaxRecordBytes, cancelAt: at, cancel: cancel}
			_, err := ReadFrom(ctx, src, "in.csv", ReadOptions{})
			if !errors.Is(err, context.Canceled) || !strings.HasPrefix(err.Error(), "frame: reading in.csv interrupted") {
				t.Fatalf("cancelling gave %v", err)
			}
			// The reader stops within a read or two of the cancellation.
			if src.n > at+2<<20 {
				t.Fatalf("the reader went on to byte %d after cancellation at %d", src.n, at)
			}
		})
	}
}

func TestReadStopsABlockedPipeWhenCancelled(t *testing.T) {
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	defer w.Close()
	path := fmt.Sprintf("/proc/self/fd/%d", r.Fd())
	if _, err := os.Stat(path); err != nil {
		t.Skip("no /proc/self/fd here")
	}
	if _, err := w.WriteString("a,b\n1,2\n"); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		_, err := Read(ctx, path, ReadOptions{})
		done <- err
	}()
	cancel()
	select {
	case err := <-done:
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("cancelling a read of a blocked pipe gave %v", err)
		}
	case <-time.After(time.Minute):
		t.Fatal("a read of a blocked pipe did not stop when cancelled")
	}
}

// wideCSV writes a CSV file of cols columns and rows rows of small
// integers, and returns its path.
func wideCSV(t testing.TB, cols, rows int) string {
	t.Helper()
	var b strings.Builder
	for r := -1; r < rows; r++ {
		for c := 0; c < cols; c++ {
			if c > 0 {
				b.WriteByte(',')
			}
			if r < 0 {
				fmt.Fprintf(&b, "c%d", c)
			} else {
				fmt.Fprintf(&b, "%d", (r+c)%10)
			}
		}
		b.WriteByte('\n')
	}
	path := filepath.Join(t.TempDir(), "wide.csv")
	if err := os.WriteFile(path, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestReadMemoryFollowsTheData(t *testing.T) {
	const cols = 100_000
	path := wideCSV(t, cols, 1)
	var f *Frame
	var err error
	used := allocated(func() { f, err = Read(context.Background(), path, ReadOptions{}) })
	if err != nil {
		t.Fatal(err)
	}
	if f.NumCols() != cols || f.NumRows() != 1 {
		t.Fatalf("read %d × %d, want 1 × %d", f.NumRows(), f.NumCols(), cols)
	}
	// A column of one value needs a few hundred bytes (its builder, its
	// name, its slices), not room for a thousand rows.
	if perCell := used / cols; perCell > 1024 {
		t.Fatalf("reading a file of one row and %d columns allocated %d bytes a cell", cols, perCell)
	}
}

var _ io.Reader = (*endless)(nil)
