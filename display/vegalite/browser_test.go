package vegalite

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"

	"github.com/reckon-dev/reckon/internal/browser"
)

// The scripts a page needs to draw the specs as JupyterLab 3.6 does:
// Vega, Vega-Lite 4 and vega-embed, from testdata's packages.
var embedScripts = []string{"vega/build/vega.min.js", "vega-lite-4/build/vega-lite.min.js", "vega-embed/build/vega-embed.min.js"}

// TestSpecsDrawInABrowser draws a scatter and an explore chart in headless
// Chromium with the network cut off, through vega-embed as JupyterLab
// does, and uses them as a person would: every chart draws a canvas,
// hovering a point shows its row id in a tooltip, clicking a legend entry
// picks out its cluster, moving the explore
// slider recolours the points, and the console stays free of errors.
func TestSpecsDrawInABrowser(t *testing.T) {
	requireNode(t)
	modules, err := filepath.Abs(filepath.Join("testdata", "node_modules"))
	if err != nil {
		t.Fatal(err)
	}
	x, y, labels, prob, ids, genre, _ := blobs(3000, 5, 9)
	scatter, err := Scatter(x, y, ScatterOptions{Title: "clusters", Labels: labels, Probabilities: prob, ID: &Column{Name: "track_id", Text: ids}, Tooltip: []Column{{Name: "genre", Text: genre}}})
	if err != nil {
		t.Fatal(err)
	}
	explore := exploreSpecs(t)["explore"]
	specs, _ := json.Marshal(map[string]json.RawMessage{"scatter": scatter, "explore": explore})

	var page strings.Builder
	page.WriteString("<!doctype html><meta charset=utf-8><title>specs</title>")
	for _, s := range embedScripts {
		fmt.Fprintf(&page, "<script src=\"file://%s\"></script>", filepath.ToSlash(filepath.Join(modules, s)))
	}
	page.WriteString(`<div id="scatter" class="chart"></div><div id="explore" class="chart"></div><script>
window.views = {};
window.drawn = Promise.all(Object.entries(` + string(specs) + `).map(([id, spec]) =>
  vegaEmbed("#" + id, spec, {renderer: "canvas", actions: false}).then(r => { window.views[id] = r.view; })));
</script>`)
	path := filepath.Join(t.TempDir(), "specs.html")
	if err := os.WriteFile(path, []byte(page.String()), 0o644); err != nil {
		t.Fatal(err)
	}

	ctx, cancel := browser.Context(t, 2*time.Minute)
	defer cancel()
	problems := browser.Problems(ctx)
	var canvases map[string]int
	var point browser.VegaPoint
	err = chromedp.Run(ctx,
		chromedp.Navigate("file://"+filepath.ToSlash(path)),
		chromedp.Evaluate(`window.drawn.then(() => true)`, nil, browser.Await),
		chromedp.Evaluate(`Object.fromEntries(Array.from(document.querySelectorAll(".chart")).map(c => [c.id, c.querySelectorAll("canvas, svg").length]))`, &canvases),
		// The last point drawn, on top of the others, where the mouse
		// will hover.
		chromedp.Evaluate("("+browser.VegaLastPoint+")(window.views.scatter)", &point),
	)
	if err != nil {
		t.Fatalf("chromium: %v", err)
	}
	for _, id := range []string{"scatter", "explore"} {
		if canvases[id] == 0 {
			t.Errorf("chart %s drew no canvas or svg", id)
		}
	}

	tooltip, err := browser.Hover(ctx, point)
	if err != nil {
		t.Fatalf("chromium: hovering: %v", err)
	}
	for _, want := range []string{"track_id", point.ID, "cluster", "probability", "genre"} {
		if !strings.Contains(tooltip, want) {
			t.Errorf("the tooltip over point %s reads %q; want it to show %q", point.ID, tooltip, want)
		}
	}

	// Clicking the legend entry of cluster 1 picks it out: the other
	// points fade.
	var entry struct{ X, Y float64 }
	var before, after string
	var picked int
	err = chromedp.Run(ctx,
		chromedp.Evaluate(`(() => {
			const v = window.views.scatter;
			const found = [];
			const visit = (item) => {
				for (const m of item.items || []) {
					if (m.role === "legend-symbol") found.push(...m.items.filter(i => i.datum && i.datum.value === "1"));
					for (const i of m.items || []) if (i.items) visit(i);
				}
			};
			visit(v.scenegraph().root.items[0]);
			const it = found[0];
			let x = (it.bounds.x1 + it.bounds.x2) / 2, y = (it.bounds.y1 + it.bounds.y2) / 2;
			for (let g = it.mark.group; g; g = g.mark && g.mark.group) { x += g.x || 0; y += g.y || 0; }
			const [ox, oy] = v._handler._origin;
			const r = v.container().querySelector("canvas").getBoundingClientRect();
			return {X: r.left + ox + x, Y: r.top + oy + y};
		})()`, &entry),
		chromedp.Evaluate(`document.querySelector("#scatter canvas").toDataURL()`, &before),
	)
	if err != nil {
		t.Fatalf("chromium: finding the legend: %v", err)
	}
	// Vega clicks the item the pointer last moved over: move first.
	err = chromedp.Run(ctx,
		chromedp.MouseEvent(input.MouseMoved, entry.X, entry.Y),
		chromedp.MouseClickXY(entry.X, entry.Y),
		chromedp.Evaluate(`window.views.scatter.runAsync().then(v => v.data("pick_store").length)`, &picked, browser.Await),
		chromedp.Evaluate(`document.querySelector("#scatter canvas").toDataURL()`, &after),
	)
	if err != nil {
		t.Fatalf("chromium: clicking the legend: %v", err)
	}
	if picked != 1 || before == after {
		t.Errorf("clicking the legend entry of cluster 1 at (%.0f, %.0f) picked %d clusters and changed the canvas: %v", entry.X, entry.Y, picked, before != after)
	}

	var slid browser.Slid
	err = chromedp.Run(ctx, chromedp.Evaluate("("+browser.VegaSlide+")(window.views.explore, 2)", &slid, browser.Await))
	if err != nil {
		t.Fatalf("chromium: sliding: %v", err)
	}
	if slid.Slider != "2" || slid.Before == slid.After {
		t.Errorf("moving the explore slider to 2 (it reads %q) left the canvas as it was", slid.Slider)
	}
	for _, p := range problems() {
		t.Error(p)
	}
}
