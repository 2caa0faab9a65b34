package frame_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/reckon-dev/reckon/analysis/frame"
)

// A table written as Parquet reads back with its types and gaps.
func ExampleReadParquet() {
	dir, err := os.MkdirTemp("", "example")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer os.RemoveAll(dir)
	var buf bytes.Buffer
	if err := load().WriteParquet(&buf); err != nil {
		fmt.Println(err)
		return
	}
	path := filepath.Join(dir, "tracks.parquet")
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		fmt.Println(err)
		return
	}
	t, err := frame.ReadParquet(context.Background(), path, frame.ParquetOptions{})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, c := range t.Columns() {
		fmt.Printf("%-8s %-11s missing %d  first %s\n", c.Name(), c.Kind(), c.Missing(), c.Format(0))
	}
	// Output:
	// track_id numeric     missing 0  first 1
	// genre    categorical missing 0  first rock
	// tempo    numeric     missing 1  first 120
	// energy   numeric     missing 1  first 0.8
	// live     boolean     missing 0  first true
}

// A file that is not Parquet, or was cut short, is one clear error.
func ExampleReadParquetFrom_error() {
	csv := []byte("a,b\n1,2\n")
	_, err := frame.ReadParquetFrom(context.Background(), bytes.NewReader(csv), int64(len(csv)), "data.parquet", frame.ParquetOptions{})
	fmt.Println(err)
	// Output:
	// frame: data.parquet is not a Parquet file: it does not begin with the Parquet marker PAR1
}
