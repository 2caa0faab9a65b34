package plot

import (
	"math"
	"strings"
	"testing"

	"github.com/reckon-dev/reckon/display"
)

// Bad input gives an error that says what is wrong, prefixed with the
// package name, and never a panic.
func TestBadInput(t *testing.T) {
	nan, inf := math.NaN(), math.Inf(1)
	xy := []float64{0, 1, 2}
	e := syntheticExplanation(20, 4, 1)
	ragged := Explanation{Values: [][]float64{{1, 2}, {3}}}
	tree, _ := randomCondensedTree(60, 10, 1)
	noData := e
	noData.Data = nil
	dup := e
	dup.Names = []string{"a", "b", "a", "c"}

	for _, tc := range []struct {
		name   string
		render func() (display.Bundle, error)
		want   string
	}{
		{"scatter empty", func() (display.Bundle, error) { return Scatter(nil, nil, ScatterOptions{}) }, "no points"},
		{"scatter lengths", func() (display.Bundle, error) { return Scatter(xy, xy[:2], ScatterOptions{}) }, "3 x coordinates but 2 y"},
		{"scatter NaN x", func() (display.Bundle, error) { return Scatter([]float64{0, nan}, []float64{0, 1}, ScatterOptions{}) }, "x coordinate 1 is NaN"},
		{"scatter Inf y", func() (display.Bundle, error) { return Scatter(xy, []float64{0, inf, 1}, ScatterOptions{}) }, "y coordinate 1 is +Inf"},
		{"scatter both colourings", func() (display.Bundle, error) {
			return Scatter(xy, xy, ScatterOptions{Labels: []string{"a", "b", "c"}, Values: xy})
		}, "not both"},
		{"scatter labels length", func() (display.Bundle, error) { return Scatter(xy, xy, ScatterOptions{Labels: []string{"a"}}) }, "1 labels for 3 points"},
		{"scatter values length", func() (display.Bundle, error) { return Scatter(xy, xy, ScatterOptions{Values: []float64{1}}) }, "1 colour values for 3 points"},
		{"scatter infinite value", func() (display.Bundle, error) { return Scatter(xy, xy, ScatterOptions{Values: []float64{1, inf, 2}}) }, "colour value 1 is infinite"},
		{"scatter alpha range", func() (display.Bundle, error) { return Scatter(xy, xy, ScatterOptions{Alpha: []float64{1, 1.5, 0}}) }, "alpha 1.5 of point 1"},
		{"scatter alpha NaN", func() (display.Bundle, error) { return Scatter(xy, xy, ScatterOptions{Alpha: []float64{1, nan, 0}}) }, "alpha NaN"},
		{"scatter alpha length", func() (display.Bundle, error) { return Scatter(xy, xy, ScatterOptions{Alpha: []float64{1}}) }, "1 alpha values"},
		{"scatter tiny", func() (display.Bundle, error) { return Scatter(xy, xy, ScatterOptions{Width: 20}) }, "too small"},
		{"scatter huge", func() (display.Bundle, error) { return Scatter(xy, xy, ScatterOptions{Height: 90000}) }, "outside"},
		{"scatter radius", func() (display.Bundle, error) { return Scatter(xy, xy, ScatterOptions{PointRadius: -1}) }, "point radius"},
		{"scatter opacity", func() (display.Bundle, error) { return Scatter(xy, xy, ScatterOptions{Opacity: 2}) }, "opacity 2"},

		{"condensed empty", func() (display.Bundle, error) { return CondensedTree(nil, nil, CondensedTreeOptions{}) }, "no rows"},
		{"condensed NaN λ", func() (display.Bundle, error) {
			return CondensedTree([]CondensedEdge{{Parent: 2, Child: 0, Lambda: nan, ChildSize: 1}}, nil, CondensedTreeOptions{})
		}, "λ NaN"},
		{"condensed negative λ", func() (display.Bundle, error) {
			return CondensedTree([]CondensedEdge{{Parent: 2, Child: 0, Lambda: -1, ChildSize: 1}}, nil, CondensedTreeOptions{})
		}, "λ -1"},
		{"condensed child size", func() (display.Bundle, error) {
			return CondensedTree([]CondensedEdge{{Parent: 2, Child: 0, Lambda: 1, ChildSize: 0}}, nil, CondensedTreeOptions{})
		}, "child size 0"},
		{"condensed own parent", func() (display.Bundle, error) {
			return CondensedTree([]CondensedEdge{{Parent: 2, Child: 2, Lambda: 1, ChildSize: 3}}, nil, CondensedTreeOptions{})
		}, "its own parent"},
		{"condensed two roots", func() (display.Bundle, error) {
			return CondensedTree([]CondensedEdge{{Parent: 4, Child: 0, Lambda: 1, ChildSize: 1}, {Parent: 5, Child: 1, Lambda: 1, ChildSize: 1}}, nil, CondensedTreeOptions{})
		}, "2 roots (4, 5)"},
		{"condensed two parents", func() (display.Bundle, error) {
			return CondensedTree([]CondensedEdge{
				{Parent: 4, Child: 5, Lambda: 1, ChildSize: 2}, {Parent: 4, Child: 6, Lambda: 1, ChildSize: 2},
				{Parent: 6, Child: 5, Lambda: 2, ChildSize: 2},
			}, nil, CondensedTreeOptions{})
		}, "cluster 5 has two parents"},
		{"condensed cycle", func() (display.Bundle, error) {
			return CondensedTree([]CondensedEdge{
				{Parent: 4, Child: 0, Lambda: 1, ChildSize: 1},
				{Parent: 5, Child: 6, Lambda: 1, ChildSize: 2}, {Parent: 6, Child: 5, Lambda: 1, ChildSize: 2},
			}, nil, CondensedTreeOptions{})
		}, "not connected to the root"},
		{"condensed unknown selection", func() (display.Bundle, error) { return CondensedTree(tree, []int{3}, CondensedTreeOptions{}) }, "selected cluster 3 is not a cluster"},
		{"condensed repeated selection", func() (display.Bundle, error) { return CondensedTree(tree, []int{60, 60}, CondensedTreeOptions{}) }, "selected twice"},

		{"beeswarm empty", func() (display.Bundle, error) { return Beeswarm(Explanation{}, BeeswarmOptions{}) }, "no SHAP values"},
		{"beeswarm ragged", func() (display.Bundle, error) { return Beeswarm(ragged, BeeswarmOptions{}) }, "row 1 has 1 SHAP values but row 0 has 2"},
		{"beeswarm NaN SHAP", func() (display.Bundle, error) {
			return Beeswarm(Explanation{Values: [][]float64{{1, nan}}}, BeeswarmOptions{})
		}, "row 0, feature 1 is NaN"},
		{"beeswarm data rows", func() (display.Bundle, error) {
			return Beeswarm(Explanation{Values: [][]float64{{1}}, Data: [][]float64{{1}, {2}}}, BeeswarmOptions{})
		}, "2 rows of feature values for 1 rows"},
		{"beeswarm data width", func() (display.Bundle, error) {
			return Beeswarm(Explanation{Values: [][]float64{{1, 2}}, Data: [][]float64{{1}}}, BeeswarmOptions{})
		}, "1 feature values for 2 SHAP values"},
		{"beeswarm infinite data", func() (display.Bundle, error) {
			return Beeswarm(Explanation{Values: [][]float64{{1}}, Data: [][]float64{{inf}}}, BeeswarmOptions{})
		}, "infinite"},
		{"beeswarm names", func() (display.Bundle, error) {
			return Beeswarm(Explanation{Values: [][]float64{{1, 2}}, Names: []string{"a"}}, BeeswarmOptions{})
		}, "1 feature names for 2 features"},
		{"beeswarm base", func() (display.Bundle, error) {
			return Beeswarm(Explanation{Values: [][]float64{{1}}, Base: nan}, BeeswarmOptions{})
		}, "expected value NaN"},
		{"beeswarm max display", func() (display.Bundle, error) { return Beeswarm(e, BeeswarmOptions{MaxDisplay: -2}) }, "max display -2"},
		{"bar max display", func() (display.Bundle, error) { return Bar(e, BarOptions{MaxDisplay: -1}) }, "max display -1"},
		{"bar empty", func() (display.Bundle, error) { return Bar(Explanation{Values: [][]float64{{}}}, BarOptions{}) }, "no SHAP values"},
		{"dependence no data", func() (display.Bundle, error) { return Dependence(noData, "f0", DependenceOptions{}) }, "no feature values"},
		{"dependence unknown", func() (display.Bundle, error) { return Dependence(e, "energy", DependenceOptions{}) }, `no feature is named "energy"; the features are f0, f1, f2, f3`},
		{"dependence ambiguous", func() (display.Bundle, error) { return Dependence(dup, "a", DependenceOptions{}) }, `two features are named "a"`},
		{"dependence unknown colour", func() (display.Bundle, error) { return Dependence(e, "f0", DependenceOptions{ColorBy: "tempo"}) }, `no feature is named "tempo"`},
		{"waterfall row", func() (display.Bundle, error) { return Waterfall(e, 20, WaterfallOptions{}) }, "row 20 is outside the 20 explained rows"},
		{"waterfall negative row", func() (display.Bundle, error) { return Waterfall(e, -1, WaterfallOptions{}) }, "row -1"},
		{"waterfall max display", func() (display.Bundle, error) { return Waterfall(e, 0, WaterfallOptions{MaxDisplay: -1}) }, "max display"},

		{"icicle empty", func() (display.Bundle, error) { return Icicle(nil, IcicleOptions{}) }, "no nodes"},
		{"icicle parent range", func() (display.Bundle, error) {
			return Icicle([]IcicleNode{{Label: "a", Parent: 3, Size: 1}}, IcicleOptions{})
		}, "parent 3, outside the 1 nodes"},
		{"icicle own parent", func() (display.Bundle, error) {
			return Icicle([]IcicleNode{{Label: "a", Parent: -1, Size: 2}, {Label: "b", Parent: 1, Size: 1}}, IcicleOptions{})
		}, "its own parent"},
		{"icicle negative size", func() (display.Bundle, error) {
			return Icicle([]IcicleNode{{Label: "a", Parent: -1, Size: -2}}, IcicleOptions{})
		}, "-2 rows"},
		{"icicle children too big", func() (display.Bundle, error) {
			return Icicle([]IcicleNode{{Label: "all", Parent: -1, Size: 10}, {Label: "0", Parent: 0, Size: 8}, {Label: "1", Parent: 0, Size: 5}}, IcicleOptions{})
		}, `children of node 0 ("all") hold 13 rows but it has only 10`},
		{"icicle no top", func() (display.Bundle, error) {
			return Icicle([]IcicleNode{{Label: "a", Parent: 1, Size: 1}, {Label: "b", Parent: 0, Size: 1}}, IcicleOptions{})
		}, "no node is at the top"},
		{"icicle cycle", func() (display.Bundle, error) {
			return Icicle([]IcicleNode{{Label: "all", Parent: -1, Size: 3}, {Label: "a", Parent: 2, Size: 1}, {Label: "b", Parent: 1, Size: 1}}, IcicleOptions{})
		}, "form a cycle"},
		{"icicle no rows", func() (display.Bundle, error) {
			return Icicle([]IcicleNode{{Label: "all", Parent: -1, Size: 0}}, IcicleOptions{})
		}, "holds no rows"},

		{"lines empty", func() (display.Bundle, error) { return Lines(nil, []Series{{"a", nil}}, LinesOptions{}) }, "no parameter values"},
		{"lines no series", func() (display.Bundle, error) { return Lines(xy, nil, LinesOptions{}) }, "no series"},
		{"lines NaN x", func() (display.Bundle, error) {
			return Lines([]float64{1, nan}, []Series{{"a", []float64{1, 2}}}, LinesOptions{})
		}, "parameter value 1 is NaN"},
		{"lines length", func() (display.Bundle, error) { return Lines(xy, []Series{{"noise", []float64{1}}}, LinesOptions{}) }, `series "noise" has 1 values for 3 parameter values`},
		{"lines infinite", func() (display.Bundle, error) {
			return Lines(xy, []Series{{"a", []float64{1, inf, 2}}}, LinesOptions{})
		}, "infinite"},
		{"lines log of zero", func() (display.Bundle, error) { return Lines(xy, []Series{{"a", xy}}, LinesOptions{LogX: true}) }, "logarithmic axis needs positive"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := tc.render()
			if err == nil {
				t.Fatalf("no error, want one containing %q", tc.want)
			}
			if !strings.HasPrefix(err.Error(), "plot: ") || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %q, want it to start with \"plot: \" and contain %q", err, tc.want)
			}
		})
	}
}

// Degenerate but valid input draws: one point, identical points, constant
// values, a single feature, all values missing.
func TestDegenerateInput(t *testing.T) {
	nan := math.NaN()
	one := Explanation{Values: [][]float64{{0.5}}, Data: [][]float64{{nan}}}
	constant := Explanation{Values: [][]float64{{0, 0}, {0, 0}}, Data: [][]float64{{1, 1}, {1, 1}}}
	for _, tc := range []struct {
		name   string
		render func() (display.Bundle, error)
	}{
		{"one point", func() (display.Bundle, error) {
			return Scatter([]float64{3}, []float64{4}, ScatterOptions{Width: tw, Height: th})
		}},
		{"identical points", func() (display.Bundle, error) {
			return Scatter([]float64{1, 1, 1}, []float64{2, 2, 2}, ScatterOptions{Labels: []string{"0", "0", "-1"}, Width: tw, Height: th})
		}},
		{"all noise", func() (display.Bundle, error) {
			return Scatter([]float64{1, 2}, []float64{2, 3}, ScatterOptions{Labels: []string{"-1", "noise"}, Width: tw, Height: th})
		}},
		{"constant values", func() (display.Bundle, error) {
			return Scatter([]float64{1, 2}, []float64{2, 3}, ScatterOptions{Values: []float64{7, 7}, Width: tw, Height: th})
		}},
		{"all values missing", func() (display.Bundle, error) {
			return Scatter([]float64{1, 2}, []float64{2, 3}, ScatterOptions{Values: []float64{nan, nan}, Width: tw, Height: th})
		}},
		{"extreme coordinates", func() (display.Bundle, error) {
			return Scatter([]float64{-math.MaxFloat64, math.MaxFloat64}, []float64{0, 1}, ScatterOptions{Values: []float64{-math.MaxFloat64, math.MaxFloat64}, Width: tw, Height: th})
		}},
		{"extreme SHAP values", func() (display.Bundle, error) {
			return Beeswarm(Explanation{Values: [][]float64{{-math.MaxFloat64}, {math.MaxFloat64}}}, BeeswarmOptions{Width: tw, Height: th})
		}},
		{"one-row beeswarm", func() (display.Bundle, error) { return Beeswarm(one, BeeswarmOptions{Width: tw, Height: th}) }},
		{"constant beeswarm", func() (display.Bundle, error) { return Beeswarm(constant, BeeswarmOptions{Width: tw, Height: th}) }},
		{"one-row bar", func() (display.Bundle, error) { return Bar(one, BarOptions{Width: tw, Height: th}) }},
		{"dependence all missing", func() (display.Bundle, error) {
			return Dependence(one, "Feature 0", DependenceOptions{Width: tw, Height: th})
		}},
		{"constant dependence", func() (display.Bundle, error) {
			return Dependence(constant, "Feature 0", DependenceOptions{ColorBy: "auto", Width: tw, Height: th})
		}},
		{"zero waterfall", func() (display.Bundle, error) { return Waterfall(constant, 1, WaterfallOptions{Width: tw, Height: th}) }},
		{"single node", func() (display.Bundle, error) {
			return Icicle([]IcicleNode{{Parent: -1, Size: 5}}, IcicleOptions{Width: tw, Height: th})
		}},
		{"single sweep value", func() (display.Bundle, error) {
			return Lines([]float64{1}, []Series{{"a", []float64{3}}}, LinesOptions{LogX: true, Width: tw, Height: th})
		}},
		{"all-missing series", func() (display.Bundle, error) {
			return Lines([]float64{1, 2}, []Series{{"a", []float64{nan, nan}}}, LinesOptions{Width: tw, Height: th})
		}},
		{"root only tree", func() (display.Bundle, error) {
			return CondensedTree([]CondensedEdge{{Parent: 3, Child: 0, Lambda: 0.5, ChildSize: 1}, {Parent: 3, Child: 1, Lambda: 0.5, ChildSize: 1}, {Parent: 3, Child: 2, Lambda: 1, ChildSize: 1}}, []int{3}, CondensedTreeOptions{Width: tw, Height: th})
		}},
		{"all infinite λ", func() (display.Bundle, error) {
			inf := math.Inf(1)
			return CondensedTree([]CondensedEdge{{Parent: 2, Child: 0, Lambda: inf, ChildSize: 1}, {Parent: 2, Child: 1, Lambda: inf, ChildSize: 1}}, nil, CondensedTreeOptions{Width: tw, Height: th})
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b, err := tc.render()
			if err != nil {
				t.Fatal(err)
			}
			if b.Plain() == "" {
				t.Error("no alt text")
			}
		})
	}
}

// The smallest sizes allowed, and a very flat one, still draw: gonum's
// layout squeezes but neither panics nor fails.
func TestSmallestSizes(t *testing.T) {
	x, y, labels, _ := blobs(100, 3, 1)
	e := syntheticExplanation(30, 25, 3)
	tree, leaves := randomCondensedTree(200, 20, 2)
	sweep := []Series{{"a", []float64{1, 2, 3}}, {"b", []float64{3, 1, 2}}, {"c", []float64{2, 2, 1}}}
	for _, s := range [][2]int{{100, 100}, {600, 100}} {
		w, h := s[0], s[1]
		for _, p := range []namedPlot{
			{"scatter", func() (display.Bundle, error) {
				return Scatter(x, y, ScatterOptions{Labels: labels, Width: w, Height: h, Title: "t", XLabel: "x", YLabel: "y"})
			}},
			{"scatter by value", func() (display.Bundle, error) { return Scatter(x, y, ScatterOptions{Values: x, Width: w, Height: h}) }},
			{"condensed tree", func() (display.Bundle, error) {
				return CondensedTree(tree, leaves, CondensedTreeOptions{Width: w, Height: h})
			}},
			{"beeswarm", func() (display.Bundle, error) { return Beeswarm(e, BeeswarmOptions{Width: w, Height: h}) }},
			{"bar", func() (display.Bundle, error) { return Bar(e, BarOptions{Width: w, Height: h}) }},
			{"dependence", func() (display.Bundle, error) {
				return Dependence(e, "f0", DependenceOptions{Width: w, Height: h, ColorBy: "auto"})
			}},
			{"waterfall", func() (display.Bundle, error) { return Waterfall(e, 0, WaterfallOptions{Width: w, Height: h}) }},
			{"icicle", func() (display.Bundle, error) { return Icicle(sampleTree(), IcicleOptions{Width: w, Height: h}) }},
			{"lines", func() (display.Bundle, error) {
				return Lines([]float64{1, 2, 3}, sweep, LinesOptions{Width: w, Height: h})
			}},
		} {
			if _, err := p.render(); err != nil {
				t.Errorf("%s at %d×%d: %v", p.name, w, h, err)
			}
		}
	}
}
