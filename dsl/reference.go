package dsl

import (
	"fmt"
	"strings"
)

// Reference is the language reference in Markdown, generated from the
// commands so that it cannot drift from them: a table per group, a row per
// command with its signature, defaults included, and its summary.
func (r *Registry) Reference() string {
	var b strings.Builder
	names, groups := grouped(r)
	for _, g := range names {
		fmt.Fprintf(&b, "\n#### %s\n\n| command | what it does |\n|---|---|\n", g)
		for _, c := range groups[g] {
			fmt.Fprintf(&b, "| `%s` | %s |\n", strings.ReplaceAll(c.Signature(), "|", `\|`), strings.ReplaceAll(c.Summary, "|", `\|`))
		}
	}
	return strings.TrimPrefix(b.String(), "\n")
}
