package frame

import (
	"fmt"
	"strings"
)

// Encoder is a fitted OneHot: the columns encoded and, for each, the
// values it had when fitted, in the order of their indicator columns, as
// scikit-learn's OneHotEncoder keeps categories_ to encode new rows with
// handle_unknown="ignore".
type Encoder struct {
	Columns []string
	Levels  [][]string
}

// FitOneHot learns the values of the columns OneHot would encode.
func (f *Frame) FitOneHot(names ...string) (*Encoder, error) {
	encoded, err := f.OneHot(names...)
	if err != nil {
		return nil, err
	}
	kept := map[string]bool{}
	for _, n := range encoded.Names() {
		kept[n] = true
	}
	e := &Encoder{}
	for _, c := range f.cols {
		if kept[c.name] || c.kind == Numeric {
			continue
		}
		var levels []string
		for _, d := range dummies(c) {
			levels = append(levels, strings.TrimPrefix(d.name, c.name+"_"))
		}
		e.Columns = append(e.Columns, c.name)
		e.Levels = append(e.Levels, levels)
	}
	return e, nil
}

// Transform encodes the encoder's columns of f as OneHot encoded the rows
// it was fitted to: one boolean column per fitted value, in the same
// places. A value not seen when fitting is false in every column; unseen
// counts the rows holding at least one such value.
func (e *Encoder) Transform(f *Frame) (out *Frame, unseen int, err error) {
	at := map[string]int{}
	for k, name := range e.Columns {
		i, err := f.index(name)
		if err != nil {
			return nil, 0, err
		}
		if c := f.cols[i]; c.kind == Numeric {
			return nil, 0, fmt.Errorf("frame: onehot: column %q is numeric, but it was categorical when the encoding was fitted", name)
		}
		at[name] = k
	}
	bad := make([]bool, f.rows)
	var cols []*Column
	for _, c := range f.cols {
		k, ok := at[c.name]
		if !ok {
			cols = append(cols, c)
			continue
		}
		pos := map[string]int{}
		for j, l := range e.Levels[k] {
			pos[l] = j
		}
		flags := make([][]int8, len(e.Levels[k]))
		for j := range flags {
			flags[j] = make([]int8, f.rows)
		}
		for i := 0; i < f.rows; i++ {
			if c.IsMissing(i) {
				continue
			}
			var v string
			if c.kind == Boolean {
				v = "False"
				if c.flags[i] == 1 {
					v = "True"
				}
			} else {
				v = c.levels[c.codes[i]]
			}
			if j, ok := pos[v]; ok {
				flags[j][i] = 1
			} else {
				bad[i] = true
			}
		}
		for j, l := range e.Levels[k] {
			cols = append(cols, &Column{name: c.name + "_" + l, kind: Boolean, flags: flags[j]})
		}
	}
	for _, b := range bad {
		if b {
			unseen++
		}
	}
	return &Frame{rows: f.rows, cols: cols}, unseen, nil
}
