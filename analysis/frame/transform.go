package frame

import (
	"fmt"
	"math"
	"slices"
	"sort"
	"strconv"

	"github.com/reckon-dev/reckon/internal/stats"
)

// A Scaler standardises numeric columns to zero mean and unit variance, as
// scikit-learn's StandardScaler does: the variance has n in the
// denominator (ddof=0), missing values are ignored when fitting and stay
// missing, and a constant column gets a scale of 1, so that it becomes all
// zeros instead of NaN.
type Scaler struct {
	Columns []string
	Mean    []float64
	Scale   []float64
}

// FitScaler learns the mean and scale of the named numeric columns, or of
// every numeric column when none are named.
func (f *Frame) FitScaler(names ...string) (*Scaler, error) {
	idx, err := f.numericColumns(names, "standardize")
	if err != nil {
		return nil, err
	}
	s := &Scaler{}
	for _, i := range idx {
		c := f.cols[i]
		var sum float64
		n := 0
		for _, v := range c.num {
			if !math.IsNaN(v) {
				sum += v
				n++
			}
		}
		mean := sum / float64(n)
		var ss float64
		for _, v := range c.num {
			if !math.IsNaN(v) {
				ss += (v - mean) * (v - mean)
			}
		}
		scale := math.Sqrt(ss / float64(n))
		if scale == 0 || n == 0 {
			scale = 1
		}
		s.Columns = append(s.Columns, c.name)
		s.Mean = append(s.Mean, mean)
		s.Scale = append(s.Scale, scale)
	}
	return s, nil
}

// Transform standardises the scaler's columns of f, which must exist and be
// numeric; other columns are left as they are.
func (s *Scaler) Transform(f *Frame) (*Frame, error) {
	out := &Frame{rows: f.rows, cols: f.Columns()}
	for k, name := range s.Columns {
		i, err := f.index(name)
		if err != nil {
			return nil, err
		}
		c := f.cols[i]
		if c.kind != Numeric {
			return nil, fmt.Errorf("frame: standardize: column %q is %s, not numeric", name, c.kind)
		}
		vals := make([]float64, len(c.num))
		for r, v := range c.num {
			vals[r] = (v - s.Mean[k]) / s.Scale[k]
		}
		out.cols[i] = NewNumeric(name, vals)
	}
	return out, nil
}

// Standardize returns f with the named numeric columns (every numeric
// column when none are named) standardised by a Scaler fitted to them.
func (f *Frame) Standardize(names ...string) (*Frame, error) {
	s, err := f.FitScaler(names...)
	if err != nil {
		return nil, err
	}
	return s.Transform(f)
}

// numericColumns resolves names to numeric columns (all of them when there
// are no names), refusing others on behalf of the operation op.
func (f *Frame) numericColumns(names []string, op string) ([]int, error) {
	if len(names) == 0 {
		var idx []int
		for i, c := range f.cols {
			if c.kind == Numeric {
				idx = append(idx, i)
			}
		}
		return idx, nil
	}
	idx, err := f.indices(names)
	if err != nil {
		return nil, err
	}
	for _, i := range idx {
		if c := f.cols[i]; c.kind != Numeric {
			return nil, fmt.Errorf("frame: %s: column %q is %s, not numeric; %s", op, c.name, c.kind, remedy(c))
		}
	}
	return idx, nil
}

// remedy says how to make a non-numeric column usable as numbers.
func remedy(c *Column) string {
	if c.kind == Categorical {
		return "one-hot encode it with onehot, or drop it"
	}
	return "drop it, or use it as it is: it counts as 1 and 0"
}

// MaxOneHotLevels is the most distinct values OneHot encodes in one
// column: more are refused, as they usually mean an identifier or free
// text, whose encoding would be enormous and meaningless.
const MaxOneHotLevels = 1000

// OneHot replaces each named categorical or boolean column (every
// categorical column when none are named) by one boolean column per value
// that occurs, named like pandas' get_dummies: column "genre" with value
// "rock" becomes "genre_rock", and the values are taken in sorted order,
// numbers by value before texts ("2" before "10"), as get_dummies orders
// the categories of astype("category"). A missing value is false in
// every one of them. Categorical makes numeric codes categories.
func (f *Frame) OneHot(names ...string) (*Frame, error) {
	var idx []int
	if len(names) == 0 {
		for i, c := range f.cols {
			if c.kind == Categorical {
				idx = append(idx, i)
			}
		}
	} else {
		var err error
		if idx, err = f.indices(names); err != nil {
			return nil, err
		}
	}
	encode := map[int]bool{}
	for _, i := range idx {
		c := f.cols[i]
		if c.kind == Numeric {
			return nil, fmt.Errorf("frame: onehot: column %q is numeric, and onehot encodes categories; if its numbers are codes, make them categories first with categorical(data, %q), or load the file with categorical=[%q] (pandas: astype(\"category\"), get_dummies(columns=...))", c.name, c.name, c.name)
		}
		if n := c.distinct(); n > MaxOneHotLevels {
			return nil, fmt.Errorf("frame: onehot: column %q has %d distinct values, more than the %d that onehot encodes; it looks like an identifier or free text, so drop it", c.name, n, MaxOneHotLevels)
		}
		encode[i] = true
	}
	var cols []*Column
	taken := map[string]bool{}
	for i, c := range f.cols {
		if !encode[i] {
			taken[c.name] = true
		}
	}
	for i, c := range f.cols {
		if !encode[i] {
			cols = append(cols, c)
			continue
		}
		for _, d := range dummies(c) {
			if taken[d.name] {
				return nil, fmt.Errorf("frame: onehot: encoding column %q makes a column %q, but the table already has one; rename or drop it first", c.name, d.name)
			}
			taken[d.name] = true
			cols = append(cols, d)
		}
	}
	return &Frame{rows: f.rows, cols: cols}, nil
}

// levelLess orders categories: numbers by value, before texts in byte
// order.
func levelLess(a, b string) bool {
	x, aNum := parseNumber([]byte(a))
	y, bNum := parseNumber([]byte(b))
	switch {
	case aNum && bNum && x != y:
		return x < y
	case aNum != bNum:
		return aNum
	}
	return a < b
}

// Categorical returns f with the named columns made categorical, as
// pandas' astype("category"): a numeric column's distinct values become
// its categories, in increasing order and written as whole numbers where
// they are ("3", "1000000", "2.5"); a boolean column's become "false" and "true". Missing values stay
// missing, and a categorical column stays as it is. Integer-coded
// categories (a grade 1 to 10, a postcode) can then be one-hot encoded.
func (f *Frame) Categorical(names ...string) (*Frame, error) {
	if len(names) == 0 {
		return nil, fmt.Errorf("frame: categorical needs the names of the columns to make categorical")
	}
	idx, err := f.indices(names)
	if err != nil {
		return nil, err
	}
	out := &Frame{rows: f.rows, cols: f.Columns()}
	for _, i := range idx {
		out.cols[i] = f.cols[i].categorical()
	}
	return out, nil
}

// categorical returns the column as a categorical one.
func (c *Column) categorical() *Column {
	if c.kind == Categorical {
		return c
	}
	vals := c.Float64s()
	distinct := make([]float64, 0, len(vals))
	for _, v := range vals {
		if !math.IsNaN(v) {
			distinct = append(distinct, v)
		}
	}
	slices.Sort(distinct)
	distinct = slices.Compact(distinct)
	d := &Column{name: c.name, kind: Categorical, codes: make([]int32, len(vals)), levels: make([]string, len(distinct))}
	for k, v := range distinct {
		if c.kind == Boolean {
			d.levels[k] = strconv.FormatBool(v == 1)
		} else {
			d.levels[k] = formatLevel(v)
		}
	}
	for i, v := range vals {
		if math.IsNaN(v) {
			d.codes[i] = -1
			continue
		}
		k, _ := slices.BinarySearch(distinct, v)
		d.codes[i] = int32(k)
	}
	return d
}

// formatLevel writes a number as a category: whole numbers without an
// exponent ("1000000", not "1e+06"), others in their shortest form.
func formatLevel(v float64) string {
	if v == 0 {
		v = 0 // not "-0"
	}
	if v == math.Trunc(v) && math.Abs(v) < 1e15 {
		return strconv.FormatFloat(v, 'f', -1, 64)
	}
	return strconv.FormatFloat(v, 'g', -1, 64)
}

// dummies returns the indicator columns of a categorical or boolean column.
func dummies(c *Column) []*Column {
	var levels []string
	var code func(i int) int // index into levels, -1 if missing
	if c.kind == Boolean {
		seen := [2]bool{}
		for _, fl := range c.flags {
			if fl >= 0 {
				seen[fl] = true
			}
		}
		pos := [2]int{-1, -1}
		for v, name := range []string{"False", "True"} {
			if seen[v] {
				pos[v] = len(levels)
				levels = append(levels, name)
			}
		}
		code = func(i int) int {
			if c.flags[i] < 0 {
				return -1
			}
			return pos[c.flags[i]]
		}
	} else {
		used := make([]bool, len(c.levels))
		for _, k := range c.codes {
			if k >= 0 {
				used[k] = true
			}
		}
		var present []int32
		for k, u := range used {
			if u {
				present = append(present, int32(k))
			}
		}
		sort.Slice(present, func(a, b int) bool { return levelLess(c.levels[present[a]], c.levels[present[b]]) })
		pos := make([]int, len(c.levels))
		for p, k := range present {
			pos[k] = p
			levels = append(levels, c.levels[k])
		}
		code = func(i int) int {
			if c.codes[i] < 0 {
				return -1
			}
			return pos[c.codes[i]]
		}
	}
	n := c.Len()
	out := make([]*Column, len(levels))
	flags := make([][]int8, len(levels))
	for j := range flags {
		flags[j] = make([]int8, n)
	}
	for i := 0; i < n; i++ {
		if k := code(i); k >= 0 {
			flags[k][i] = 1
		}
	}
	for j, l := range levels {
		out[j] = &Column{name: c.name + "_" + l, kind: Boolean, flags: flags[j]}
	}
	return out
}

// Strategy is how Impute fills missing values, as in scikit-learn's
// SimpleImputer.
type Strategy string

const (
	Median       Strategy = "median"        // numeric columns: the median of the values present
	Mean         Strategy = "mean"          // numeric columns: their mean
	MostFrequent Strategy = "most_frequent" // any column: its commonest value, the smallest on a tie
	Constant     Strategy = "constant"      // any column: ImputeOptions.FillValue
)

// ImputeOptions configure Impute. The zero value fills the missing values
// of every numeric column with its median.
type ImputeOptions struct {
	// Strategy is strategy; "" means Median.
	Strategy Strategy
	// FillValue is fill_value, for Constant: a number for numeric columns,
	// a string for categorical ones, a bool for boolean ones. Nil means 0,
	// "missing_value" and false.
	FillValue any
	// Columns are the columns to fill. None means every column with
	// missing values that the strategy applies to: the numeric ones for
	// Median and Mean, all of them otherwise.
	Columns []string
}

// Imputer is a fitted Impute: the value each column's missing values are
// filled with (float64, string or bool by the column's kind), learned from
// the rows it was fitted to, as scikit-learn's SimpleImputer keeps
// statistics_ to fill new rows.
type Imputer struct {
	Columns []string
	Fills   []any
}

// FitImputer learns the fill value of every column opts names (or that
// its strategy applies to), whether or not it has missing values, so that
// the Imputer can fill new rows.
func (f *Frame) FitImputer(opts ImputeOptions) (*Imputer, error) {
	strategy := opts.Strategy
	if strategy == "" {
		strategy = Median
	}
	switch strategy {
	case Median, Mean, MostFrequent, Constant:
	default:
		return nil, fmt.Errorf("frame: impute: strategy %q is not one of median, mean, most_frequent or constant", string(strategy))
	}
	numericOnly := strategy == Median || strategy == Mean
	var idx []int
	if len(opts.Columns) == 0 {
		for i, c := range f.cols {
			if !numericOnly || c.kind == Numeric {
				idx = append(idx, i)
			}
		}
	} else {
		var err error
		if idx, err = f.indices(opts.Columns); err != nil {
			return nil, err
		}
		for _, i := range idx {
			if c := f.cols[i]; numericOnly && c.kind != Numeric {
				return nil, fmt.Errorf("frame: impute: column %q is %s and has no %s; use most_frequent or constant", c.name, c.kind, strategy)
			}
		}
	}
	imp := &Imputer{}
	for _, i := range idx {
		c := f.cols[i]
		if c.Missing() == c.Len() && c.Missing() == 0 {
			continue // no rows: nothing to learn from
		}
		v, err := fillOf(c, strategy, opts.FillValue)
		if err != nil {
			if c.Missing() == 0 {
				continue
			}
			return nil, err
		}
		imp.Columns = append(imp.Columns, c.name)
		imp.Fills = append(imp.Fills, v)
	}
	return imp, nil
}

// Transform fills the missing values of the imputer's columns of f, which
// must exist and be of the kind they were fitted on.
func (imp *Imputer) Transform(f *Frame) (*Frame, error) {
	out := &Frame{rows: f.rows, cols: f.Columns()}
	for k, name := range imp.Columns {
		i, err := f.index(name)
		if err != nil {
			return nil, err
		}
		if c := f.cols[i]; c.Missing() > 0 {
			if out.cols[i], err = fillIn(c, imp.Fills[k]); err != nil {
				return nil, err
			}
		}
	}
	return out, nil
}

// Impute returns f with missing values filled in by an Imputer fitted to it.
func (f *Frame) Impute(opts ImputeOptions) (*Frame, error) {
	imp, err := f.FitImputer(opts)
	if err != nil {
		return nil, err
	}
	return imp.Transform(f)
}

// fillOf is the value impute fills the missing values of c with: a
// float64, string or bool by column kind.
func fillOf(c *Column, strategy Strategy, fill any) (any, error) {
	none := func() error {
		return fmt.Errorf("frame: impute: column %q has no values to take the %s of; drop it or impute a constant", c.name, strategy)
	}
	switch c.kind {
	case Numeric:
		var present []float64
		for _, v := range c.num {
			if !math.IsNaN(v) {
				present = append(present, v)
			}
		}
		var x float64
		switch strategy {
		case Constant:
			switch v := fill.(type) {
			case nil:
			case float64:
				x = v
			case int:
				x = float64(v)
			default:
				return nil, fmt.Errorf("frame: impute: column %q is numeric, so its fill value must be a number, not %#v", c.name, fill)
			}
			if math.IsNaN(x) {
				return nil, fmt.Errorf("frame: impute: the fill value for column %q is NaN, which is missing itself", c.name)
			}
		case Mean:
			if len(present) == 0 {
				return nil, none()
			}
			var sum float64
			for _, v := range present {
				sum += v
			}
			x = sum / float64(len(present))
		case Median:
			if len(present) == 0 {
				return nil, none()
			}
			slices.Sort(present)
			x = stats.Quantile(present, 0.5)
		case MostFrequent:
			if len(present) == 0 {
				return nil, none()
			}
			slices.Sort(present)
			best, bestRun := present[0], 0
			for i := 0; i < len(present); {
				j := i
				for j < len(present) && present[j] == present[i] {
					j++
				}
				if j-i > bestRun {
					best, bestRun = present[i], j-i
				}
				i = j
			}
			x = best
		}
		return x, nil
	case Categorical:
		if strategy == Constant {
			if fill == nil {
				return "missing_value", nil
			}
			v, ok := fill.(string)
			if !ok {
				return nil, fmt.Errorf("frame: impute: column %q is categorical, so its fill value must be text, not %#v", c.name, fill)
			}
			return v, nil
		}
		counts := make([]int, len(c.levels))
		for _, k := range c.codes {
			if k >= 0 {
				counts[k]++
			}
		}
		code := -1
		for k, n := range counts {
			if n > 0 && (code < 0 || n > counts[code] || n == counts[code] && c.levels[k] < c.levels[code]) {
				code = k
			}
		}
		if code < 0 {
			return nil, none()
		}
		return c.levels[code], nil
	default:
		if strategy == Constant {
			if fill == nil {
				return false, nil
			}
			v, ok := fill.(bool)
			if !ok {
				return nil, fmt.Errorf("frame: impute: column %q is boolean, so its fill value must be true or false, not %#v", c.name, fill)
			}
			return v, nil
		}
		var counts [2]int
		for _, v := range c.flags {
			if v >= 0 {
				counts[v]++
			}
		}
		if counts[0]+counts[1] == 0 {
			return nil, none()
		}
		return counts[1] > counts[0], nil
	}
}

// fillIn returns c with its missing values replaced by v, which must be
// of c's kind as fillOf makes it.
func fillIn(c *Column, v any) (*Column, error) {
	switch c.kind {
	case Numeric:
		x, ok := v.(float64)
		if !ok {
			return nil, fmt.Errorf("frame: impute: column %q is numeric, so its fill value must be a number, not %#v", c.name, v)
		}
		vals := make([]float64, len(c.num))
		for i, y := range c.num {
			if math.IsNaN(y) {
				y = x
			}
			vals[i] = y
		}
		return NewNumeric(c.name, vals), nil
	case Categorical:
		s, ok := v.(string)
		if !ok {
			return nil, fmt.Errorf("frame: impute: column %q is categorical, so its fill value must be text, not %#v", c.name, v)
		}
		levels := c.levels
		code := int32(slices.Index(levels, s))
		if code < 0 {
			levels = append(levels[:len(levels):len(levels)], s)
			code = int32(len(levels) - 1)
		}
		codes := make([]int32, len(c.codes))
		for i, k := range c.codes {
			if k < 0 {
				k = code
			}
			codes[i] = k
		}
		return &Column{name: c.name, kind: Categorical, codes: codes, levels: levels}, nil
	default:
		b, ok := v.(bool)
		if !ok {
			return nil, fmt.Errorf("frame: impute: column %q is boolean, so its fill value must be true or false, not %#v", c.name, v)
		}
		fl := boolFlag(b)
		flags := make([]int8, len(c.flags))
		for i, y := range c.flags {
			if y < 0 {
				y = fl
			}
			flags[i] = y
		}
		return &Column{name: c.name, kind: Boolean, flags: flags}, nil
	}
}
