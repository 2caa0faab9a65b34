package dsl

import "fmt"

var keywords = map[string]bool{"true": true, "false": true, "none": true, "True": true, "False": true, "None": true}

type parser struct {
	toks []token
	i    int
	// nest is how deep the expression being parsed sits in its statement.
	nest int
}

// maxNest bounds how deeply expressions nest: brackets, calls, unary
// minus, and chains of operators, attributes and indexes, each of which
// wraps what came before. Parsing and evaluation recurse once per level, so
// without a bound 400,000 brackets overflow the stack and end the process,
// which no recover catches (go/parser has maxNestLev for the same reason).
// No hand-written cell comes near it; Python stops at 200 brackets.
const maxNest = 1000

func nestErr(p Pos) *Error {
	return syntaxErr(p, fmt.Sprintf("this expression nests more than %s levels deep (brackets, calls, or operators in a chain); split it into steps with assignments", thousands(maxNest)))
}

// deeper goes one level down at the token at p.
func (p *parser) deeper(at Pos) error {
	p.nest++
	if p.nest > maxNest {
		return nestErr(at)
	}
	return nil
}

// MaxCellBytes bounds the source of a cell. Running a cell costs tens of
// bytes of memory per byte of source (a token per number or comma, then a
// node and a value), so a 50 MB cell of list literals once took 4 GB and
// 25 seconds; data that large belongs in a file. The largest cell allowed
// peaks below 80 MB (BenchmarkBigCell).
const MaxCellBytes = 1 << 20

// byteSize writes a size in bytes as "4 MB" (powers of 1,024, as
// JupyterLab shows file sizes), to three significant digits.
func byteSize(n int) string {
	switch {
	case n < 1<<10:
		return count(n, "byte")
	case n < 1<<20:
		return fmt.Sprintf("%.3g KB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%.3g MB", float64(n)/(1<<20))
}

// Parse parses a cell into statements. The error, if any, is a *Error.
func Parse(src string) ([]Stmt, error) {
	stmts, _, err := parse(src)
	return stmts, err
}

// parse also returns the lexer, whose state tells is_complete whether more
// lines could complete the source.
func parse(src string) ([]Stmt, *lexer, error) {
	if len(src) > MaxCellBytes {
		return nil, nil, syntaxErr(Pos{Line: 1, Col: 1}, fmt.Sprintf("this cell holds %s of code, more than the %s a cell may hold; keep data in a file and load() it", byteSize(len(src)), byteSize(MaxCellBytes)))
	}
	toks, lx, err := lex(src)
	if err != nil {
		return nil, lx, err
	}
	if lx.incomplete {
		end := toks[len(toks)-1].pos
		if len(lx.depth) > 0 {
			open := lx.depth[len(lx.depth)-1]
			return nil, lx, syntaxErr(open.pos, fmt.Sprintf("this `%s` is never closed; expected `%s` before the end of the cell", open.text, closers[open.text]))
		}
		return nil, lx, syntaxErr(end, "the cell ends with a backslash, which continues a line that never comes")
	}
	p := &parser{toks: toks}
	var stmts []Stmt
	for {
		for p.peek().kind == tNewline || p.peek().is(";") {
			p.next()
		}
		if p.peek().kind == tEOF {
			return stmts, lx, nil
		}
		s, err := p.stmt()
		if err != nil {
			return nil, lx, err
		}
		stmts = append(stmts, s)
		if t := p.peek(); t.kind != tNewline && t.kind != tEOF && !t.is(";") {
			return nil, lx, syntaxErr(t.pos, fmt.Sprintf("unexpected %s after a complete statement; put each statement on its own line", t.describe()))
		}
	}
}

func (p *parser) peek() token { return p.toks[p.i] }
func (p *parser) peekAt(k int) token {
	if p.i+k < len(p.toks) {
		return p.toks[p.i+k]
	}
	return p.toks[len(p.toks)-1]
}
func (p *parser) next() token {
	t := p.toks[p.i]
	if t.kind != tEOF {
		p.i++
	}
	return t
}

func (p *parser) expect(punct, context string) (token, error) {
	t := p.peek()
	if !t.is(punct) {
		return t, syntaxErr(t.pos, fmt.Sprintf("expected `%s` %s, found %s", punct, context, t.describe()))
	}
	return p.next(), nil
}

func (p *parser) stmt() (Stmt, error) {
	t := p.peek()
	// ?name
	if t.is("?") {
		p.next()
		id := p.peek()
		if id.kind != tIdent {
			return Stmt{}, syntaxErr(id.pos, "expected a name after `?`, as in `?umap`")
		}
		p.next()
		return Stmt{P: t.pos, Help: &Ident{P: id.pos, Name: id.text}}, nil
	}
	// name?
	if t.kind == tIdent && p.peekAt(1).is("?") {
		p.next()
		p.next()
		return Stmt{P: t.pos, Help: &Ident{P: t.pos, Name: t.text}}, nil
	}
	// name = expr
	if t.kind == tIdent && p.peekAt(1).is("=") {
		if keywords[t.text] {
			return Stmt{}, syntaxErr(t.pos, fmt.Sprintf("`%s` is a constant and cannot be assigned to", t.text))
		}
		p.next()
		p.next()
		if p.peek().kind == tNewline || p.peek().kind == tEOF {
			return Stmt{}, syntaxErr(p.peek().pos, fmt.Sprintf("expected a value after `%s =`", t.text))
		}
		e, err := p.expr()
		if err != nil {
			return Stmt{}, err
		}
		return Stmt{P: t.pos, Target: t.text, Expr: e}, nil
	}
	e, err := p.expr()
	if err != nil {
		return Stmt{}, err
	}
	if q := p.peek(); q.is("=") {
		return Stmt{}, syntaxErr(q.pos, "only a plain name can be assigned to, as in `x = ...`")
	}
	return Stmt{P: t.pos, Expr: e}, nil
}

// Precedence, loosest first: comparison, then + -, then * /, then unary
// minus, then postfix (calls, attributes, indexing).
func (p *parser) expr() (Node, error) {
	defer func(base int) { p.nest = base }(p.nest)
	if err := p.deeper(p.peek().pos); err != nil {
		return nil, err
	}
	x, err := p.sum()
	if err != nil {
		return nil, err
	}
	for {
		t := p.peek()
		if !(t.is("==") || t.is("!=") || t.is("<") || t.is("<=") || t.is(">") || t.is(">=")) {
			return x, nil
		}
		p.next()
		if err := p.deeper(t.pos); err != nil {
			return nil, err
		}
		y, err := p.sum()
		if err != nil {
			return nil, err
		}
		x = &Binary{Op: t.text, X: x, Y: y, P: t.pos}
	}
}

func (p *parser) sum() (Node, error) {
	defer func(base int) { p.nest = base }(p.nest)
	x, err := p.product()
	if err != nil {
		return nil, err
	}
	for t := p.peek(); t.is("+") || t.is("-"); t = p.peek() {
		p.next()
		if err := p.deeper(t.pos); err != nil {
			return nil, err
		}
		y, err := p.product()
		if err != nil {
			return nil, err
		}
		x = &Binary{Op: t.text, X: x, Y: y, P: t.pos}
	}
	return x, nil
}

func (p *parser) product() (Node, error) {
	defer func(base int) { p.nest = base }(p.nest)
	x, err := p.unary()
	if err != nil {
		return nil, err
	}
	for t := p.peek(); t.is("*") || t.is("/"); t = p.peek() {
		p.next()
		if err := p.deeper(t.pos); err != nil {
			return nil, err
		}
		y, err := p.unary()
		if err != nil {
			return nil, err
		}
		x = &Binary{Op: t.text, X: x, Y: y, P: t.pos}
	}
	return x, nil
}

func (p *parser) unary() (Node, error) {
	if t := p.peek(); t.is("-") || t.is("+") {
		defer func(base int) { p.nest = base }(p.nest)
		if err := p.deeper(t.pos); err != nil {
			return nil, err
		}
		p.next()
		x, err := p.unary()
		if err != nil {
			return nil, err
		}
		if t.text == "+" {
			return x, nil
		}
		if n, ok := x.(*NumberLit); ok {
			return &NumberLit{P: t.pos, V: -n.V}, nil
		}
		return &Unary{Op: "-", X: x, P: t.pos}, nil
	}
	return p.postfix()
}

func (p *parser) postfix() (Node, error) {
	defer func(base int) { p.nest = base }(p.nest)
	x, err := p.primary()
	if err != nil {
		return nil, err
	}
	for {
		t := p.peek()
		// An attribute or index wraps what came before; a call's level is
		// counted by the expressions of its arguments.
		if t.is(".") || t.is("[") {
			if err := p.deeper(t.pos); err != nil {
				return nil, err
			}
		}
		switch {
		case t.is("("):
			id, ok := x.(*Ident)
			if !ok {
				return nil, syntaxErr(t.pos, "only a command name can be called, as in `describe(t)`")
			}
			call, err := p.call(id)
			if err != nil {
				return nil, err
			}
			x = call
		case t.is("."):
			p.next()
			name := p.peek()
			if name.kind != tIdent {
				return nil, syntaxErr(name.pos, fmt.Sprintf("expected a name after `.`, found %s", name.describe()))
			}
			p.next()
			x = &Attr{X: x, Name: name.text, P: name.pos}
		case t.is("["):
			p.next()
			i, err := p.expr()
			if err != nil {
				return nil, err
			}
			if _, err := p.expect("]", "to close the index"); err != nil {
				return nil, err
			}
			x = &Index{X: x, I: i, P: t.pos}
		default:
			return x, nil
		}
	}
}

func (p *parser) call(fn *Ident) (Node, error) {
	p.next() // (
	c := &CallExpr{Fn: fn}
	seen := map[string]Pos{}
	for {
		t := p.peek()
		if t.is(")") {
			c.Close = p.next().pos
			return c, nil
		}
		if t.kind == tIdent && p.peekAt(1).is("=") {
			if prev, dup := seen[t.text]; dup {
				return nil, errorf(TypeError, t.pos, "`%s` is given twice in this call of `%s` (first at %s)", t.text, fn.Name, prev)
			}
			seen[t.text] = t.pos
			p.next()
			p.next()
			if v := p.peek(); v.is(",") || v.is(")") {
				return nil, syntaxErr(v.pos, fmt.Sprintf("expected a value after `%s=`", t.text))
			}
			v, err := p.expr()
			if err != nil {
				return nil, err
			}
			c.Named = append(c.Named, NamedArg{Name: t.text, P: t.pos, Value: v})
		} else {
			if len(c.Named) > 0 {
				return nil, syntaxErr(t.pos, fmt.Sprintf("a positional argument cannot follow named arguments in this call of `%s`; name it, or move it before `%s=`", fn.Name, c.Named[0].Name))
			}
			v, err := p.expr()
			if err != nil {
				return nil, err
			}
			c.Args = append(c.Args, v)
		}
		if t := p.peek(); t.is(",") {
			p.next()
		} else if !t.is(")") {
			return nil, syntaxErr(t.pos, fmt.Sprintf("expected `,` or `)` in this call of `%s`, found %s", fn.Name, t.describe()))
		}
	}
}

func (p *parser) primary() (Node, error) {
	t := p.peek()
	switch t.kind {
	case tNumber:
		p.next()
		return &NumberLit{P: t.pos, V: t.num}, nil
	case tString:
		p.next()
		return &StringLit{P: t.pos, V: t.text}, nil
	case tIdent:
		p.next()
		switch t.text {
		case "true", "True":
			return &BoolLit{P: t.pos, V: true}, nil
		case "false", "False":
			return &BoolLit{P: t.pos, V: false}, nil
		case "none", "None":
			return &NoneLit{P: t.pos}, nil
		}
		return &Ident{P: t.pos, Name: t.text}, nil
	case tPunct:
		switch t.text {
		case "[":
			p.next()
			l := &ListLit{P: t.pos}
			for !p.peek().is("]") {
				v, err := p.expr()
				if err != nil {
					return nil, err
				}
				l.Items = append(l.Items, v)
				if n := p.peek(); n.is(",") {
					p.next()
				} else if !n.is("]") {
					return nil, syntaxErr(n.pos, fmt.Sprintf("expected `,` or `]` in this list, found %s", n.describe()))
				}
			}
			p.next()
			return l, nil
		case "{":
			return p.dict()
		case "(":
			p.next()
			x, err := p.expr()
			if err != nil {
				return nil, err
			}
			if _, err := p.expect(")", "to close the parenthesis"); err != nil {
				return nil, err
			}
			return x, nil
		}
	}
	return nil, syntaxErr(t.pos, fmt.Sprintf("expected a value (a number, a string, a name, a list, a dict or a call), found %s", t.describe()))
}

// dict parses {key: value, ...}; the keys are checked when evaluated.
func (p *parser) dict() (Node, error) {
	d := &DictLit{P: p.next().pos}
	for !p.peek().is("}") {
		k, err := p.expr()
		if err != nil {
			return nil, err
		}
		if _, err := p.expect(":", "after the key in this dict, as in `{\"0\": \"rock\"}`"); err != nil {
			return nil, err
		}
		v, err := p.expr()
		if err != nil {
			return nil, err
		}
		d.Keys, d.Values = append(d.Keys, k), append(d.Values, v)
		if n := p.peek(); n.is(",") {
			p.next()
		} else if !n.is("}") {
			return nil, syntaxErr(n.pos, fmt.Sprintf("expected `,` or `}` in this dict, found %s", n.describe()))
		}
	}
	p.next()
	return d, nil
}
