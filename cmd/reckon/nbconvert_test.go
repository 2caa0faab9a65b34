package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestExampleNotebookRunsUnderNbconvert executes examples/first.ipynb with
// `jupyter nbconvert --to notebook --execute` and the Reckon kernel, as the
// README tells a new user to, and checks the outputs it wrote.
func TestExampleNotebookRunsUnderNbconvert(t *testing.T) {
	py := python(t, "jupyter-nbconvert python3-nbconvert python3-nbclient python3-nbformat", "nbconvert", "nbclient", "nbformat")
	outDir := t.TempDir()
	args := []string{"nbconvert", "--to", "notebook", "--execute", "--ExecutePreprocessor.timeout=120",
		"--output-dir", outDir, filepath.Join("..", "..", "examples", "first.ipynb")}
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
	path := filepath.Join(outDir, "first.ipynb")
	nb := readNotebook(t, path)
	var got []string
	for _, c := range nb.Cells {
		if c.Type != "code" {
			continue
		}
		var parts []string
		for _, o := range c.Outputs {
			switch o.Type() {
			case "stream":
				parts = append(parts, o["name"].(string)+":"+o.Text())
			case "error":
				t.Errorf("cell %q failed", c.Source)
			default:
				data, _ := o["data"].(map[string]any)
				_, html := data["text/html"]
				parts = append(parts, o.Type()+":"+o.Text()+map[bool]string{true: " +html"}[html])
			}
		}
		got = append(got, strings.Join(parts, " | "))
	}
	want := []string{
		"execute_result:Reckon commands", // help()
		"stdout:we have [3, 1, 4, 1, 5]\n | execute_result:[3, 1, 4, 1, 5]",
		"execute_result:5",
		"display_data:[####################] 100% sleep: waiting", // updated in place to its final state
		"execute_result:column            type",                   // describe(tracks)
		"execute_result:PCA of 1,300 × 9 (randomized SVD): PC1 ",
		"execute_result:Tracks on their first two principal components: Scatter of 1,300 points coloured by genre: 6 categories",
		"execute_result:UMAP of the tracks: Scatter of 1,300 points coloured by genre",
		"execute_result:HDBSCAN clusters: Scatter of 1,300 points coloured by cluster",
		"execute_result:cluster  size  share  persistence  mean probability",
		"execute_result:3 runs, each with permuted rows and a fresh UMAP seed.",
		"execute_result:all  (1,300 rows)\n├─ 0  (180 rows — HDBSCAN found no sub-clusters)",
		"execute_result:cluster  size  against  CV AUC",
		"execute_result:Cluster 0: 160 members and 160 other rows: SHAP summary (beeswarm)",
		"execute_result:name ",
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
	for _, i := range []int{0, 3, 4, 5, 9, 10, 11, 12, 14} {
		if !strings.HasSuffix(got[i], "+html") {
			t.Errorf("code cell %d has no HTML twin: %q", i, got[i])
		}
	}
	if !strings.Contains(got[3], "done in") || !strings.Contains(got[14], "tracks") || !strings.Contains(got[14], "threshold") {
		t.Errorf("progress or vars output is off: %q / %q", got[3], got[14])
	}
	if b, _ := os.ReadFile(path); !strings.Contains(string(b), `"image/png": "iVBOR`) {
		t.Error("the plot cell has no PNG")
	}
}
