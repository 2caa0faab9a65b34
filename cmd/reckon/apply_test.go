package main

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/reckon-dev/reckon/analysis/frame"
)

// TestApply fits the quickstart's clustering with `reckon run`, saves it,
// and labels files with `reckon apply`: the same bytes as assign in the
// session, at any GOMAXPROCS, from a file or standard input; bad rows
// stop it, or are skipped and counted, with their file and line.
func TestApply(t *testing.T) {
	bin := plainBinary(t)
	dir := t.TempDir()
	tracks, err := filepath.Abs("../../examples/data/tracks.csv")
	if err != nil {
		t.Fatal(err)
	}
	model, assigned := filepath.Join(dir, "tracks.reckon"), filepath.Join(dir, "assigned.csv")
	script := filepath.Join(dir, "fit.rk")
	src := `tracks = load("` + tracks + `")
X = standardize(impute(drop(tracks, "track_id", "genre")))
emb = umap(X, n_neighbors=15, min_dist=0, seed=7)
why = explain(hdbscan(emb, min_cluster_size=25), on=X, n_estimators=20, seed=1)
m = save(why, to="` + model + `")
export(assign(m, tracks), to="` + assigned + `")
export(tracks, to="` + filepath.Join(dir, "tracks.parquet") + `")
`
	if err := os.WriteFile(script, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command(bin, "run", script).CombinedOutput(); err != nil {
		t.Fatalf("reckon run: %v\n%s", err, out)
	}
	want, err := os.ReadFile(assigned)
	if err != nil {
		t.Fatal(err)
	}
	apply := func(env string, stdin []byte, args ...string) (code int, stdout, stderr string) {
		cmd := exec.Command(bin, append([]string{"apply", model}, args...)...)
		cmd.Env = append(os.Environ(), env)
		cmd.Stdin = bytes.NewReader(stdin)
		var o, e bytes.Buffer
		cmd.Stdout, cmd.Stderr = &o, &e
		err := cmd.Run()
		if x, ok := err.(*exec.ExitError); ok {
			return x.ExitCode(), o.String(), e.String()
		} else if err != nil {
			t.Fatal(err)
		}
		return 0, o.String(), e.String()
	}
	for _, env := range []string{"GOMAXPROCS=1", "GOMAXPROCS=4"} {
		out := filepath.Join(dir, "out.csv")
		code, _, stderr := apply(env, nil, tracks, "-o", out)
		got, _ := os.ReadFile(out)
		if code != 0 || !bytes.Equal(got, want) {
			t.Errorf("%s: reckon apply exits %d (%s) and its output differs from assign's in the session", env, code, stderr)
		}
		if !strings.Contains(stderr, "assigned 1300 rows") {
			t.Errorf("%s: stderr %q does not count the rows", env, stderr)
		}
	}
	if code, stdout, stderr := apply("", nil, filepath.Join(dir, "tracks.parquet")); code != 0 || stdout != string(want) {
		t.Errorf("from Parquet: exit %d (%s), output differs from assign's: %v", code, stderr, stdout != string(want))
	}
	pq := filepath.Join(dir, "out.parquet")
	if code, _, stderr := apply("", nil, tracks, "-o", pq); code != 0 {
		t.Errorf("to Parquet: exit %d (%s)", code, stderr)
	} else if f, err := frame.ReadParquet(context.Background(), pq, frame.ParquetOptions{}); err != nil || f.NumRows() != 1300 || strings.Join(f.Names(), ",") != strings.SplitN(string(want), "\n", 2)[0] {
		t.Errorf("the Parquet output reads back as %v (%v)", f, err)
	}
	data, err := os.ReadFile(tracks)
	if err != nil {
		t.Fatal(err)
	}
	if code, stdout, stderr := apply("", data, "-"); code != 0 || stdout != string(want) {
		t.Errorf("from standard input: exit %d (%s), output differs: %v", code, stderr, stdout != string(want))
	}

	lines := strings.SplitAfter(string(data), "\n")
	bad := lines[0] + lines[1] + strings.Replace(lines[2], "99.5", "fast", 1) + lines[3] + "t9999,pop,0.5\n" + lines[4]
	badPath := filepath.Join(dir, "bad.csv")
	if err := os.WriteFile(badPath, []byte(bad), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, stderr := apply("", nil, badPath)
	if code != 1 || !strings.Contains(stderr, badPath+`:3: column "tempo" holds "fast", which is not a number`) {
		t.Errorf("a bad row: exit %d, stderr %q; want 1 and the file, line and column", code, stderr)
	}
	code, stdout, stderr := apply("", nil, "--on-error=skip", badPath)
	if code != 0 || strings.Count(stdout, "\n") != 4 || !strings.Contains(stderr, "skipped 2 bad rows") || !strings.Contains(stderr, badPath+":5: the row has 3 fields") {
		t.Errorf("--on-error=skip: exit %d, %d lines out, stderr %q; want the header, 3 good rows and 2 skipped, each reported", code, strings.Count(stdout, "\n"), stderr)
	}
	noTempo := strings.ReplaceAll(lines[0], "tempo,", "") + "\n"
	if err := os.WriteFile(badPath, []byte(noTempo), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, _, stderr := apply("", nil, badPath); code != 1 || !strings.Contains(stderr, `has no column "tempo"; the model expects energy (numeric)`) {
		t.Errorf("a missing column: exit %d, stderr %q", code, stderr)
	}
}

// TestApplyStopsOnSignals sends SIGINT and SIGTERM to `reckon apply` at
// work on a large file: it stops within seconds, says so, and leaves no
// output file, not even a partial one.
func TestApplyStopsOnSignals(t *testing.T) {
	bin := plainBinary(t)
	dir := t.TempDir()
	tracks, err := filepath.Abs("../../examples/data/tracks.csv")
	if err != nil {
		t.Fatal(err)
	}
	model := filepath.Join(dir, "tracks.reckon")
	src := `tracks = load("` + tracks + `")
X = standardize(impute(drop(tracks, "track_id", "genre")))
save(hdbscan(umap(X, n_neighbors=15, seed=7), min_cluster_size=25), to="` + model + `")
`
	script := filepath.Join(dir, "fit.rk")
	if err := os.WriteFile(script, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command(bin, "run", script).CombinedOutput(); err != nil {
		t.Fatalf("reckon run: %v\n%s", err, out)
	}
	data, err := os.ReadFile(tracks)
	if err != nil {
		t.Fatal(err)
	}
	head, body, _ := strings.Cut(string(data), "\n")
	big := filepath.Join(dir, "big.csv")
	if err := os.WriteFile(big, []byte(head+"\n"+strings.Repeat(body, 200)), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, sig := range []os.Signal{os.Interrupt, syscall.SIGTERM} {
		t.Run(sig.String(), func(t *testing.T) {
			out := filepath.Join(dir, "out.csv")
			cmd := exec.Command(bin, "apply", model, big, "-o", out)
			var e bytes.Buffer
			cmd.Stderr = &e
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			time.Sleep(time.Second)
			sent := time.Now()
			if err := cmd.Process.Signal(sig); err != nil {
				t.Fatal(err)
			}
			err := cmd.Wait()
			took := time.Since(sent)
			if x, ok := err.(*exec.ExitError); !ok || x.ExitCode() != 1 || !strings.Contains(e.String(), "stopped by a signal") {
				t.Errorf("exit %v, stderr %q; want 1 and a sentence saying it was stopped", err, e.String())
			}
			if took > 5*time.Second {
				t.Errorf("it took %v to stop", took)
			}
			if _, err := os.Stat(out); !os.IsNotExist(err) {
				t.Errorf("%s exists after the stop (%v)", out, err)
			}
			left, _ := filepath.Glob(filepath.Join(dir, ".reckon-apply-*"))
			if len(left) > 0 {
				t.Errorf("temporary files left: %v", left)
			}
		})
	}
}
