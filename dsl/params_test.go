package dsl

import (
	"strings"
	"testing"
)

// Each -p value becomes the literal the language reads, and the injected
// cell sets exactly those values when run.
func TestParameterSource(t *testing.T) {
	src, err := ParameterSource([]string{"n=500", "rate=-1.5e-3", "on=true", "off=False", "nothing=none",
		"name=tracks", "path=data/a b.csv", `odd=say "hi"\n`, "empty=", "version=1.2.3", "hex=0x10", "inf=Inf"})
	if err != nil {
		t.Fatal(err)
	}
	s := NewSession(newCoreRegistry(), Options{})
	if _, _, err := run(t, s, src); err != nil {
		t.Fatalf("%s\n%v", src, err)
	}
	for name, want := range map[string]string{
		"n": "500", "rate": "-0.0015", "on": "true", "off": "false", "nothing": "none",
		"name": `"tracks"`, "path": `"data/a b.csv"`, "odd": `"say \"hi\"\\n"`, "empty": `""`,
		"version": `"1.2.3"`, "hex": `"0x10"`, "inf": `"Inf"`,
	} {
		v, ok := s.Get(name)
		if !ok || v.String() != want {
			t.Errorf("%s = %v, want %s (source:\n%s)", name, v, want, src)
		}
	}
	for _, bad := range []string{"n", "1n=2", "true=1", "a-b=1", "=3"} {
		if _, err := ParameterSource([]string{bad}); err == nil || !strings.Contains(err.Error(), "parameter") {
			t.Errorf("%q: error %v", bad, err)
		}
	}
}

// Whatever ParameterSource accepts runs, and a value that is not a
// number, bool or none arrives as exactly the text given.
func FuzzParameterSource(f *testing.F) {
	for _, s := range []string{"n=500", "x=-1e-3", "s=a \"b\" \\ c", "b=True", "t=\t\n\u00e9", "bad", "1=2"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, param string) {
		src, err := ParameterSource([]string{param})
		if err != nil {
			return
		}
		s := NewSession(newCoreRegistry(), Options{})
		if _, _, err := run(t, s, src); err != nil {
			t.Fatalf("%q gave code that fails: %v\n%s", param, err, src)
		}
		name, value, _ := strings.Cut(param, "=")
		v, ok := s.Get(strings.TrimSpace(name))
		if !ok {
			t.Fatalf("%q set nothing:\n%s", param, src)
		}
		if str, isString := v.(String); isString && string(str) != value {
			t.Fatalf("%q arrived as %q", param, string(str))
		}
	})
}
