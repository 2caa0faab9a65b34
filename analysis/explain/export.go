package explain

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"math"
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

// IndexFile is the index WriteModels writes beside the models.
const IndexFile = "models.json"

// Index is the content of IndexFile: which file holds which cluster's
// model (file names cannot hold every label), in what feature order the
// models read their input, and how their output reads.
type Index struct {
	// Objective is XGBoost's objective: binary:logistic, the probability
	// of membership.
	Objective string `json:"objective"`
	// Features are the models' input columns, in order.
	Features []string `json:"features"`
	// Against is what each cluster was told apart from: "siblings" or
	// "whole".
	Against string        `json:"against"`
	Models  []IndexRecord `json:"models"`
}

// IndexRecord is one model of an Index.
type IndexRecord struct {
	// Label is the cluster's label, as shap.csv and the explain table show it.
	Label string `json:"label"`
	// File is the model's file name, in the index's folder.
	File string `json:"file"`
	// BaseScore is the probability every row starts from; ExpectedValue
	// is the mean margin (log-odds) output over the rows explained, which
	// the SHAP values of a row add to.
	BaseScore     float64 `json:"base_score"`
	ExpectedValue float64 `json:"expected_value"`
	// Size is the number of members and CVAUC the cross-validated AUC,
	// null when it could not be measured.
	Size  int      `json:"size"`
	CVAUC *float64 `json:"cv_auc"`
}

// WriteModels writes the model of every explained cluster into dir
// (created when missing) in XGBoost's JSON model format, named by
// ModelFile, with the index IndexFile beside them, and returns the paths
// of the models written. In Python, xgboost.Booster().load_model(path)
// loads one; the models carry the feature names, so predict on a DMatrix
// with the same column names.
func WriteModels(dir string, r *Result) ([]string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("explain: %w", err)
	}
	var paths []string
	index := Index{Objective: "binary:logistic", Features: r.Features, Against: r.Against.String(), Models: []IndexRecord{}}
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
		index.Models = append(index.Models, IndexRecord{
			Label: c.Label, File: name, BaseScore: c.Model.BaseScore, ExpectedValue: c.Expected,
			Size: c.Size, CVAUC: measured(c.CVAUC),
		})
	}
	b, err := json.MarshalIndent(index, "", "  ")
	if err != nil {
		return paths, fmt.Errorf("explain: %w", err)
	}
	if err := os.WriteFile(filepath.Join(dir, IndexFile), append(b, '\n'), 0o644); err != nil {
		return paths, fmt.Errorf("explain: %w", err)
	}
	return paths, nil
}

// measured is v, or nil (JSON's null; JSON has no NaN) when it is NaN.
func measured(v float64) *float64 {
	if math.IsNaN(v) {
		return nil
	}
	return &v
}
