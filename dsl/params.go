package dsl

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"
)

// ParameterSource is the code of the cell that sets a notebook's
// parameters, as papermill injects it: "# Parameters" and one assignment
// per name=value, in order. Each value is read as the language reads a
// literal: a number, true, false or none (Python's True, False and None
// too) stay as they are; anything else becomes a string.
func ParameterSource(params []string) (string, error) {
	var b strings.Builder
	b.WriteString("# Parameters\n")
	for _, p := range params {
		name, value, ok := strings.Cut(p, "=")
		name = strings.TrimSpace(name)
		if !ok {
			return "", fmt.Errorf("parameter %q must be name=value", p)
		}
		if !utf8.ValidString(value) {
			return "", fmt.Errorf("parameter %q: the value is not valid UTF-8 text", p)
		}
		if !isIdentifier(name) {
			return "", fmt.Errorf("parameter %q: %q is not a name the language can assign (letters, digits and _, not starting with a digit, not true, false or none)", p, name)
		}
		fmt.Fprintf(&b, "%s = %s\n", name, literal(value))
	}
	return b.String(), nil
}

func isIdentifier(s string) bool {
	if s == "" || keywords[s] {
		return false
	}
	for i, r := range s {
		if i == 0 && !isIdentStart(r) || !isIdentPart(r) {
			return false
		}
	}
	return true
}

// literal is the source of the value text stands for.
func literal(text string) string {
	if keywords[text] {
		return text
	}
	if f, err := strconv.ParseFloat(text, 64); err == nil && !math.IsInf(f, 0) && !math.IsNaN(f) && strings.TrimLeft(text, "+-.0123456789eE_") == "" {
		return strconv.FormatFloat(f, 'g', -1, 64)
	}
	return quote(text)
}

// quote writes s as a string literal, with the lexer's escapes.
func quote(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch r {
		case '"', '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case '\n':
			b.WriteString(`\n`)
		case '\t':
			b.WriteString(`\t`)
		case '\r':
			b.WriteString(`\r`)
		default:
			if r < 0x20 || r == 0x7f {
				fmt.Fprintf(&b, `\u%04x`, r)
			} else {
				b.WriteRune(r)
			}
		}
	}
	b.WriteByte('"')
	return b.String()
}
