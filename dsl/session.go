package dsl

import (
	"cmp"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"reflect"
	"runtime/debug"
	"sort"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/reckon-dev/reckon/display/plot"
	"github.com/reckon-dev/reckon/internal/suggest"
	"github.com/reckon-dev/reckon/kernel"
)

// Session is the state of one notebook: its variables, which survive from
// cell to cell and survive any failing cell, and the registry of commands.
type Session struct {
	reg *Registry

	mu   sync.Mutex
	vars map[string]Value
	// lineage records how each variable's value was made; a variable set
	// from outside the language has none.
	lineage map[string]*Lineage

	// displayPrefix keeps display ids unique across kernels sharing a
	// notebook; displays counts them within this session.
	displayPrefix string
	displays      atomic.Int64
	// quietProgress suppresses progress displays, for `reckon run`.
	quietProgress bool
	// plotFormat is set_option's plot_format; empty means PNG.
	plotFormat plot.Format

	memo memo
	// fits keeps the calls and values of the commands a saved model
	// replays (fittable), by the lineage of their values.
	fits map[*Lineage]fit
}

// Options tune a session; the zero value suits a notebook.
type Options struct {
	// QuietProgress leaves out progress displays, which a script's
	// standard output cannot update in place.
	QuietProgress bool
}

// NewSession starts an empty session over the commands of reg.
func NewSession(reg *Registry, opts Options) *Session {
	var b [4]byte
	_, _ = rand.Read(b[:])
	return &Session{reg: reg, vars: map[string]Value{}, lineage: map[string]*Lineage{}, displayPrefix: "reckon-" + hex.EncodeToString(b[:]), quietProgress: opts.QuietProgress}
}

// Get returns a variable.
func (s *Session) Get(name string) (Value, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	v, ok := s.vars[name]
	return v, ok
}

// Set assigns a variable from outside the language, which does not know
// how its value was made: lineage shows it by its name.
func (s *Session) Set(name string, v Value) { s.assign(name, v, nil) }

// assign sets a variable and the lineage of its value, which takes the
// variable's name if it has none yet.
func (s *Session) assign(name string, v Value, l *Lineage) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if l == nil {
		l = external(name, v)
	}
	if l.Var == "" && l.Op != "" {
		l.Var = name
	}
	s.vars[name] = v
	s.lineage[name] = l
}

// Lineage returns how a variable's value was made.
func (s *Session) Lineage(name string) (*Lineage, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	l, ok := s.lineage[name]
	return l, ok
}

// Delete removes a variable and reports whether it existed.
func (s *Session) Delete(name string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, ok := s.vars[name]
	delete(s.vars, name)
	delete(s.lineage, name)
	return ok
}

// VarNames lists the variables in alphabetical order.
func (s *Session) VarNames() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	names := make([]string, 0, len(s.vars))
	for n := range s.vars {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// Outcome is what a cell produced besides its outputs: its value, if its
// last statement is an expression with one, and pages of help for ?name.
type Outcome struct {
	Value Value
	Pages []Value
}

// Run executes a cell. Statements run in order; the first error stops the
// cell, keeping what earlier statements assigned. The error is always a
// *Error located in the source, and Run never panics.
func (s *Session) Run(ctx context.Context, src string, out kernel.Output) (res Outcome, err error) {
	defer func() {
		if p := recover(); p != nil {
			res, err = Outcome{}, &Error{Kind: "InternalError", Source: src,
				Msg: fmt.Sprintf("Reckon hit a bug and recovered; your variables are kept. Please report it with this stack:\n%v\n%s", p, debug.Stack())}
		}
		var e *Error
		if errors.As(err, &e) {
			e.Source = src
		}
	}()
	stmts, perr := Parse(src)
	if perr != nil {
		return Outcome{}, perr
	}
	for i, st := range stmts {
		if ctx.Err() != nil {
			return res, interrupted(st.P)
		}
		s.pruneFits()
		if st.Help != nil {
			v, _, err := s.evalIdent(st.Help, true)
			if err != nil {
				return res, err
			}
			res.Pages = append(res.Pages, helpFor(s, v))
			continue
		}
		v, lin, err := s.eval(ctx, st.Expr, out, 0)
		if err != nil {
			return res, err
		}
		switch {
		case st.Target != "":
			if _, isCmd := s.reg.Lookup(st.Target); isCmd {
				return res, errorf(NameError, st.P, "`%s` is the name of a command; choose another name for this variable", st.Target)
			}
			if _, isNone := v.(NoneValue); isNone {
				if c, ok := st.Expr.(*CallExpr); ok {
					return res, errorf(ValueError, st.P, "`%s` returns nothing to assign to `%s`", c.Fn.Name, st.Target)
				}
			}
			s.assign(st.Target, v, lin)
		case v == None:
		case i == len(stmts)-1:
			res.Value = v
		default:
			b := Bundle(v)
			out.Display(kernel.Bundle(b), "")
		}
	}
	return res, nil
}

func interrupted(p Pos) *Error {
	return &Error{Kind: Interrupted, Pos: p, Msg: "interrupted; variables assigned before this point are kept", Err: context.Canceled}
}

// eval evaluates n, which sits depth levels deep in its statement, and
// says how its value was made. The parser already bounds the nesting of
// what it builds; eval bounds it again so that no tree, however it was
// made, can overflow the stack.
func (s *Session) eval(ctx context.Context, n Node, out kernel.Output, depth int) (Value, *Lineage, error) {
	if depth > maxNest {
		return nil, nil, nestErr(n.Start())
	}
	switch n := n.(type) {
	case *NumberLit:
		return lit(Number(n.V))
	case *StringLit:
		return lit(String(n.V))
	case *BoolLit:
		return lit(Bool(n.V))
	case *NoneLit:
		return lit(None)
	case *Ident:
		return s.evalIdent(n, false)
	case *ListLit:
		l := make(List, len(n.Items))
		items := make([]*Lineage, len(n.Items))
		for i, it := range n.Items {
			v, li, err := s.eval(ctx, it, out, depth+1)
			if err != nil {
				return nil, nil, err
			}
			l[i], items[i] = v, li
		}
		return l, listLineage(l, items), nil
	case *DictLit:
		return s.evalDict(ctx, n, out, depth)
	case *Attr:
		return s.evalAttr(ctx, n, nil, out, depth)
	case *Index:
		x, xl, err := s.eval(ctx, n.X, out, depth+1)
		if err != nil {
			return nil, nil, err
		}
		i, il, err := s.eval(ctx, n.I, out, depth+1)
		if err != nil {
			return nil, nil, err
		}
		ix, ok := x.(Indexer)
		if !ok {
			return nil, nil, errorf(TypeError, n.P, "%s cannot be indexed with [...]", describeValue(x))
		}
		v, err := ix.Index(i)
		if err != nil {
			return nil, nil, &Error{Kind: ValueError, Pos: n.I.Start(), Msg: userMessage(err, ""), Err: err}
		}
		return v, &Lineage{Op: "[]", Args: []LineageArg{{Value: xl}, {Value: il}}, Type: v.Type()}, nil
	case *Unary:
		x, xl, err := s.eval(ctx, n.X, out, depth+1)
		if err != nil {
			return nil, nil, err
		}
		if num, ok := x.(Number); ok {
			return -num, &Lineage{Op: "-", Args: []LineageArg{{Value: xl}}, Type: num.Type()}, nil
		}
		return nil, nil, errorf(TypeError, n.P, "`-` needs a number, not %s", describeValue(x))
	case *Binary:
		x, xl, err := s.eval(ctx, n.X, out, depth+1)
		if err != nil {
			return nil, nil, err
		}
		y, yl, err := s.eval(ctx, n.Y, out, depth+1)
		if err != nil {
			return nil, nil, err
		}
		v, err := binary(n, x, y)
		if err != nil {
			return nil, nil, err
		}
		return v, &Lineage{Op: n.Op, Args: []LineageArg{{Value: xl}, {Value: yl}}, Type: v.Type()}, nil
	case *CallExpr:
		return s.call(ctx, n, out, depth)
	}
	return nil, nil, errorf(SyntaxError, n.Start(), "this expression cannot be evaluated")
}

// evalAttr evaluates x.name, where then holds the names that follow it
// (x.name.then...): a column named "Cl.thickness" reads as bc.Cl.thickness,
// and the error for the missing `Cl` suggests bc["Cl.thickness"].
func (s *Session) evalAttr(ctx context.Context, n *Attr, then []string, out kernel.Output, depth int) (Value, *Lineage, error) {
	var x Value
	var xl *Lineage
	var err error
	if inner, ok := n.X.(*Attr); ok {
		x, xl, err = s.evalAttr(ctx, inner, append([]string{n.Name}, then...), out, depth+1)
	} else {
		x, xl, err = s.eval(ctx, n.X, out, depth+1)
	}
	if err != nil {
		return nil, nil, err
	}
	a, ok := x.(Attributer)
	if !ok {
		return nil, nil, errorf(TypeError, n.P, "%s has no parts to reach with `.%s`", describeValue(x), n.Name)
	}
	if v, ok := a.Attr(n.Name); ok {
		return v, &Lineage{Op: ".", Literal: n.Name, Args: []LineageArg{{Value: xl}}, Type: v.Type()}, nil
	}
	for k := len(then); k > 0; k-- {
		dotted := n.Name + "." + strings.Join(then[:k], ".")
		if _, ok := a.Attr(dotted); ok {
			return nil, nil, errorf(NameError, n.P, "%s has no `%s`, but it has `%s`, whose name holds a dot: write %s[%q]", describeValue(x), n.Name, dotted, exprText(n.X), dotted)
		}
	}
	return nil, nil, errorf(NameError, n.P, "%s has no `%s`%s; it has %s", describeValue(x), n.Name, didYouMean(n.Name, a.Attrs()), listNames(a.Attrs()))
}

// exprText writes back the source of a name or a chain of attributes, for
// an error message's suggestion; other expressions read as x.
func exprText(n Node) string {
	switch n := n.(type) {
	case *Ident:
		return n.Name
	case *Attr:
		return exprText(n.X) + "." + n.Name
	}
	return "x"
}

// lit evaluates a literal.
func lit(v Value) (Value, *Lineage, error) { return v, literalOf(v), nil }

// evalDict evaluates a dict literal: keys are strings or numbers, each
// given once.
func (s *Session) evalDict(ctx context.Context, n *DictLit, out kernel.Output, depth int) (Value, *Lineage, error) {
	d := &Dict{}
	var parts []*Lineage
	for i, kn := range n.Keys {
		k, kl, err := s.eval(ctx, kn, out, depth+1)
		if err != nil {
			return nil, nil, err
		}
		switch k.(type) {
		case String, Number:
		default:
			return nil, nil, errorf(TypeError, kn.Start(), "a dict key must be a string or a number, not %s", describeValue(k))
		}
		for j, prev := range d.Keys {
			if equal(prev, k) {
				return nil, nil, errorf(ValueError, kn.Start(), "the key %s is given twice in this dict (first at %s)", k, n.Keys[j].Start())
			}
		}
		v, vl, err := s.eval(ctx, n.Values[i], out, depth+1)
		if err != nil {
			return nil, nil, err
		}
		d.Keys, d.Values = append(d.Keys, k), append(d.Values, v)
		parts = append(parts, kl, vl)
	}
	return d, collectionLineage(d, "dict", parts), nil
}

// evalIdent resolves a name: a variable first, then a command. help asks
// for commands too, so that `?umap` works.
func (s *Session) evalIdent(n *Ident, forHelp bool) (Value, *Lineage, error) {
	s.mu.Lock()
	v, ok := s.vars[n.Name]
	l := s.lineage[n.Name]
	s.mu.Unlock()
	if ok {
		return v, l, nil
	}
	if c, ok := s.reg.Lookup(n.Name); ok {
		return CommandValue{c}, &Lineage{Literal: n.Name, Type: "command"}, nil
	}
	what := "variable or command"
	if forHelp {
		what = "command or variable to show help for"
	}
	known := append(s.VarNames(), s.reg.Names()...)
	return nil, nil, errorf(NameError, n.P, "no %s is named `%s`%s", what, n.Name, didYouMean(n.Name, known))
}

// Operand is a value that defines the operators of the language on itself
// (a column compared with a number, say). The left operand is asked first.
type Operand interface {
	Binary(op string, other Value, left bool) (Value, error)
}

func binary(n *Binary, x, y Value) (Value, error) {
	for _, side := range []struct {
		v     Value
		other Value
		left  bool
	}{{x, y, true}, {y, x, false}} {
		if o, ok := side.v.(Operand); ok {
			v, err := o.Binary(n.Op, side.other, side.left)
			if err != nil {
				return nil, &Error{Kind: ValueError, Pos: n.P, Msg: userMessage(err, ""), Err: err}
			}
			if v != nil {
				return v, nil
			}
		}
	}
	switch a := x.(type) {
	case Number:
		if b, ok := y.(Number); ok {
			return numberOp(n, float64(a), float64(b))
		}
	case String:
		if b, ok := y.(String); ok {
			if n.Op == "+" {
				return a + b, nil
			}
			if v, ok := compare(n.Op, a, b); ok {
				return v, nil
			}
		}
	}
	if n.Op == "==" || n.Op == "!=" {
		eq := equal(x, y)
		if n.Op == "==" {
			return Bool(eq), nil
		}
		return Bool(!eq), nil
	}
	return nil, errorf(TypeError, n.P, "`%s` does not apply to %s and %s", n.Op, describeValue(x), describeValue(y))
}

// equal is == for any two values: lists compare item by item; values whose
// Go types cannot be compared (tables, results) are never equal, since
// comparing their contents is not what a user asking x == y means.
func equal(x, y Value) bool {
	if a, ok := x.(List); ok {
		b, ok := y.(List)
		if !ok || len(a) != len(b) {
			return false
		}
		for i := range a {
			if !equal(a[i], b[i]) {
				return false
			}
		}
		return true
	}
	tx, ty := reflect.TypeOf(x), reflect.TypeOf(y)
	if tx != ty {
		return false
	}
	return tx.Comparable() && x == y
}

func numberOp(n *Binary, a, b float64) (Value, error) {
	switch n.Op {
	case "+":
		return Number(a + b), nil
	case "-":
		return Number(a - b), nil
	case "*":
		return Number(a * b), nil
	case "/":
		if b == 0 {
			return nil, errorf(ValueError, n.P, "division by zero")
		}
		return Number(a / b), nil
	}
	if v, ok := compare(n.Op, a, b); ok {
		return v, nil
	}
	return nil, errorf(SyntaxError, n.P, "unknown operator %s", n.Op)
}

// compare applies a comparison operator; ok is false for other operators.
func compare[T cmp.Ordered](op string, a, b T) (v Value, ok bool) {
	switch op {
	case "==":
		return Bool(a == b), true
	case "!=":
		return Bool(a != b), true
	case "<":
		return Bool(a < b), true
	case "<=":
		return Bool(a <= b), true
	case ">":
		return Bool(a > b), true
	case ">=":
		return Bool(a >= b), true
	}
	return nil, false
}

func (s *Session) call(ctx context.Context, n *CallExpr, out kernel.Output, depth int) (Value, *Lineage, error) {
	cmd, ok := s.reg.Lookup(n.Fn.Name)
	if !ok {
		if v, isVar := s.Get(n.Fn.Name); isVar {
			return nil, nil, errorf(TypeError, n.Fn.P, "`%s` is %s, not a command, so it cannot be called", n.Fn.Name, describeValue(v))
		}
		return nil, nil, errorf(NameError, n.Fn.P, "unknown command `%s`%s", n.Fn.Name, didYouMean(n.Fn.Name, s.reg.Names())+helpHint(s.reg.Names(), n.Fn.Name))
	}
	args := make([]Value, len(n.Args))
	argPos := make([]Pos, len(n.Args))
	argLin := make([]*Lineage, len(n.Args))
	for i, a := range n.Args {
		argPos[i] = a.Start()
		var p Param
		if i < len(cmd.Params) {
			p = cmd.Params[i]
		} else if len(cmd.Params) > 0 && cmd.Params[len(cmd.Params)-1].Variadic {
			p = cmd.Params[len(cmd.Params)-1]
		}
		if p.TakesName {
			id, ok := a.(*Ident)
			if !ok {
				return nil, nil, errorf(TypeError, a.Start(), "`%s` takes names, as in `%s(x)`", cmd.Name, cmd.Name)
			}
			args[i], argLin[i] = String(id.Name), literalOf(String(id.Name))
			continue
		}
		v, l, err := s.eval(ctx, a, out, depth+1)
		if err != nil {
			return nil, nil, err
		}
		args[i], argLin[i] = v, l
	}
	named := make(map[string]Value, len(n.Named))
	namedPos := make(map[string]Pos, len(n.Named))
	given := make(map[string]*Lineage, len(n.Args)+len(n.Named))
	for _, na := range n.Named {
		v, l, err := s.eval(ctx, na.Value, out, depth+1)
		if err != nil {
			return nil, nil, err
		}
		named[na.Name] = v
		namedPos[na.Name] = na.P
		given[na.Name] = l
	}
	bound, berr := cmd.bind(args, argPos, named, namedPos, n.Fn.P)
	if berr != nil {
		return nil, nil, berr
	}
	argAt := map[string]Pos{}
	var restAt []Pos
	for i, p := range cmd.Params {
		if i >= len(argPos) {
			break
		}
		if p.Variadic {
			restAt = argPos[i:]
			given[p.Name] = listLineage(bound[p.Name].(List), argLin[i:])
			break
		}
		argAt[p.Name] = argPos[i]
		given[p.Name] = argLin[i]
	}
	for name, p := range namedPos {
		argAt[name] = p
	}
	made := callLineage(cmd, given)
	lineage := make(map[string]*Lineage, len(cmd.Params))
	for _, a := range made.Args {
		lineage[a.Param] = a.Value
	}
	c := &Call{Cmd: cmd, Session: s, Out: out, pos: n.Fn.P, args: bound, argAt: argAt, restAt: restAt, lineage: lineage}
	v, err := cmd.Run(ctx, c)
	c.finishProgress(err)
	if err != nil {
		if ctx.Err() != nil && errors.Is(err, ctx.Err()) {
			return nil, nil, interrupted(n.Fn.P)
		}
		return nil, nil, locate(err, n.Fn.P, cmd.Name)
	}
	if v == nil {
		v = None
	}
	made.Type, made.File = v.Type(), c.file
	if fittable[cmd.Name] {
		s.remember(made, c, v)
	}
	return v, made, nil
}

// helpHint points a user who typed an unknown command to help().
func helpHint(known []string, name string) string {
	if _, ok := suggest.Nearest(name, known); ok {
		return ""
	}
	return "; help() lists the commands"
}

// newDisplayID returns a display id unique to this session.
func (s *Session) newDisplayID() string {
	return fmt.Sprintf("%s-%d", s.displayPrefix, s.displays.Add(1))
}
