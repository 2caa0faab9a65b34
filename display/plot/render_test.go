package plot

import (
	"bytes"
	"encoding/base64"
	"image/png"
	"strings"
	"sync"
	"testing"

	"gonum.org/v1/plot/vg/draw"

	"github.com/reckon-dev/reckon/display"
)

func pngBytes(t testing.TB, b display.Bundle) []byte {
	t.Helper()
	s, ok := b.Data["image/png"].(string)
	if !ok {
		t.Fatalf("bundle has no image/png string: %v", b.Data)
	}
	data, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		t.Fatalf("image/png is not base64: %v", err)
	}
	return data
}

// Every plot is a bundle Jupyter can show: alt text, a base64 PNG at
// PixelRatio times the size its metadata gives, and SVG only when asked.
func TestBundleShape(t *testing.T) {
	for _, format := range []Format{"", PNG, SVG} {
		for _, p := range allPlots(format) {
			t.Run(string(format)+" "+p.name, func(t *testing.T) { checkBundle(t, p, format) })
		}
	}
}

func checkBundle(t *testing.T, p namedPlot, format Format) {
	b, err := p.render()
	if err != nil {
		t.Fatal(err)
	}
	if alt := b.Plain(); len(alt) < 40 || strings.Contains(alt, "%!") {
		t.Errorf("alt text %q is missing or malformed", alt)
	}
	cfg, err := png.DecodeConfig(bytes.NewReader(pngBytes(t, b)))
	if err != nil {
		t.Fatalf("image/png does not decode: %v", err)
	}
	meta, ok := b.Metadata["image/png"].(map[string]any)
	if !ok {
		t.Fatalf("metadata has no image/png entry: %v", b.Metadata)
	}
	w, h := meta["width"].(int), meta["height"].(int)
	if cfg.Width != PixelRatio*w || cfg.Height != PixelRatio*h {
		t.Errorf("PNG is %d×%d pixels, metadata says %d×%d at ratio %d", cfg.Width, cfg.Height, w, h, PixelRatio)
	}
	svg, ok := b.Data["image/svg+xml"].(string)
	if format != SVG {
		if ok || len(b.Data) != 2 {
			t.Errorf("format %q: bundle holds %d forms (SVG: %v), want PNG and text only", format, len(b.Data), ok)
		}
		return
	}
	if !ok || !strings.Contains(svg, "<svg") || !strings.HasSuffix(strings.TrimSpace(svg), "</svg>") {
		t.Errorf("small plot asked for as SVG should carry a complete SVG")
	}
}

// The same input gives the same bytes, whatever else is being drawn at
// the same time: two goroutines draw every plot, in opposite orders.
func TestDeterministic(t *testing.T) {
	plots := allPlots(SVG)
	var wg sync.WaitGroup
	got := [2][]display.Bundle{make([]display.Bundle, len(plots)), make([]display.Bundle, len(plots))}
	for g := range got {
		wg.Go(func() {
			for k := range plots {
				i := k
				if g == 1 {
					i = len(plots) - 1 - k
				}
				b, err := plots[i].render()
				if err != nil {
					t.Errorf("%s: %v", plots[i].name, err)
					return
				}
				got[g][i] = b
			}
		})
	}
	wg.Wait()
	for i, p := range plots {
		a, b := got[0][i], got[1][i]
		if a.Data["image/png"] != b.Data["image/png"] {
			t.Errorf("%s: PNG differs between renderings", p.name)
		}
		if a.Data["image/svg+xml"] != b.Data["image/svg+xml"] {
			t.Errorf("%s: SVG differs between renderings", p.name)
		}
		if a.Plain() != b.Plain() {
			t.Errorf("%s: alt text differs between renderings", p.name)
		}
	}
}

func TestWantSVG(t *testing.T) {
	for _, tc := range []struct {
		format Format
		points int
		want   bool
	}{
		{"", 0, false},
		{PNG, 1, false},
		{SVG, 0, true},
		{SVG, 1, true},
		{SVG, MaxSVGPoints, true},
		{SVG, MaxSVGPoints + 1, false},
		{SVG, 70000, false},
	} {
		if got := wantSVG(tc.format, tc.points); got != tc.want {
			t.Errorf("wantSVG(%q, %d) = %v, want %v", tc.format, tc.points, got, tc.want)
		}
	}
}

// A scatter asked for as SVG just over the threshold carries PNG only.
func TestScatterSVGThreshold(t *testing.T) {
	for _, tc := range []struct {
		n       int
		wantSVG bool
	}{
		{200, true},
		{MaxSVGPoints + 1, false},
	} {
		x, y, labels, _ := blobs(tc.n, 4, 7)
		b, err := Scatter(x, y, ScatterOptions{Labels: labels, Width: tw, Height: th, Format: SVG})
		if err != nil {
			t.Fatal(err)
		}
		if _, got := b.Data["image/svg+xml"]; got != tc.wantSVG {
			t.Errorf("%d points: SVG present = %v, want %v", tc.n, got, tc.wantSVG)
		}
		if _, ok := b.Data["image/png"]; !ok {
			t.Errorf("%d points: no PNG", tc.n)
		}
	}
}

// A panic inside drawing (gonum/plot's way of refusing a layout) becomes
// an error, so that the kernel survives a plot that cannot be drawn.
func TestDrawPanicIsError(t *testing.T) {
	f := figure{width: 200, height: 200, draw: func(draw.Canvas) { panic("impossible layout") }}
	_, err := f.bundle("alt", PNG)
	if err == nil || !strings.Contains(err.Error(), "plot: drawing failed: impossible layout") {
		t.Errorf("err = %v", err)
	}
}
