package plot

import (
	"math"
	"strings"
	"testing"
)

func TestLinesAlt(t *testing.T) {
	nan := math.NaN()
	x := []float64{40, 5, 20, 10}
	series := []Series{
		{Name: "clusters", Y: []float64{2, 9, 4, 6}},
		{Name: "noise fraction", Y: []float64{0.4, 0.1, nan, 0.2}},
	}
	b, err := Lines(x, series, LinesOptions{XLabel: "min_cluster_size", Width: tw, Height: th})
	if err != nil {
		t.Fatal(err)
	}
	want := "Sweep over min_cluster_size, 4 values from 5 to 40, in 2 panels: " +
		"clusters 9 at 5, 6 at 10, 4 at 20, 2 at 40; noise fraction 0.1 at 5, 0.2 at 10, NaN at 20, 0.4 at 40."
	if got := b.Plain(); got != want {
		t.Errorf("alt text\n%q\nwant\n%q", got, want)
	}

	// Long sweeps are summarised.
	long := make([]float64, 30)
	ys := make([]float64, 30)
	for i := range long {
		long[i] = float64(i + 1)
		ys[i] = math.Sin(float64(i) / 5)
	}
	b, err = Lines(long, []Series{{Name: "ARI", Y: ys}}, LinesOptions{Width: tw, Height: th})
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range []string{"Sweep over the parameter, 30 values from 1 to 30, in 1 panel:", "ARI from 0 to", "highest 1 at 9"} {
		if !strings.Contains(b.Plain(), w) {
			t.Errorf("alt text %q lacks %q", b.Plain(), w)
		}
	}
}

// A missing value breaks the line: segments join only neighbours that are
// both present, in order of the parameter (here given as 4, 1, 2, 3).
func TestLinesBreakAtMissing(t *testing.T) {
	nan := math.NaN()
	for _, tc := range []struct {
		y        []float64
		segments int
	}{
		{[]float64{1, 2, 3, 4}, 3},
		{[]float64{1, nan, 3, 4}, 2},
		{[]float64{nan, nan, nan, nan}, 0},
		{[]float64{1, 2, nan, 4}, 1},
	} {
		x := []float64{4, 1, 2, 3}
		seg, pts := sweepLine(x, sortedOrder(x), tc.y, Category(0))
		if len(seg.lines) != tc.segments {
			t.Errorf("%v: %d segments, want %d", tc.y, len(seg.lines), tc.segments)
		}
		known := 0
		for _, v := range tc.y {
			if !math.IsNaN(v) {
				known++
			}
		}
		if len(pts.x) != known {
			t.Errorf("%v: %d markers, want %d", tc.y, len(pts.x), known)
		}
		for _, l := range seg.lines {
			if l[1].X <= l[0].X {
				t.Errorf("%v: segment %v runs backwards", tc.y, l)
			}
		}
	}
}
