package vegalite

import (
	"encoding/json"
	"errors"
	"math"

	"github.com/reckon-dev/reckon/display/plot"
)

// Lines is the interactive twin of plot.Lines, a parameter sweep: one
// panel per series, stacked over the parameter, each value with a
// tooltip.
func Lines(param string, x []float64, series []plot.Series, title string) (json.RawMessage, error) {
	if len(x) == 0 || len(series) == 0 {
		return nil, errors.New("vegalite: lines: there are no values to plot")
	}
	var rows []map[string]any
	var names []string
	for _, s := range series {
		if len(s.Y) != len(x) {
			return nil, errors.New("vegalite: lines: series " + s.Name + " has not one value per parameter value")
		}
		names = append(names, s.Name)
		for i, y := range s.Y {
			if math.IsNaN(y) || math.IsInf(y, 0) {
				continue
			}
			rows = append(rows, map[string]any{"v": x[i], "s": s.Name, "y": y})
		}
	}
	spec := map[string]any{
		"$schema": schema,
		"data":    map[string]any{"values": rows},
		"width":   560,
		"height":  110,
		"mark":    map[string]any{"type": "line", "point": true, "tooltip": true},
		"encoding": map[string]any{
			"x":     map[string]any{"field": "v", "type": "quantitative", "title": param},
			"y":     map[string]any{"field": "y", "type": "quantitative", "title": nil},
			"row":   map[string]any{"field": "s", "type": "nominal", "title": nil, "sort": names},
			"color": map[string]any{"field": "s", "type": "nominal", "legend": nil, "scale": map[string]any{"domain": names, "range": palette(len(names))}},
			"tooltip": []any{
				map[string]any{"field": "v", "type": "quantitative", "title": param},
				map[string]any{"field": "s", "type": "nominal", "title": "series"},
				map[string]any{"field": "y", "type": "quantitative", "title": "value", "format": ".4~g"},
			},
		},
		"resolve": map[string]any{"scale": map[string]any{"y": "independent"}},
	}
	if title != "" {
		spec["title"] = title
	}
	return json.Marshal(spec)
}

// palette is the first k colours of the qualitative palette.
func palette(k int) []string {
	out := make([]string, k)
	for i := range out {
		out[i] = plot.Hex(plot.Category(i))
	}
	return out
}

// shapRed is the colour of shap's bars.
const shapRed = "#ff0051"

// Bar is the interactive twin of plot.Bar: one bar per feature, as
// plot.Explanation.Bars gives them, with its value in a tooltip.
func Bar(names []string, values []float64, title string) (json.RawMessage, error) {
	if len(names) == 0 || len(names) != len(values) {
		return nil, errors.New("vegalite: bar: there must be one value per bar, and at least one bar")
	}
	rows := make([]map[string]any, len(names))
	for i := range names {
		rows[i] = map[string]any{"f": names[i], "v": values[i]}
	}
	spec := map[string]any{
		"$schema": schema,
		"data":    map[string]any{"values": rows},
		"width":   560,
		"height":  map[string]any{"step": 28},
		"mark":    map[string]any{"type": "bar", "color": shapRed},
		"encoding": map[string]any{
			"y": map[string]any{"field": "f", "type": "nominal", "title": nil, "sort": names},
			"x": map[string]any{"field": "v", "type": "quantitative", "title": "mean(|SHAP value|)"},
			"tooltip": []any{
				map[string]any{"field": "f", "type": "nominal", "title": "feature"},
				map[string]any{"field": "v", "type": "quantitative", "title": "mean(|SHAP value|)", "format": ".4~g"},
			},
		},
	}
	if title != "" {
		spec["title"] = title
	}
	return json.Marshal(spec)
}
