package display

import (
	"fmt"
	"html"
	"strings"
)

// Bundle is a MIME bundle: data keyed by MIME type, text/plain always
// present, and optional metadata per type.
type Bundle struct {
	Data     map[string]any
	Metadata map[string]any
}

// Text is a bundle of plain text only.
func Text(s string) Bundle {
	return Bundle{Data: map[string]any{"text/plain": s}}
}

// Plain returns the bundle's text/plain form.
func (b Bundle) Plain() string {
	s, _ := b.Data["text/plain"].(string)
	return s
}

// Table is a grid of text with a header, shown as an HTML table with an
// aligned text/plain twin.
type Table struct {
	// Intro is a paragraph shown before the table: a summary too long for
	// a caption, which JupyterLab centres and squeezes to the table's width.
	Intro   string
	Caption string
	Columns []string
	Rows    [][]string
	// Numeric marks the columns to right-align.
	Numeric []bool
	// Note is a line shown under the table (truncation, units).
	Note string
}

// Bundle renders the table.
func (t Table) Bundle() Bundle {
	return Bundle{Data: map[string]any{"text/plain": t.Plain(), "text/html": t.HTML()}}
}

func (t Table) numeric(j int) bool { return j < len(t.Numeric) && t.Numeric[j] }

// Plain renders the table as aligned text.
func (t Table) Plain() string {
	width := make([]int, len(t.Columns))
	for j, c := range t.Columns {
		width[j] = runeLen(c)
	}
	for _, r := range t.Rows {
		for j := range t.Columns {
			if j < len(r) {
				width[j] = max(width[j], runeLen(r[j]))
			}
		}
	}
	var b strings.Builder
	if t.Intro != "" {
		b.WriteString(t.Intro)
		b.WriteString("\n\n")
	}
	if t.Caption != "" {
		b.WriteString(t.Caption)
		b.WriteByte('\n')
	}
	line := func(cells []string) {
		var l strings.Builder
		for j := range t.Columns {
			cell := ""
			if j < len(cells) {
				cell = cells[j]
			}
			pad := strings.Repeat(" ", width[j]-runeLen(cell))
			if j > 0 {
				l.WriteString("  ")
			}
			if t.numeric(j) {
				l.WriteString(pad + cell)
			} else {
				l.WriteString(cell + pad)
			}
		}
		b.WriteString(strings.TrimRight(l.String(), " "))
		b.WriteByte('\n')
	}
	line(t.Columns)
	rule := make([]string, len(t.Columns))
	for j := range rule {
		rule[j] = strings.Repeat("-", width[j])
	}
	line(rule)
	for _, r := range t.Rows {
		line(r)
	}
	if t.Note != "" {
		b.WriteString(t.Note)
		b.WriteByte('\n')
	}
	return strings.TrimRight(b.String(), "\n")
}

// HTML renders the table as an HTML table that Jupyter's stylesheet styles.
func (t Table) HTML() string {
	var b strings.Builder
	if t.Intro != "" {
		fmt.Fprintf(&b, "<p>%s</p>", html.EscapeString(t.Intro))
	}
	b.WriteString("<table>")
	if t.Caption != "" {
		fmt.Fprintf(&b, "<caption>%s</caption>", html.EscapeString(t.Caption))
	}
	b.WriteString("<thead><tr>")
	for j, c := range t.Columns {
		fmt.Fprintf(&b, "<th%s>%s</th>", t.align(j), html.EscapeString(c))
	}
	b.WriteString("</tr></thead><tbody>")
	for _, r := range t.Rows {
		b.WriteString("<tr>")
		for j := range t.Columns {
			cell := ""
			if j < len(r) {
				cell = r[j]
			}
			fmt.Fprintf(&b, "<td%s>%s</td>", t.align(j), html.EscapeString(cell))
		}
		b.WriteString("</tr>")
	}
	b.WriteString("</tbody></table>")
	if t.Note != "" {
		fmt.Fprintf(&b, "<p><small>%s</small></p>", html.EscapeString(t.Note))
	}
	return b.String()
}

func (t Table) align(j int) string {
	if t.numeric(j) {
		return ` style="text-align:right"`
	}
	return ` style="text-align:left"`
}

func runeLen(s string) int { return len([]rune(s)) }

// Code renders source code as an HTML block that keeps its lines.
func Code(src string) string {
	return "<pre><code>" + html.EscapeString(src) + "</code></pre>"
}
