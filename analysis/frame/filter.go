package frame

import (
	"cmp"
	"fmt"
	"math"
)

// Op is a comparison for Filter.
type Op int

const (
	Eq Op = iota + 1 // ==
	Ne               // !=
	Lt               // <
	Le               // <=
	Gt               // >
	Ge               // >=
	In               // in: equal to one of several values
)

var opNames = map[Op]string{Eq: "==", Ne: "!=", Lt: "<", Le: "<=", Gt: ">", Ge: ">=", In: "in"}

func (o Op) String() string {
	if s, ok := opNames[o]; ok {
		return s
	}
	return fmt.Sprintf("Op(%d)", int(o))
}

// ParseOp returns the comparison written as "==", "!=", "<", "<=", ">",
// ">=" or "in".
func ParseOp(s string) (Op, error) {
	for o, name := range opNames {
		if s == name {
			return o, nil
		}
	}
	return 0, fmt.Errorf("frame: %q is not a comparison; use ==, !=, <, <=, >, >= or in", s)
}

// Filter returns the rows whose value in the named column compares as op
// says with value, in their order. Numeric columns compare with numbers
// (float64 or int), categorical columns with strings (< and > in byte
// order), boolean columns with bools (== and != only). For In, value is a
// slice of such values ([]float64, []int, []string, []bool or []any). A
// missing value matches nothing, except that it is != every value, as in
// pandas.
func (f *Frame) Filter(column string, op Op, value any) (*Frame, error) {
	c, err := f.Column(column)
	if err != nil {
		return nil, err
	}
	if _, ok := opNames[op]; !ok {
		return nil, fmt.Errorf("frame: filter: unknown comparison %v", op)
	}
	var values []any
	if op == In {
		if values, err = asList(value); err != nil {
			return nil, err
		}
	} else {
		values = []any{value}
	}
	match, err := matcher(c, op, values)
	if err != nil {
		return nil, err
	}
	var rows []int
	for i := 0; i < f.rows; i++ {
		if match(i) {
			rows = append(rows, i)
		}
	}
	return f.take(rows), nil
}

func asList(value any) ([]any, error) {
	switch v := value.(type) {
	case []any:
		return v, nil
	case []float64:
		return listOf(v), nil
	case []int:
		return listOf(v), nil
	case []string:
		return listOf(v), nil
	case []bool:
		return listOf(v), nil
	}
	return nil, fmt.Errorf("frame: filter: \"in\" needs a list of values, not %v", value)
}

func listOf[T any](s []T) []any {
	out := make([]any, len(s))
	for i, v := range s {
		out[i] = v
	}
	return out
}

// matcher returns the test for row i of c.
func matcher(c *Column, op Op, values []any) (func(int) bool, error) {
	mismatch := func(v any, want string) error {
		return fmt.Errorf("frame: filter: column %q is %s, so it compares with %s, not %#v", c.name, c.kind, want, v)
	}
	switch c.kind {
	case Numeric:
		nums := make([]float64, len(values))
		for i, v := range values {
			switch x := v.(type) {
			case float64:
				nums[i] = x
			case int:
				nums[i] = float64(x)
			default:
				return nil, mismatch(v, "a number")
			}
			if math.IsNaN(nums[i]) {
				return nil, fmt.Errorf("frame: filter: cannot compare column %q with NaN; missing values match nothing", c.name)
			}
		}
		return func(i int) bool {
			x := c.num[i]
			if math.IsNaN(x) {
				return op == Ne
			}
			return compare(op, nums, func(y float64) int { return cmp.Compare(x, y) })
		}, nil
	case Categorical:
		strs := make([]string, len(values))
		for i, v := range values {
			s, ok := v.(string)
			if !ok {
				return nil, mismatch(v, "text")
			}
			strs[i] = s
		}
		// Compare each level once, then look rows up by code.
		hits := make([]bool, len(c.levels))
		for code, level := range c.levels {
			hits[code] = compare(op, strs, func(y string) int { return cmp.Compare(level, y) })
		}
		return func(i int) bool {
			code := c.codes[i]
			if code < 0 {
				return op == Ne
			}
			return hits[code]
		}, nil
	default:
		if op != Eq && op != Ne && op != In {
			return nil, fmt.Errorf("frame: filter: column %q is boolean; compare it with ==, != or in, not %v", c.name, op)
		}
		bools := make([]bool, len(values))
		for i, v := range values {
			b, ok := v.(bool)
			if !ok {
				return nil, mismatch(v, "true or false")
			}
			bools[i] = b
		}
		return func(i int) bool {
			fl := c.flags[i]
			if fl < 0 {
				return op == Ne
			}
			return compare(op, bools, func(y bool) int {
				if (fl == 1) == y {
					return 0
				}
				return 1
			})
		}, nil
	}
}

// compare applies op to a value whose three-way comparison with each
// operand is given by against.
func compare[T any](op Op, operands []T, against func(T) int) bool {
	if op == In {
		for _, y := range operands {
			if against(y) == 0 {
				return true
			}
		}
		return false
	}
	c := against(operands[0])
	switch op {
	case Eq:
		return c == 0
	case Ne:
		return c != 0
	case Lt:
		return c < 0
	case Le:
		return c <= 0
	case Gt:
		return c > 0
	}
	return c >= 0
}
