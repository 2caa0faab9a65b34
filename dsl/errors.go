package dsl

import (
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/reckon-dev/reckon/internal/suggest"
)

// Error kinds, named as a Python user would recognise them.
const (
	SyntaxError = "SyntaxError"
	NameError   = "NameError"
	TypeError   = "TypeError"
	ValueError  = "ValueError"
	// CommandError is a command that ran and failed on its data.
	CommandError = "CommandError"
	// Interrupted is a cell stopped by the user.
	Interrupted = "KeyboardInterrupt"
)

// Error is a mistake in a cell, located in its source. Its message says what
// was wrong and, where one is known, what would have been right.
type Error struct {
	Kind string
	Pos  Pos
	Msg  string
	// Source is the cell, filled in by the session so the error can show
	// the line with a caret.
	Source string
	// Err is the underlying error of a failed command, if any.
	Err error
}

func (e *Error) Error() string { return fmt.Sprintf("%s: %s", e.Pos, e.Msg) }

func (e *Error) Unwrap() error { return e.Err }

// Context returns the source line of the error with a caret under its column.
func (e *Error) Context() []string {
	lines := strings.Split(e.Source, "\n")
	if e.Pos.Line < 1 || e.Pos.Line > len(lines) {
		return nil
	}
	line := []rune(strings.TrimRight(lines[e.Pos.Line-1], "\r"))
	col := min(max(e.Pos.Col, 1), len(line)+1)
	// Keep tabs in the caret line so the caret sits under the column.
	var pad strings.Builder
	for _, r := range line[:col-1] {
		if r == '\t' {
			pad.WriteRune('\t')
		} else {
			pad.WriteByte(' ')
		}
	}
	return []string{"    " + string(line), "    " + pad.String() + "^"}
}

// Report formats the error for a terminal: the kind and message, then the
// line with its caret. name prefixes the position (a file name) when set.
func (e *Error) Report(name string) string {
	where := e.Pos.String()
	if name != "" {
		where = fmt.Sprintf("%s:%d:%d", name, e.Pos.Line, e.Pos.Col)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %s: %s\n", e.Kind, where, e.Msg)
	for _, l := range e.Context() {
		b.WriteString(l)
		b.WriteByte('\n')
	}
	return b.String()
}

func syntaxErr(p Pos, msg string) *Error { return &Error{Kind: SyntaxError, Pos: p, Msg: msg} }

func errorf(kind string, p Pos, format string, args ...any) *Error {
	return &Error{Kind: kind, Pos: p, Msg: fmt.Sprintf(format, args...)}
}

// locate gives err a position if it has none, keeping the kind of an *Error
// a command returned and wrapping any other error as a CommandError.
func locate(err error, p Pos) *Error {
	var e *Error
	if errors.As(err, &e) {
		if e.Pos.Line == 0 {
			c := *e
			c.Pos = p
			return &c
		}
		return e
	}
	return &Error{Kind: CommandError, Pos: p, Msg: err.Error(), Err: err}
}

// didYouMean phrases a suggestion for an error message.
func didYouMean(name string, known []string) string {
	if s, ok := suggest.Nearest(name, known); ok {
		return fmt.Sprintf(" — did you mean `%s`?", s)
	}
	return ""
}

// listNames formats names for an error message: "a, b and c".
func listNames(names []string) string {
	s := append([]string(nil), names...)
	sort.Strings(s)
	for i := range s {
		s[i] = "`" + s[i] + "`"
	}
	switch len(s) {
	case 0:
		return "none"
	case 1:
		return s[0]
	}
	return strings.Join(s[:len(s)-1], ", ") + " and " + s[len(s)-1]
}
