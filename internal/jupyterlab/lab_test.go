package jupyterlab

import (
	"context"
	_ "embed"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"

	"github.com/reckon-dev/reckon/internal/browser"
)

// probe is the script the test puts into the page: window.probe.
//
//go:embed testdata/probe.js
var probe string

// output is one output of a code cell, as probe.outputs() describes it.
type output struct {
	Cell, Index         int
	Source, Type, Error string
	MIMEs               []string
	Plot                bool
	Text                string
	Images              int
	Vega                bool
	VegaDrawn           int
	Slider              bool
	Progress            bool
	Bar                 *float64
}

// event is a change of a cell's outputs: "add" or "set" (in place).
type event struct {
	Cell     int
	Type     string
	Progress bool
	Text     string
}

const vegaLite = "application/vnd.vegalite.v4+json"

// TestExampleNotebooksInJupyterLab opens each example notebook in
// JupyterLab 3.6.8 in headless Chromium, with the Reckon kernel built as
// users run it (without the race detector), runs every cell, and checks
// what a user would see: no cell failed; every plot drew, as a Vega
// canvas where it carries Vega-Lite (JupyterLab's choice over the PNG)
// and as a loaded image where it carries only a PNG; every progress bar
// was shown once, updated in place and ends done; hovering a point of a
// scatter shows a tooltip with its row id; moving the explore slider
// recolours the points. In the quickstart it then starts a long umap,
// clicks Kernel → Interrupt Kernel in the menu bar, and checks that the
// cell ends within a second of the click, as an interrupt, its progress
// bar stopped, and that the variables defined before are still there.
func TestExampleNotebooksInJupyterLab(t *testing.T) {
	browser.Require(t)
	Require(t)
	dir := t.TempDir()
	start := time.Now()
	bin := filepath.Join(dir, "reckon")
	build := exec.Command("go", "build", "-o", bin, "github.com/reckon-dev/reckon/cmd/reckon")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	t.Logf("go build of the kernel: %.1f s", time.Since(start).Seconds())
	prefix := filepath.Join(dir, "prefix")
	if out, err := exec.Command(bin, "install", "--prefix", prefix).CombinedOutput(); err != nil {
		t.Fatalf("reckon install: %v\n%s", err, out)
	}
	// Each notebook runs in a copy, so that what it writes beside itself
	// (the quickstart's report and exports) stays in the test's folder.
	root := filepath.Join(dir, "notebooks")
	if err := os.MkdirAll(root, 0o755); err != nil {
		t.Fatal(err)
	}
	examples, err := filepath.Glob(filepath.Join("..", "..", "examples", "*.ipynb"))
	if err != nil || len(examples) == 0 {
		t.Fatalf("no example notebooks: %v", err)
	}
	var names []string
	for _, src := range examples {
		b, err := os.ReadFile(src)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(root, filepath.Base(src)), b, 0o644); err != nil {
			t.Fatal(err)
		}
		names = append(names, filepath.Base(src))
	}

	start = time.Now()
	lab := Start(t, Options{Root: root, JupyterPath: filepath.Join(prefix, "share", "jupyter")})
	t.Logf("JupyterLab %s serving at %s after %.1f s", Version, lab.URL, time.Since(start).Seconds())
	ctx, cancel := browser.LoopbackContext(t, 15*time.Minute)
	defer cancel()
	if err := chromedp.Run(ctx); err != nil {
		t.Fatalf("starting chromium: %v", err)
	}

	for _, name := range names {
		t.Run(name, func(t *testing.T) {
			// A tab of its own: the page of a notebook a person changed
			// asks before it lets another load in its place.
			tab, closeTab := chromedp.NewContext(ctx)
			defer closeTab()
			problems := browser.Problems(tab)
			run := newRun(t, tab, lab, name)
			outs := run.all()
			checkPlots(t, outs)
			checkProgress(t, outs, run.events(), "done in")
			run.screenshot("")
			if !run.hover(outs) {
				t.Error("no interactive scatter to hover")
			}
			// The tuning notebook explores its clusterings.
			if slid := run.slide(outs); slid == 0 && name == "tuning.ipynb" {
				t.Error("no explore slider")
			}
			if name == "quickstart.ipynb" {
				run.interrupt(outs)
			}
			for _, p := range problems() {
				t.Errorf("the page reported: %s", p)
			}
		})
	}
}

// notebookRun is a notebook open in JupyterLab.
type notebookRun struct {
	t    *testing.T
	ctx  context.Context
	name string
}

// newRun opens the notebook and waits for its kernel.
func newRun(t *testing.T, ctx context.Context, lab *Server, name string) *notebookRun {
	r := &notebookRun{t: t, ctx: ctx, name: name}
	var info struct {
		Name, Kernel string
		Cells        int
	}
	start := time.Now()
	r.do("opening "+name,
		chromedp.Navigate(lab.Open(name)),
		chromedp.WaitVisible(`body[data-lab-restored]`),
		chromedp.Evaluate(probe, nil),
		chromedp.Evaluate(fmt.Sprintf("probe.opened(%q)", name), &info, browser.Await),
	)
	if info.Kernel != "Reckon" {
		t.Fatalf("%s opened with kernel %q, want Reckon", name, info.Kernel)
	}
	t.Logf("%s: %d cells, open with its kernel after %.1f s", name, info.Cells, time.Since(start).Seconds())
	return r
}

// do runs chromedp actions, failing the test with what it was doing.
func (r *notebookRun) do(what string, actions ...chromedp.Action) {
	r.t.Helper()
	if err := chromedp.Run(r.ctx, actions...); err != nil {
		r.t.Fatalf("%s: %s: %v", r.name, what, err)
	}
}

// all runs every cell and returns the outputs once the plots drew.
func (r *notebookRun) all() []output {
	start := time.Now()
	var ran bool
	r.do("running all cells", chromedp.Evaluate("probe.runAll()", &ran, browser.Await))
	if !ran {
		r.t.Errorf("%s: Run All Cells did not run them all", r.name)
	}
	r.t.Logf("%s: every cell ran in %.1f s", r.name, time.Since(start).Seconds())
	var outs []output
	r.do("waiting for the plots", chromedp.Evaluate("probe.drawn(30000)", &outs, browser.Await))
	for _, o := range outs {
		if o.Error != "" {
			r.t.Errorf("%s: cell %d failed with %s:\n%s", r.name, o.Cell, o.Error, o.Source)
		}
	}
	return outs
}

func (r *notebookRun) events() []event {
	var evs []event
	r.do("reading the output changes", chromedp.Evaluate("probe.events()", &evs))
	return evs
}

// checkPlots checks that every plot drew: as Vega where it carries
// Vega-Lite, as an image where it carries only a PNG.
func checkPlots(t *testing.T, outs []output) {
	t.Helper()
	plots, vega := 0, 0
	for _, o := range outs {
		if !o.Plot {
			continue
		}
		plots++
		if o.VegaDrawn > 0 {
			vega++
		}
		switch {
		case slices.Contains(o.MIMEs, vegaLite) && (!o.Vega || o.VegaDrawn == 0):
			t.Errorf("cell %d (%s) carries Vega-Lite, and JupyterLab drew %s", o.Cell, o.Source, drewWhat(o))
		case !slices.Contains(o.MIMEs, vegaLite) && o.Images == 0:
			t.Errorf("cell %d (%s) carries a PNG, and JupyterLab drew %s", o.Cell, o.Source, drewWhat(o))
		}
	}
	if plots == 0 {
		t.Error("no plots")
	}
	t.Logf("%d plots, %d of them drawn by Vega", plots, vega)
}

func drewWhat(o output) string {
	switch {
	case o.Vega:
		return "a Vega chart with no canvas"
	case o.Images > 0:
		return "its PNG"
	}
	return "nothing"
}

// checkProgress checks that each progress bar was shown once in an
// unfinished state, updated in place, and that it ends as last says
// ("done in", "stopped after"), full when done: a bar shown again for
// each update would leave unfinished bars behind.
func checkProgress(t *testing.T, outs []output, evs []event, last string) {
	t.Helper()
	updates := map[int]int{}
	for _, e := range evs {
		if !e.Progress {
			continue
		}
		switch e.Type {
		case "set":
			updates[e.Cell]++
		case "add":
			if strings.Contains(e.Text, last) {
				t.Errorf("cell %d showed a progress bar first in its final state, %q: it was never updated", e.Cell, e.Text)
			}
		}
	}
	for _, o := range outs {
		if !o.Progress {
			continue
		}
		if !strings.Contains(o.Text, last) {
			t.Errorf("cell %d (%s) ends with a progress bar reading %q; want %q: a bar was not updated in place", o.Cell, o.Source, o.Text, last)
		}
		if last == "done in" && (o.Bar == nil || *o.Bar != 1) {
			t.Errorf("cell %d (%s) ends with its bar at %v, want full", o.Cell, o.Source, o.Bar)
		}
		if updates[o.Cell] == 0 {
			t.Errorf("cell %d (%s): its progress bar was never updated in place", o.Cell, o.Source)
		}
	}
}

// hover moves the mouse onto the top point of the notebook's first
// interactive scatter and checks that the tooltip shows its row id. It
// returns whether there was one.
func (r *notebookRun) hover(outs []output) bool {
	for _, o := range outs {
		if !o.Vega || o.Slider {
			continue
		}
		view := fmt.Sprintf("probe.view(%d, %d)", o.Cell, o.Index)
		var p browser.VegaPoint
		r.do("finding a point",
			chromedp.Evaluate(fmt.Sprintf("probe.show(%d, %d)", o.Cell, o.Index), nil, browser.Await),
			chromedp.Evaluate("("+browser.VegaLastPoint+")("+view+")", &p))
		tooltip, err := browser.Hover(r.ctx, p)
		if err != nil {
			r.t.Fatalf("%s: hovering: %v", r.name, err)
		}
		r.screenshot("tooltip")
		if p.ID == "" || !strings.Contains(tooltip, p.ID) {
			r.t.Errorf("%s: hovering the point of row %q in cell %d (%s) shows the tooltip %q; want the row id", r.name, p.ID, o.Cell, o.Source, tooltip)
		} else {
			r.t.Logf("%s: hovering row %s in cell %d shows %q", r.name, p.ID, o.Cell, strings.Join(strings.Fields(tooltip), " "))
		}
		return true
	}
	return false
}

// slide moves each explore slider to its last value and checks that the
// points change colour. It returns how many it moved.
func (r *notebookRun) slide(outs []output) int {
	n := 0
	for _, o := range outs {
		if !o.Slider {
			continue
		}
		n++
		view := fmt.Sprintf("probe.view(%d, %d)", o.Cell, o.Index)
		var slid browser.Slid
		r.do("moving the slider",
			chromedp.Evaluate(fmt.Sprintf("probe.show(%d, %d)", o.Cell, o.Index), nil, browser.Await),
			chromedp.Evaluate(fmt.Sprintf("(%s)(%s, %s.container().querySelector('input[type=range]').max)", browser.VegaSlide, view, view), &slid, browser.Await))
		r.screenshot("slider")
		if slid.Before == slid.After {
			r.t.Errorf("%s: moving the slider of cell %d (%s) to %s left the canvas as it was", r.name, o.Cell, o.Source, slid.Slider)
		} else {
			r.t.Logf("%s: moving the slider of cell %d to %s recoloured the points", r.name, o.Cell, slid.Slider)
		}
	}
	return n
}

// The long cell the interrupt stops, and the one that shows a variable
// survived it.
const (
	longCell  = "long = umap(X, n_neighbors=15, n_epochs=100000, seed=7)"
	checkCell = "ari(cl, tracks.genre)"
)

// interrupt runs a long umap, clicks Kernel → Interrupt Kernel in the
// menu bar once its epochs run, and checks that the cell ends within a
// second of the click, as an interrupt with its progress bar stopped, and
// that cl is as it was.
func (r *notebookRun) interrupt(outs []output) {
	var before string
	for _, o := range outs {
		if o.Source == checkCell {
			before = o.Text
		}
	}
	if before == "" {
		r.t.Fatalf("%s has no cell %q to compare with", r.name, checkCell)
	}
	var cell int
	r.do("adding the long cell",
		chromedp.Evaluate(fmt.Sprintf("probe.append(%q)", longCell), &cell))
	// (Each action's arguments are taken when it is made: what depends on
	// cell is made after.)
	r.do("running the long cell",
		chromedp.Evaluate(fmt.Sprintf("probe.timeInterrupt(%d)", cell), nil),
		chromedp.Evaluate(fmt.Sprintf("void probe.run(%d)", cell), nil),
		chromedp.Evaluate(fmt.Sprintf("probe.showing(%d, 'umap: epochs', 60000)", cell), nil, browser.Await),
	)
	var menu, item struct{ X, Y float64 }
	// The mouse moves onto each item before it clicks, as a hand would:
	// Lumino's menus act on the item under the pointer.
	r.do("finding the Kernel menu", chromedp.Evaluate(`probe.where(".lm-MenuBar-item", "Kernel")`, &menu, browser.Await))
	r.do("opening the Kernel menu",
		chromedp.MouseEvent(input.MouseMoved, menu.X, menu.Y),
		chromedp.MouseClickXY(menu.X, menu.Y),
		chromedp.Evaluate(`probe.where('.lm-Menu-item[data-command="kernelmenu:interrupt"]')`, &item, browser.Await),
	)
	var times struct{ Click, Idle, Count float64 }
	r.do("clicking Interrupt Kernel",
		chromedp.MouseEvent(input.MouseMoved, item.X, item.Y),
		chromedp.MouseClickXY(item.X, item.Y),
		chromedp.Evaluate("probe.interruptTimes(10000)", &times, browser.Await),
	)
	r.do("showing the interrupted cell", chromedp.Evaluate(fmt.Sprintf("probe.show(%d)", cell), nil, browser.Await))
	r.screenshot("interrupt")
	if times.Click == 0 {
		r.t.Fatalf("%s: the click on Kernel → Interrupt Kernel did not reach the menu item", r.name)
	}
	if times.Idle == 0 || times.Count == 0 {
		r.t.Fatalf("%s: the long cell had not ended 10 s after Kernel → Interrupt Kernel (idle at %v ms, count at %v ms)", r.name, times.Idle-times.Click, times.Count-times.Click)
	}
	took := time.Duration((max(times.Idle, times.Count) - times.Click) * float64(time.Millisecond))
	r.t.Logf("%s: the long umap ended %s after the click on Kernel → Interrupt Kernel (kernel idle after %.0f ms, execution count shown after %.0f ms)",
		r.name, took.Round(time.Millisecond), times.Idle-times.Click, times.Count-times.Click)
	if took > time.Second {
		r.t.Errorf("%s: the long umap ended %s after Kernel → Interrupt Kernel; want within a second", r.name, took.Round(time.Millisecond))
	}

	var check int
	r.do("checking cl survived",
		chromedp.Evaluate(fmt.Sprintf("probe.append(%q)", checkCell), &check))
	r.do("running "+checkCell,
		chromedp.Evaluate(fmt.Sprintf("probe.run(%d)", check), nil, browser.Await),
		chromedp.Evaluate("probe.outputs()", &outs),
	)
	var interrupted, progress []output
	var after string
	for _, o := range outs {
		switch o.Cell {
		case cell:
			interrupted = append(interrupted, o)
			if o.Progress {
				progress = append(progress, o)
			}
		case check:
			after = o.Text
		}
	}
	if len(interrupted) == 0 || interrupted[len(interrupted)-1].Error != "KeyboardInterrupt" {
		r.t.Errorf("%s: the interrupted cell shows %+v; want a KeyboardInterrupt", r.name, interrupted)
	}
	if len(progress) != 1 {
		r.t.Errorf("%s: the interrupted cell shows %d progress bars, want 1", r.name, len(progress))
	}
	checkProgress(r.t, progress, r.events(), "stopped after")
	if after != before {
		r.t.Errorf("%s: after the interrupt %s gives %q, before it %q", r.name, checkCell, after, before)
	}
}

// screenshot saves what the page shows as the artifact
// jupyterlab-<notebook>[-what].png.
func (r *notebookRun) screenshot(what string) {
	r.t.Helper()
	var b []byte
	r.do("taking a screenshot", chromedp.CaptureScreenshot(&b))
	name := "jupyterlab-" + strings.TrimSuffix(r.name, ".ipynb")
	if what != "" {
		name += "-" + what
	}
	browser.Artifact(r.t, name+".png", b)
}
