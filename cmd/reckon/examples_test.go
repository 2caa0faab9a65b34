package main

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/reckon-dev/reckon/internal/notebook"
)

var (
	plainOnce sync.Once
	plainPath string
	plainErr  error
)

// plainBinary is the reckon binary built without the race detector, as
// users run it: the example notebooks fit and explain real data, which
// the race detector would slow tenfold. The kernel's own goroutines are
// race-checked by the end-to-end tests, on the binary they build.
func plainBinary(t *testing.T) string {
	t.Helper()
	if !raceEnabled {
		return binary(t)
	}
	plainOnce.Do(func() {
		dir, err := os.MkdirTemp("", "reckon-plain-")
		if err != nil {
			plainErr = err
			return
		}
		plainPath = filepath.Join(dir, "reckon")
		if out, err := exec.Command("go", "build", "-o", plainPath, ".").CombinedOutput(); err != nil {
			plainErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if plainErr != nil {
		t.Fatal(plainErr)
	}
	return plainPath
}

// jupyter runs a Jupyter command with env, failing the test with its
// output when it fails.
func jupyter(t *testing.T, py string, env []string, args ...string) {
	t.Helper()
	var cmd *exec.Cmd
	if j, err := exec.LookPath("jupyter"); err == nil {
		cmd = exec.Command(j, args...)
	} else {
		cmd = exec.Command(py, append([]string{"-m"}, args...)...)
	}
	cmd.Env = env
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("jupyter %s: %v\n%s", strings.Join(args, " "), err, out)
	}
}

// The floors of the numbers each example reports, by the first word of
// the cell that computes them: a regression that breaks the method shows
// here even when every cell still runs.
var exampleFloors = map[string]map[string]float64{
	"quickstart.ipynb": {"ari(": 0.9},
	"mnist.ipynb":      {"ari(": 0.5},
	"tuning.ipynb":     {"ari(cl,": 0.95, "ari(fine,": 0.5},
}

// TestExampleNotebooks executes every notebook in examples/ twice — with
// nbconvert and the installed kernel, as a user would, and with `reckon
// run` — and checks that both give the same outputs, without errors, with
// every plot a PNG and the key numbers above their floors; then exports
// the executed notebook to HTML with nbconvert and checks that every plot
// became an <img> whose PNG data URI decodes, and that no output is an
// empty <svg>.
func TestExampleNotebooks(t *testing.T) {
	py := python(t, "jupyter-nbconvert python3-nbconvert python3-nbclient python3-nbformat", "nbconvert", "nbclient", "nbformat")
	bin := plainBinary(t)
	prefix := t.TempDir()
	if out, err := exec.Command(bin, "install", "--prefix", prefix).CombinedOutput(); err != nil {
		t.Fatalf("reckon install: %v\n%s", err, out)
	}
	env := jupyterEnv(t, filepath.Join(prefix, "share", "jupyter"))
	examples, err := filepath.Glob(filepath.Join("..", "..", "examples", "*.ipynb"))
	if err != nil || len(examples) == 0 {
		t.Fatalf("no example notebooks: %v", err)
	}
	for _, src := range examples {
		name := filepath.Base(src)
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			// Each execution runs its own copy, so that what a notebook
			// writes beside itself (the quickstart's report and exports)
			// lands in dir and the two runs side by side do not share it.
			nbSrc, err := os.ReadFile(src)
			if err != nil {
				t.Fatal(err)
			}
			copyTo := func(sub string) string {
				p := filepath.Join(dir, sub, name)
				if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(p, nbSrc, 0o644); err != nil {
					t.Fatal(err)
				}
				return p
			}
			srcKernel, srcRun := copyTo("kernel-src"), copyTo("run-src")
			byKernel, byRun := filepath.Join(dir, "kernel", name), filepath.Join(dir, "run", name)
			if err := os.MkdirAll(filepath.Dir(byRun), 0o755); err != nil {
				t.Fatal(err)
			}
			// The two executions are independent: run them side by side.
			ran := make(chan error, 1)
			go func() {
				out, err := exec.Command(bin, "run", srcRun, "-o", byRun).CombinedOutput()
				if err != nil {
					err = fmt.Errorf("reckon run: %v\n%s", err, out)
				}
				ran <- err
			}()
			jupyter(t, py, env, "nbconvert", "--to", "notebook", "--execute", "--ExecutePreprocessor.timeout=900",
				"--output-dir", filepath.Dir(byKernel), srcKernel)
			if err := <-ran; err != nil {
				t.Fatal(err)
			}
			kernelNB, runNB := readNotebook(t, byKernel), readNotebook(t, byRun)
			checkOutputs(t, "nbconvert", kernelNB, exampleFloors[name])
			checkOutputs(t, "reckon run", runNB, exampleFloors[name])
			// Same outputs, PNG bytes included, so one HTML export covers both.
			sameOutputs(t, kernelNB, runNB)
			jupyter(t, py, env, "nbconvert", "--to", "html", "--output-dir", filepath.Dir(byKernel), byKernel)
			checkHTML(t, strings.TrimSuffix(byKernel, ".ipynb")+".html", kernelNB)
		})
	}
}

// checkOutputs fails on error outputs, on plots without a decodable PNG
// or with an SVG nobody asked for, and on numbers below their floors.
func checkOutputs(t *testing.T, how string, nb *notebook.Notebook, floors map[string]float64) {
	t.Helper()
	ran := 0
	for i, c := range nb.Cells {
		if c.Type != "code" {
			continue
		}
		if c.ExecutionCount != nil {
			ran++
		}
		for _, o := range c.Outputs {
			if o.Type() == "error" {
				t.Errorf("%s: cell %d failed: %v: %v", how, i, o["ename"], o["evalue"])
			}
			data, _ := o["data"].(map[string]any)
			if s, ok := data["image/png"].(string); ok {
				if _, err := decodePNG(s); err != nil {
					t.Errorf("%s: cell %d: %v", how, i, err)
				}
				if _, svg := data["image/svg+xml"]; svg {
					t.Errorf("%s: cell %d: a plot carries SVG without format=\"svg\"", how, i)
				}
			}
			for prefix, floor := range floors {
				if o.Type() != "execute_result" || !strings.HasPrefix(c.Source, prefix) {
					continue
				}
				v, err := strconv.ParseFloat(o.Text(), 64)
				if err != nil || v < floor {
					t.Errorf("%s: cell %d (%s) gave %q, want a number of at least %g", how, i, c.Source, o.Text(), floor)
				}
			}
		}
	}
	if ran == 0 {
		t.Errorf("%s: no cell ran", how)
	}
}

func decodePNG(b64 string) (string, error) {
	data, err := base64.StdEncoding.DecodeString(b64)
	if err != nil {
		return "", fmt.Errorf("image/png is not base64: %w", err)
	}
	if _, err := png.Decode(bytes.NewReader(data)); err != nil {
		return "", fmt.Errorf("image/png does not decode: %w", err)
	}
	return b64, nil
}

// progressBar matches a progress display, whose timing differs between runs.
var progressBar = regexp.MustCompile(`^\[[# ]+\]`)

// sameOutputs checks that reckon run gave what the kernel gave: the same
// outputs in the same order, with the same text and the same PNG bytes.
func sameOutputs(t *testing.T, kernel, run *notebook.Notebook) {
	t.Helper()
	if len(kernel.Cells) != len(run.Cells) {
		t.Fatalf("%d cells under nbconvert, %d under reckon run", len(kernel.Cells), len(run.Cells))
	}
	for i := range kernel.Cells {
		k, r := kernel.Cells[i].Outputs, run.Cells[i].Outputs
		if len(k) != len(r) {
			t.Errorf("cell %d: %d outputs under nbconvert, %d under reckon run", i, len(k), len(r))
			continue
		}
		for j := range k {
			if k[j].Type() != r[j].Type() {
				t.Errorf("cell %d output %d: %s under nbconvert, %s under reckon run", i, j, k[j].Type(), r[j].Type())
				continue
			}
			if progressBar.MatchString(k[j].Text()) {
				continue
			}
			kd, _ := k[j]["data"].(map[string]any)
			rd, _ := r[j]["data"].(map[string]any)
			if k[j].Text() != r[j].Text() || kd["image/png"] != rd["image/png"] || k[j]["execution_count"] != r[j]["execution_count"] {
				t.Errorf("cell %d output %d differs:\nnbconvert:  %.300q\nreckon run: %.300q", i, j, k[j].Text(), r[j].Text())
			}
		}
	}
}

var (
	imgPNG   = regexp.MustCompile(`<img[^>]*src="data:image/png;base64,([A-Za-z0-9+/=\s]+)"`)
	svgBlock = regexp.MustCompile(`(?s)<svg\b[^>]*>(.*?)</svg>`)
)

// checkHTML checks nbconvert's HTML export: every PNG of the notebook is
// an <img> whose data URI decodes, and no <svg> is empty.
func checkHTML(t *testing.T, path string, nb *notebook.Notebook) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	html := string(b)
	imgs := map[string]bool{}
	for _, m := range imgPNG.FindAllStringSubmatch(html, -1) {
		s := strings.Join(strings.Fields(m[1]), "")
		if _, err := decodePNG(s); err != nil {
			t.Errorf("%s: an <img>: %v", path, err)
		}
		imgs[s] = true
	}
	plots := 0
	for i, c := range nb.Cells {
		for _, o := range c.Outputs {
			data, _ := o["data"].(map[string]any)
			if s, ok := data["image/png"].(string); ok {
				plots++
				if !imgs[s] {
					t.Errorf("%s: the plot of cell %d is not an <img> with its PNG", path, i)
				}
			}
		}
	}
	for _, m := range svgBlock.FindAllStringSubmatch(html, -1) {
		if !strings.Contains(m[1], "<") {
			t.Errorf("%s: an empty <svg>: %.200s", path, m[0])
		}
	}
	t.Logf("%s: %d plots, %d PNG images", filepath.Base(path), plots, len(imgs))
}
