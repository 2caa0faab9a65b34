package vegalite

import (
	"encoding/json"
	"math"
	"strconv"
)

// columns is the one data row of a compact spec: a JSON array per field,
// under a short key, and the transforms that spread it into rows and name
// the dictionary-coded fields.
type columns struct {
	keys  []string
	raw   []json.RawMessage
	after []map[string]any // transforms after the flatten
}

func (c *columns) add(key string, arr []byte) {
	c.keys = append(c.keys, key)
	c.raw = append(c.raw, json.RawMessage(arr))
}

// numbers adds values rounded to a fixed number of decimals; NaN is null,
// which Vega-Lite leaves out of continuous scales.
func (c *columns) numbers(key string, v []float64, decimals int) {
	b := make([]byte, 0, len(v)*(decimals+4))
	b = append(b, '[')
	for i, x := range v {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendNumber(b, x, decimals)
	}
	c.add(key, append(b, ']'))
}

// significant adds values rounded to 4 significant digits each, for
// tooltips, where a reader compares a value with others of any size.
func (c *columns) significant(key string, v []float64) {
	b := make([]byte, 0, len(v)*6)
	b = append(b, '[')
	for i, x := range v {
		if i > 0 {
			b = append(b, ',')
		}
		if math.IsNaN(x) || math.IsInf(x, 0) {
			b = append(b, "null"...)
			continue
		}
		b = strconv.AppendFloat(b, x, 'g', 4, 64)
	}
	c.add(key, append(b, ']'))
}

// text adds strings; when few are distinct (a label, a genre) it stores
// each as its index in a list and a calculate transform looks it up, so a
// 70,000-row column of a dozen names costs 2 bytes a row, not 10.
func (c *columns) text(key, as string, v []string) {
	index := map[string]int{}
	var dict []string
	for _, s := range v {
		if _, ok := index[s]; !ok {
			index[s] = len(dict)
			dict = append(dict, s)
		}
	}
	if len(dict) > 256 || len(dict)*4 > len(v) {
		raw, _ := json.Marshal(v)
		c.add(key, raw)
		if key != as {
			c.after = append(c.after, map[string]any{"calculate": "datum." + key, "as": as})
		}
		return
	}
	c.codes(key, v, index)
	c.after = append(c.after, lookup(key, as, dict))
}

// codes adds the index in a dictionary of each value.
func (c *columns) codes(key string, v []string, index map[string]int) {
	codes := make([]int, len(v))
	for i, s := range v {
		codes[i] = index[s]
	}
	c.ints(key, codes)
}

// lookup is the transform that names the code in field key as dict says.
func lookup(key, as string, dict []string) map[string]any {
	list, _ := json.Marshal(dict)
	return map[string]any{"calculate": string(list) + "[datum." + key + "]", "as": as}
}

// data is the inline data and its transforms.
func (c *columns) data() (data map[string]any, transforms []map[string]any) {
	row := map[string]json.RawMessage{}
	for i, k := range c.keys {
		row[k] = c.raw[i]
	}
	flatten := make([]string, len(c.keys))
	copy(flatten, c.keys)
	transforms = append([]map[string]any{{"flatten": flatten}}, c.after...)
	return map[string]any{"values": []any{row}}, transforms
}

// appendNumber writes x with the given decimals, trailing zeros trimmed.
func appendNumber(b []byte, x float64, decimals int) []byte {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return append(b, "null"...)
	}
	start := len(b)
	b = strconv.AppendFloat(b, x, 'f', decimals, 64)
	if decimals > 0 {
		for b[len(b)-1] == '0' {
			b = b[:len(b)-1]
		}
		if b[len(b)-1] == '.' {
			b = b[:len(b)-1]
		}
	}
	if string(b[start:]) == "-0" {
		b = append(b[:start], '0')
	}
	return b
}

// decimalsFor is how many decimals tell apart a thousandth of the range
// of v: what the eye can resolve on a plot a few hundred pixels wide,
// with room to zoom in tenfold.
func decimalsFor(v []float64) int {
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, x := range v {
		if !math.IsNaN(x) && !math.IsInf(x, 0) {
			lo, hi = math.Min(lo, x), math.Max(hi, x)
		}
	}
	r := hi - lo
	if !(r > 0) {
		r = math.Max(math.Abs(hi), 1)
	}
	return max(0, 3-int(math.Floor(math.Log10(r))))
}

// ints adds small integers.
func (c *columns) ints(key string, v []int) {
	b := make([]byte, 0, len(v)*2)
	b = append(b, '[')
	for i, x := range v {
		if i > 0 {
			b = append(b, ',')
		}
		b = strconv.AppendInt(b, int64(x), 10)
	}
	c.add(key, append(b, ']'))
}
