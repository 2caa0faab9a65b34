package browser

import (
	"context"

	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// What tests of Reckon's Vega-Lite charts do in a page, wherever the
// chart is drawn (a page of vega-embed, JupyterLab): find a point, hover
// it, move a slider. The JavaScript takes a Vega View.

// VegaLastPoint is a JavaScript function of a View of a Reckon scatter
// that returns the last point drawn, on top of the others, as a
// [VegaPoint]: where it is on the page and its row id.
const VegaLastPoint = `(v) => {
	const d = v.data("data_0"), t = d[d.length - 1];
	// The event handler's origin, which counts vega-embed's padding as
	// View.origin does not.
	const [ox, oy] = v._handler._origin;
	const r = v.container().querySelector("canvas").getBoundingClientRect();
	return {X: r.left + ox + v.scale("x")(t.x), Y: r.top + oy + v.scale("y")(t.y), ID: String(t.i)};
}`

// VegaPoint is a point of a chart on the page, and its row id.
type VegaPoint struct {
	X, Y float64
	ID   string
}

// VegaSlide is a JavaScript function of a View and a value that moves
// the chart's first range input to the value, as a person dragging it
// would, waits for the View to redraw, and returns the canvas before and
// after as data URLs, and the value the slider then reads:
// {Before, After, Slider}.
const VegaSlide = `async (v, value) => {
	const c = v.container().querySelector("canvas");
	const slider = v.container().querySelector("input[type=range]");
	const before = c.toDataURL();
	slider.value = value;
	slider.dispatchEvent(new Event("input", {bubbles: true}));
	await v.runAsync();
	return {Before: before, After: c.toDataURL(), Slider: slider.value};
}`

// Slid is what VegaSlide returns.
type Slid struct{ Before, After, Slider string }

// Hover moves the mouse onto p, as a person would, and returns the text
// of the Vega tooltip once it shows, or "" when none shows within two
// seconds.
func Hover(ctx context.Context, p VegaPoint) (string, error) {
	var tooltip string
	err := chromedp.Run(ctx,
		chromedp.MouseEvent(input.MouseMoved, p.X-3, p.Y-3),
		chromedp.MouseEvent(input.MouseMoved, p.X, p.Y),
		chromedp.Evaluate(`new Promise(done => {
			let tries = 0;
			const look = () => {
				const el = document.getElementById("vg-tooltip-element");
				if (el && el.classList.contains("visible") || ++tries > 40) return done(el ? el.innerText : "");
				setTimeout(look, 50);
			};
			look();
		})`, &tooltip, Await),
	)
	return tooltip, err
}

// Await makes chromedp.Evaluate wait for the promise the expression gives.
func Await(p *runtime.EvaluateParams) *runtime.EvaluateParams { return p.WithAwaitPromise(true) }
