// Package pyref runs the Python references the tests compare against —
// scikit-learn, NumPy, XGBoost, Jupyter's own client and conformance suite —
// with the interpreter that has Debian's packages of them. Where the
// packages are missing a test is skipped with the command that installs
// them, except in CI (CI set), where it fails: there the comparison must
// run.
package pyref

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
)

// Python is the interpreter that has the Debian packages; the python3
// first on PATH may be another install.
const Python = "/usr/bin/python3"

var (
	probeMu sync.Mutex
	probed  = map[string]error{}
)

// Require skips tb unless Python can import every module; debs names the
// Debian packages that provide them. With CI set it fails tb instead.
func Require(tb testing.TB, debs string, modules ...string) {
	tb.Helper()
	script := "import " + strings.Join(modules, ", ")
	probeMu.Lock()
	err, done := probed[script]
	if !done {
		if out, e := exec.Command(Python, "-c", script).CombinedOutput(); e != nil {
			err = fmt.Errorf("%s cannot %q (%v: %s)", Python, script, e, bytes.TrimSpace(out))
		}
		probed[script] = err
	}
	probeMu.Unlock()
	if err == nil {
		return
	}
	if os.Getenv("CI") != "" {
		tb.Fatalf("%v; in CI this comparison must run: apt-get install -y %s", err, debs)
	}
	tb.Skipf("SKIPPED: %v; to run this comparison: apt-get install -y %s", err, debs)
}

// Run runs script with arguments and stdin (nil for none) and returns its
// standard output; when the script fails it fails tb with its standard
// error. Call Require first.
func Run(tb testing.TB, script string, stdin []byte, args ...string) []byte {
	tb.Helper()
	cmd := exec.Command(Python, append([]string{"-c", script}, args...)...)
	if stdin != nil {
		cmd.Stdin = bytes.NewReader(stdin)
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		tb.Fatalf("python: %v\n%s", err, stderr.String())
	}
	return out
}

// JSON runs script with in, as JSON, on its standard input and decodes its
// standard output into out.
func JSON(tb testing.TB, script string, in, out any) {
	tb.Helper()
	input, err := json.Marshal(in)
	if err != nil {
		tb.Fatal(err)
	}
	output := Run(tb, script, input)
	if err := json.Unmarshal(output, out); err != nil {
		tb.Fatalf("decoding python's output: %v\n%s", err, output)
	}
}
