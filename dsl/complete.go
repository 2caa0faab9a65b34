package dsl

import (
	"sort"
	"strings"

	"github.com/reckon-dev/reckon/kernel"
)

// cursorContext is what the text before the cursor says about where the
// user is typing, read tolerantly: the code is usually half-written.
type cursorContext struct {
	wordStart int    // code point offset where the word under the cursor starts
	word      string // identifier characters before the cursor
	inString  bool
	inComment bool
	// owner is the expression before a dot right before the word (tracks
	// in tracks.ge), or "".
	owner string
	// call is the command of the innermost open call, with the named
	// arguments given so far and the first positional argument's text.
	call     string
	named    map[string]bool
	firstArg string
}

func readCursor(code []rune, cursor int) cursorContext {
	var cc cursorContext
	type frame struct {
		open     rune
		fn       string
		named    map[string]bool
		argStart int
		args     []string
	}
	var stack []frame
	var quote rune
	strStart := 0
	for i := 0; i < cursor; i++ {
		r := code[i]
		if quote != 0 {
			if r == '\\' {
				i++
			} else if r == quote || r == '\n' {
				quote = 0
			}
			continue
		}
		switch r {
		case '#':
			for i < cursor && code[i] != '\n' {
				i++
			}
			if i == cursor {
				cc.inComment = true
				cc.wordStart = cursor
				return cc
			}
		case '"', '\'':
			quote, strStart = r, i+1
		case '(', '[':
			f := frame{open: r, argStart: i + 1, named: map[string]bool{}}
			if r == '(' {
				j := i
				for j > 0 && isIdentPart(code[j-1]) {
					j--
				}
				f.fn = string(code[j:i])
			}
			stack = append(stack, f)
		case ')', ']':
			if len(stack) > 0 {
				stack = stack[:len(stack)-1]
			}
		case ',':
			if len(stack) > 0 {
				top := &stack[len(stack)-1]
				top.args = append(top.args, strings.TrimSpace(string(code[top.argStart:i])))
				top.argStart = i + 1
			}
		case '=':
			if len(stack) > 0 && (i+1 >= len(code) || code[i+1] != '=') && (i == 0 || !strings.ContainsRune("=!<>", code[i-1])) {
				top := &stack[len(stack)-1]
				name := strings.TrimSpace(string(code[top.argStart:i]))
				top.named[name] = true
			}
		}
	}
	if len(stack) > 0 && stack[len(stack)-1].open == '(' {
		top := stack[len(stack)-1]
		cc.call, cc.named = top.fn, top.named
		if len(top.args) > 0 {
			cc.firstArg = top.args[0]
		}
	}
	if quote != 0 {
		cc.inString = true
		cc.wordStart = strStart
		cc.word = string(code[strStart:cursor])
		return cc
	}
	start := cursor
	for start > 0 && isIdentPart(code[start-1]) {
		start--
	}
	cc.wordStart, cc.word = start, string(code[start:cursor])
	if start > 0 && code[start-1] == '.' {
		j := start - 1
		for j > 0 && isIdentPart(code[j-1]) {
			j--
		}
		cc.owner = string(code[j : start-1])
	}
	return cc
}

// Complete proposes what can be typed at cursor: attribute (column) names
// after a dot, column names inside a string argument, parameter names
// inside a call, and otherwise variables, commands and constants.
func (in *Interpreter) Complete(code string, cursor int) kernel.Completion {
	src := []rune(code)
	cursor = min(max(cursor, 0), len(src))
	cc := readCursor(src, cursor)
	done := func(matches []string) kernel.Completion {
		sort.Strings(matches)
		return kernel.Completion{Matches: dedupe(matches), Start: cc.wordStart, End: cursor}
	}
	if cc.inComment {
		return done(nil)
	}
	if cc.inString {
		// Inside a string argument, offer the parts (columns) of the
		// call's first argument: select(tracks, "ene|
		if cc.call == "" || cc.firstArg == "" {
			return done(nil)
		}
		return done(withPrefix(in.attrsOf(cc.firstArg), cc.word))
	}
	if cc.owner != "" {
		return done(withPrefix(in.attrsOf(cc.owner), cc.word))
	}
	var matches []string
	if cmd, ok := in.Session.reg.Lookup(cc.call); ok {
		for _, p := range cmd.Params {
			if !p.Variadic && !cc.named[p.Name] && strings.HasPrefix(p.Name, cc.word) {
				matches = append(matches, p.Name+"=")
			}
		}
	}
	names := append(in.Session.VarNames(), in.Session.reg.Names()...)
	names = append(names, "true", "false", "none")
	matches = append(matches, withPrefix(names, cc.word)...)
	return done(matches)
}

// attrsOf lists the parts of the variable named expr, if it has any.
func (in *Interpreter) attrsOf(expr string) []string {
	v, ok := in.Session.Get(expr)
	if !ok {
		return nil
	}
	if a, ok := v.(Attributer); ok {
		return a.Attrs()
	}
	return nil
}

func withPrefix(names []string, prefix string) []string {
	var out []string
	for _, n := range names {
		if strings.HasPrefix(n, prefix) {
			out = append(out, n)
		}
	}
	return out
}

func dedupe(sorted []string) []string {
	out := sorted[:0]
	for i, s := range sorted {
		if i == 0 || s != sorted[i-1] {
			out = append(out, s)
		}
	}
	return out
}

// Inspect documents the name under the cursor: a command's signature,
// defaults and parameters, a parameter of the call around the cursor, or a
// variable's type and parts. With the cursor on no name, it documents the
// call the cursor is in, which is what Shift-Tab after `umap(` asks.
func (in *Interpreter) Inspect(code string, cursor, detail int) (kernel.Bundle, bool) {
	src := []rune(code)
	cursor = min(max(cursor, 0), len(src))
	end := cursor
	for end < len(src) && isIdentPart(src[end]) {
		end++
	}
	cc := readCursor(src, cursor)
	word := cc.word + string(src[cursor:end])
	if cc.inString || cc.inComment {
		word = ""
	}
	if cmd, ok := in.Session.reg.Lookup(cc.call); ok && word != "" {
		if p, ok := cmd.param(word); ok && cc.owner == "" && end < len(src) && strings.HasPrefix(strings.TrimLeft(string(src[end:]), " "), "=") {
			h := commandHelp(cmd, detail)
			text := p.signature() + " (" + p.Type.Name + "): " + p.Doc + "\n\n" + h.Text
			return kernel.Bundle{Data: map[string]any{"text/plain": text}}, true
		}
	}
	if word != "" && cc.owner == "" {
		if v, ok := in.Session.Get(word); ok {
			return kernel.Bundle(helpFor(in.Session, v).Display()), true
		}
		if cmd, ok := in.Session.reg.Lookup(word); ok {
			return kernel.Bundle(commandHelp(cmd, detail).Display()), true
		}
	}
	if cmd, ok := in.Session.reg.Lookup(cc.call); ok {
		return kernel.Bundle(commandHelp(cmd, detail).Display()), true
	}
	return kernel.Bundle{}, false
}
