package plot

import (
	"errors"
	"fmt"
	"image/color"
)

// The functions here give other renderings of a plot (display/vegalite's
// interactive specs) the same choices the pictures make: which colour a
// label gets, which bars a SHAP bar plot draws, which feature colours a
// dependence plot.

// Hex writes a colour as CSS does: #1f77b4.
func Hex(c color.NRGBA) string { return fmt.Sprintf("#%02x%02x%02x", c.R, c.G, c.B) }

// NoiseColor is the grey that noise points are drawn in.
func NoiseColor() color.NRGBA { return noiseGrey }

// LabelColors returns the distinct labels as a scatter orders them (the
// clusters in natural order, then the noise labels) with the colour each
// is drawn in.
func LabelColors(labels []string) (names []string, colors []color.NRGBA) {
	c := newCategories(labels)
	for i, n := range c.names {
		names, colors = append(names, n), append(colors, Category(i))
	}
	for _, n := range c.noiseNames {
		names, colors = append(names, n), append(colors, noiseGrey)
	}
	return names, colors
}

// Bars returns the bars shap.plots.bar draws for the explanation: the
// features by decreasing mean |SHAP|, and beyond maxDisplay − 1 of them a
// last bar summing the rest. maxDisplay 0 means 10.
func (e Explanation) Bars(maxDisplay int) (names []string, values []float64, err error) {
	_, features, err := e.check("bar")
	if err != nil {
		return nil, nil, err
	}
	if maxDisplay < 0 {
		return nil, nil, fmt.Errorf("plot: bar: max display %d must be positive", maxDisplay)
	}
	maxDisplay = orDefault(maxDisplay, 10)
	mean := e.meanAbs()
	order := importanceOrder(mean)
	if features <= maxDisplay {
		for _, j := range order {
			names, values = append(names, e.name(j)), append(values, mean[j])
		}
		return names, values, nil
	}
	for _, j := range order[:maxDisplay-1] {
		names, values = append(names, e.name(j)), append(values, mean[j])
	}
	rest := 0.0
	for _, j := range order[maxDisplay-1:] {
		rest += mean[j]
	}
	names = append(names, fmt.Sprintf("Sum of %d other features", features-maxDisplay+1))
	return names, append(values, rest), nil
}

// DependenceColumns returns what a dependence plot of feature draws: the
// feature's values (x), its SHAP values (y), and the values of the feature
// colouring the points (nil when colorBy is ""), with the features' names.
// colorBy is as DependenceOptions.ColorBy says.
func (e Explanation) DependenceColumns(feature, colorBy string) (x, y, c []float64, xName, cName string, err error) {
	if _, _, err = e.check("dependence"); err != nil {
		return
	}
	if e.Data == nil {
		err = errors.New("plot: dependence: the explanation has no feature values; a dependence plot places rows by them")
		return
	}
	j, err := e.feature("dependence", feature)
	if err != nil {
		return
	}
	k := -1
	switch colorBy {
	case "":
	case "auto":
		k = strongestInteraction(e, j)
	default:
		if k, err = e.feature("dependence", colorBy); err != nil {
			return
		}
	}
	if k >= 0 {
		c, cName = e.dataColumn(k), e.name(k)
	}
	return e.dataColumn(j), e.column(j), c, e.name(j), cName, nil
}

// PointStyle is the radius (CSS pixels) and opacity of the points of an
// n-point scatter, which shrink as n grows so that dense regions show
// their density.
func PointStyle(n int) (radius, opacity float64) { return autoRadius(n), autoOpacity(n) }
