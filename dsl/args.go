package dsl

import (
	"math"

	"github.com/reckon-dev/reckon/analysis/frame"
	"github.com/reckon-dev/reckon/kernel"
)

// Call is one invocation of a command: its bound arguments and the ways it
// can reach the user while it runs.
type Call struct {
	Cmd     *Command
	Session *Session
	Out     kernel.Output

	pos      Pos
	args     map[string]Value
	argAt    map[string]Pos
	restAt   []Pos // of the items of the variadic parameter
	progress *progressDisplay
	// lineage holds how every argument was made; file, what the command
	// read (StampFile).
	lineage map[string]*Lineage
	file    *FileStamp
}

// Value returns an argument as given (or its default).
func (c *Call) Value(name string) Value {
	v, ok := c.args[name]
	if !ok {
		panic("dsl: command " + c.Cmd.Name + " has no parameter " + name)
	}
	return v
}

// IsNone reports whether an argument is none.
func (c *Call) IsNone(name string) bool { _, ok := c.Value(name).(NoneValue); return ok }

// Num returns a number argument.
func (c *Call) Num(name string) float64 { return float64(c.Value(name).(Number)) }

// Str returns a string argument.
func (c *Call) Str(name string) string { return string(c.Value(name).(String)) }

// Bool returns a bool argument.
func (c *Call) Bool(name string) bool { return bool(c.Value(name).(Bool)) }

// List returns a list (or variadic) argument.
func (c *Call) List(name string) List { return c.Value(name).(List) }

// Errorf makes a ValueError located at the argument of parameter param
// (at the call when the argument was left to its default).
func (c *Call) Errorf(param, format string, args ...any) error {
	p, ok := c.argAt[param]
	if !ok {
		p = c.pos
	}
	return errorf(ValueError, p, format, args...)
}

// ItemErrorf makes a ValueError located at the i-th argument gathered by
// the variadic parameter.
func (c *Call) ItemErrorf(i int, format string, args ...any) error {
	p := c.pos
	if i >= 0 && i < len(c.restAt) {
		p = c.restAt[i]
	}
	return errorf(ValueError, p, format, args...)
}

// ColumnName is the type of a parameter naming a column: a string, or the
// column itself (t.genre).
var ColumnName = &Type{Name: "column name", Accepts: func(v Value) bool {
	switch v.(type) {
	case String, *Column:
		return true
	}
	return false
}}

// columnName is the name a ColumnName argument gives.
func columnName(v Value) string {
	if c, ok := v.(*Column); ok {
		return c.Data.Name()
	}
	return string(v.(String))
}

// columnNames are the names a variadic ColumnName argument gives.
func columnNames(l List) []string {
	names := make([]string, len(l))
	for i, v := range l {
		names[i] = columnName(v)
	}
	return names
}

// seedParam is the seed of every command that draws random numbers. none
// means a fixed seed, so that every result can be reproduced.
var seedParam = Param{Name: "seed", Type: Int, Default: None, Doc: "random seed (random_state), a whole number from 0 to 2^53; none means the fixed seed 0, so results are always reproducible"}

// maxSeed is the largest seed: 2^53, the largest whole number below which
// every whole number is a number of the language exactly, so that two
// different seeds a user writes are never the same seed.
const maxSeed = 1 << 53

// seedOf reads the seed: none, or a whole number from 0 to maxSeed.
func seedOf(c *Call) (uint64, error) {
	if c.IsNone("seed") {
		return 0, nil
	}
	v := c.Num("seed")
	if !(v >= 0 && v <= maxSeed) {
		return 0, c.Errorf("seed", "seed must be a whole number from 0 to %s, not %s", thousands(maxSeed), formatNumber(v))
	}
	return uint64(v), nil
}

// maxCount is the largest count a parameter takes (rows, components,
// trees, epochs): what an int32 holds.
const maxCount = math.MaxInt32

// positive reads a parameter that must be a whole number of at least lo.
func positive(c *Call, name string, lo int) (int, error) {
	return between(c, name, lo, maxCount, "")
}

// between reads a parameter that must be a whole number from lo to hi. The
// message names the bound that was crossed; why, when set, follows it and
// says where hi comes from ("the data have 11 columns").
func between(c *Call, name string, lo, hi int, why string) (int, error) {
	v := c.Num(name)
	if why != "" {
		why = "; " + why
	}
	switch {
	case hi < lo:
		return 0, c.Errorf(name, "%s cannot be chosen here: it must be at least %s and at most %s%s", name, thousands(lo), thousands(hi), why)
	case v > float64(hi):
		return 0, c.Errorf(name, "%s must be at most %s, not %s%s", name, thousands(hi), formatNumber(v), why)
	case !(v >= float64(lo)) || v != math.Trunc(v):
		return 0, c.Errorf(name, "%s must be a whole number of at least %s, not %s", name, thousands(lo), formatNumber(v))
	}
	return int(v), nil
}

// tableOf returns a table argument's frame.
func tableOf(c *Call, name string) *frame.Frame { return c.Value(name).(Tabular).Frame() }

// intOrList reads a parameter that takes a whole number or a list of them.
func intOrList(c *Call, name string, lo int) ([]int, bool, error) {
	if l, ok := c.Value(name).(List); ok {
		if len(l) == 0 {
			return nil, true, c.Errorf(name, "%s needs at least one value", name)
		}
		out := make([]int, len(l))
		for i, v := range l {
			n, ok := v.(Number)
			if !ok || float64(n) != math.Trunc(float64(n)) || !(float64(n) >= float64(lo)) {
				return nil, true, c.Errorf(name, "%s must list whole numbers of at least %s, not %s", name, thousands(lo), describeValue(v))
			}
			if n > maxCount {
				return nil, true, c.Errorf(name, "%s must list numbers of at most %s, not %s", name, thousands(maxCount), describeValue(v))
			}
			out[i] = int(n)
		}
		return out, true, nil
	}
	v, err := positive(c, name, lo)
	return []int{v}, false, err
}

var intOrListT = OneOf(Int, ListT)
