package main

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestExampleNotebookRunsUnderNbconvert executes examples/quickstart.ipynb
// with `jupyter nbconvert --to notebook --execute` and the Reckon kernel, as
// the README tells a new user to, and checks the outputs it wrote. The
// notebook runs in a folder of its own, where it writes its report and
// exports.
func TestExampleNotebookRunsUnderNbconvert(t *testing.T) {
	py := python(t, "jupyter-nbconvert python3-nbconvert python3-nbclient python3-nbformat", "nbconvert", "nbclient", "nbformat")
	outDir := t.TempDir()
	src, err := os.ReadFile(filepath.Join("..", "..", "examples", "quickstart.ipynb"))
	if err != nil {
		t.Fatal(err)
	}
	in := filepath.Join(outDir, "quickstart.ipynb")
	if err := os.WriteFile(in, src, 0o644); err != nil {
		t.Fatal(err)
	}
	args := []string{"nbconvert", "--to", "notebook", "--execute", "--ExecutePreprocessor.timeout=300",
		"--output-dir", outDir, "--output", "executed", in}
	var cmd *exec.Cmd
	if jupyter, err := exec.LookPath("jupyter"); err == nil {
		cmd = exec.Command(jupyter, args...)
	} else {
		cmd = exec.Command(py, append([]string{"-m"}, args...)...)
	}
	cmd.Env = jupyterEnv(t, installSpec(t))
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("nbconvert: %v\n%s", err, out)
	}
	b, err := os.ReadFile(filepath.Join(outDir, "executed.ipynb"))
	if err != nil {
		t.Fatal(err)
	}
	var nb struct {
		Cells []struct {
			CellType string `json:"cell_type"`
			Source   any    `json:"source"`
			Outputs  []struct {
				OutputType string         `json:"output_type"`
				Name       string         `json:"name"`
				Text       any            `json:"text"`
				Data       map[string]any `json:"data"`
			} `json:"outputs"`
		} `json:"cells"`
	}
	if err := json.Unmarshal(b, &nb); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, c := range nb.Cells {
		if c.CellType != "code" {
			continue
		}
		var parts []string
		for _, o := range c.Outputs {
			switch o.OutputType {
			case "stream":
				parts = append(parts, o.Name+":"+joinText(o.Text))
			case "error":
				t.Errorf("cell %v failed", c.Source)
			default:
				_, html := o.Data["text/html"]
				parts = append(parts, o.OutputType+":"+joinText(o.Data["text/plain"])+map[bool]string{true: " +html"}[html])
			}
		}
		got = append(got, strings.Join(parts, " | "))
	}
	want := []string{
		"execute_result:column            type", // describe(tracks)
		"execute_result:    energy  danceability  acousticness",
		"execute_result:The tracks, embedded with UMAP: Scatter of 1,300 points coloured by genre: 6 categories",
		"execute_result:HDBSCAN clusters: Scatter of 1,300 points coloured by cluster: 6 clusters",
		"execute_result:cluster  size  share  persistence  mean probability",
		"execute_result:3 runs, each with permuted rows and a fresh UMAP seed.",
		"execute_result:all  (1,300 rows)\n├─ 0  (180 rows — HDBSCAN found no sub-clusters)",
		"execute_result:Clusters within clusters: Icicle",
		"execute_result:cluster  size  against  CV AUC",
		"execute_result:Cluster 0: 160 members and 160 other rows: SHAP summary (beeswarm)",
		"execute_result:0 · 160 tracks (12%) · high speechiness (0.30 vs 0.06)",
		"execute_result:The clusters, named: Scatter of 1,300 points coloured by cluster: 6 clusters (0 (hip-hop)",
		"stdout:wrote findings.html (",
		"execute_result:# tracks.csv (built into Reckon): 1,300 rows, 87,127 bytes, sha256 ",
	}
	if len(got) != len(want) {
		t.Fatalf("outputs per code cell:\n%q\nwant %d cells", got, len(want))
	}
	// Commands that take a while show a progress bar before their result,
	// so outputs are matched anywhere in the cell.
	for i := range want {
		if !strings.Contains(got[i], want[i]) {
			t.Errorf("code cell %d: outputs %q, want %q among them", i, got[i], want[i])
		}
	}
	for _, i := range []int{0, 1, 4, 5, 6, 8, 10, 13} {
		if !strings.HasSuffix(got[i], "+html") {
			t.Errorf("code cell %d has no HTML twin: %q", i, got[i])
		}
	}
	for _, f := range []string{"findings.html", "clusters.csv", "tree.csv", "shap.csv"} {
		if _, err := os.Stat(filepath.Join(outDir, f)); err != nil {
			t.Errorf("the notebook did not write %s: %v", f, err)
		}
	}
	if !strings.Contains(string(b), `"image/png": "iVBOR`) {
		t.Error("the plot cell has no PNG")
	}
}

func joinText(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case []any:
		var b strings.Builder
		for _, s := range x {
			b.WriteString(s.(string))
		}
		return b.String()
	}
	return ""
}
