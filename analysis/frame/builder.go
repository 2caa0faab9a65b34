package frame

import (
	"bytes"
	"fmt"
	"math"
	"strconv"
	"unicode/utf8"
)

// isMissing reports whether a field is one of the texts pandas' read_csv
// reads as missing by default, matched exactly (so "NA" and "null" are
// missing, "Na" is not). A switch, not a map: most fields are not markers
// and fail on their length or first byte without any hashing.
func isMissing(field []byte) bool {
	switch string(field) {
	case "", "#N/A", "#N/A N/A", "#NA", "-1.#IND", "-1.#QNAN", "-NaN", "-nan", "1.#IND", "1.#QNAN",
		"<NA>", "N/A", "NA", "NULL", "NaN", "None", "n/a", "nan", "null":
		return true
	}
	return false
}

// parseNumber reads a decimal number, allowing spaces around it and the
// infinities ("inf", "-Infinity", in any case), as pandas does; unlike Go
// syntax it refuses hexadecimal and digit-separating underscores.
func parseNumber(field []byte) (float64, bool) {
	if v, ok := parseSimple(field); ok {
		return v, true
	}
	f := bytes.TrimSpace(field)
	if len(f) == 0 {
		return 0, false
	}
	for _, c := range f {
		if (c < '0' || c > '9') && c != '.' && c != 'e' && c != 'E' && c != '+' && c != '-' {
			return parseInfinity(f)
		}
	}
	v, err := strconv.ParseFloat(string(f), 64)
	if err != nil {
		// Out-of-range values come back as ±Inf with an error; pandas
		// reads them as infinite too.
		if ne, ok := err.(*strconv.NumError); ok && ne.Err == strconv.ErrRange {
			return v, true
		}
		return 0, false
	}
	return v, true
}

// pow10 holds the powers of ten that float64 represents exactly.
var pow10 = [...]float64{1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10,
	1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22}

// parseSimple reads the numbers most files hold, [+-]digits[.digits]
// [e[+-]digits] with at most 15 or so significant digits, several times
// faster than strconv.ParseFloat. When the digits make an integer of at
// most 2^53 and the power of ten is at most 22, both are exact in float64
// and one multiplication or division rounds correctly (Clinger's fast
// path), giving exactly ParseFloat's result. It declines anything else.
func parseSimple(s []byte) (float64, bool) {
	i, neg := 0, false
	if len(s) > 0 && (s[0] == '+' || s[0] == '-') {
		neg, i = s[0] == '-', 1
	}
	var mant uint64
	digits, exp, seen := 0, 0, false
	for ; i < len(s) && s[i]-'0' < 10; i++ {
		if digits >= 19 {
			return 0, false
		}
		mant = mant*10 + uint64(s[i]-'0')
		if mant != 0 {
			digits++
		}
		seen = true
	}
	if i < len(s) && s[i] == '.' {
		for i++; i < len(s) && s[i]-'0' < 10; i++ {
			if digits >= 19 {
				return 0, false
			}
			mant = mant*10 + uint64(s[i]-'0')
			if mant != 0 {
				digits++
			}
			exp--
			seen = true
		}
	}
	if !seen {
		return 0, false
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		esign := 1
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			if s[i] == '-' {
				esign = -1
			}
			i++
		}
		e, edigits := 0, 0
		for ; i < len(s) && s[i]-'0' < 10; i++ {
			if edigits >= 4 {
				return 0, false
			}
			e = e*10 + int(s[i]-'0')
			edigits++
		}
		if edigits == 0 {
			return 0, false
		}
		exp += esign * e
	}
	if i != len(s) || mant > 1<<53 {
		return 0, false
	}
	var v float64
	switch {
	case mant == 0:
	case exp >= 0 && exp < len(pow10):
		v = float64(mant) * pow10[exp]
	case exp < 0 && -exp < len(pow10):
		v = float64(mant) / pow10[-exp]
	default:
		return 0, false
	}
	if neg {
		v = -v
	}
	return v, true
}

func parseInfinity(f []byte) (float64, bool) {
	sign := 1.0
	switch f[0] {
	case '-':
		sign, f = -1, f[1:]
	case '+':
		f = f[1:]
	}
	if bytes.EqualFold(f, []byte("inf")) || bytes.EqualFold(f, []byte("infinity")) {
		return math.Inf(int(sign)), true
	}
	return 0, false
}

// parseBool reads the texts pandas reads as booleans by default.
func parseBool(field []byte) (v, ok bool) {
	switch string(bytes.TrimSpace(field)) {
	case "True", "TRUE", "true":
		return true, true
	case "False", "FALSE", "false":
		return false, true
	}
	return false, false
}

// A builder turns one column's fields into a Column. Until its type is
// known it keeps the texts as categories and notes whether all of them so
// far read as numbers, or all as booleans; after inferRows values (or at
// the end) it settles on numeric, boolean or categorical and converts what
// it holds. From then on a value that does not fit is an error.
type builder struct {
	name      string
	kind      Kind // 0 while inferring
	inferRows int

	codes  []int32 // categorical, and while inferring
	levels []string
	index  map[string]int32
	num    []float64
	flags  []int8

	allNumbers, allBools bool // while inferring: every level read so far does
	values               int  // non-missing values seen while inferring
}

func newBuilder(name string, kind Kind, inferRows int) *builder {
	return &builder{name: name, kind: kind, inferRows: inferRows, allNumbers: true, allBools: true}
}

// reserve makes room for n values in whatever the builder stores.
func (b *builder) reserve(n int) {
	switch b.kind {
	case Numeric:
		b.num = grow(b.num, n)
	case Boolean:
		b.flags = grow(b.flags, n)
	default:
		b.codes = grow(b.codes, n)
	}
}

func grow[T any](s []T, n int) []T {
	if cap(s) >= n {
		return s
	}
	t := make([]T, len(s), n)
	copy(t, s)
	return t
}

// add appends one field; a non-empty reason says why it does not fit. A
// literal field was quoted and spells a missing-value marker: it is text
// in a categorical column, and missing in a numeric or boolean one, where
// it cannot be a value.
func (b *builder) add(field []byte, literal bool) (reason string) {
	if isMissing(field) && (!literal || b.kind == Numeric || b.kind == Boolean) {
		switch b.kind {
		case Numeric:
			b.num = append(b.num, math.NaN())
		case Boolean:
			b.flags = append(b.flags, -1)
		default:
			b.codes = append(b.codes, -1)
		}
		return ""
	}
	switch b.kind {
	case Numeric:
		v, ok := parseNumber(field)
		if !ok {
			return fmt.Sprintf("%s is not a number", quote(field))
		}
		b.num = append(b.num, v)
	case Boolean:
		v, ok := parseBool(field)
		if !ok {
			return fmt.Sprintf("%s is not true or false", quote(field))
		}
		b.flags = append(b.flags, boolFlag(v))
	case Categorical:
		code, reason := b.code(field)
		if reason != "" {
			return reason
		}
		b.codes = append(b.codes, code)
	default:
		code, reason := b.code(field)
		if reason != "" {
			return reason
		}
		b.codes = append(b.codes, code)
		if b.values++; b.values >= b.inferRows {
			b.settle()
		}
	}
	return ""
}

func boolFlag(v bool) int8 {
	if v {
		return 1
	}
	return 0
}

// fewLevels is how many levels a builder finds by looking through them
// all, before it makes a map: most columns have few, and a file of many
// columns and few rows then pays for no maps.
const fewLevels = 8

// code returns the category of field, adding a level when it is new.
func (b *builder) code(field []byte) (int32, string) {
	if b.index != nil {
		if c, ok := b.index[string(field)]; ok {
			return c, ""
		}
	} else {
		for c, l := range b.levels {
			if l == string(field) {
				return int32(c), ""
			}
		}
	}
	if !utf8.Valid(field) {
		return 0, "a value has bytes that are not UTF-8 text; save the file as UTF-8"
	}
	c := int32(len(b.levels))
	s := string(field)
	b.levels = append(b.levels, s)
	switch {
	case b.index != nil:
		b.index[s] = c
	case len(b.levels) > fewLevels:
		b.index = make(map[string]int32, 2*len(b.levels))
		for k, l := range b.levels {
			b.index[l] = int32(k)
		}
	}
	// A quoted empty field decides nothing: it is missing should the
	// column be numeric or boolean. Other quoted markers are text.
	if b.kind == 0 && len(field) > 0 {
		if b.allNumbers {
			_, b.allNumbers = parseNumber(field)
		}
		if b.allBools {
			_, b.allBools = parseBool(field)
		}
	}
	return c, ""
}

// settle fixes the type of a column that was being inferred.
func (b *builder) settle() {
	switch {
	case b.values == 0 || b.allNumbers:
		b.kind = Numeric
		// Only a quoted empty field fails to parse: it is missing.
		nums := make([]float64, len(b.levels))
		for i, l := range b.levels {
			var ok bool
			if nums[i], ok = parseNumber([]byte(l)); !ok {
				nums[i] = math.NaN()
			}
		}
		b.num = make([]float64, len(b.codes), cap(b.codes))
		for i, c := range b.codes {
			if c < 0 {
				b.num[i] = math.NaN()
			} else {
				b.num[i] = nums[c]
			}
		}
	case b.allBools:
		b.kind = Boolean
		b.flags = make([]int8, len(b.codes), cap(b.codes))
		for i, c := range b.codes {
			v, ok := false, false
			if c >= 0 {
				v, ok = parseBool([]byte(b.levels[c]))
			}
			b.flags[i] = boolFlag(v)
			if !ok {
				b.flags[i] = -1
			}
		}
	default:
		b.kind = Categorical
		return
	}
	b.codes, b.levels, b.index = nil, nil, nil
}

// column settles the type if need be and returns the finished column.
func (b *builder) column() *Column {
	if b.kind == 0 {
		b.settle()
	}
	switch b.kind {
	case Numeric:
		return &Column{name: b.name, kind: Numeric, num: b.num}
	case Boolean:
		return &Column{name: b.name, kind: Boolean, flags: b.flags}
	}
	return &Column{name: b.name, kind: Categorical, codes: b.codes, levels: b.levels}
}

// snippetBytes is the most of the input an error message quotes.
const snippetBytes = 40

// quote quotes a field for an error message, shortening a long one; a
// field that is not UTF-8 text is described rather than echoed.
func quote(field []byte) string {
	if !utf8.Valid(field) {
		return "a value with bytes that are not UTF-8 text"
	}
	return clip(string(field))
}

// clip quotes a text from the input (a value, a column name) for an error
// message, cut to snippetBytes at a character boundary.
func clip(s string) string {
	if len(s) <= snippetBytes {
		return strconv.Quote(s)
	}
	cut := snippetBytes
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return strconv.Quote(s[:cut]) + "..."
}
