package vegalite

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/reckon-dev/reckon/display/plot"
)

// requireNode returns the node binary, with testdata's packages installed,
// or skips the test loudly (fails it in CI, where .ci/run installs them).
func requireNode(t *testing.T) string {
	t.Helper()
	node, err := exec.LookPath("node")
	if err == nil {
		_, err = os.Stat(filepath.Join("testdata", "node_modules", "vega-lite-5", "package.json"))
	}
	if err != nil {
		msg := fmt.Sprintf("node or the vega-lite packages are missing (%v); to run this test: cd display/vegalite/testdata && npm ci", err)
		if os.Getenv("CI") != "" {
			t.Fatalf("%s; in CI this test must run", msg)
		}
		t.Skipf("SKIPPED: %s", msg)
	}
	return node
}

// compileSpecs are one spec of every kind the package builds.
func compileSpecs(t *testing.T) map[string]json.RawMessage {
	t.Helper()
	x, y, labels, prob, ids, genre, energy := blobs(2000, 5, 4)
	out := map[string]json.RawMessage{}
	add := func(name string, raw json.RawMessage, err error) {
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		out[name] = raw
	}
	raw, err := Scatter(x, y, ScatterOptions{Title: "clusters", XLabel: "UMAP1", YLabel: "UMAP2", Labels: labels, Names: map[string]string{"1": "jazz \"quoted\""},
		Probabilities: prob, ID: &Column{Name: "track_id", Text: ids}, Tooltip: []Column{{Name: "genre", Text: genre}, {Name: "energy", Numbers: energy}}})
	add("scatter-clusters", raw, err)
	energy[3] = math.NaN()
	raw, err = Scatter(x, y, ScatterOptions{Values: energy, ColorName: "energy"})
	add("scatter-values", raw, err)
	raw, err = Scatter(x, y, ScatterOptions{Values: energy, Scheme: "redblue", ReverseScheme: true})
	add("dependence", raw, err)
	raw, err = Lines("min_cluster_size", []float64{10, 25, 50}, []plot.Series{{Name: "clusters", Y: []float64{8, 5, 3}}, {Name: "noise fraction", Y: []float64{0.1, 0.2, 0.3}}}, "sweep")
	add("lines", raw, err)
	raw, err = Bar([]string{"energy", "tempo", "Sum of 3 other features"}, []float64{0.5, 0.2, 0.1}, "Cluster 0")
	add("bar", raw, err)
	for name, raw := range exploreSpecs(t) {
		out[name] = raw
	}
	return out
}

// TestSpecsCompile compiles every kind of spec with Vega-Lite 4 and 5 and
// runs the Vega each gives, headless, under node.
func TestSpecsCompile(t *testing.T) {
	node := requireNode(t)
	dir := t.TempDir()
	var files []string
	for name, raw := range compileSpecs(t) {
		f := filepath.Join(dir, name+".json")
		if err := os.WriteFile(f, raw, 0o644); err != nil {
			t.Fatal(err)
		}
		files = append(files, f)
	}
	cmd := exec.Command(node, append([]string{"compile.mjs"}, files...)...)
	cmd.Dir = "testdata"
	outb, err := cmd.CombinedOutput()
	out := string(outb)
	t.Log(out)
	if err != nil {
		t.Fatalf("the specs do not all compile: %v\n%s", err, out)
	}
	if got, want := strings.Count(out, "\nok ")+boolInt(strings.HasPrefix(out, "ok ")), 2*len(files); got != want {
		t.Errorf("%d compilations passed, want %d", got, want)
	}
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}
