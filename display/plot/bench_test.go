package plot

import (
	"testing"

	"github.com/reckon-dev/reckon/display"
)

// benchBundle renders with f in the benchmark loop and reports the size
// of the PNG and of the whole bundle as a notebook would store it.
func benchBundle(b *testing.B, f func() (display.Bundle, error)) {
	b.Helper()
	var last display.Bundle
	for b.Loop() {
		var err error
		if last, err = f(); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(pngBytes(b, last)))/1e3, "png-kB")
	svg, _ := last.Data["image/svg+xml"].(string)
	b.ReportMetric(float64(len(svg))/1e3, "svg-kB")
}

// The target: 70,000 points (the size of MNIST) to PNG in well under 2 s.
// The embedding is synthetic — twelve Gaussian clusters of unequal size
// and spread, 8% uniform noise — since the picture, not the data, is what
// costs.
func BenchmarkScatter70k(b *testing.B) {
	x, y, labels, strength := blobs(70000, 12, 3)
	benchBundle(b, func() (display.Bundle, error) {
		return Scatter(x, y, ScatterOptions{Labels: labels, Alpha: strength, XLabel: "UMAP 1", YLabel: "UMAP 2"})
	})
}

func BenchmarkScatterValues70k(b *testing.B) {
	x, y, _, _ := blobs(70000, 12, 3)
	v := make([]float64, len(x))
	for i := range v {
		v[i] = x[i] * y[i]
	}
	benchBundle(b, func() (display.Bundle, error) {
		return Scatter(x, y, ScatterOptions{Values: v, ColorName: "x·y"})
	})
}

// At the SVG threshold: the cost of the vector rendering on top of the PNG.
func BenchmarkScatterSVG(b *testing.B) {
	x, y, labels, _ := blobs(MaxSVGPoints, 12, 3)
	benchBundle(b, func() (display.Bundle, error) {
		return Scatter(x, y, ScatterOptions{Labels: labels, Format: SVG})
	})
}

// shap_summary on the 10,000 explained rows of the explain benchmark, 20
// features shown: 200,000 points.
func BenchmarkBeeswarm10k(b *testing.B) {
	e := syntheticExplanation(10000, 30, 1)
	benchBundle(b, func() (display.Bundle, error) { return Beeswarm(e, BeeswarmOptions{}) })
}

func BenchmarkDependence10k(b *testing.B) {
	e := syntheticExplanation(10000, 30, 1)
	benchBundle(b, func() (display.Bundle, error) {
		return Dependence(e, "f0", DependenceOptions{ColorBy: "auto"})
	})
}

func BenchmarkWaterfall(b *testing.B) {
	e := syntheticExplanation(100, 30, 1)
	benchBundle(b, func() (display.Bundle, error) { return Waterfall(e, 0, WaterfallOptions{}) })
}

func BenchmarkBar(b *testing.B) {
	e := syntheticExplanation(10000, 784, 1)
	benchBundle(b, func() (display.Bundle, error) { return Bar(e, BarOptions{}) })
}

// A condensed tree over 70,000 points with min_cluster_size 100.
func BenchmarkCondensedTree70k(b *testing.B) {
	tree, leaves := randomCondensedTree(70000, 100, 1)
	benchBundle(b, func() (display.Bundle, error) {
		return CondensedTree(tree, leaves, CondensedTreeOptions{})
	})
}

func BenchmarkIcicle(b *testing.B) {
	nodes := sampleTree()
	benchBundle(b, func() (display.Bundle, error) { return Icicle(nodes, IcicleOptions{}) })
}

func BenchmarkLines(b *testing.B) {
	x := []float64{5, 10, 15, 20, 30, 50, 75, 100, 150, 200}
	y := []float64{40, 31, 25, 20, 15, 11, 9, 7, 5, 4}
	benchBundle(b, func() (display.Bundle, error) {
		return Lines(x, []Series{{"clusters", y}, {"noise", y}, {"ARI", y}}, LinesOptions{XLabel: "min_cluster_size", LogX: true})
	})
}
