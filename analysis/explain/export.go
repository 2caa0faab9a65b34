package explain

import (
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// WriteSHAPCSV writes the SHAP values of every explained cluster as CSV:
// a header "row,cluster,expected_value,<feature>...", then one line per
// explained row of each cluster with the row's index in the data, the
// cluster's label, its expected value and the row's value per feature.
// A row explained in several clusters ("3" and "3.1") has a line for each.
// When names (cluster labels to names) are given, a "name" column follows
// "cluster", empty for the clusters without a name.
func WriteSHAPCSV(w io.Writer, r *Result, names map[string]string) error {
	cw := csv.NewWriter(w)
	lead := []string{"row", "cluster", "expected_value"}
	if len(names) > 0 {
		lead = []string{"row", "cluster", "name", "expected_value"}
	}
	k := len(lead)
	header := append(lead, r.Features...)
	if err := cw.Write(header); err != nil {
		return fmt.Errorf("explain: writing SHAP values: %w", err)
	}
	format := func(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }
	line := make([]string, len(header))
	for _, c := range r.Clusters {
		if c.Err != nil {
			continue
		}
		for i, row := range c.Rows {
			line[0], line[1], line[k-1] = strconv.Itoa(row), c.Label, format(c.Expected)
			if k == 4 {
				line[2] = names[c.Label]
			}
			for j, v := range c.SHAP.RawRowView(i) {
				line[k+j] = format(v)
			}
			if err := cw.Write(line); err != nil {
				return fmt.Errorf("explain: writing SHAP values: %w", err)
			}
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("explain: writing SHAP values: %w", err)
	}
	return nil
}

// ModelFile is the name WriteModels gives the model of a cluster:
// "cluster_<label>.json", with characters other than letters, digits,
// '.', '-' and '_' replaced by '_'.
func ModelFile(label string) string {
	clean := strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '.', r == '-', r == '_':
			return r
		}
		return '_'
	}, label)
	return "cluster_" + clean + ".json"
}

// WriteModels writes the model of every explained cluster into dir
// (created when missing) in XGBoost's JSON model format, named by
// ModelFile, and returns the paths written. In Python,
// xgboost.Booster().load_model(path) loads one; the models carry the
// feature names, so predict on a DMatrix with the same column names.
func WriteModels(dir string, r *Result) ([]string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("explain: %w", err)
	}
	var paths []string
	seen := map[string]string{}
	for _, c := range r.Clusters {
		if c.Err != nil {
			continue
		}
		name := ModelFile(c.Label)
		if other, ok := seen[name]; ok {
			return paths, fmt.Errorf("explain: clusters %q and %q would both be written to %s", other, c.Label, name)
		}
		seen[name] = c.Label
		path := filepath.Join(dir, name)
		if err := c.Model.SaveXGBoost(path); err != nil {
			return paths, fmt.Errorf("explain: cluster %s: %w", c.Label, err)
		}
		paths = append(paths, path)
	}
	return paths, nil
}
