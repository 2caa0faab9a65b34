package plot

import (
	"math/rand/v2"
	"slices"
	"testing"
)

func TestIsNoise(t *testing.T) {
	for _, tc := range []struct {
		label string
		want  bool
	}{
		{"-1", true},
		{"noise", true},
		{"3.noise", true},
		{"3.1.noise", true},
		{"3.-1", true},
		{"0", false},
		{"3.1", false},
		{"noisy", false},
		{"white noise", false},
		{"-10", false},
		{"", false},
	} {
		if got := IsNoise(tc.label); got != tc.want {
			t.Errorf("IsNoise(%q) = %v, want %v", tc.label, got, tc.want)
		}
	}
}

func TestCompareNatural(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		want int
	}{
		{"2", "10", -1},
		{"10", "2", 1},
		{"3.2", "3.10", -1},
		{"3.10", "3.10", 0},
		{"3", "3.1", -1},
		{"a2", "a10", -1},
		{"a", "b", -1},
		{"07", "7", 1},
		{"7", "07", -1},
		{"", "0", -1},
		{"rock", "pop", 1},
		{"x99999999999999999999", "x100000000000000000000", -1},
	} {
		if got := compareNatural(tc.a, tc.b); got != tc.want {
			t.Errorf("compareNatural(%q, %q) = %d, want %d", tc.a, tc.b, got, tc.want)
		}
	}
}

// Natural order is a total order: sorting any shuffle of the same labels
// gives the same result.
func TestCompareNaturalIsAnOrder(t *testing.T) {
	labels := []string{"0", "1", "2", "10", "11", "3.1", "3.10", "3.2", "3", "a", "a1", "a01", "b", "", "3.noise", "20.1.4"}
	want := slices.Clone(labels)
	slices.SortStableFunc(want, compareNatural)
	r := rand.New(rand.NewPCG(1, 1))
	for range 50 {
		got := slices.Clone(labels)
		r.Shuffle(len(got), func(i, j int) { got[i], got[j] = got[j], got[i] })
		slices.SortStableFunc(got, compareNatural)
		if !slices.Equal(got, want) {
			t.Fatalf("sort depends on input order: %q vs %q", got, want)
		}
	}
	for i := range want {
		for j := range want {
			if compareNatural(want[i], want[j]) != -compareNatural(want[j], want[i]) {
				t.Errorf("compareNatural(%q, %q) is not antisymmetric", want[i], want[j])
			}
		}
	}
}

func TestCategories(t *testing.T) {
	c := newCategories([]string{"10", "2", "-1", "2", "noise", "0", "10", "10"})
	if want := []string{"0", "2", "10"}; !slices.Equal(c.names, want) {
		t.Errorf("names %q, want %q", c.names, want)
	}
	if want := []int{1, 2, 3}; !slices.Equal(c.counts, want) {
		t.Errorf("counts %v, want %v", c.counts, want)
	}
	if c.noise != 2 || !slices.Equal(c.noiseNames, []string{"-1", "noise"}) {
		t.Errorf("noise %d %q, want 2 [-1 noise]", c.noise, c.noiseNames)
	}
	if _, _, ok := c.integerRange(); ok {
		t.Error("0, 2, 10 is not a consecutive range")
	}
	for _, tc := range []struct {
		labels   []string
		lo, hi   int
		ok       bool
		clusters bool
	}{
		{[]string{"1", "0", "2"}, 0, 2, true, true},
		{[]string{"3", "4"}, 3, 4, true, true},
		{[]string{"01", "2"}, 0, 0, false, true},
		{[]string{"0.1", "0.2"}, 0, 0, false, true},
		{[]string{"rock", "pop"}, 0, 0, false, false},
		{[]string{"rock", "-1"}, 0, 0, false, true},
		{[]string{"-1"}, 0, 0, false, true},
	} {
		c := newCategories(tc.labels)
		lo, hi, ok := c.integerRange()
		if ok != tc.ok || (ok && (lo != tc.lo || hi != tc.hi)) {
			t.Errorf("%q: integerRange = %d, %d, %v; want %d, %d, %v", tc.labels, lo, hi, ok, tc.lo, tc.hi, tc.ok)
		}
		if got := c.looksLikeClusters(); got != tc.clusters {
			t.Errorf("%q: looksLikeClusters = %v, want %v", tc.labels, got, tc.clusters)
		}
	}
}
