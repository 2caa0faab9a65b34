package reckon_test

import (
	"flag"
	"os"
	"strings"
	"testing"

	"github.com/reckon-dev/reckon/dsl"
)

var update = flag.Bool("update", false, "rewrite README.md's language reference from the command registry")

// The README's language reference sits between these markers.
const (
	refBegin = "<!-- BEGIN LANGUAGE REFERENCE: generated from the command registry by `go generate .`; do not edit -->\n"
	refEnd   = "<!-- END LANGUAGE REFERENCE -->"
)

// TestREADMELanguageReference fails when the README's reference and the
// commands disagree; `go generate .` (or this test with -update) rewrites it.
func TestREADMELanguageReference(t *testing.T) {
	raw, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	readme := string(raw)
	i, j := strings.Index(readme, refBegin), strings.Index(readme, refEnd)
	if i < 0 || j < i {
		t.Fatalf("README.md lacks the markers of the language reference:\n%s...\n%s", refBegin, refEnd)
	}
	want := dsl.NewRegistry().Reference()
	got := readme[i+len(refBegin) : j]
	if strings.TrimSpace(got) == strings.TrimSpace(want) {
		return
	}
	if *update {
		if err := os.WriteFile("README.md", []byte(readme[:i+len(refBegin)]+want+"\n"+readme[j:]), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	t.Errorf("README.md's language reference differs from the commands; regenerate it with\n\n\tgo generate .\n\n(which runs: go test -run TestREADMELanguageReference -update .)")
}
