package plot_test

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"image/png"
	"math"

	"github.com/reckon-dev/reckon/display"
	"github.com/reckon-dev/reckon/display/plot"
)

// show prints what a notebook gets: the alt text, the PNG's size in
// pixels and the displayed size, and whether there is an SVG.
func show(b display.Bundle, err error) {
	if err != nil {
		fmt.Println(err)
		return
	}
	data, _ := base64.StdEncoding.DecodeString(b.Data["image/png"].(string))
	cfg, err := png.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		fmt.Println(err)
		return
	}
	meta := b.Metadata["image/png"].(map[string]any)
	_, svg := b.Data["image/svg+xml"]
	fmt.Println(b.Plain())
	fmt.Printf("PNG %d×%d shown at %d×%d, SVG: %v\n", cfg.Width, cfg.Height, meta["width"], meta["height"], svg)
}

// A 2-D embedding coloured by HDBSCAN labels, faded by membership
// probability.
func ExampleScatter() {
	x := []float64{0, 0.2, 0.1, 5, 5.3, 5.1, 2.5}
	y := []float64{0, 0.1, 0.3, 5, 4.8, 5.2, 9}
	labels := []string{"0", "0", "0", "1", "1", "1", "-1"}
	prob := []float64{1, 0.9, 0.7, 1, 1, 0.6, 0}
	show(plot.Scatter(x, y, plot.ScatterOptions{Labels: labels, Alpha: prob, XLabel: "UMAP 1", YLabel: "UMAP 2"}))
	// The same plot with a vector form beside the PNG, for a trusted notebook.
	show(plot.Scatter(x, y, plot.ScatterOptions{Labels: labels, Alpha: prob, XLabel: "UMAP 1", YLabel: "UMAP 2", Format: plot.SVG}))
	// Output:
	// Scatter of 7 points coloured by cluster: 2 clusters (0–1), 14.3% noise; the largest, 0, holds 3 points; fainter points are weaker members. UMAP 1 from 0 to 5.3, UMAP 2 from 0 to 9.
	// PNG 1440×1080 shown at 720×540, SVG: false
	// Scatter of 7 points coloured by cluster: 2 clusters (0–1), 14.3% noise; the largest, 0, holds 3 points; fainter points are weaker members. UMAP 1 from 0 to 5.3, UMAP 2 from 0 to 9.
	// PNG 1440×1080 shown at 720×540, SVG: true
}

// A scatter coloured by a numeric column; the missing value is grey.
func ExampleScatter_values() {
	x := []float64{1, 2, 3, 4}
	y := []float64{1, 4, 9, 16}
	energy := []float64{0.1, 0.5, math.NaN(), 0.9}
	show(plot.Scatter(x, y, plot.ScatterOptions{Values: energy, ColorName: "energy", Width: 400, Height: 300}))
	// Output:
	// Scatter of 4 points coloured by energy from 0.1 (dark purple) to 0.9 (yellow); 1 missing value shown grey. x from 1 to 4, y from 1 to 16.
	// PNG 800×600 shown at 400×300, SVG: false
}

// hdbscan's condensed tree plot: eight points split at λ 1 into two
// clusters, both selected.
func ExampleCondensedTree() {
	tree := []plot.CondensedEdge{
		{Parent: 8, Child: 9, Lambda: 1, ChildSize: 4},
		{Parent: 8, Child: 10, Lambda: 1, ChildSize: 4},
		{Parent: 9, Child: 0, Lambda: 2, ChildSize: 1},
		{Parent: 9, Child: 1, Lambda: 3, ChildSize: 1},
		{Parent: 9, Child: 2, Lambda: 3, ChildSize: 1},
		{Parent: 9, Child: 3, Lambda: 4, ChildSize: 1},
		{Parent: 10, Child: 4, Lambda: 1.5, ChildSize: 1},
		{Parent: 10, Child: 5, Lambda: 2, ChildSize: 1},
		{Parent: 10, Child: 6, Lambda: 6, ChildSize: 1},
		{Parent: 10, Child: 7, Lambda: 6, ChildSize: 1},
	}
	show(plot.CondensedTree(tree, []int{9, 10}, plot.CondensedTreeOptions{Width: 480, Height: 360}))
	// Output:
	// Condensed tree of 8 points: 3 clusters in the hierarchy (2 leaves), λ from 0 to 6. 2 selected clusters, circled: 0 (4 points, λ 1 to 4); 1 (4 points, λ 1 to 6).
	// PNG 960×720 shown at 480×360, SVG: false
}

// explanation is a small set of SHAP values: energy pushes the output up
// when high, acousticness pushes it down when high.
func explanation() plot.Explanation {
	return plot.Explanation{
		Values: [][]float64{
			{0.8, 0.3, 0.05},
			{-0.6, -0.4, -0.02},
			{0.5, 0.2, 0.01},
			{-0.7, -0.5, 0.03},
		},
		Data: [][]float64{
			{0.9, 0.1, 120},
			{0.2, 0.8, 95},
			{0.7, math.NaN(), 128},
			{0.1, 0.9, 100},
		},
		Names: []string{"energy", "acousticness", "tempo"},
		Base:  -1.5,
		// As analysis/explain decides them (explain.Driver.Direction).
		Directions: []string{"high values raise the output", "high values lower the output", "high values raise the output"},
	}
}

func ExampleBeeswarm() {
	show(plot.Beeswarm(explanation(), plot.BeeswarmOptions{Width: 480}))
	// Output:
	// SHAP summary (beeswarm) of 4 rows: all 3 features by mean |SHAP|, top down. Most important: energy (0.65, high values raise the output); acousticness (0.35, high values lower the output); tempo (0.0275, high values raise the output). Points are coloured by feature value, blue low to red high, grey missing.
	// PNG 960×518 shown at 480×259, SVG: false
}

func ExampleBar() {
	show(plot.Bar(explanation(), plot.BarOptions{Width: 480}))
	// Output:
	// Bar chart of mean |SHAP| over 4 rows, largest first: energy 0.65; acousticness 0.35; tempo 0.0275.
	// PNG 960×576 shown at 480×288, SVG: false
}

func ExampleDependence() {
	show(plot.Dependence(explanation(), "energy", plot.DependenceOptions{ColorBy: "tempo", Width: 480, Height: 320}))
	// Output:
	// SHAP dependence plot of energy over 4 rows: x is the value of energy (0.1 to 0.9), y its SHAP value (-0.7 to 0.8). For energy, high values raise the output. Points are coloured by tempo, blue low to red high.
	// PNG 960×640 shown at 480×320, SVG: false
}

func ExampleWaterfall() {
	show(plot.Waterfall(explanation(), 0, plot.WaterfallOptions{Width: 480}))
	// Output:
	// SHAP waterfall for row 0: from the expected value E[f(X)] = -1.5 to the output f(x) = -0.35. Contributions, largest first: energy = 0.9 +0.8; acousticness = 0.1 +0.3; tempo = 120 +0.05.
	// PNG 960×576 shown at 480×288, SVG: false
}

// A recursive clustering two levels deep.
func ExampleIcicle() {
	nodes := []plot.IcicleNode{
		{Label: "all", Parent: -1, Size: 1000},
		{Label: "0", Parent: 0, Size: 600},
		{Label: "1", Parent: 0, Size: 350},
		{Label: "noise", Parent: 0, Size: 50},
		{Label: "0.0", Parent: 1, Size: 400},
		{Label: "0.1", Parent: 1, Size: 150},
		{Label: "0.noise", Parent: 1, Size: 50},
	}
	show(plot.Icicle(nodes, plot.IcicleOptions{Width: 480, Height: 240}))
	// Output:
	// Icicle of a recursive clustering of 1,000 rows, 3 levels deep. Depth 0: 1 node, largest all (1,000). Depth 1: 2 nodes and 50 rows of noise, largest 0 (600), 1 (350). Depth 2: 2 nodes and 50 rows of noise, largest 0.0 (400), 0.1 (150).
	// PNG 960×480 shown at 480×240, SVG: false
}

// A sweep over min_cluster_size, one panel per measure.
func ExampleLines() {
	x := []float64{10, 25, 50, 100}
	show(plot.Lines(x, []plot.Series{
		{Name: "clusters", Y: []float64{14, 9, 6, 4}},
		{Name: "noise fraction", Y: []float64{0.05, 0.09, 0.14, 0.22}},
		{Name: "stability (ARI)", Y: []float64{0.71, 0.88, 0.93, 0.90}},
	}, plot.LinesOptions{XLabel: "min_cluster_size", LogX: true, Width: 480, Height: 400}))
	// Output:
	// Sweep over min_cluster_size, 4 values from 10 to 100, in 3 panels: clusters 14 at 10, 9 at 25, 6 at 50, 4 at 100; noise fraction 0.05 at 10, 0.09 at 25, 0.14 at 50, 0.22 at 100; stability (ARI) 0.71 at 10, 0.88 at 25, 0.93 at 50, 0.9 at 100.
	// PNG 960×800 shown at 480×400, SVG: false
}

// IsNoise recognises hdbscan's and the recursive clustering's noise labels.
func ExampleIsNoise() {
	for _, l := range []string{"-1", "noise", "3.noise", "3", "3.1"} {
		fmt.Println(l, plot.IsNoise(l))
	}
	// Output:
	// -1 true
	// noise true
	// 3.noise true
	// 3 false
	// 3.1 false
}
