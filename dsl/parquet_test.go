package dsl

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/reckon-dev/reckon/analysis/frame"
)

// cells returns every column of a table as its name and formatted values,
// missing ones empty.
func cells(f *frame.Frame) [][]string {
	var out [][]string
	for _, c := range f.Columns() {
		col := []string{c.Name()}
		for i := 0; i < c.Len(); i++ {
			col = append(col, c.Format(i))
		}
		out = append(out, col)
	}
	return out
}

// Every value export writes as CSV it writes as Parquet too, and load reads
// the Parquet file back with the same cells as the CSV file.
func TestExportAndLoadParquet(t *testing.T) {
	s, dir := blobSession(t)
	tracks := filepath.Join(dir, "tracks.csv")
	if err := os.WriteFile(tracks, []byte(tracksCSV), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, _, err := run(t, s, `tracks = load("`+tracks+`")
emb = pca(select(pts, "x", "y"), seed=1)
cl = hdbscan(pts, min_cluster_size=20)
tree = recurse(pts, min_cluster_size=20, seed=1)
why = explain(cl, on=select(pts, "x", "y"), n_estimators=5, seed=1)`); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"tracks", "pts", "emb", "cl", "tree", "why"} {
		t.Run(name, func(t *testing.T) {
			csv, pq := filepath.Join(dir, name+".csv"), filepath.Join(dir, name+".parquet")
			_, rec, err := run(t, s, `export(`+name+`, to="`+csv+`")
export(`+name+`, to="`+pq+`")
a = load("`+csv+`")
b = load("`+pq+`")`)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(rec.stdout.String(), pq) {
				t.Errorf("export said %q", rec.stdout.String())
			}
			a, _ := s.Get("a")
			b, _ := s.Get("b")
			want, got := cells(a.(Tabular).Frame()), cells(b.(Tabular).Frame())
			if len(got) != len(want) || len(got[0]) < 2 {
				t.Fatalf("parquet %d columns, csv %d", len(got), len(want))
			}
			for j := range want {
				if strings.Join(got[j], "|") != strings.Join(want[j], "|") {
					t.Fatalf("column %d: parquet %.200q, csv %.200q", j, got[j], want[j])
				}
			}
		})
	}
	// A file that cannot be written is an error, whatever the value.
	for _, name := range []string{"tracks", "cl", "tree", "why"} {
		bad := filepath.Join(dir, "no such folder", name+".parquet")
		if _, _, err := run(t, s, `export(`+name+`, to="`+bad+`")`); err == nil || !strings.Contains(err.Error(), "no such file or directory") {
			t.Errorf("export(%s) to a missing folder: %v", name, err)
		}
	}
	// format= overrides the extension.
	odd := filepath.Join(dir, "pts.data")
	if _, _, err := run(t, s, `export(pts, to="`+odd+`", format="parquet")`); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(odd); !strings.HasPrefix(string(b), "PAR1") {
		t.Errorf("format=\"parquet\" wrote %.20q", b)
	}
	files, _ := os.ReadDir(dir)
	for _, f := range files {
		if strings.HasPrefix(f.Name(), ".") {
			t.Errorf("export left a temporary file %s", f.Name())
		}
	}
}

func TestParquetErrors(t *testing.T) {
	s, dir := dataSession(t)
	notParquet := filepath.Join(dir, "fake.parquet")
	if err := os.WriteFile(notParquet, []byte(tracksCSV), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ src, want string }{
		{`load("` + notParquet + `")`, "fake.parquet is not a Parquet file: it does not begin with the Parquet marker PAR1"},
		{`load("` + filepath.Join(dir, "none.parquet") + `")`, "none.parquet: no such file"},
		{`load("` + notParquet + `", sep=";")`, "sep applies to text files; a Parquet file has no separator"},
		{`export(tracks, to="x.feather", format="feather")`, `a table is exported as csv or parquet, not "feather"`},
	} {
		_, _, err := run(t, s, tc.src)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v, want %q", tc.src, err, tc.want)
		}
	}
	if v, ok := s.Get("tracks"); !ok || v.Type() != "table" {
		t.Error("the errors lost the table")
	}
	for _, cmd := range []string{"load", "export"} {
		res, _, err := run(t, s, "help("+cmd+")")
		if err != nil || !strings.Contains(res.Value.String(), "Parquet") || !strings.Contains(res.Value.String(), ".parquet") {
			t.Errorf("help(%s) does not document Parquet: %v\n%v", cmd, err, res.Value)
		}
	}
}
