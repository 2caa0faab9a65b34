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

// contextWidth is the most characters of a line an error shows.
const contextWidth = 100

// Context returns the source line of the error with a caret under its column.
func (e *Error) Context() []string {
	if e.Pos.Line < 1 {
		return nil
	}
	// Find the line without splitting the whole cell, and read only as
	// much of it as the window can show: a traceback echoes it in every
	// error reply, and the line may be megabytes long.
	src := e.Source
	for i := 1; i < e.Pos.Line; i++ {
		k := strings.IndexByte(src, '\n')
		if k < 0 {
			return nil
		}
		src = src[k+1:]
	}
	if k := strings.IndexByte(src, '\n'); k >= 0 {
		src = src[:k]
	}
	src = strings.TrimRight(src, "\r")
	cut, n := len(src), max(e.Pos.Col, 1)+contextWidth
	for i := range src {
		if n == 0 {
			cut = i
			break
		}
		n--
	}
	line, more := []rune(src[:cut]), cut < len(src)
	col := min(max(e.Pos.Col, 1), len(line)+1)
	// Show a long line only around the caret.
	if len(line) > contextWidth || more {
		from := max(0, min(col-1-contextWidth/2, len(line)-contextWidth))
		to := min(from+contextWidth, len(line))
		window := append([]rune(nil), line[from:to]...)
		col -= from
		if from > 0 {
			window = append([]rune("…"), window...)
			col++
		}
		if to < len(line) || more {
			window = append(window, '…')
		}
		line = window
	}
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
// a command returned and wrapping any other error as a CommandError of the
// named command, whose message is userMessage's one sentence.
func locate(err error, p Pos, command string) *Error {
	var e *Error
	if errors.As(err, &e) {
		if e.Pos.Line == 0 {
			c := *e
			c.Pos = p
			return &c
		}
		return e
	}
	return &Error{Kind: CommandError, Pos: p, Msg: command + ": " + userMessage(err, command), Err: err}
}

// packageNames are the names of the packages whose errors reach a
// command. Go wraps an error in its package's name at every layer
// ("umap: frame: column ..."), which tells a programmer where it came from
// and a user nothing; the *Error keeps the whole chain in Err.
var packageNames = map[string]bool{
	"cpufeat": true, "explain": true, "frame": true, "gbt": true, "gemm": true,
	"hdbscan": true, "kmeans": true, "knn": true, "metrics": true, "mnist": true,
	"par": true, "pca": true, "pipeline": true, "npy": true, "profile": true, "progress": true, "recursive": true, "shap": true,
	"stability": true, "umap": true, "display": true, "plot": true, "report": true, "vegalite": true,
}

// userMessage is the sentence a user reads for err: its text without the
// package names, and the name of the command that failed, that wrapping
// put before its parts. For the command onehot, "frame: onehot: column
// \"Mitoses\" is numeric" reads `column "Mitoses" is numeric`; context
// that is not a name, such as "min_cluster_size=5: " or a file's path,
// stays.
func userMessage(err error, command string) string {
	parts := strings.Split(err.Error(), ": ")
	kept := make([]string, 0, len(parts))
	for _, p := range parts {
		if !packageNames[p] && p != command {
			kept = append(kept, p)
		}
	}
	if len(kept) == 0 {
		return err.Error()
	}
	return strings.Join(kept, ": ")
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
