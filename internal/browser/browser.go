// Package browser opens a local HTML file in headless Chromium with the
// network cut off, for tests of what Reckon writes for people to open: it
// records every request the page makes, whether each image loaded, every
// src and href, and a full-page screenshot. LoopbackContext opens pages
// served on the loopback address instead (a JupyterLab), and vega.go has
// what tests do with Reckon's Vega-Lite charts in a page: hover a point,
// move a slider. Where Chromium is missing a test is skipped with the
// command that installs it, except in CI (CI set), where it fails.
package browser

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// candidates are the names Chromium goes by.
var candidates = []string{"chromium", "chromium-browser", "google-chrome", "headless-shell"}

// Require returns the path of Chromium, or skips tb (fails it in CI).
func Require(tb testing.TB) string {
	tb.Helper()
	for _, name := range candidates {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	msg := "no Chromium on PATH (looked for " + fmt.Sprint(candidates) + ")"
	if os.Getenv("CI") != "" {
		tb.Fatalf("%s; in CI this test must run: apt-get install -y chromium", msg)
	}
	tb.Skipf("SKIPPED: %s; to run this test: apt-get install -y chromium", msg)
	return ""
}

// Context starts headless Chromium whose network goes to a proxy that
// does not exist (file:// URLs still load) and returns a chromedp context
// for it, which expires after timeout; cancel stops the browser. It skips
// tb where Chromium is missing (fails it in CI).
func Context(tb testing.TB, timeout time.Duration) (ctx context.Context, cancel func()) {
	tb.Helper()
	return start(tb, timeout,
		// Even the loopback address goes to the proxy.
		chromedp.Flag("proxy-bypass-list", "<-loopback>"),
		chromedp.Flag("host-resolver-rules", "MAP * ~NOTFOUND"))
}

// LoopbackContext is Context for pages served on 127.0.0.1: that address
// alone is reached, and every other request goes to the proxy that does
// not exist.
func LoopbackContext(tb testing.TB, timeout time.Duration) (ctx context.Context, cancel func()) {
	tb.Helper()
	return start(tb, timeout,
		chromedp.Flag("proxy-bypass-list", "127.0.0.1"),
		chromedp.Flag("host-resolver-rules", "MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"))
}

func start(tb testing.TB, timeout time.Duration, network ...chromedp.ExecAllocatorOption) (ctx context.Context, cancel func()) {
	tb.Helper()
	exe := Require(tb)
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(exe),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.WindowSize(1100, 900),
		chromedp.UserDataDir(tb.TempDir()),
		// Every request that would leave the machine goes to port 9 of
		// the loopback address (discard), where nothing answers.
		chromedp.ProxyServer("127.0.0.1:9"),
	)
	opts = append(opts, network...)
	tctx, cancelTimeout := context.WithTimeout(context.Background(), timeout)
	actx, cancelAlloc := chromedp.NewExecAllocator(tctx, opts...)
	bctx, cancelBrowser := chromedp.NewContext(actx)
	return bctx, func() { cancelBrowser(); cancelAlloc(); cancelTimeout() }
}

// Problems records the exceptions and console errors of the page of ctx
// from now on, and returns a function that lists them.
func Problems(ctx context.Context) func() []string {
	var mu sync.Mutex
	var problems []string
	chromedp.ListenTarget(ctx, func(ev any) {
		mu.Lock()
		defer mu.Unlock()
		switch e := ev.(type) {
		case *runtime.EventExceptionThrown:
			problems = append(problems, "exception: "+e.ExceptionDetails.Error())
		case *runtime.EventConsoleAPICalled:
			if e.Type == runtime.APITypeError {
				var parts []string
				for _, a := range e.Args {
					parts = append(parts, string(a.Value)+a.Description)
				}
				problems = append(problems, "console error: "+strings.Join(parts, " "))
			}
		}
	})
	return func() []string {
		mu.Lock()
		defer mu.Unlock()
		return slices.Clone(problems)
	}
}

// Image is an <img> of the page as the browser loaded it.
type Image struct {
	Src          string
	NaturalWidth int
	Complete     bool
}

// Page is what the browser saw of a page.
type Page struct {
	Title string
	// Images are the page's images.
	Images []Image
	// Links are the src and href attributes of every element, with the
	// element's tag: "a href=#method".
	Links []Link
	// Requests are the URLs the page asked for beyond the page itself.
	Requests []string
	// Screenshot is a full-page PNG.
	Screenshot []byte
}

// Link is a src or href attribute.
type Link struct{ Tag, Attr, URL string }

// Open loads the HTML file at path in headless Chromium whose network goes
// to a proxy that does not exist, waits for it to load, and reports what
// it saw.
func Open(tb testing.TB, path string) Page {
	tb.Helper()
	abs, err := filepath.Abs(path)
	if err != nil {
		tb.Fatal(err)
	}
	bctx, cancel := Context(tb, 2*time.Minute)
	defer cancel()

	page := url.URL{Scheme: "file", Path: abs}
	var mu sync.Mutex
	var requests []string
	chromedp.ListenTarget(bctx, func(ev any) {
		if e, ok := ev.(*network.EventRequestWillBeSent); ok {
			u := e.Request.URL
			if u != page.String() && len(u) > 5 && u[:5] != "data:" {
				mu.Lock()
				requests = append(requests, u)
				mu.Unlock()
			}
		}
	})
	var p Page
	err = chromedp.Run(bctx,
		network.Enable(),
		chromedp.Navigate(page.String()),
		chromedp.WaitReady("body"),
		chromedp.Evaluate(`new Promise(done => {
			const wait = () => Array.from(document.images).every(i => i.complete) ? done(true) : setTimeout(wait, 50);
			wait();
		})`, nil, func(p *runtime.EvaluateParams) *runtime.EvaluateParams { return p.WithAwaitPromise(true) }),
		chromedp.Title(&p.Title),
		chromedp.Evaluate(`Array.from(document.images).map(i => ({Src: i.getAttribute("src") || "", NaturalWidth: i.naturalWidth, Complete: i.complete}))`, &p.Images),
		chromedp.Evaluate(`Array.from(document.querySelectorAll("[src],[href]")).flatMap(e => ["src", "href"].filter(a => e.hasAttribute(a)).map(a => ({Tag: e.tagName.toLowerCase(), Attr: a, URL: e.getAttribute(a)})))`, &p.Links),
		chromedp.FullScreenshot(&p.Screenshot, 100), // 100 is PNG,
	)
	if err != nil {
		tb.Fatalf("chromium on %s: %v", path, err)
	}
	mu.Lock()
	p.Requests = requests
	mu.Unlock()
	return p
}

// Artifact writes data under $RECKON_ARTIFACTS when it is set (CI keeps
// that folder), else under the test's temporary folder, and logs where.
func Artifact(tb testing.TB, name string, data []byte) string {
	tb.Helper()
	dir := os.Getenv("RECKON_ARTIFACTS")
	if dir == "" {
		dir = tb.TempDir()
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		tb.Fatal(err)
	}
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, data, 0o644); err != nil {
		tb.Fatal(err)
	}
	tb.Logf("artifact: %s (%d bytes)", p, len(data))
	return p
}
