package dsl

import (
	"context"
	"fmt"
	"math"
	"sort"
	"strings"
)

// Type is what a parameter accepts. Name appears in signatures and errors.
type Type struct {
	Name    string
	Accepts func(Value) bool
}

// The parameter types of the core language. Analysis values add their own.
var (
	Any = &Type{Name: "any", Accepts: func(Value) bool { return true }}
	Num = &Type{Name: "number", Accepts: func(v Value) bool { _, ok := v.(Number); return ok }}
	Int = &Type{Name: "integer", Accepts: func(v Value) bool {
		n, ok := v.(Number)
		return ok && float64(n) == math.Trunc(float64(n)) && !math.IsInf(float64(n), 0)
	}}
	Str     = &Type{Name: "string", Accepts: func(v Value) bool { _, ok := v.(String); return ok }}
	Boolean = &Type{Name: "bool", Accepts: func(v Value) bool { _, ok := v.(Bool); return ok }}
	ListT   = &Type{Name: "list", Accepts: func(v Value) bool { _, ok := v.(List); return ok }}
)

// TypeOf accepts values whose Type() is name, such as "table".
func TypeOf(name string) *Type {
	return &Type{Name: name, Accepts: func(v Value) bool { return v.Type() == name }}
}

// OneOf accepts a value of any of the types, as "table or embedding".
func OneOf(types ...*Type) *Type {
	names := make([]string, len(types))
	for i, t := range types {
		names[i] = t.Name
	}
	return &Type{Name: strings.Join(names, " or "), Accepts: func(v Value) bool {
		for _, t := range types {
			if t.Accepts(v) {
				return true
			}
		}
		return false
	}}
}

// Param declares one parameter of a command, once: the call binder, help,
// completion and inspection all read it.
type Param struct {
	Name string
	Type *Type
	// Default is the value when the argument is left out; nil makes the
	// parameter required. A None default also lets the caller pass none.
	Default Value
	Doc     string
	// Choices, for a string parameter, are its only allowed values.
	Choices []string
	// Variadic gathers every remaining positional argument into a List.
	Variadic bool
	// Name, for a parameter that takes a name rather than a value (del):
	// the argument must be a bare name, which arrives as a String.
	TakesName bool
}

func (p Param) required() bool { return p.Default == nil && !p.Variadic }

// signature renders the parameter as help shows it: "n_neighbors=15".
func (p Param) signature() string {
	switch {
	case p.Variadic:
		return p.Name + "..."
	case p.Default == nil:
		return p.Name
	}
	return p.Name + "=" + p.Default.String()
}

// Command is a function of the language.
type Command struct {
	Name string
	// Group places the command in help(): "basics", "data", "embed", ...
	Group string
	// Summary is one line; Doc may say more, in paragraphs.
	Summary  string
	Doc      string
	Params   []Param
	Returns  string
	Examples []string
	Run      func(ctx context.Context, c *Call) (Value, error)
}

// Signature renders the command's call form with its defaults.
func (c *Command) Signature() string {
	parts := make([]string, len(c.Params))
	for i, p := range c.Params {
		parts[i] = p.signature()
	}
	s := c.Name + "(" + strings.Join(parts, ", ") + ")"
	if c.Returns != "" {
		s += " -> " + c.Returns
	}
	return s
}

func (c *Command) param(name string) (Param, bool) {
	for _, p := range c.Params {
		if p.Name == name {
			return p, true
		}
	}
	return Param{}, false
}

func (c *Command) paramNames() []string {
	names := make([]string, len(c.Params))
	for i, p := range c.Params {
		names[i] = p.Name
	}
	return names
}

// Registry holds the commands of a language.
type Registry struct {
	cmds map[string]*Command
}

// NewRegistry returns a registry holding every command of the language.
func NewRegistry() *Registry {
	r := newCoreRegistry()
	registerOptions(r)
	registerData(r)
	registerDemo(r)
	registerUMAP(r)
	registerCluster(r)
	registerRecurse(r)
	registerStability(r)
	registerExplore(r)
	registerCompare(r)
	registerExplain(r)
	registerName(r)
	registerProfile(r)
	registerLineage(r)
	registerReport(r)
	registerModel(r)
	return r
}

// newCoreRegistry holds only the commands of the language itself, without
// the analysis: printing, help, variables, displays.
func newCoreRegistry() *Registry {
	r := &Registry{cmds: map[string]*Command{}}
	registerCore(r)
	return r
}

// Register adds commands; a name registered twice is a programming error.
func (r *Registry) Register(cmds ...*Command) {
	for _, c := range cmds {
		if _, dup := r.cmds[c.Name]; dup {
			panic("dsl: command " + c.Name + " registered twice")
		}
		seen := map[string]bool{}
		for i, p := range c.Params {
			if seen[p.Name] || p.Type == nil || p.Variadic && i != len(c.Params)-1 && c.Params[i+1].required() {
				panic("dsl: command " + c.Name + ": bad parameter " + p.Name)
			}
			seen[p.Name] = true
		}
		r.cmds[c.Name] = c
	}
}

// Lookup returns the named command.
func (r *Registry) Lookup(name string) (*Command, bool) {
	c, ok := r.cmds[name]
	return c, ok
}

// Names lists the commands in alphabetical order.
func (r *Registry) Names() []string {
	names := make([]string, 0, len(r.cmds))
	for n := range r.cmds {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// bind matches a call's arguments to the command's parameters, filling in
// defaults and checking types; mistakes name the parameter and say what the
// command accepts.
func (c *Command) bind(args []Value, argPos []Pos, named map[string]Value, namedPos map[string]Pos, callPos Pos) (map[string]Value, *Error) {
	bound := make(map[string]Value, len(c.Params))
	i := 0
	for _, p := range c.Params {
		if p.Variadic {
			rest := List{}
			for ; i < len(args); i++ {
				if err := c.check(p, args[i], argPos[i]); err != nil {
					return nil, err
				}
				rest = append(rest, args[i])
			}
			bound[p.Name] = rest
			continue
		}
		if i < len(args) {
			if _, dup := named[p.Name]; dup {
				return nil, errorf(TypeError, namedPos[p.Name], "`%s` is given both by position and by name in this call of `%s`", p.Name, c.Name)
			}
			if err := c.check(p, args[i], argPos[i]); err != nil {
				return nil, err
			}
			bound[p.Name] = args[i]
			i++
		}
	}
	if i < len(args) {
		return nil, errorf(TypeError, argPos[i], "`%s` takes at most %d positional arguments, and this call gives %d; its signature is %s", c.Name, i, len(args), c.Signature())
	}
	for name, v := range named {
		p, ok := c.param(name)
		if !ok || p.Variadic {
			return nil, errorf(TypeError, namedPos[name], "`%s` has no parameter `%s`%s; it accepts %s", c.Name, name, didYouMean(name, c.paramNames()), listNames(c.paramNames()))
		}
		if err := c.check(p, v, namedPos[name]); err != nil {
			return nil, err
		}
		bound[name] = v
	}
	for _, p := range c.Params {
		if _, ok := bound[p.Name]; ok {
			continue
		}
		if p.required() {
			return nil, errorf(TypeError, callPos, "`%s` needs its `%s` argument (%s); its signature is %s", c.Name, p.Name, p.Type.Name, c.Signature())
		}
		bound[p.Name] = p.Default
	}
	return bound, nil
}

func (c *Command) check(p Param, v Value, pos Pos) *Error {
	if _, isNone := v.(NoneValue); isNone && p.Default != nil {
		if _, noneDefault := p.Default.(NoneValue); noneDefault {
			return nil
		}
	}
	if !p.Type.Accepts(v) {
		return errorf(TypeError, pos, "`%s` of `%s` must be %s, not %s", p.Name, c.Name, withArticle(p.Type.Name), describeValue(v))
	}
	if s, ok := v.(String); ok && len(p.Choices) > 0 {
		for _, ch := range p.Choices {
			if string(s) == ch {
				return nil
			}
		}
		return errorf(ValueError, pos, "`%s` of `%s` must be one of %s, not %q%s", p.Name, c.Name, quoteList(p.Choices), string(s), didYouMean(string(s), p.Choices))
	}
	return nil
}

func withArticle(name string) string {
	if name == "any" {
		return "a value"
	}
	if strings.ContainsAny(name[:1], "aeiou") {
		return "an " + name
	}
	return "a " + name
}

func quoteList(s []string) string {
	q := make([]string, len(s))
	for i, x := range s {
		q[i] = fmt.Sprintf("%q", x)
	}
	return strings.Join(q, ", ")
}
