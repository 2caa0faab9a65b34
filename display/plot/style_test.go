package plot

import (
	"math"
	"slices"
	"strings"
	"testing"
)

func TestCount(t *testing.T) {
	for n, want := range map[int]string{0: "0", 7: "7", 999: "999", 1000: "1,000", 70000: "70,000", 1234567: "1,234,567", -4500: "-4,500"} {
		if got := count(n); got != want {
			t.Errorf("count(%d) = %q, want %q", n, got, want)
		}
	}
}

func TestNum(t *testing.T) {
	for _, tc := range []struct {
		v    float64
		want string
	}{
		{0, "0"},
		{12.345, "12.3"},
		{0.0123, "0.0123"},
		{-0.5, "-0.5"},
		{12345.6, "12,346"},
		{0.00001234, "1.23e-05"},
		{math.Inf(1), "∞"},
		{math.NaN(), "NaN"},
	} {
		if got := num(tc.v); got != tc.want {
			t.Errorf("num(%v) = %q, want %q", tc.v, got, tc.want)
		}
	}
}

// shapValue matches shap's format_value: printf, trailing zeros dropped.
func TestShapValue(t *testing.T) {
	for _, tc := range []struct {
		v      float64
		dec    int
		signed bool
		want   string
	}{
		{0.4, 2, true, "+0.4"},
		{1, 2, true, "+1"},
		{-0.256, 2, true, "-0.26"},
		{10.98512, 3, false, "10.985"},
		{100, 3, false, "100"},
		{100, 0, false, "100"},
		{-0.001, 2, true, "0"},
		{0, 2, true, "+0"},
	} {
		if got := shapValue(tc.v, tc.dec, tc.signed); got != tc.want {
			t.Errorf("shapValue(%v, %d, %v) = %q, want %q", tc.v, tc.dec, tc.signed, got, tc.want)
		}
	}
}

func TestTickLabels(t *testing.T) {
	for _, tc := range []struct {
		vals []float64
		want []string
	}{
		{[]float64{0, 0.1, 0.2, 0.30000000000000004}, []string{"0.0", "0.1", "0.2", "0.3"}},
		{[]float64{0, 0.05, 0.1}, []string{"0.00", "0.05", "0.10"}},
		{[]float64{0, 5000, 10000}, []string{"0", "5000", "10000"}},
		{[]float64{-2, 0, 2}, []string{"−2", "0", "2"}},
		{[]float64{2e6, 4e6}, []string{"2e+06", "4e+06"}},
		{[]float64{1e-5, 2e-5}, []string{"1e-05", "2e-05"}},
	} {
		if got := tickLabels(tc.vals); !slices.Equal(got, tc.want) {
			t.Errorf("tickLabels(%v) = %q, want %q", tc.vals, got, tc.want)
		}
	}
}

// Ticks stay in range, are few, step by 1, 2, 2.5 or 5 times a power of
// ten, and are labelled without float noise.
func TestCompactTicks(t *testing.T) {
	for _, r := range [][2]float64{{0, 1}, {0.02, 0.31}, {-3.3, 3.4}, {0, 5000}, {6.7, 13.3}, {1e-3, 2e-3}, {-1e9, 1e9}, {99.5, 100.5}} {
		ts := compactTicks{}.Ticks(r[0], r[1])
		var major []float64
		for _, tk := range ts {
			if tk.Value < r[0]-1e-9*math.Abs(r[1]-r[0]) || tk.Value > r[1]+1e-9*math.Abs(r[1]-r[0]) {
				t.Errorf("range %v: tick %v outside", r, tk.Value)
			}
			if tk.Label != "" {
				major = append(major, tk.Value)
				if strings.Contains(tk.Label, "000000") || strings.Contains(tk.Label, "999999") {
					t.Errorf("range %v: noisy label %q", r, tk.Label)
				}
			}
		}
		if len(major) < 2 || len(major) > 7 {
			t.Errorf("range %v: %d labelled ticks %v", r, len(major), major)
			continue
		}
		step := major[1] - major[0]
		m := step / math.Pow(10, math.Floor(math.Log10(step)+1e-9))
		nice := false
		for _, n := range []float64{1, 2, 2.5, 5, 10} {
			nice = nice || math.Abs(m-n) < 1e-6
		}
		if !nice {
			t.Errorf("range %v: step %v is not 1, 2, 2.5 or 5 times a power of ten", r, step)
		}
	}
	if ts := (compactTicks{}).Ticks(3, 3); len(ts) != 1 || ts[0].Label != "3" {
		t.Errorf("collapsed range: %v", ts)
	}
}

func TestTruncate(t *testing.T) {
	if got := truncate("acousticness", 20); got != "acousticness" {
		t.Error(got)
	}
	if got := truncate("a very long feature name indeed", 10); got != "a very lo…" || len([]rune(got)) != 10 {
		t.Errorf("truncate = %q", got)
	}
	if got := truncate("ééééé", 3); got != "éé…" {
		t.Errorf("truncate of runes = %q", got)
	}
}
