package dsl

import (
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// examplePrelude makes the values the examples of help name, from the
// example data: tracks, its features X, an embedding, clusters, a tree and
// an explanation.
const examplePrelude = `tracks = load("examples/data/tracks.csv")
X = standardize(impute(drop(tracks, "track_id", "genre")))
emb = umap(X, seed=7)
cl = hdbscan(emb, min_cluster_size=15)
tree = recurse(X, depth=2, min_cluster_size=15, seed=7)
why = explain(cl, on=X, n_estimators=10, seed=1)
export(tracks, to="examples/data/tracks.parquet")
`

// TestEveryCommandIsDocumentedAndItsExamplesRun: help shows a summary, a
// description and examples for every command, in a group help() knows,
// and every example runs on the example data.
func TestEveryCommandIsDocumentedAndItsExamplesRun(t *testing.T) {
	if testing.Short() {
		t.Skip("runs every example on the example data")
	}
	// The examples write files and read examples/data: run them in a
	// copy of that folder, cut to its first 200 tracks so that the race
	// detector's build runs them in reasonable time.
	dir := t.TempDir()
	data, err := os.ReadFile("../examples/data/tracks.csv")
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.SplitAfter(string(data), "\n")
	data = []byte(strings.Join(lines[:min(len(lines), 201)], ""))
	if err := os.MkdirAll(filepath.Join(dir, "examples", "data"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "examples", "data", "tracks.csv"), data, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Chdir(dir)
	reg := NewRegistry()
	prelude := NewSession(reg, Options{QuietProgress: true})
	if _, _, err := run(t, prelude, examplePrelude); err != nil {
		t.Fatalf("prelude: %v", err)
	}
	for _, name := range reg.Names() {
		c, _ := reg.Lookup(name)
		t.Run(name, func(t *testing.T) {
			// Each command's examples run in order, on the prelude's
			// values, unaffected by other commands' examples (del).
			s := NewSession(reg, Options{QuietProgress: true})
			for _, v := range prelude.VarNames() {
				x, _ := prelude.Get(v)
				s.Set(v, x)
				s.lineage[v] = prelude.lineage[v] // for save and assign
			}
			s.fits = maps.Clone(prelude.fits) // each session prunes its own
			if c.Summary == "" || c.Doc == "" || len(c.Examples) == 0 {
				t.Errorf("summary %q, doc %q, %d examples: help needs all three", c.Summary, c.Doc, len(c.Examples))
			}
			if !slices.Contains(groupOrder, c.Group) {
				t.Errorf("group %q is not one of help()'s %q", c.Group, groupOrder)
			}
			for _, ex := range c.Examples {
				if _, err := Parse(ex); err != nil {
					t.Errorf("example %q does not parse: %v", ex, err)
					continue
				}
				if _, _, err := run(t, s, ex); err != nil {
					t.Errorf("example %q fails: %v", ex, err)
				}
			}
		})
	}
}
