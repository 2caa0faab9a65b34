package dsl

import (
	"fmt"
	"path/filepath"
	"strings"

	"github.com/reckon-dev/reckon/analysis/explain"
	"github.com/reckon-dev/reckon/analysis/frame"
)

// isParquetPath reports whether a file's name says it holds Parquet.
func isParquetPath(path string) bool {
	return strings.EqualFold(filepath.Ext(path), ".parquet")
}

// tableFormat resolves the format of a value that export writes as a
// table: "csv" or "parquet" when asked, else by the file's extension.
// what names the value in the error for any other format.
func tableFormat(path, format, what string) (string, error) {
	switch format {
	case "csv", "parquet":
		return format, nil
	case "":
		if isParquetPath(path) {
			return "parquet", nil
		}
		return "csv", nil
	}
	return "", fmt.Errorf("%s is exported as csv or parquet, not %q", what, format)
}

// shapFrame is what export writes for an explanation, the columns of
// explain's WriteSHAPCSV: row, cluster, the cluster's name when clusters
// are named, expected_value and a SHAP value per feature, a row per
// explained row of each cluster.
func shapFrame(r *explain.Result, names Names) (*frame.Frame, error) {
	var rows, expected []float64
	var labels, named []string
	shap := make([][]float64, len(r.Features))
	for _, c := range r.Clusters {
		if c.Err != nil {
			continue
		}
		for i, row := range c.Rows {
			rows = append(rows, float64(row))
			labels = append(labels, c.Label)
			named = append(named, names.of(c.Label))
			expected = append(expected, c.Expected)
			for j, v := range c.SHAP.RawRowView(i) {
				shap[j] = append(shap[j], v)
			}
		}
	}
	cluster, err := frame.NewCategorical("cluster", labels, nil)
	if err != nil {
		return nil, err
	}
	cols := []*frame.Column{frame.NewNumeric("row", rows), cluster}
	if len(names) > 0 {
		valid := make([]bool, len(named))
		for i, n := range named {
			valid[i] = n != ""
		}
		name, err := frame.NewCategorical("name", named, valid)
		if err != nil {
			return nil, err
		}
		cols = append(cols, name)
	}
	cols = append(cols, frame.NewNumeric("expected_value", expected))
	for j, name := range r.Features {
		cols = append(cols, frame.NewNumeric(name, shap[j]))
	}
	f, err := frame.New(cols...)
	if err != nil {
		return nil, fmt.Errorf("the SHAP values cannot be written as Parquet, whose column names must differ: %w (rename the feature)", err)
	}
	return f, nil
}
