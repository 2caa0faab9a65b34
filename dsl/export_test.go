package dsl

import (
	"encoding/csv"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestTableLikeResultsExportAsCSV exports every table-like result and reads
// the file back: a header and one row per row shown, numbers as numbers.
func TestTableLikeResultsExportAsCSV(t *testing.T) {
	s, dir := blobSession(t)
	if _, _, err := run(t, s, "cl = hdbscan(pts, min_cluster_size=20)"); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		value  string
		header string
		rows   int
		row    []string // one row the file must hold
	}{
		{"describe(pts)", "column,type,count,missing,mean,std,min,25%,50%,75%,max,top values", 2, nil},
		{"clusters(cl)", "cluster,size,share,persistence,mean probability", 4, []string{"noise", "3"}},
		{"sweep(pts, min_cluster_size=[10, 20])", "min_cluster_size,clusters,noise,largest cluster,ARI with next value", 2, []string{"20", "3"}},
		{"stability(pca(pts), runs=2, min_cluster_size=20)", "cluster,size,mean Jaccard,min Jaccard,verdict", 3, []string{"0", "100", "1", "1", "stable"}},
		{"vars()", "name,type,size", 2, []string{"pts", "table", "303 rows × 2 columns"}},
	}
	for i, tc := range tests {
		t.Run(tc.value, func(t *testing.T) {
			out := filepath.Join(dir, "t"+string(rune('0'+i))+".csv")
			_, rec, err := run(t, s, "export("+tc.value+`, to="`+out+`")`)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.HasPrefix(rec.stdout.String(), "wrote a table of ") {
				t.Errorf("export said %q", rec.stdout.String())
			}
			f, err := os.Open(out)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			recs, err := csv.NewReader(f).ReadAll()
			if err != nil {
				t.Fatal(err)
			}
			if strings.Join(recs[0], ",") != tc.header || len(recs) != tc.rows+1 {
				t.Fatalf("header %q and %d rows, want %q and %d", recs[0], len(recs)-1, tc.header, tc.rows)
			}
			if tc.row == nil {
				return
			}
			for _, r := range recs[1:] {
				if strings.HasPrefix(strings.Join(r, ","), strings.Join(tc.row, ",")) {
					return
				}
			}
			t.Errorf("no row begins %q in %q", tc.row, recs[1:])
		})
	}
	// describe writes numbers in full, where it shows six digits.
	out := filepath.Join(dir, "describe.csv")
	if _, _, err := run(t, s, `export(describe(select(pts, "x")), to="`+out+`")`); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(out)
	fields := strings.Split(strings.Split(string(b), "\n")[1], ",")
	if fields[2] != "303" || len(strings.TrimPrefix(fields[4], "-")) < 10 {
		t.Errorf("describe's CSV row %q: count or mean not in full", fields)
	}
	if _, _, err := run(t, s, `export(describe(pts), to="`+out+`", format="xgboost")`); err == nil || !strings.Contains(err.Error(), "a table is exported as csv, not \"xgboost\"") {
		t.Errorf("format xgboost: %v", err)
	}
}
