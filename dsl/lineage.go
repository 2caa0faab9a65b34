package dsl

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/reckon-dev/reckon/display"
)

// Lineage is how a value was made: an expression over the values it was
// made from, each with a lineage of its own, down to literals and the files
// that were read. The session builds one beside every value it evaluates
// (Session.Lineage, Call.Lineage), so that lineage(x), the report's method
// section and a saved pipeline all read the same record.
//
// A lineage node never changes once made, except that Var is set when the
// value is first assigned to a variable.
type Lineage struct {
	// Op is what made the value: a command's name; "." for x.name, "[]"
	// for x[i], "list" for [a, b], "dict" for {k: v} (Args alternate keys
	// and values), an operator ("-", "+", "<", ...) for
	// arithmetic and comparisons; "" for a literal, or for a variable set
	// from outside the language (then Var names it and Args is empty).
	Op string
	// Literal is a literal's source text, as the language reads it back;
	// for "." it is the part's name.
	Literal string
	// Args are the operands: for a command, every parameter in declaration
	// order, those left to their default included; for an operator, its
	// operands in order.
	Args []LineageArg
	// File is the file a loading command read, stamped as it was read.
	File *FileStamp
	// Type is the type of the value made ("table", "clusters").
	Type string
	// Var is the variable the value was first assigned to.
	Var string
}

// LineageArg is one operand of a Lineage.
type LineageArg struct {
	// Param names the command's parameter; empty for an operator's operand.
	Param string
	Value *Lineage
	// Default is set when the parameter was left to its default.
	Default bool
	// Variadic marks the parameter that gathers the remaining positional
	// arguments: Value is then a "list" of them.
	Variadic bool
}

// FileStamp identifies the exact file a value was read from.
type FileStamp struct {
	// Path is the path as given; Abs the absolute path it resolved to.
	Path, Abs string
	Size      int64
	// SHA256 is the hex digest of the file's bytes.
	SHA256 string
	Rows   int
}

// String is the stamp as the script's comment writes it.
func (f FileStamp) String() string {
	return fmt.Sprintf("%s: %s, %s bytes, sha256 %s", f.Path, count(f.Rows, "row"), thousands(int(f.Size)), f.SHA256)
}

// literalOf makes the lineage of a value written in the source.
func literalOf(v Value) *Lineage {
	return &Lineage{Literal: sourceText(v), Type: v.Type()}
}

// external is the lineage of a variable the language did not make.
func external(name string, v Value) *Lineage {
	return &Lineage{Var: name, Type: v.Type()}
}

// isExternal reports whether the node is a variable set from outside.
func (l *Lineage) isExternal() bool { return l.Op == "" && l.Literal == "" }

// isCommand reports whether the node is a command's call.
func (l *Lineage) isCommand() bool {
	return l.Op != "" && l.Op != "." && l.Op != "[]" && l.Op != "list" && l.Op != "dict" && !isOperator(l.Op)
}

func isOperator(op string) bool {
	switch op {
	case "+", "-", "*", "/", "==", "!=", "<", "<=", ">", ">=":
		return true
	}
	return false
}

// sourceText writes a value of the language as a literal that reads back
// to the same value. Values without a literal form (a table) are written
// as their type in angle brackets, which does not parse: they only ever
// reach here from outside the language.
func sourceText(v Value) string {
	switch x := v.(type) {
	case Number:
		return formatNumber(float64(x))
	case String:
		return quote(string(x))
	case Bool, NoneValue:
		return x.String()
	case List:
		parts := make([]string, len(x))
		for i, it := range x {
			parts[i] = sourceText(it)
		}
		return "[" + strings.Join(parts, ", ") + "]"
	case *Dict:
		parts := make([]string, len(x.Keys))
		for i, k := range x.Keys {
			parts[i] = sourceText(k) + ": " + sourceText(x.Values[i])
		}
		return "{" + strings.Join(parts, ", ") + "}"
	}
	return "<" + v.Type() + ">"
}

// listLineage is the lineage of [a, b, ...].
func listLineage(v List, items []*Lineage) *Lineage { return collectionLineage(v, "list", items) }

// collectionLineage is the lineage of a list, or of a dict whose parts are
// its keys and values in turn: a literal when every part is one, so that
// long lists of numbers stay one short node.
func collectionLineage(v Value, op string, parts []*Lineage) *Lineage {
	args := make([]LineageArg, len(parts))
	all := true
	for i, it := range parts {
		args[i] = LineageArg{Value: it}
		all = all && it.Op == "" && !it.isExternal()
	}
	if all {
		return literalOf(v)
	}
	return &Lineage{Op: op, Args: args, Type: v.Type()}
}

// callLineage records a call of cmd: every parameter in order, given or
// left to its default.
func callLineage(cmd *Command, given map[string]*Lineage) *Lineage {
	l := &Lineage{Op: cmd.Name}
	for _, p := range cmd.Params {
		a := LineageArg{Param: p.Name, Value: given[p.Name], Variadic: p.Variadic}
		if a.Value == nil {
			a.Default = true
			if p.Variadic {
				a.Value = literalOf(List{})
			} else {
				a.Value = literalOf(p.Default)
			}
		}
		l.Args = append(l.Args, a)
	}
	return l
}

// Lineage returns how the argument of parameter name was made.
func (c *Call) Lineage(name string) *Lineage {
	l, ok := c.lineage[name]
	if !ok {
		panic("dsl: command " + c.Cmd.Name + " has no parameter " + name)
	}
	return l
}

// StampFile records the file the command reads, for its value's lineage:
// its size and SHA-256 (it reads the whole file to hash it). The command
// sets the stamp's Rows once it knows them.
func (c *Call) StampFile(ctx context.Context, path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	h := sha256.New()
	n, err := io.Copy(h, ctxReader{ctx, f})
	if err != nil {
		return fmt.Errorf("hashing %s: %w", path, err)
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		abs = path
	}
	c.file = &FileStamp{Path: path, Abs: abs, Size: n, SHA256: hex.EncodeToString(h.Sum(nil))}
	return nil
}

// StampBytes records data built into Reckon that the command read, under
// a name that says where it comes from.
func (c *Call) StampBytes(name string, data []byte) {
	sum := sha256.Sum256(data)
	c.file = &FileStamp{Path: name, Size: int64(len(data)), SHA256: hex.EncodeToString(sum[:])}
}

// ctxReader stops a long read when its context ends.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (r ctxReader) Read(p []byte) (int, error) {
	if err := r.ctx.Err(); err != nil {
		return 0, err
	}
	return r.r.Read(p)
}

// Step is one line of a lineage script: a command and the name the script
// gives its value.
type Step struct {
	// Var is the variable the line assigns; empty for a last line that
	// only shows a value that has no name.
	Var     string
	Command string
	// Params are the command's parameters in order, as source text over
	// the names of earlier steps; Default marks those left to their
	// default.
	Params []StepParam
	File   *FileStamp
	// Code is the line itself, with the parameters given and the seed.
	Code string
}

// StepParam is a parameter of a Step.
type StepParam struct {
	Name, Code string
	Default    bool
}

// Script is a lineage written as commands a user could re-run: a step per
// command, in an order where every value is made before it is used.
type Script struct {
	Steps []Step
	// Files are the files read, in the order of the steps that read them.
	Files []FileStamp
	// External names the variables set from outside the language, which
	// the script uses but cannot make.
	External []string
}

// ScriptOptions choose how a script is written.
type ScriptOptions struct {
	// EveryCommand gives every command a line of its own; by default a
	// command whose unnamed value is used once is written inside the line
	// that uses it, as the user wrote it.
	EveryCommand bool
}

// NewScript writes the lineage of the roots as a script that makes each of
// them. A root with a variable name is assigned to it; one without is the
// last line, shown.
func NewScript(opts ScriptOptions, roots ...*Lineage) Script {
	w := scriptWriter{names: map[*Lineage]string{}, holder: map[string]*Lineage{}, pos: map[*Lineage]int{}, lastUse: map[*Lineage]int{}}
	// The nodes in an order where each comes after its operands, and who
	// uses each.
	var order []*Lineage
	users := map[*Lineage][]*Lineage{}
	seen := map[*Lineage]bool{}
	var visit func(l *Lineage)
	visit = func(l *Lineage) {
		for _, a := range l.Args {
			users[a.Value] = append(users[a.Value], l)
			if !seen[a.Value] {
				seen[a.Value] = true
				visit(a.Value)
			}
		}
		order = append(order, l)
	}
	isRoot := map[*Lineage]bool{}
	for _, r := range roots {
		isRoot[r] = true
		if !seen[r] {
			seen[r] = true
			visit(r)
		}
	}
	// Which nodes get a line; the others are written inside the line
	// that uses them.
	line := func(l *Lineage) bool {
		if l.isCommand() {
			return opts.EveryCommand || l.Var != "" || len(users[l]) > 1 || isRoot[l]
		}
		return isRoot[l] && !l.isExternal()
	}
	// Where each node is written (its line, or the last line it is written
	// in), and the last line that uses it: a name may be given again once
	// the value it held is used no more, as a user reassigns a variable.
	for i := len(order) - 1; i >= 0; i-- {
		l := order[i]
		w.pos[l], w.lastUse[l] = i, -1
		if isRoot[l] {
			w.lastUse[l] = len(order)
		}
		for _, u := range users[l] {
			if !line(l) && !isRoot[l] {
				w.pos[l] = max(w.pos[l], w.pos[u])
			}
			w.lastUse[l] = max(w.lastUse[l], w.pos[u])
		}
	}
	var sc Script
	for _, l := range order {
		if l.isExternal() {
			w.names[l] = w.claim(l.Var, l)
			sc.External = append(sc.External, l.Var)
			continue
		}
		if !line(l) {
			continue
		}
		st := Step{File: l.File}
		if l.isCommand() {
			st.Command = l.Op
			for _, a := range l.Args {
				st.Params = append(st.Params, StepParam{Name: a.Param, Code: w.arg(a), Default: a.Default})
			}
			st.Code = w.call(l)
		} else {
			st.Code = w.expr(l)
		}
		switch {
		case l.Var != "":
			st.Var = w.claim(l.Var, l)
		case l.isCommand() && (!isRoot[l] || len(roots) > 1):
			st.Var = w.fresh(l)
		}
		if st.Var != "" {
			st.Code = st.Var + " = " + st.Code
			w.names[l] = st.Var
		}
		sc.Steps = append(sc.Steps, st)
		if l.File != nil {
			sc.Files = append(sc.Files, *l.File)
		}
	}
	return sc
}

// String is the script, headed by comments naming the files it reads.
func (s Script) String() string {
	var b strings.Builder
	for _, f := range s.Files {
		b.WriteString("# " + f.String() + "\n")
	}
	if len(s.External) > 0 {
		fmt.Fprintf(&b, "# %s set from outside the language\n", strings.Join(s.External, ", "))
	}
	for _, st := range s.Steps {
		b.WriteString(st.Code + "\n")
	}
	return strings.TrimRight(b.String(), "\n")
}

type scriptWriter struct {
	names map[*Lineage]string
	// holder is the node a name holds at the line being written.
	holder map[string]*Lineage
	// pos is the line (as a position in the nodes' order) a node is
	// written in; lastUse the last line that uses it.
	pos, lastUse map[*Lineage]int
}

// claim gives l a variable name: the one asked for when it is free, or
// when the value it held is used no more by the line l is written in; else
// the name numbered: X_2, X_3.
func (w *scriptWriter) claim(name string, l *Lineage) string {
	n := name
	for i := 2; ; i++ {
		if h, taken := w.holder[n]; !taken || w.lastUse[h] <= w.pos[l] {
			w.holder[n] = l
			return n
		}
		n = name + "_" + strconv.Itoa(i)
	}
}

// fresh gives a value that has no name one: v1, v2, ...
func (w *scriptWriter) fresh(l *Lineage) string {
	for i := 1; ; i++ {
		if n := "v" + strconv.Itoa(i); w.holder[n] == nil {
			w.holder[n] = l
			return n
		}
	}
}

// expr writes a value: its name when a line made it, else its expression.
func (w *scriptWriter) expr(l *Lineage) string {
	if name, ok := w.names[l]; ok && name != "" {
		return name
	}
	switch {
	case l.Op == "":
		return l.Literal
	case l.Op == ".":
		return w.operand(l.Args[0].Value) + "." + l.Literal
	case l.Op == "[]":
		return w.operand(l.Args[0].Value) + "[" + w.expr(l.Args[1].Value) + "]"
	case l.Op == "list":
		parts := make([]string, len(l.Args))
		for i, a := range l.Args {
			parts[i] = w.expr(a.Value)
		}
		return "[" + strings.Join(parts, ", ") + "]"
	case l.Op == "dict":
		parts := make([]string, 0, len(l.Args)/2)
		for i := 0; i+1 < len(l.Args); i += 2 {
			parts = append(parts, w.expr(l.Args[i].Value)+": "+w.expr(l.Args[i+1].Value))
		}
		return "{" + strings.Join(parts, ", ") + "}"
	case isOperator(l.Op) && len(l.Args) == 1:
		return l.Op + w.operand(l.Args[0].Value)
	case isOperator(l.Op):
		return w.operand(l.Args[0].Value) + " " + l.Op + " " + w.operand(l.Args[1].Value)
	}
	return w.call(l)
}

// operand writes an operand of an operator, in parentheses when it is an
// operation itself.
func (w *scriptWriter) operand(l *Lineage) string {
	s := w.expr(l)
	if _, named := w.names[l]; !named && isOperator(l.Op) || l.Op == "" && strings.HasPrefix(s, "-") {
		return "(" + s + ")"
	}
	return s
}

// arg writes one argument's source text, a variadic one as its items.
func (w *scriptWriter) arg(a LineageArg) string {
	if a.Variadic && a.Value.Op == "list" {
		parts := make([]string, len(a.Value.Args))
		for i, it := range a.Value.Args {
			parts[i] = w.expr(it.Value)
		}
		return strings.Join(parts, ", ")
	}
	if a.Variadic && a.Value.Op == "" {
		return strings.TrimSuffix(strings.TrimPrefix(a.Value.Literal, "["), "]")
	}
	if a.Param == seedParam.Name && a.Value.Op == "" && a.Value.Literal == None.String() {
		return "0" // seedOf reads none as the fixed seed 0
	}
	return w.expr(a.Value)
}

// call writes a command's call: the first parameter, and any up to the
// variadic one, by position; the others by name when given; the seed
// always.
func (w *scriptWriter) call(l *Lineage) string {
	positional := 1
	for i, a := range l.Args {
		if a.Variadic {
			positional = i + 1
		}
	}
	// Parameters before the variadic one must be written by position; those
	// left to their default after the last one given need not be.
	last := -1
	for i := 0; i < min(positional, len(l.Args)); i++ {
		if !l.Args[i].Default {
			last = i
		}
	}
	var parts []string
	for i, a := range l.Args {
		switch {
		case i < positional:
			if i <= last {
				parts = append(parts, w.arg(a))
			}
		case !a.Default || a.Param == seedParam.Name:
			text := w.arg(a)
			parts = append(parts, a.Param+"="+text)
		}
	}
	return l.Op + "(" + strings.Join(parts, ", ") + ")"
}

// LineageValue is what lineage(x) shows: the script that makes x.
type LineageValue struct {
	Script Script
	Root   *Lineage
}

func (*LineageValue) Type() string { return "lineage" }

// Size counts the commands.
func (l *LineageValue) Size() string { return fmt.Sprintf("%d steps", len(l.Script.Steps)) }

func (l *LineageValue) String() string { return l.Script.String() }

// Display shows the script as code, ready to copy.
func (l *LineageValue) Display() display.Bundle {
	return display.Bundle{Data: map[string]any{
		"text/plain": l.String(),
		"text/html":  display.Code(l.String()),
	}}
}

func registerLineage(r *Registry) {
	r.Register(&Command{
		Name: "lineage", Group: "report",
		Summary: "How a value was made: the commands, with their parameters and seeds, that make it again in a fresh session.",
		Doc:     "Every value remembers the command that made it, its arguments and the values they came from; a loaded table also remembers its file's size, SHA-256 and rows. lineage(x) writes that chain as a script, in the order the values were made, with the variable names they were given. Running the script in a new session makes the same x.",
		Params: []Param{
			{Name: "value", Type: Any, Doc: "any value"},
			{Name: "every_command", Type: Boolean, Default: Bool(false), Doc: "a line per command, instead of writing a command whose value has no name inside the line that uses it"},
		},
		Returns:  "lineage",
		Examples: []string{`lineage(cl)`},
		Run: func(ctx context.Context, c *Call) (Value, error) {
			root := c.Lineage("value")
			return &LineageValue{Script: NewScript(ScriptOptions{EveryCommand: c.Bool("every_command")}, root), Root: root}, nil
		},
	})
}
