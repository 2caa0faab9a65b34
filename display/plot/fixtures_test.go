package plot

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/reckon-dev/reckon/display"
)

// blobs returns n points in k Gaussian clusters of unequal sizes with
// about 8% uniform noise, their labels ("-1" for noise) and membership
// strengths in [0, 1].
func blobs(n, k int, seed uint64) (x, y []float64, labels []string, strength []float64) {
	r := rand.New(rand.NewPCG(seed, 1))
	cx, cy := make([]float64, k), make([]float64, k)
	for i := range k {
		cx[i], cy[i] = r.Float64()*20, r.Float64()*20
	}
	for range n {
		if r.Float64() < 0.08 {
			x = append(x, r.Float64()*24-2)
			y = append(y, r.Float64()*24-2)
			labels = append(labels, "-1")
			strength = append(strength, 0)
			continue
		}
		c := int(math.Pow(r.Float64(), 1.5) * float64(k))
		s := 0.3 + 0.1*float64(c%4)
		x = append(x, cx[c]+r.NormFloat64()*s)
		y = append(y, cy[c]+r.NormFloat64()*s)
		labels = append(labels, fmt.Sprint(c))
		strength = append(strength, math.Max(0, 1-0.2*math.Abs(r.NormFloat64())))
	}
	return x, y, labels, strength
}

// syntheticExplanation has SHAP values that follow the feature values,
// alternately up and down, with decreasing importance, 3% missing values
// and a little noise.
func syntheticExplanation(rows, features int, seed uint64) Explanation {
	r := rand.New(rand.NewPCG(seed, 2))
	e := Explanation{Base: -1.25}
	for j := range features {
		e.Names = append(e.Names, fmt.Sprintf("f%d", j))
	}
	for range rows {
		v := make([]float64, features)
		d := make([]float64, features)
		for j := range features {
			d[j] = r.NormFloat64() + float64(j)
			v[j] = (d[j] - float64(j)) / float64(j+1)
			if j%2 == 1 {
				v[j] = -v[j]
			}
			v[j] += 0.05 * r.NormFloat64()
			if r.Float64() < 0.03 {
				d[j] = math.NaN()
			}
		}
		e.Values = append(e.Values, v)
		e.Data = append(e.Data, d)
	}
	return e
}

// randomCondensedTree grows a valid condensed tree over n points: each
// cluster sheds some points one by one as λ grows, then either splits in
// two (while both halves keep at least minSize points) or sheds the rest.
// Points are ids 0..n-1, the root is n and clusters count up from it.
func randomCondensedTree(n, minSize int, seed uint64) (tree []CondensedEdge, leaves []int) {
	r := rand.New(rand.NewPCG(seed, 3))
	point, next := 0, n
	var grow func(id, size int, lam float64, depth int)
	grow = func(id, size int, lam float64, depth int) {
		drop := r.IntN(size/4 + 1)
		for range drop {
			lam += r.ExpFloat64() * 0.02
			tree = append(tree, CondensedEdge{Parent: id, Child: point, Lambda: lam, ChildSize: 1})
			point++
		}
		size -= drop
		if depth < 6 && size >= 2*minSize && r.Float64() < 0.85 {
			lam += r.ExpFloat64() * 0.1
			a := minSize + r.IntN(size-2*minSize+1)
			for _, s := range []int{a, size - a} {
				next++
				c := next
				tree = append(tree, CondensedEdge{Parent: id, Child: c, Lambda: lam, ChildSize: s})
				grow(c, s, lam, depth+1)
			}
			return
		}
		leaves = append(leaves, id)
		for range size {
			lam += r.ExpFloat64() * 0.02
			tree = append(tree, CondensedEdge{Parent: id, Child: point, Lambda: lam, ChildSize: 1})
			point++
		}
	}
	grow(n, n, 0, 0)
	return tree, leaves
}

// sampleTree is a recursive clustering of 1,000 rows: three clusters and
// noise, the first two split again.
func sampleTree() []IcicleNode {
	return []IcicleNode{
		{Label: "all", Parent: -1, Size: 1000},
		{Label: "0", Parent: 0, Size: 400},
		{Label: "1", Parent: 0, Size: 300},
		{Label: "2", Parent: 0, Size: 200},
		{Label: "noise", Parent: 0, Size: 100},
		{Label: "0.0", Parent: 1, Size: 250},
		{Label: "0.1", Parent: 1, Size: 100},
		{Label: "0.noise", Parent: 1, Size: 50},
		{Label: "1.1", Parent: 2, Size: 120},
		{Label: "1.0", Parent: 2, Size: 150},
	}
}

// Tests draw small figures: under the race detector the cost of a plot is
// mostly its pixels.
const tw, th = 240, 180

// namedPlot renders one plot of each kind from small fixtures.
type namedPlot struct {
	name   string
	render func() (display.Bundle, error)
}

// allPlots draws one of each plot in format.
func allPlots(format Format) []namedPlot {
	x, y, labels, strength := blobs(600, 5, 1)
	values := make([]float64, len(x))
	for i := range values {
		values[i] = x[i] - y[i]
		if i%40 == 0 {
			values[i] = math.NaN()
		}
	}
	tree, leaves := randomCondensedTree(400, 20, 2)
	e := syntheticExplanation(200, 12, 3)
	return []namedPlot{
		{"scatter by label", func() (display.Bundle, error) {
			return Scatter(x, y, ScatterOptions{Labels: labels, Alpha: strength, Title: "clusters", XLabel: "UMAP 1", YLabel: "UMAP 2", Width: tw, Height: th, Format: format})
		}},
		{"scatter by value", func() (display.Bundle, error) {
			return Scatter(x, y, ScatterOptions{Values: values, ColorName: "x − y", Width: tw, Height: th, Format: format})
		}},
		{"scatter plain", func() (display.Bundle, error) {
			return Scatter(x, y, ScatterOptions{Width: tw, Height: th, Format: format})
		}},
		{"condensed tree", func() (display.Bundle, error) {
			return CondensedTree(tree, leaves[:3], CondensedTreeOptions{Title: "condensed", Width: tw, Height: th, Format: format})
		}},
		{"beeswarm", func() (display.Bundle, error) {
			return Beeswarm(e, BeeswarmOptions{MaxDisplay: 8, Width: tw, Height: th, Format: format})
		}},
		{"bar", func() (display.Bundle, error) {
			return Bar(e, BarOptions{MaxDisplay: 6, Width: tw, Height: th, Format: format})
		}},
		{"dependence", func() (display.Bundle, error) {
			return Dependence(e, "f1", DependenceOptions{ColorBy: "auto", Width: tw, Height: th, Format: format})
		}},
		{"waterfall", func() (display.Bundle, error) {
			return Waterfall(e, 7, WaterfallOptions{MaxDisplay: 6, Width: tw, Height: th, Format: format})
		}},
		{"icicle", func() (display.Bundle, error) {
			return Icicle(sampleTree(), IcicleOptions{Width: tw, Height: th, Format: format})
		}},
		{"lines", func() (display.Bundle, error) {
			return Lines([]float64{5, 10, 20, 40}, []Series{{"clusters", []float64{9, 6, 4, 2}}, {"noise", []float64{0.1, 0.2, math.NaN(), 0.4}}}, LinesOptions{XLabel: "min_cluster_size", Width: tw, Height: th, Format: format})
		}},
	}
}
