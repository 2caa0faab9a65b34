package dsl

import (
	"fmt"
	"html"
	"sort"
	"strings"

	"github.com/reckon-dev/reckon/display"
)

// CommandValue is a command named without calling it: it shows its help.
type CommandValue struct{ Cmd *Command }

func (CommandValue) Type() string { return "command" }

func (c CommandValue) String() string { return c.Cmd.Signature() }

// Display shows the command's help.
func (c CommandValue) Display() display.Bundle { return commandHelp(c.Cmd, 1).Display() }

// HelpValue is a page of help, as text and as HTML.
type HelpValue struct {
	Text string
	HTML string
}

func (HelpValue) Type() string { return "help" }

func (h HelpValue) String() string { return h.Text }

// Display shows the page as HTML with its text twin.
func (h HelpValue) Display() display.Bundle {
	return display.Bundle{Data: map[string]any{"text/plain": h.Text, "text/html": h.HTML}}
}

// commandHelp documents a command; detail 0 is the signature, summary and
// parameters, detail 1 adds the long description and the examples.
func commandHelp(c *Command, detail int) HelpValue {
	var t, h strings.Builder
	fmt.Fprintf(&t, "%s\n\n%s\n", c.Signature(), c.Summary)
	fmt.Fprintf(&h, "<p><code>%s</code></p><p>%s</p>", html.EscapeString(c.Signature()), html.EscapeString(c.Summary))
	if detail > 0 && c.Doc != "" {
		fmt.Fprintf(&t, "\n%s\n", c.Doc)
		fmt.Fprintf(&h, "<p>%s</p>", html.EscapeString(c.Doc))
	}
	if len(c.Params) > 0 {
		t.WriteString("\nParameters:\n")
		h.WriteString("<p>Parameters:</p><ul>")
		for _, p := range c.Params {
			line := fmt.Sprintf("%s (%s", p.Name, p.Type.Name)
			if p.Variadic {
				line += ", any number"
			} else if p.Default != nil {
				line += ", default " + p.Default.String()
			}
			line += ")"
			if len(p.Choices) > 0 {
				line += ", one of " + quoteList(p.Choices)
			}
			fmt.Fprintf(&t, "  %s: %s\n", line, p.Doc)
			fmt.Fprintf(&h, "<li><code>%s</code>: %s</li>", html.EscapeString(line), html.EscapeString(p.Doc))
		}
		h.WriteString("</ul>")
	}
	if c.Returns != "" {
		fmt.Fprintf(&t, "\nReturns: %s\n", c.Returns)
		fmt.Fprintf(&h, "<p>Returns: %s</p>", html.EscapeString(c.Returns))
	}
	if detail > 0 && len(c.Examples) > 0 {
		t.WriteString("\nExamples:\n")
		h.WriteString("<p>Examples:</p><pre>")
		for _, e := range c.Examples {
			fmt.Fprintf(&t, "  %s\n", e)
			h.WriteString(html.EscapeString(e) + "\n")
		}
		h.WriteString("</pre>")
	}
	return HelpValue{Text: strings.TrimRight(t.String(), "\n"), HTML: h.String()}
}

// groupOrder is the order of the steps of the method, which help() follows.
var groupOrder = []string{"basics", "data", "embed", "cluster", "explain", "predict", "plot", "report"}

// grouped returns the commands by group, the groups in the order of the
// method's steps.
func grouped(r *Registry) (names []string, groups map[string][]*Command) {
	groups = map[string][]*Command{}
	for _, n := range r.Names() {
		c, _ := r.Lookup(n)
		groups[c.Group] = append(groups[c.Group], c)
	}
	for g := range groups {
		names = append(names, g)
	}
	rank := func(g string) int {
		for i, o := range groupOrder {
			if o == g {
				return i
			}
		}
		return len(groupOrder)
	}
	sort.Slice(names, func(i, j int) bool {
		if rank(names[i]) != rank(names[j]) {
			return rank(names[i]) < rank(names[j])
		}
		return names[i] < names[j]
	})
	return names, groups
}

// commandList is help(): every command, one line each, grouped.
func commandList(r *Registry) HelpValue {
	names, groups := grouped(r)
	var t, h strings.Builder
	t.WriteString("Reckon commands (help(name) or ?name for one of them):\n")
	h.WriteString("<p>Reckon commands (<code>help(name)</code> or <code>?name</code> for one of them):</p>")
	for _, g := range names {
		fmt.Fprintf(&t, "\n%s\n", g)
		fmt.Fprintf(&h, "<h4>%s</h4><table>", html.EscapeString(g))
		for _, c := range groups[g] {
			fmt.Fprintf(&t, "  %-16s %s\n", c.Name, c.Summary)
			fmt.Fprintf(&h, `<tr><td style="text-align:left"><code>%s</code></td><td style="text-align:left">%s</td></tr>`, html.EscapeString(c.Name), html.EscapeString(c.Summary))
		}
		h.WriteString("</table>")
	}
	return HelpValue{Text: strings.TrimRight(t.String(), "\n"), HTML: h.String()}
}

// helpFor documents a command or a value.
func helpFor(s *Session, v Value) HelpValue {
	if c, ok := v.(CommandValue); ok {
		return commandHelp(c.Cmd, 1)
	}
	var t, h strings.Builder
	fmt.Fprintf(&t, "%s", describeValue(v))
	if sz, ok := v.(Sizer); ok {
		fmt.Fprintf(&t, " (%s)", sz.Size())
	}
	t.WriteString("\n")
	h.WriteString("<p>" + html.EscapeString(strings.TrimSpace(t.String())) + "</p>")
	if a, ok := v.(Attributer); ok && len(a.Attrs()) > 0 {
		fmt.Fprintf(&t, "\nParts, reached as x.name: %s\n", strings.Join(a.Attrs(), ", "))
		fmt.Fprintf(&h, "<p>Parts, reached as <code>x.name</code>: %s</p>", html.EscapeString(strings.Join(a.Attrs(), ", ")))
	}
	var takers []string
	for _, n := range s.reg.Names() {
		c, _ := s.reg.Lookup(n)
		if len(c.Params) > 0 && c.Params[0].Type != Any && c.Params[0].Type.Accepts(v) {
			takers = append(takers, n)
		}
	}
	if len(takers) > 0 {
		fmt.Fprintf(&t, "\nCommands that take it first: %s\n", strings.Join(takers, ", "))
		fmt.Fprintf(&h, "<p>Commands that take it first: %s</p>", html.EscapeString(strings.Join(takers, ", ")))
	}
	return HelpValue{Text: strings.TrimRight(t.String(), "\n"), HTML: h.String()}
}
