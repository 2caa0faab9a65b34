package profile

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/reckon-dev/reckon/analysis/explain"
	"github.com/reckon-dev/reckon/analysis/frame"
)

// Settings tune Profile; the zero value compares nested clusters with
// their siblings.
type Settings struct {
	// Against is what a cluster is compared with: explain.Siblings (the
	// other rows of its parent; for a top-level cluster, every other row)
	// or explain.Whole (every other row).
	Against explain.Scope
	// Flat takes the labels as they are, as a column's values are; see
	// explain.Settings.Flat.
	Flat bool
}

// Result is the profile of every cluster.
type Result struct {
	// Rows is the number of rows of the table.
	Rows int
	// Clusters are in the order of explain.Groups: parents first,
	// siblings in natural order. Noise is left out.
	Clusters []Cluster
	// Skipped names the columns left out because they identify rows.
	Skipped []string
	Against explain.Scope
}

// Cluster is what sets one cluster apart.
type Cluster struct {
	Label, Parent string
	// Size is the number of member rows; Rest the number compared with.
	Size, Rest int
	// Numeric holds every numeric column with values on both sides, the
	// largest |D| first.
	Numeric []Numeric
	// Categorical holds the over-represented values (Share > Overall) of
	// every categorical and boolean column, the largest Share first.
	Categorical []Category
}

// Numeric compares one numeric column between a cluster and the rest.
type Numeric struct {
	Column string
	// Mean is over the cluster's rows with a value, RestMean over the
	// rest's.
	Mean, RestMean float64
	// D is Cohen's d: (Mean − RestMean) / pooled standard deviation. It
	// is ±Inf when both sides are constant and differ, 0 when they are
	// constant and equal.
	D float64
}

// Category is one value of a categorical column within a cluster.
type Category struct {
	Column, Value string
	// Count is the cluster's rows holding the value.
	Count int
	// Share is Count over the cluster's rows with a value in the column;
	// Overall the same share over the cluster and the rest together.
	Share, Overall float64
}

// Profile describes every cluster named by labels (one per row of f) by
// the columns of f.
func Profile(ctx context.Context, f *frame.Frame, labels []string, s Settings) (*Result, error) {
	if f.NumRows() != len(labels) {
		return nil, fmt.Errorf("profile: %d labels for a table of %d rows", len(labels), f.NumRows())
	}
	if s.Against != explain.Siblings && s.Against != explain.Whole {
		return nil, fmt.Errorf("profile: unknown scope %v", s.Against)
	}
	groups, err := explain.Groups(labels, s.Flat)
	if err != nil {
		return nil, fmt.Errorf("profile: %w", err)
	}
	res := &Result{Rows: len(labels), Against: s.Against}
	var cols []*frame.Column
	for _, c := range f.Columns() {
		if identifies(c) {
			res.Skipped = append(res.Skipped, c.Name())
			continue
		}
		cols = append(cols, c)
	}
	members := make(map[string][]int, len(groups))
	for _, g := range groups {
		members[g.Label] = g.Rows
	}
	all := make([]int, len(labels))
	for i := range all {
		all[i] = i
	}
	inCluster := make([]bool, len(labels))
	for _, g := range groups {
		if g.Noise {
			continue
		}
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		scope := all
		if s.Against == explain.Siblings && g.Parent != "" {
			scope = members[g.Parent]
		}
		for _, r := range g.Rows {
			inCluster[r] = true
		}
		cl := Cluster{Label: g.Label, Parent: g.Parent, Size: len(g.Rows), Rest: len(scope) - len(g.Rows)}
		for _, c := range cols {
			if c.Kind() == frame.Numeric {
				if n, ok := compareNumeric(c, g.Rows, scope, inCluster); ok {
					cl.Numeric = append(cl.Numeric, n)
				}
			} else {
				cl.Categorical = append(cl.Categorical, overRepresented(c, g.Rows, scope)...)
			}
		}
		for _, r := range g.Rows {
			inCluster[r] = false
		}
		slices.SortStableFunc(cl.Numeric, func(a, b Numeric) int { return cmp.Compare(math.Abs(b.D), math.Abs(a.D)) })
		// Equal shares of one column go in the order of their values, not of
		// the rows, so that the profile does not depend on row order.
		slices.SortStableFunc(cl.Categorical, func(a, b Category) int {
			if c := cmp.Compare(b.Share, a.Share); c != 0 || a.Column != b.Column {
				return c
			}
			return strings.Compare(a.Value, b.Value)
		})
		res.Clusters = append(res.Clusters, cl)
	}
	if len(res.Clusters) == 0 {
		return nil, errors.New("profile: there are no clusters to profile, only noise")
	}
	return res, nil
}

// identifies reports whether a column names rows rather than describes
// them: every value present and different, as text, or as whole numbers
// that count the rows (consecutive) or sit in a column named like an id.
func identifies(c *frame.Column) bool {
	n := c.Len()
	if n < 2 || c.Missing() > 0 {
		return false
	}
	switch c.Kind() {
	case frame.Categorical:
		seen := make([]bool, len(c.Levels()))
		for _, k := range c.Codes() {
			if seen[k] {
				return false
			}
			seen[k] = true
		}
		return true
	case frame.Numeric:
		v := slices.Clone(c.Float64s())
		for _, x := range v {
			if x != math.Trunc(x) || math.IsInf(x, 0) {
				return false
			}
		}
		slices.Sort(v)
		for i := 1; i < n; i++ {
			if v[i] == v[i-1] {
				return false
			}
		}
		return v[n-1]-v[0] == float64(n-1) || idName(c.Name())
	}
	return false
}

// idName reports whether a column's name says it holds identifiers:
// "id", "track_id", "userId", "ID".
func idName(name string) bool {
	l := strings.ToLower(name)
	return l == "id" || strings.HasSuffix(l, "_id") || strings.HasSuffix(name, "Id") || strings.HasSuffix(name, "ID")
}

// moments are the count, mean and sum of squared deviations of values,
// by Welford's update, which stays accurate for large means.
type moments struct{ n, mean, m2 float64 }

func (m *moments) add(x float64) {
	m.n++
	d := x - m.mean
	m.mean += d / m.n
	m.m2 += d * (x - m.mean)
}

// compareNumeric compares the cluster's rows with the rest of scope; ok
// is false when either side has no values.
func compareNumeric(c *frame.Column, rows, scope []int, inCluster []bool) (Numeric, bool) {
	v := c.Float64s()
	var in, out moments
	for _, r := range rows {
		if !math.IsNaN(v[r]) {
			in.add(v[r])
		}
	}
	for _, r := range scope {
		if !inCluster[r] && !math.IsNaN(v[r]) {
			out.add(v[r])
		}
	}
	if in.n == 0 || out.n == 0 {
		return Numeric{}, false
	}
	return Numeric{Column: c.Name(), Mean: in.mean, RestMean: out.mean, D: cohensD(in, out)}, true
}

// cohensD divides the difference of the means by the pooled standard
// deviation; with a single row on both sides there is no spread to pool,
// and the sign of the difference stands alone.
func cohensD(a, b moments) float64 {
	diff := a.mean - b.mean
	var sd float64
	if dof := a.n + b.n - 2; dof > 0 {
		sd = math.Sqrt((a.m2 + b.m2) / dof)
	}
	switch {
	case diff == 0:
		return 0
	case sd == 0:
		return math.Inf(int(math.Copysign(1, diff)))
	}
	return diff / sd
}

// overRepresented lists the values of a categorical or boolean column
// whose share among the cluster's rows exceeds their share over scope.
func overRepresented(c *frame.Column, rows, scope []int) []Category {
	codes, levels := categoryCodes(c)
	count := func(rows []int) ([]int, int) {
		k := make([]int, len(levels))
		total := 0
		for _, r := range rows {
			if code := codes[r]; code >= 0 {
				k[code]++
				total++
			}
		}
		return k, total
	}
	in, nIn := count(rows)
	all, nAll := count(scope)
	if nIn == 0 {
		return nil
	}
	var out []Category
	for code, value := range levels {
		share, overall := float64(in[code])/float64(nIn), float64(all[code])/float64(nAll)
		if share > overall {
			out = append(out, Category{Column: c.Name(), Value: value, Count: in[code], Share: share, Overall: overall})
		}
	}
	return out
}

// categoryCodes returns a column's values as codes into levels, -1 for
// missing: a categorical column's own, a boolean column's as "false" and
// "true".
func categoryCodes(c *frame.Column) ([]int32, []string) {
	if c.Kind() == frame.Categorical {
		return c.Codes(), c.Levels()
	}
	codes := make([]int32, c.Len())
	for i := range codes {
		v, ok := c.Bool(i)
		switch {
		case !ok:
			codes[i] = -1
		case v:
			codes[i] = 1
		}
	}
	return codes, []string{"false", "true"}
}
