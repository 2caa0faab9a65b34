package main

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/reckon-dev/reckon/internal/jupytertest"
	"github.com/reckon-dev/reckon/internal/pyref"
)

var (
	buildOnce sync.Once
	binPath   string
	buildErr  error
)

// binary builds the reckon binary once per test run, with the race
// detector when the tests have it.
func binary(t testing.TB) string {
	t.Helper()
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "reckon-bin-")
		if err != nil {
			buildErr = err
			return
		}
		binPath = filepath.Join(dir, "reckon")
		args := []string{"build", "-o", binPath}
		if raceEnabled {
			args = append(args, "-race")
		}
		out, err := exec.Command("go", append(args, ".")...).CombinedOutput()
		if err != nil {
			buildErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return binPath
}

// kernelProcess is the reckon binary running as a kernel.
type kernelProcess struct {
	cmd    *exec.Cmd
	c      *jupytertest.Client
	stderr *syncBuffer
	done   chan error
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// startKernel starts `reckon kernel` on a fresh connection file and
// connects a client to it, as Jupyter would.
func startKernel(t testing.TB) *kernelProcess {
	t.Helper()
	bin := binary(t)
	ci, err := jupytertest.FreeConnection("e2e-key")
	if err != nil {
		t.Fatal(err)
	}
	path, err := jupytertest.WriteConnectionFile(t.TempDir(), ci)
	if err != nil {
		t.Fatal(err)
	}
	k := &kernelProcess{cmd: exec.Command(bin, "kernel", path), stderr: &syncBuffer{}, done: make(chan error, 1)}
	k.cmd.Stderr = k.stderr
	if err := k.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { k.done <- k.cmd.Wait() }()
	t.Cleanup(func() {
		if k.c != nil {
			k.c.Close()
		}
		select {
		case <-k.done:
		default:
			k.cmd.Process.Kill()
			<-k.done
		}
		if strings.Contains(k.stderr.String(), "WARNING: DATA RACE") || strings.Contains(k.stderr.String(), "panic:") {
			t.Errorf("the kernel reported:\n%s", k.stderr.String())
		}
	})
	c, err := jupytertest.Dial(ci)
	if err != nil {
		t.Fatal(err)
	}
	k.c = c
	if err := c.WaitReady(30 * time.Second); err != nil {
		t.Fatalf("%v\nkernel stderr:\n%s", err, k.stderr.String())
	}
	return k
}

// python returns the interpreter when it can import every module, and
// otherwise skips the test — except in CI, where these tests must run.
func python(t *testing.T, debianPackages string, modules ...string) string {
	t.Helper()
	pyref.Require(t, debianPackages, modules...)
	return pyref.Python
}

// installSpec installs the kernelspec of the test binary under a temporary
// prefix and returns the JUPYTER_PATH that finds it.
func installSpec(t *testing.T) string {
	t.Helper()
	prefix := t.TempDir()
	out, err := exec.Command(binary(t), "install", "--prefix", prefix).CombinedOutput()
	if err != nil {
		t.Fatalf("reckon install: %v\n%s", err, out)
	}
	return filepath.Join(prefix, "share", "jupyter")
}

// jupyterEnv is the environment for Jupyter tools finding the test
// kernelspec and nothing of the user's.
func jupyterEnv(t *testing.T, jupyterPath string) []string {
	home := t.TempDir()
	return append(os.Environ(),
		"JUPYTER_PATH="+jupyterPath,
		"JUPYTER_DATA_DIR="+filepath.Join(home, "data"),
		"JUPYTER_RUNTIME_DIR="+filepath.Join(home, "runtime"),
		"JUPYTER_CONFIG_DIR="+filepath.Join(home, "config"),
		"IPYTHONDIR="+filepath.Join(home, "ipython"),
		"JUPYTER_PLATFORM_DIRS=1",
	)
}
