package dsl

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/reckon-dev/reckon/analysis/explain"
)

func TestExplainAndItsPlots(t *testing.T) {
	s, dir := blobSession(t)
	if _, _, err := run(t, s, "cl = hdbscan(pts, min_cluster_size=20)\nwhy = explain(cl, on=pts, n_estimators=20, seed=1)"); err != nil {
		t.Fatal(err)
	}
	csv, models := filepath.Join(dir, "shap.csv"), filepath.Join(dir, "models")
	tests := []struct {
		src  string
		want string
	}{
		{"why", "cluster  size  against  CV AUC"},
		{"why", "0         100      203   0.9"},
		{"explain(cl, on=pts, n_estimators=20, train_rows=150, seed=1)", "0         100      203   0.9"},
		{"shap_summary(why, cluster=\"0\")", "Cluster 0: 100 members and 100 other rows: SHAP summary (beeswarm) of 200 rows"},
		{"shap_summary(why, cluster=0)", "high values raise the output"},
		{"shap_bar(why, cluster=1)", "Bar chart of mean |SHAP| over 100 rows"},
		{"shap_dependence(why, cluster=2, feature=\"y\")", "dependence plot of y over 200 rows"},
		{"shap_waterfall(why, row=0)", "SHAP waterfall for row 0"},
		{"shap_waterfall(why, row=0, cluster=1)", "SHAP waterfall for row 0"},
		{"explain(pts.x > 5, on=pts)", ""},
	}
	for _, tc := range tests[:len(tests)-1] {
		res, _, err := run(t, s, tc.src)
		if err != nil {
			t.Fatalf("%s: %v", tc.src, err)
		}
		if got := Bundle(res.Value).Plain(); !strings.Contains(got, tc.want) {
			t.Errorf("%s lacks %q:\n%s", tc.src, tc.want, got)
		}
	}
	one := filepath.Join(dir, "cluster1.json")
	_, rec, err := run(t, s, "export(why, to=\""+csv+"\")\nexport(why, to=\""+models+"\", format=\"xgboost\")\nexport(why[\"1\"], to=\""+one+"\", format=\"xgboost\")")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(rec.stdout.String(), "wrote 3 XGBoost models") {
		t.Errorf("export said %q", rec.stdout.String())
	}
	b, _ := os.ReadFile(csv)
	if !strings.HasPrefix(string(b), "row,cluster,expected_value,x,y\n") || strings.Count(string(b), "\n") != 301 {
		t.Errorf("SHAP CSV: %.80q… (%d lines)", b, strings.Count(string(b), "\n"))
	}
	if files, _ := os.ReadDir(models); len(files) != 4 {
		t.Errorf("%d files beside the models, want 3 and models.json", len(files))
	}
	// models.json leads from the labels shap.csv shows to the model files.
	var index explain.Index
	if b, err := os.ReadFile(filepath.Join(models, "models.json")); err != nil || json.Unmarshal(b, &index) != nil {
		t.Fatalf("models.json: %v", err)
	}
	for _, m := range index.Models {
		if !strings.Contains(string(b), ","+m.Label+",") {
			t.Errorf("models.json names cluster %q, which shap.csv lacks", m.Label)
		}
		if _, err := os.Stat(filepath.Join(models, m.File)); err != nil {
			t.Errorf("models.json: %v", err)
		}
	}
	if len(index.Models) != 3 || !slices.Equal(index.Features, []string{"x", "y"}) {
		t.Errorf("models.json: %+v", index)
	}
	want, _ := os.ReadFile(filepath.Join(models, "cluster_1.json"))
	if got, err := os.ReadFile(one); err != nil || string(got) != string(want) {
		t.Errorf("why[\"1\"] exported alone differs from its file among all models (%v)", err)
	}
	res, _, err := run(t, s, "why[1]")
	if err != nil || !strings.HasPrefix(res.Value.String(), "gradient-boosted classifier of cluster 1 against 203 rows: 20 trees over 2 features") {
		t.Errorf("why[1]: %v %v", err, res.Value)
	}
	if _, _, err := run(t, s, "why[\"9\"]"); err == nil || !strings.Contains(err.Error(), `no cluster "9" was explained`) {
		t.Errorf("why[9]: %v", err)
	}
}

func TestExplainErrors(t *testing.T) {
	s, dir := blobSession(t)
	os.WriteFile(filepath.Join(dir, "c.csv"), []byte("g,v\na,1\nb,2\na,3\nb,4\n"), 0o644)
	if _, _, err := run(t, s, "cl = hdbscan(pts, min_cluster_size=20)\nwhy = explain(cl, on=pts, n_estimators=5)\nsmall = load(\""+filepath.Join(dir, "c.csv")+"\")"); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ src, kind, want string }{
		{"shap_summary(why, cluster=\"7\")", ValueError, `no cluster "7" was explained`},
		{"shap_waterfall(why, row=300)", ValueError, "row 300 was not explained"},
		{"shap_dependence(why, cluster=0, feature=\"z\")", CommandError, "z"},
		{"explain(cl, on=small)", ValueError, "the clusters label 303 rows but on has 4"},
		{"explain(small.g, on=small)", CommandError, `column "g" is categorical`},
		{"explain(cl, on=pts, folds=1)", ValueError, "folds must be a whole number of at least 2"},
		{"explain(cl, on=pts, learning_rate=2)", ValueError, "learning_rate must be in (0, 1]"},
		{"explain(cl, on=pts, train_rows=9)", ValueError, "train_rows must be a whole number of at least 10"},
		{"explain(cl, on=pts, folds=3, train_rows=5)", ValueError, "train_rows must be a whole number of at least 6"},
		{"explain(cl, on=pts, features=[\"x\", 3])", ValueError, "features must list column names"},
		{"explain(cl, on=pts, against=\"all\")", ValueError, `must be one of "siblings", "whole"`},
	} {
		_, _, err := run(t, s, tc.src)
		var e *Error
		if !errors.As(err, &e) || e.Kind != tc.kind || !strings.Contains(e.Msg, tc.want) {
			t.Errorf("%s: %v, want %s containing %q", tc.src, err, tc.kind, tc.want)
		}
	}
	// A category with fewer members than folds is reported, not fatal.
	res, _, err := run(t, s, "explain(small.g, on=select(small, \"v\"), folds=3)")
	if err != nil || !strings.Contains(res.Value.String(), "not explained: explain: cluster a has 2 members, fewer than the 3 folds") {
		t.Errorf("small categories: %v\n%v", err, res.Value)
	}
}
