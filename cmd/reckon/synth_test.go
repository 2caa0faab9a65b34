package main

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/reckon-dev/reckon/analysis/frame"
)

// TestSynth writes a planted table, loads it with the language as a user
// would, and turns bad flags into one sentence.
func TestSynth(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "big.csv")
	code, stdout, stderr := runCLI([]string{"synth", "--rows", "3000", "--seed", "5", "-o", file}, "")
	if code != 0 || stdout != "wrote 3000 rows × 22 columns to "+file+"\n" {
		t.Fatalf("exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
	script := filepath.Join(dir, "s.reckon")
	src := `t = load("` + file + `")
t
X = standardize(drop(t, "group", "subgroup"))
X
`
	if err := os.WriteFile(script, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr = runCLI([]string{"run", script}, "")
	if code != 0 || !strings.Contains(stdout, "3,000 rows × 22 columns") || !strings.Contains(stdout, "3,000 rows × 20 columns") {
		t.Fatalf("exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
	code, same, _ := runCLI([]string{"synth", "--rows", "3000", "--seed", "5", "-o", "-"}, "")
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if code != 0 || same != string(data) {
		t.Error("the same seed wrote another table to standard output")
	}
	// Parquet holds the same rows as the CSV of the same seed.
	pq := filepath.Join(dir, "big.parquet")
	if code, stdout, stderr := runCLI([]string{"synth", "--rows", "3000", "--seed", "5", "-o", pq}, ""); code != 0 || stdout != "wrote 3000 rows × 22 columns to "+pq+"\n" {
		t.Fatalf("exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
	ctx := context.Background()
	fromCSV, err := frame.Read(ctx, file, frame.ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	fromParquet, err := frame.ReadParquet(ctx, pq, frame.ParquetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(fromCSV, fromParquet) {
		t.Error("the Parquet file and the CSV file of the same seed load to different tables")
	}
	for _, tc := range []struct {
		args []string
		code int
		msg  string
	}{
		{[]string{"synth"}, 2, "needs -o FILE"},
		{[]string{"synth", "--rows", "0", "-o", "-"}, 2, "rows must be at least 1, not 0"},
		{[]string{"synth", "--features", "30", "-o", "-"}, 2, "features must be between 2 and 20, not 30"},
		{[]string{"synth", "--rows", "10", "-o", filepath.Join(dir, "no", "x.csv")}, 1, "no such file"},
		{[]string{"synth", "-o", "-", "extra"}, 2, `unexpected argument "extra"`},
	} {
		code, _, stderr := runCLI(tc.args, "")
		if code != tc.code || !strings.Contains(stderr, tc.msg) || strings.Count(stderr, "\n") != 1 {
			t.Errorf("%v: exit %d, stderr %q, want %d and %q", tc.args, code, stderr, tc.code, tc.msg)
		}
	}
}
