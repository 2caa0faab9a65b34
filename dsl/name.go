package dsl

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"
)

// Names maps cluster labels ("3", "3.1") to the names name() gave them.
type Names map[string]string

// Named is a value whose clusters may carry names: clusters, trees and
// the explanations made from them.
type Named interface {
	ClusterNames() Names
}

// of returns the name of a cluster, "" when it has none.
func (n Names) of(label string) string { return n[label] }

// forRow returns the name of a row's cluster or, when it has none, of its
// nearest named parent: a row of "3.1" in a tree whose "3" is named
// "jazz" is jazz.
func (n Names) forRow(label string) string {
	for {
		if name, ok := n[label]; ok {
			return name
		}
		i := strings.LastIndexByte(label, '.')
		if i < 0 {
			return ""
		}
		label = label[:i]
	}
}

// titled writes a label with its name: "3 (ambient)", or "3" unnamed.
func (n Names) titled(label string) string {
	if name := n[label]; name != "" {
		return label + " (" + name + ")"
	}
	return label
}

// namesOf returns the names a value carries, nil for none.
func namesOf(v Value) Names {
	if n, ok := v.(Named); ok {
		return n.ClusterNames()
	}
	return nil
}

// nameable lists the labels of the clusters a value holds, noise aside,
// in order.
func nameable(v Value) []string {
	switch x := v.(type) {
	case *Clusters:
		_, ids := x.counts()
		labels := make([]string, len(ids))
		for i, id := range ids {
			labels[i] = fmt.Sprint(id)
		}
		return labels
	case *Tree:
		var labels []string
		for _, n := range x.nodes() {
			if n.Depth > 0 && !n.Noise {
				labels = append(labels, n.Label)
			}
		}
		return labels
	}
	return nil
}

// withNames returns a copy of v carrying names; values are immutable.
func withNames(v Value, names Names) Value {
	switch x := v.(type) {
	case *Clusters:
		c := *x
		c.Names = names
		return &c
	case *Tree:
		t := *x
		t.Names = names
		return &t
	}
	panic("dsl: withNames of " + v.Type())
}

func registerName(r *Registry) {
	r.Register(&Command{
		Name: "name", Group: "explain",
		Summary: "Name clusters: a new clustering whose names show beside the labels in plots, tables, explanations, profiles and exports.",
		Doc:     "The dict maps labels to names; a tree takes paths such as \"3.1\", and a number key means the label it writes (3 is \"3\"). Names add to those given before; none removes one. Rows show the name of their cluster or, when it has none, of its nearest named parent, so naming a tree's \"3\" names the rows of \"3.1\" in plots and exports. Noise cannot be named. The value named is left as it was: name returns a new one, so assign it (cl = name(cl, ...)). explain on a named clustering carries the names.",
		Params: []Param{
			{Name: "clusters", Type: OneOf(clustersT, TypeOf("tree")), Doc: "a clustering or a tree"},
			{Name: "names", Type: TypeOf("dict"), Doc: "labels to names, as {\"0\": \"hip-hop\", \"3\": \"ambient\"}"},
		},
		Returns: "clusters or tree",
		Examples: []string{
			`cl = name(cl, {"0": "hip-hop", "3": "ambient"})`,
			`tree = name(tree, {"3": "jazz"})     # a tree also takes paths: {"3.1": "bebop"}`,
			`plot(emb, color=cl)                   # the legend and the labels in the plot show the names`,
			`profile(cl, on=tracks, noun="tracks")`,
		},
		Run: func(ctx context.Context, c *Call) (Value, error) {
			v := c.Value("clusters")
			known := nameable(v)
			names := maps.Clone(namesOf(v))
			if names == nil {
				names = Names{}
			}
			d := c.Value("names").(*Dict)
			for i, k := range d.Keys {
				label := plainText(k)
				if n, ok := k.(Number); ok {
					label = formatNumber(float64(n))
				}
				if !slices.Contains(known, label) {
					return nil, c.Errorf("names", "there is no cluster %q to name%s; the clusters are %s", label, didYouMean(label, known), listNames(known))
				}
				switch name := d.Values[i].(type) {
				case String:
					if strings.TrimSpace(string(name)) == "" {
						return nil, c.Errorf("names", "the name of cluster %q is empty; use none to remove a name", label)
					}
					names[label] = string(name)
				case NoneValue:
					delete(names, label)
				default:
					return nil, c.Errorf("names", "the name of cluster %q must be a string, not %s", label, describeValue(name))
				}
			}
			return withNames(v, names), nil
		},
	})
}
