package jupyterlab

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/reckon-dev/reckon/internal/pyref"
)

// Version is the JupyterLab the bundle is built from.
const Version = "3.6.8"

// debs are the Debian packages the server runs on.
const debs = "python3-jupyterlab-server python3-jupyter-server"

// App is the folder of the JupyterLab app: package.json, main.py and,
// once built, build/.
func App() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "testdata", "app")
}

// sources are the files of App that the bundle is built from.
var sources = []string{"package.json", "package-lock.json", "index.js", "webpack.config.js"}

var (
	buildMu  sync.Mutex
	buildErr error
	built    bool
)

// Require skips tb, or fails it in CI, unless Debian's jupyterlab_server
// and jupyter_server, node and JupyterLab's npm packages are there.
func Require(tb testing.TB) {
	tb.Helper()
	pyref.Require(tb, debs, "jupyterlab_server", "jupyter_server")
	_, err := exec.LookPath("npx")
	if err == nil {
		_, err = os.Stat(filepath.Join(App(), "node_modules", "@jupyterlab", "builder", "package.json"))
	}
	if err != nil {
		missing(tb, fmt.Sprintf("node or JupyterLab's npm packages are missing (%v)", err),
			"cd "+App()+" && npm ci --no-audit --no-fund")
	}
}

// Build builds the JupyterLab bundle into App()/build with webpack, unless
// it is there and newer than its sources. It skips tb where node or the
// npm packages are missing (fails it in CI), and fails it when webpack
// does.
func Build(tb testing.TB) {
	tb.Helper()
	Require(tb)
	app := App()
	buildMu.Lock()
	defer buildMu.Unlock()
	if !built {
		built = true
		if stale(app) {
			start := time.Now()
			cmd := exec.Command("npx", "webpack")
			cmd.Dir = app
			if out, err := cmd.CombinedOutput(); err != nil {
				buildErr = fmt.Errorf("webpack in %s: %v\n%s", app, err, out)
			} else {
				tb.Logf("webpack built JupyterLab %s in %.1f s", Version, time.Since(start).Seconds())
			}
		}
	}
	if buildErr != nil {
		tb.Fatal(buildErr)
	}
}

// stale reports whether the bundle is missing or older than a source.
func stale(app string) bool {
	bundle, err := os.Stat(filepath.Join(app, "build", "bundle.js"))
	if err != nil {
		return true
	}
	for _, s := range sources {
		if fi, err := os.Stat(filepath.Join(app, s)); err != nil || fi.ModTime().After(bundle.ModTime()) {
			return true
		}
	}
	return false
}

// missing skips tb, or fails it in CI, saying what is missing and how to
// install it.
func missing(tb testing.TB, what, install string) {
	tb.Helper()
	if os.Getenv("CI") != "" {
		tb.Fatalf("%s; in CI this test must run: %s", what, install)
	}
	tb.Skipf("SKIPPED: %s; to run this test: %s", what, install)
}

// Server is a running JupyterLab.
type Server struct {
	// URL is its address, http://127.0.0.1:port, and Token the token
	// every request must carry.
	URL, Token string
	log        *bytes.Buffer
	logMu      *sync.Mutex
}

// Options say what a JupyterLab serves.
type Options struct {
	// Root is the folder of notebooks it opens.
	Root string
	// JupyterPath is the JUPYTER_PATH its kernelspecs are found on.
	JupyterPath string
}

// Start builds the bundle (see Build) and serves it with LabServerApp on
// a free loopback port, with a configuration, runtime and settings folder
// of its own; the server and its kernels stop when tb ends.
func Start(tb testing.TB, opts Options) *Server {
	tb.Helper()
	Build(tb)

	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	token := make([]byte, 16)
	if _, err := rand.Read(token); err != nil {
		tb.Fatal(err)
	}
	s := &Server{URL: "http://127.0.0.1:" + strconv.Itoa(port), Token: hex.EncodeToString(token), log: &bytes.Buffer{}, logMu: &sync.Mutex{}}

	home := tb.TempDir()
	cmd := exec.Command(pyref.Python, filepath.Join(App(), "main.py"),
		"--ServerApp.ip=127.0.0.1", "--ServerApp.port="+strconv.Itoa(port), "--ServerApp.port_retries=0",
		"--ServerApp.token="+s.Token, "--ServerApp.open_browser=False", "--ServerApp.allow_root=True",
		"--ServerApp.root_dir="+opts.Root)
	cmd.Env = append(os.Environ(),
		"JUPYTER_PATH="+opts.JupyterPath,
		"JUPYTER_DATA_DIR="+filepath.Join(home, "data"),
		"JUPYTER_RUNTIME_DIR="+filepath.Join(home, "runtime"),
		"JUPYTER_CONFIG_DIR="+filepath.Join(home, "config"),
		"JUPYTER_PLATFORM_DIRS=1",
	)
	w := lockedWriter{s.logMu, s.log}
	cmd.Stdout, cmd.Stderr = w, w
	if err := cmd.Start(); err != nil {
		tb.Fatal(err)
	}
	exited := make(chan struct{})
	var waitErr error
	go func() { waitErr = cmd.Wait(); close(exited) }()
	tb.Cleanup(func() {
		// SIGTERM lets jupyter_server shut its kernels down first.
		cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-exited:
		case <-time.After(15 * time.Second):
			cmd.Process.Kill()
			<-exited
		}
		if tb.Failed() {
			tb.Logf("JupyterLab's log:\n%s", s.Log())
		}
	})

	deadline := time.Now().Add(60 * time.Second)
	for {
		resp, err := http.Get(s.URL + "/api/status?token=" + s.Token)
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return s
			}
		}
		select {
		case <-exited:
			tb.Fatalf("JupyterLab's server exited: %v\n%s", waitErr, s.Log())
		case <-time.After(100 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			tb.Fatalf("JupyterLab's server did not answer within a minute:\n%s", s.Log())
		}
	}
}

// Log is what the server has written.
func (s *Server) Log() string {
	s.logMu.Lock()
	defer s.logMu.Unlock()
	return s.log.String()
}

// Open is the address that opens the notebook at path, relative to Root,
// alone: reset clears the workspace, which would open again what was open
// before.
func (s *Server) Open(path string) string {
	return s.URL + "/lab/tree/" + filepath.ToSlash(path) + "?reset&token=" + s.Token
}

type lockedWriter struct {
	mu *sync.Mutex
	b  *bytes.Buffer
}

func (w lockedWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.b.Write(p)
}
