package dsl

import (
	"strings"
	"testing"
)

// Plots are PNG with a text twin unless SVG is asked for, by the command's
// format or by the session's plot_format; the command's own choice wins.
func TestPlotFormat(t *testing.T) {
	s, _ := dataSession(t)
	if _, _, err := run(t, s, `X = select(tracks, "energy", "track_id")
emb = pca(X, seed=1)`); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		src     string
		wantSVG bool
	}{
		{`plot(emb)`, false},
		{`plot(emb, format="svg")`, true},
		{`plot(emb, format="png")`, false},
		{`get_option("plot_format")`, false},
		{`set_option("plot_format", "svg")`, false},
		{`plot(emb)`, true},
		{`plot(emb, format="png")`, false},
		{`set_option("plot_format", "png")`, false},
		{`plot(emb)`, false},
	} {
		res, _, err := run(t, s, tc.src)
		if err != nil {
			t.Fatalf("%s: %v", tc.src, err)
		}
		if res.Value == nil {
			continue
		}
		b := Bundle(res.Value)
		if !strings.HasPrefix(tc.src, "plot") {
			if b.Plain() != `"png"` {
				t.Errorf("%s = %s, want \"png\"", tc.src, b.Plain())
			}
			continue
		}
		_, svg := b.Data["image/svg+xml"]
		_, png := b.Data["image/png"]
		if svg != tc.wantSVG || !png {
			t.Errorf("%s: SVG %v (want %v), PNG %v", tc.src, svg, tc.wantSVG, png)
		}
	}
	for src, want := range map[string]string{
		`set_option("plot_format", "jpeg")`: `plot_format must be "png" or "svg", not the string "jpeg"`,
		`set_option("plot_fromat", "svg")`:  "did you mean",
		`plot(emb, format="pdf")`:           "`format` of `plot` must be one of",
	} {
		if _, _, err := run(t, s, src); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: error %v, want %q", src, err, want)
		}
	}
}
