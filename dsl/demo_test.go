package dsl

import (
	"strings"
	"testing"
)

func TestLoadDemo(t *testing.T) {
	s := NewSession(NewRegistry(), Options{QuietProgress: true})
	for src, want := range map[string]string{
		`load_demo()`:             "1,300 rows × 11 columns",
		`load_demo("tracks")`:     "track_id  genre",
		`load_demo("mnist", n=3)`: "3 rows × 785 columns",
		`select(load_demo("mnist", n=2), "label", "pixel783")`: "label  pixel783\n-----  --------\n7             0\n2             0",
	} {
		res, _, err := run(t, s, src)
		if err != nil {
			t.Fatalf("%s: %v", src, err)
		}
		if got := res.Value.String(); !strings.Contains(got, want) {
			t.Errorf("%s:\n%s\nwant %q in it", src, got, want)
		}
	}
	// The pixels are the digit's ink, scaled to [0, 1]: a 7 has some.
	res, _, err := run(t, s, `d = load_demo("mnist", n=1)
describe(drop(d, "label"))`)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(res.Value.String(), "pixel202") {
		t.Errorf("describe: %s", res.Value)
	}
	for src, want := range map[string]string{
		`load_demo("iris")`:           "`name` of `load_demo` must be one of \"tracks\", \"mnist\"",
		`load_demo("mnist", n=0)`:     "n must be a whole number of at least 1, not 0",
		`load_demo("mnist", n=10001)`: "n must be at most 10,000, not 10001; the built-in MNIST holds 10,000 digits",
		`load_demo("tracks", n=5)`:    "n applies to mnist",
	} {
		if _, _, err := run(t, s, src); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: error %v, want %q", src, err, want)
		}
	}
}
