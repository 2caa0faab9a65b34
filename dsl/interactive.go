package dsl

import (
	"fmt"
	"slices"
	"strings"

	"github.com/reckon-dev/reckon/analysis/frame"
	"github.com/reckon-dev/reckon/display/vegalite"
)

// tooltipParam chooses the columns an interactive scatter's tooltip shows.
var tooltipParam = Param{Name: "tooltip", Type: ListT, Default: None,
	Doc: fmt.Sprintf("up to %d columns the interactive plot's tooltip shows beside the row id, the cluster and its probability: names of columns of the table the data came from, or columns (tracks.genre)", vegalite.MaxTooltip)}

// sourceTables are the session's tables the argument param was made from,
// nearest first, with n rows each: following its lineage back through
// every table-like operand (emb = umap(X), X = standardize(drop(tracks,
// ...))) to each variable whose value the session still holds. The
// tables of the columns given in extra come after them.
func sourceTables(c *Call, param string, n int, extra ...Value) []*Table {
	var out []*Table
	seen := map[*Table]bool{}
	add := func(t *Table) {
		if t != nil && !seen[t] && t.data.NumRows() == n {
			seen[t] = true
			out = append(out, t)
		}
	}
	queue := []*Lineage{c.Lineage(param)}
	visited := map[*Lineage]bool{}
	for len(queue) > 0 {
		l := queue[0]
		queue = queue[1:]
		if l == nil || visited[l] {
			continue
		}
		visited[l] = true
		if l.Var != "" {
			// The variable may have been reassigned since: only the value
			// this very lineage made counts.
			if now, ok := c.Session.Lineage(l.Var); ok && now == l {
				if v, ok := c.Session.Get(l.Var); ok {
					add(plainTable(v))
				}
			}
		}
		for _, a := range l.Args {
			if a.Value != nil && (a.Value.Type == "table" || a.Value.Type == "embedding" || a.Value.Type == "") {
				queue = append(queue, a.Value)
			}
		}
	}
	for _, v := range extra {
		if col, ok := v.(*Column); ok {
			add(col.Table)
		}
	}
	return out
}

// plainTable is the plain table of a value: a table, not an embedding, whose
// columns are coordinates rather than anything that names a row.
func plainTable(v Value) *Table {
	if t, ok := v.(*Table); ok {
		return t
	}
	return nil
}

// idColumn is the first id-like column of the tables: one named id (or
// ending in _id, as track_id), else the first text column whose values
// are all different; nil when there is none.
func idColumn(tables []*Table) *vegalite.Column {
	for _, t := range tables {
		for _, col := range t.data.Columns() {
			if idName(col.Name()) {
				vc := toolColumn(col)
				return &vc
			}
		}
	}
	for _, t := range tables {
		for _, col := range t.data.Columns() {
			if col.Kind() == frame.Categorical && distinct(col) {
				vc := toolColumn(col)
				return &vc
			}
		}
	}
	return nil
}

func idName(name string) bool {
	l := strings.ToLower(name)
	return l == "id" || strings.HasSuffix(l, "_id") || strings.HasSuffix(l, "-id") || strings.HasSuffix(l, " id") || strings.HasSuffix(name, "Id") || strings.HasSuffix(name, "ID")
}

func distinct(col *frame.Column) bool {
	seen := make(map[string]bool, col.Len())
	for i := range col.Len() {
		l := col.Label(i)
		if seen[l] {
			return false
		}
		seen[l] = true
	}
	return true
}

// toolColumn is a column as a tooltip shows it.
func toolColumn(col *frame.Column) vegalite.Column {
	if col.Kind() == frame.Numeric {
		return vegalite.Column{Name: col.Name(), Numbers: col.Float64s()}
	}
	text := make([]string, col.Len())
	for i := range text {
		text[i] = col.Label(i)
	}
	return vegalite.Column{Name: col.Name(), Text: text}
}

// tooltipColumns are the columns the tooltip argument chooses: names
// looked up in the source tables, or columns, each with a value per point.
func tooltipColumns(c *Call, tables []*Table, n int) ([]vegalite.Column, error) {
	if c.IsNone("tooltip") {
		return nil, nil
	}
	list := c.List("tooltip")
	if len(list) > vegalite.MaxTooltip {
		return nil, c.Errorf("tooltip", "a tooltip shows at most %d columns, and %d were given", vegalite.MaxTooltip, len(list))
	}
	var out []vegalite.Column
	for i, v := range list {
		switch v := v.(type) {
		case *Column:
			if v.Data.Len() != n {
				return nil, c.Errorf("tooltip", "column %s has %s values but the data have %s points", v.Data.Name(), thousands(v.Data.Len()), thousands(n))
			}
			out = append(out, toolColumn(v.Data))
		case String:
			col, err := findColumn(tables, string(v))
			if err != nil {
				return nil, c.Errorf("tooltip", "%v", err)
			}
			out = append(out, toolColumn(col))
		default:
			return nil, c.Errorf("tooltip", "tooltip takes column names or columns, and item %d is %s", i+1, describeValue(v))
		}
	}
	return out, nil
}

// findColumn finds a column by name in the first table that has it.
func findColumn(tables []*Table, name string) (*frame.Column, error) {
	if len(tables) == 0 {
		return nil, fmt.Errorf("no table of the session has a row per point to find %q in; pass the column itself, as tooltip=[tracks.%s]", name, name)
	}
	var names []string
	for _, t := range tables {
		if col, err := t.data.Column(name); err == nil {
			return col, nil
		}
		names = append(names, t.data.Names()...)
	}
	slices.Sort(names)
	names = slices.Compact(names)
	return nil, fmt.Errorf("no column %q in the tables the data came from; they have %s", name, strings.Join(names, ", "))
}
