package dsl

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/reckon-dev/reckon/display"
)

// Value is anything a name can hold. Commands return values; the session
// shows them. Beyond these two methods a value may implement Displayer (a
// rich form), Sizer (a size for vars()), Attributer (x.name) and Indexer
// (x[i]).
type Value interface {
	// Type names the kind of value in messages and in vars(): "number",
	// "table", "embedding".
	Type() string
	// String is the value's text/plain form.
	String() string
}

// Displayer is a value with a rich form.
type Displayer interface {
	Display() display.Bundle
}

// Sizer is a value that can say how big it is ("70,000 × 784").
type Sizer interface {
	Size() string
}

// Attributer is a value with named parts reachable as x.name.
type Attributer interface {
	// Attr returns the named part, or false when there is none.
	Attr(name string) (Value, bool)
	// Attrs lists the names Attr knows, for errors and completion.
	Attrs() []string
}

// Indexer is a value with parts reachable as x[i].
type Indexer interface {
	Index(i Value) (Value, error)
}

// Bundle returns the MIME bundle that shows v.
func Bundle(v Value) display.Bundle {
	if d, ok := v.(Displayer); ok {
		b := d.Display()
		if _, ok := b.Data["text/plain"]; !ok {
			b.Data["text/plain"] = v.String()
		}
		return b
	}
	return display.Text(v.String())
}

// The basic values of the language.
type (
	// Number is every number: the language has one numeric type.
	Number float64
	// String is text.
	String string
	// Bool is true or false.
	Bool bool
	// List is [a, b, ...].
	List []Value
	// NoneValue is none: no value, as a default or a result.
	NoneValue struct{}
	// Dict is {key: value, ...}: string or number keys, each once, kept
	// in the order written.
	Dict struct {
		Keys, Values []Value
	}
)

// None is the one none value.
var None Value = NoneValue{}

func (Number) Type() string    { return "number" }
func (String) Type() string    { return "string" }
func (Bool) Type() string      { return "bool" }
func (List) Type() string      { return "list" }
func (NoneValue) Type() string { return "none" }
func (*Dict) Type() string     { return "dict" }

func (n Number) String() string { return formatNumber(float64(n)) }
func (s String) String() string { return strconv.Quote(string(s)) }
func (b Bool) String() string {
	if b {
		return "true"
	}
	return "false"
}
func (NoneValue) String() string { return "none" }
func (l List) String() string {
	parts := make([]string, len(l))
	for i, v := range l {
		parts[i] = v.String()
	}
	return "[" + strings.Join(parts, ", ") + "]"
}

func (d *Dict) String() string {
	parts := make([]string, len(d.Keys))
	for i, k := range d.Keys {
		parts[i] = k.String() + ": " + d.Values[i].String()
	}
	return "{" + strings.Join(parts, ", ") + "}"
}

// Size of a dict is its number of entries.
func (d *Dict) Size() string { return fmt.Sprintf("%d entries", len(d.Keys)) }

// Index returns the value of a key.
func (d *Dict) Index(key Value) (Value, error) {
	for i, k := range d.Keys {
		if equal(k, key) {
			return d.Values[i], nil
		}
	}
	keys := make([]string, len(d.Keys))
	for i, k := range d.Keys {
		keys[i] = k.String()
	}
	return nil, fmt.Errorf("this dict has no key %s; its keys are %s", key, strings.Join(keys, ", "))
}

// Size of a list is its length.
func (l List) Size() string { return count(len(l), "item") }

// Size of a string is its length.
func (s String) Size() string { return fmt.Sprintf("%d characters", len([]rune(string(s)))) }

// Index returns l[i]; negative i counts from the end, as in Python.
func (l List) Index(i Value) (Value, error) {
	n, ok := i.(Number)
	if !ok || float64(n) != math.Trunc(float64(n)) {
		return nil, fmt.Errorf("a list index must be a whole number, not %s", describeValue(i))
	}
	// Check the range on the number itself: converting -1e300 to an int
	// first would report a different index than the one written.
	if f := float64(n); f < -float64(len(l)) || f >= float64(len(l)) {
		return nil, fmt.Errorf("index %s is out of range for a list of %s", formatNumber(f), count(len(l), "item"))
	}
	k := int(n)
	if k < 0 {
		k += len(l)
	}
	return l[k], nil
}

// count writes n and its noun, singular for one: "1 row", "70,000 rows".
func count(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return thousands(n) + " " + noun + "s"
}

// formatNumber writes a number as the language shows a value: whole
// numbers without a decimal point, others with the fewest digits that read
// back to the same number.
func formatNumber(v float64) string { return formatDigits(v, -1) }

// formatShort writes a number for a table cell: the same rule, with at
// most six significant digits.
func formatShort(v float64) string { return formatDigits(v, 6) }

// formatDigits is the one rule for writing numbers: nan, inf and -inf;
// whole numbers (below 1e15) in full without a decimal point; others in
// %g with digits significant digits (-1: as many as it takes to read back
// the same number). A missing value is not a number: tables show it as NA.
func formatDigits(v float64, digits int) string {
	switch {
	case math.IsNaN(v):
		return "nan"
	case math.IsInf(v, 1):
		return "inf"
	case math.IsInf(v, -1):
		return "-inf"
	case v == math.Trunc(v) && math.Abs(v) < 1e15:
		return strconv.FormatFloat(v, 'f', -1, 64)
	}
	return strconv.FormatFloat(v, 'g', digits, 64)
}

// describeValue names a value for an error message: "the number 3",
// "a table".
func describeValue(v Value) string {
	switch x := v.(type) {
	case Number, Bool:
		return fmt.Sprintf("the %s %s", v.Type(), v)
	case String:
		s := string(x)
		if len([]rune(s)) > 30 {
			s = string([]rune(s)[:30]) + "…"
		}
		return "the string " + strconv.Quote(s)
	case NoneValue:
		return "none"
	}
	t := v.Type()
	if strings.ContainsAny(t[:1], "aeiou") {
		return "an " + t
	}
	return "a " + t
}

// plainText is v as print shows it: strings without their quotes.
func plainText(v Value) string {
	if s, ok := v.(String); ok {
		return string(s)
	}
	return v.String()
}
