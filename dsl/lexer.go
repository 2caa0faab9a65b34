package dsl

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"
)

// Pos is a place in the source: 1-based line and column, the column
// counted in Unicode code points, as editors count it.
type Pos struct {
	Line, Col int
	Offset    int // code point offset from the start of the source
}

func (p Pos) String() string { return fmt.Sprintf("line %d, column %d", p.Line, p.Col) }

type tokKind int

const (
	tEOF tokKind = iota
	tNewline
	tIdent
	tNumber
	tString
	tPunct // ( ) [ ] { } , = : . ? ; + - * / == != < <= > >=
)

type token struct {
	kind tokKind
	text string // identifier, punctuation, or the decoded string
	num  float64
	pos  Pos
}

func (t token) is(punct string) bool { return t.kind == tPunct && t.text == punct }

func (t token) describe() string {
	switch t.kind {
	case tEOF:
		return "the end of the cell"
	case tNewline:
		return "the end of the line"
	case tIdent:
		return "`" + t.text + "`"
	case tNumber:
		return "the number " + formatNumber(t.num)
	case tString:
		return describeValue(String(t.text))
	}
	return "`" + t.text + "`"
}

// lexer turns source into tokens. Newlines inside brackets are dropped, as
// is a newline after a backslash, so a long call can span several lines.
type lexer struct {
	src   []rune
	i     int
	line  int
	col   int
	depth []token // open brackets, innermost last
	toks  []token
	// incomplete is set when the source ends inside brackets or after a
	// backslash: more lines would complete it.
	incomplete bool
}

func (lx *lexer) pos() Pos { return Pos{Line: lx.line, Col: lx.col, Offset: lx.i} }

func (lx *lexer) advance() rune {
	r := lx.src[lx.i]
	lx.i++
	if r == '\n' {
		lx.line++
		lx.col = 1
	} else {
		lx.col++
	}
	return r
}

func (lx *lexer) peek(k int) rune {
	if lx.i+k < len(lx.src) {
		return lx.src[lx.i+k]
	}
	return 0
}

func isIdentStart(r rune) bool { return r == '_' || unicode.IsLetter(r) }
func isIdentPart(r rune) bool  { return r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r) }

// lex tokenises src; the error, if any, is a *Error of kind SyntaxError.
func lex(src string) ([]token, *lexer, error) {
	// A token takes at least two characters with the blank or comma after
	// it, mostly: reserving that many spares a big cell the copies of a
	// growing slice, which cost more than the reserve.
	lx := &lexer{src: []rune(src), line: 1, col: 1, toks: make([]token, 0, len(src)/2+8)}
	for {
		// Skip blanks and comments; a backslash before a newline joins lines.
		for lx.i < len(lx.src) {
			r := lx.src[lx.i]
			if r == ' ' || r == '\t' || r == '\r' || r == '\f' || r == '\ufeff' {
				lx.advance()
			} else if r == '#' {
				for lx.i < len(lx.src) && lx.src[lx.i] != '\n' {
					lx.advance()
				}
			} else if r == '\\' {
				j := lx.i + 1
				for j < len(lx.src) && (lx.src[j] == ' ' || lx.src[j] == '\t' || lx.src[j] == '\r') {
					j++
				}
				if j == len(lx.src) {
					lx.incomplete = true
					for lx.i < j {
						lx.advance()
					}
				} else if lx.src[j] == '\n' {
					for lx.i <= j {
						lx.advance()
					}
				} else {
					return nil, lx, syntaxErr(lx.pos(), "a backslash continues a line only at its end")
				}
			} else {
				break
			}
		}
		start := lx.pos()
		if lx.i >= len(lx.src) {
			if len(lx.depth) > 0 {
				lx.incomplete = true
			}
			lx.toks = append(lx.toks, token{kind: tEOF, pos: start})
			return lx.toks, lx, nil
		}
		r := lx.src[lx.i]
		switch {
		case r == '\n':
			lx.advance()
			if len(lx.depth) == 0 {
				lx.emit(token{kind: tNewline, text: "\n", pos: start})
			}
		case isIdentStart(r):
			for lx.i < len(lx.src) && isIdentPart(lx.src[lx.i]) {
				lx.advance()
			}
			lx.emit(token{kind: tIdent, text: string(lx.src[start.Offset:lx.i]), pos: start})
		case unicode.IsDigit(r) || r == '.' && unicode.IsDigit(lx.peek(1)):
			if err := lx.number(start); err != nil {
				return nil, lx, err
			}
		case r == '"' || r == '\'':
			if err := lx.str(start, r); err != nil {
				return nil, lx, err
			}
		default:
			if err := lx.punct(start); err != nil {
				return nil, lx, err
			}
		}
	}
}

func (lx *lexer) emit(t token) { lx.toks = append(lx.toks, t) }

func (lx *lexer) number(start Pos) error {
	digits := func() {
		for lx.i < len(lx.src) && (unicode.IsDigit(lx.src[lx.i]) || lx.src[lx.i] == '_' && unicode.IsDigit(lx.peek(1))) {
			lx.advance()
		}
	}
	digits()
	if lx.peek(0) == '.' && !isIdentStart(lx.peek(1)) {
		lx.advance()
		digits()
	}
	if (lx.peek(0) == 'e' || lx.peek(0) == 'E') && (unicode.IsDigit(lx.peek(1)) || (lx.peek(1) == '+' || lx.peek(1) == '-') && unicode.IsDigit(lx.peek(2))) {
		lx.advance()
		if lx.peek(0) == '+' || lx.peek(0) == '-' {
			lx.advance()
		}
		digits()
	}
	text := string(lx.src[start.Offset:lx.i])
	if lx.i < len(lx.src) && isIdentStart(lx.src[lx.i]) {
		return syntaxErr(lx.pos(), fmt.Sprintf("a number cannot run into a name (%s%c...); put an operator or a comma between them", text, lx.src[lx.i]))
	}
	v, err := strconv.ParseFloat(strings.ReplaceAll(text, "_", ""), 64)
	if err != nil {
		return syntaxErr(start, fmt.Sprintf("%s is not a number this language can hold", text))
	}
	lx.emit(token{kind: tNumber, text: text, num: v, pos: start})
	return nil
}

func (lx *lexer) str(start Pos, quote rune) error {
	lx.advance()
	var b strings.Builder
	for {
		if lx.i >= len(lx.src) || lx.src[lx.i] == '\n' {
			return syntaxErr(start, fmt.Sprintf("this string has no closing %c before the end of the line", quote))
		}
		escPos := lx.pos()
		r := lx.advance()
		if r == quote {
			break
		}
		if r != '\\' {
			b.WriteRune(r)
			continue
		}
		if lx.i >= len(lx.src) {
			return syntaxErr(start, fmt.Sprintf("this string has no closing %c", quote))
		}
		e := lx.advance()
		switch e {
		case 'n':
			b.WriteByte('\n')
		case 't':
			b.WriteByte('\t')
		case 'r':
			b.WriteByte('\r')
		case '\\', '\'', '"':
			b.WriteRune(e)
		case '\n':
			// A backslash at the end of a line continues the string.
		case 'u':
			if lx.i+4 > len(lx.src) {
				return syntaxErr(escPos, `\u needs four hexadecimal digits`)
			}
			v, err := strconv.ParseUint(string(lx.src[lx.i:lx.i+4]), 16, 32)
			if err != nil {
				return syntaxErr(escPos, `\u needs four hexadecimal digits`)
			}
			for k := 0; k < 4; k++ {
				lx.advance()
			}
			b.WriteRune(rune(v))
		default:
			return syntaxErr(escPos, fmt.Sprintf(`unknown escape \%c in a string (known: \n \t \r \\ \" \' \uXXXX)`, e))
		}
	}
	lx.emit(token{kind: tString, text: b.String(), pos: start})
	return nil
}

var closers = map[string]string{"(": ")", "[": "]", "{": "}"}

func (lx *lexer) punct(start Pos) error {
	r := lx.advance()
	text := string(r)
	if two := text + string(lx.peek(0)); two == "==" || two == "!=" || two == "<=" || two == ">=" {
		lx.advance()
		text = two
	}
	switch text {
	case "(", "[", "{":
		// Brackets this deep cannot parse (see maxNest): stop here rather
		// than read the rest of a cell of 400,000 of them.
		if len(lx.depth) >= maxNest {
			return nestErr(start)
		}
		lx.emit(token{kind: tPunct, text: text, pos: start})
		lx.depth = append(lx.depth, lx.toks[len(lx.toks)-1])
	case ")", "]", "}":
		if len(lx.depth) == 0 {
			return syntaxErr(start, fmt.Sprintf("`%s` closes nothing: there is no open bracket before it", text))
		}
		open := lx.depth[len(lx.depth)-1]
		if closers[open.text] != text {
			return syntaxErr(start, fmt.Sprintf("`%s` does not match the `%s` opened at %s; expected `%s`", text, open.text, open.pos, closers[open.text]))
		}
		lx.depth = lx.depth[:len(lx.depth)-1]
		lx.emit(token{kind: tPunct, text: text, pos: start})
	case ",", "=", ":", ".", "?", ";", "+", "-", "*", "/", "==", "!=", "<", "<=", ">", ">=":
		lx.emit(token{kind: tPunct, text: text, pos: start})
	case "!":
		return syntaxErr(start, "`!` on its own means nothing here; did you mean `!=`?")
	default:
		return syntaxErr(start, fmt.Sprintf("unexpected character %q", r))
	}
	return nil
}
