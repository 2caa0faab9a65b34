package main

import (
	"os/exec"
	"regexp"
	"strings"
	"testing"
)

// TestJupyterConformance runs Jupyter's own kernel test suite
// (jupyter_kernel_test 0.4.5, Debian's python3-jupyter-kernel-test) against
// the binary, with every sample filled in: all 12 tests must run and pass.
// It runs under unittest, as pytest reports the history test skipped.
func TestJupyterConformance(t *testing.T) {
	py := python(t, "python3-jupyter-client python3-jupyter-kernel-test", "jupyter_client", "jupyter_kernel_test")
	cmd := exec.Command(py, "-m", "unittest", "-v", "conformance")
	cmd.Dir = "testdata"
	cmd.Env = jupyterEnv(t, installSpec(t))
	out, err := cmd.CombinedOutput()
	text := string(out)
	if err != nil {
		t.Fatalf("the conformance suite failed: %v\n%s", err, text)
	}
	ran := regexp.MustCompile(`Ran (\d+) tests?`).FindStringSubmatch(text)
	if ran == nil || ran[1] != "12" {
		t.Errorf("expected 12 tests to run:\n%s", text)
	}
	if strings.Contains(text, "skipped") || !strings.Contains(text, "\nOK") {
		t.Errorf("some tests were skipped or failed:\n%s", text)
	}
	t.Logf("conformance suite:\n%s", text)
}
