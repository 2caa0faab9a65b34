package dsl

import (
	"fmt"
	"path/filepath"
	"strings"

	"github.com/reckon-dev/reckon/analysis/explain"
	"github.com/reckon-dev/reckon/analysis/frame"
	"github.com/reckon-dev/reckon/analysis/hdbscan"
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

// hdbscanFrame is what export writes for HDBSCAN clusters, the columns of
// hdbscan's WriteCSV: row, label, probability and outlier_score.
func hdbscanFrame(r *hdbscan.Result) (*frame.Frame, error) {
	rows := make([]float64, len(r.Labels))
	labels := make([]float64, len(r.Labels))
	for i, l := range r.Labels {
		rows[i], labels[i] = float64(i), float64(l)
	}
	return frame.New(frame.NewNumeric("row", rows), frame.NewNumeric("label", labels),
		frame.NewNumeric("probability", r.Probabilities), frame.NewNumeric("outlier_score", r.OutlierScores))
}

// shapFrame is what export writes for an explanation, the columns of
// explain's WriteSHAPCSV: row, cluster, expected_value and a SHAP value
// per feature, a row per explained row of each cluster.
func shapFrame(r *explain.Result) (*frame.Frame, error) {
	var rows, expected []float64
	var labels []string
	shap := make([][]float64, len(r.Features))
	for _, c := range r.Clusters {
		if c.Err != nil {
			continue
		}
		for i, row := range c.Rows {
			rows = append(rows, float64(row))
			labels = append(labels, c.Label)
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
	cols := []*frame.Column{frame.NewNumeric("row", rows), cluster, frame.NewNumeric("expected_value", expected)}
	for j, name := range r.Features {
		cols = append(cols, frame.NewNumeric(name, shap[j]))
	}
	f, err := frame.New(cols...)
	if err != nil {
		return nil, fmt.Errorf("the SHAP values cannot be written as Parquet, whose column names must differ: %w (rename the feature)", err)
	}
	return f, nil
}
