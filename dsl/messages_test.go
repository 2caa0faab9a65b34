package dsl

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// bcCSV is shaped like mlbench's BreastCancer and Palmer penguins: a column
// whose name holds a dot, integer-coded categories, and missing values.
const bcCSV = `Id,Cl.thickness,Mitoses,bill_length_mm
1,5,1,39.1
2,3,1,
3,6,2,40.3
4,4,1,
5,8,3,36.7
`

func bcSession(t *testing.T) (*Session, string) {
	return csvSession(t, "bc", bcCSV, "row = head(bc, 1)\none = [7]\nX = select(bc, \"Id\", \"Mitoses\")")
}

// TestMessagesSayWhatIsTrue checks the exact messages of defect 8 of
// issue 11: the real bound, the index as written, singular forms, the
// column whose name holds a dot, and numbers a command cannot take.
func TestMessagesSayWhatIsTrue(t *testing.T) {
	s, _ := bcSession(t)
	tests := []struct {
		src  string
		kind string
		msg  string
	}{
		{`pca(X, n_components=1e12)`, ValueError, "n_components must be at most 2, not 1000000000000; PCA keeps no more components than the data have rows or columns (5 × 2)"},
		{`umap(X, n_components=1e12)`, ValueError, "n_components must be at most 4, not 1000000000000; an embedding has fewer dimensions than the data have rows (5)"},
		{`hdbscan(X, min_cluster_size=1e12)`, ValueError, "min_cluster_size must be at most 2,147,483,647, not 1000000000000"},
		{`one[-1e300]`, ValueError, "index -1e+300 is out of range for a list of 1 item"},
		{`one[3]`, ValueError, "index 3 is out of range for a list of 1 item"},
		{`bc.Cl.thickness`, NameError, "a table has no `Cl`, but it has `Cl.thickness`, whose name holds a dot: write bc[\"Cl.thickness\"]"},
		{`sleep(1e308 * 10 - 1e308 * 10)`, ValueError, "seconds must be between 0 and a week, not nan"},
		{`sample(bc, 2, seed=1e300)`, ValueError, "seed must be a whole number from 0 to 9,007,199,254,740,992, not 1e+300"},
		{`sample(bc, 2, seed=-1)`, ValueError, "seed must be a whole number from 0 to 9,007,199,254,740,992, not -1"},
		{`sample(bc, 2, seed=9007199254740994)`, ValueError, "seed must be a whole number from 0 to 9,007,199,254,740,992, not 9.007199254740994e+15"},
	}
	for _, tc := range tests {
		t.Run(tc.src, func(t *testing.T) {
			_, _, err := run(t, s, tc.src)
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("got %v, want a %s", err, tc.kind)
			}
			if e.Kind != tc.kind || tc.msg != "" && e.Msg != tc.msg {
				t.Errorf("got %s: %s\nwant %s: %s", e.Kind, e.Msg, tc.kind, tc.msg)
			}
		})
	}
	for src, want := range map[string]string{
		`row`:               "1 row × 4 columns",
		`select(row, "Id")`: "1 row × 1 column",
		`help(one)`:         "a list (1 item)",
	} {
		res, _, err := run(t, s, src)
		if err != nil {
			t.Fatal(err)
		}
		if got := res.Value.String(); !strings.Contains(got, want) {
			t.Errorf("%s shows\n%s\nwant it to contain %q", src, got, want)
		}
	}
}

// TestUsersReadOneSentence checks how a failed command's error reaches the
// user: the command's name once, then the innermost sentence, without the
// names of the packages it passed through; the chain stays for programmers.
func TestUsersReadOneSentence(t *testing.T) {
	inner := errors.New(`column "bill_length_mm" has 2 missing values`)
	tests := []struct {
		name string
		err  error
		want string
	}{
		{"umap", fmt.Errorf("umap: %w", fmt.Errorf("frame: %w", inner)), `umap: column "bill_length_mm" has 2 missing values`},
		{"onehot", fmt.Errorf("onehot: %w", fmt.Errorf("frame: onehot: %w", inner)), `onehot: column "bill_length_mm" has 2 missing values`},
		{"sweep", fmt.Errorf("min_cluster_size=5: %w", fmt.Errorf("hdbscan: %w", inner)), `sweep: min_cluster_size=5: column "bill_length_mm" has 2 missing values`},
		{"explain", fmt.Errorf("explain: cluster 3: gbt: %w", inner), `explain: cluster 3: column "bill_length_mm" has 2 missing values`},
		{"load", fmt.Errorf("frame: %w", &os.PathError{Op: "open", Path: "data/x.csv", Err: os.ErrNotExist}), "load: open data/x.csv: file does not exist"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			reg := newCoreRegistry()
			reg.Register(&Command{Name: tc.name, Group: "basics", Summary: "fails", Run: func(context.Context, *Call) (Value, error) { return nil, tc.err }})
			_, _, err := run(t, NewSession(reg, Options{}), tc.name+"()")
			var e *Error
			if !errors.As(err, &e) || e.Kind != CommandError || e.Msg != tc.want {
				t.Fatalf("got %v, want CommandError %q", err, tc.want)
			}
			if !errors.Is(err, tc.err) {
				t.Error("the *Error lost the command's error chain")
			}
		})
	}
}

// TestRealCommandsNameTheCommandAndColumnOnce runs commands that fail on
// real data and checks the shape of what the user reads.
func TestRealCommandsNameTheCommandAndColumnOnce(t *testing.T) {
	s, _ := bcSession(t)
	pkg := regexp.MustCompile(`\b(frame|umap|hdbscan|pca|knn|gbt|shap|explain|recursive|stability|metrics|kmeans): `)
	tests := []struct{ src, command, column string }{
		{`onehot(bc, "Mitoses")`, "onehot", "Mitoses"},
		{`umap(bc)`, "umap", "bill_length_mm"},
		{`pca(bc)`, "pca", "bill_length_mm"},
		{`hdbscan(bc)`, "hdbscan", "bill_length_mm"},
		{`recurse(bc)`, "recurse", "bill_length_mm"},
		{`kmeans(bc, k=2)`, "kmeans", "bill_length_mm"},
		{`stability(bc)`, "stability", "bill_length_mm"},
	}
	for _, tc := range tests {
		t.Run(tc.src, func(t *testing.T) {
			_, _, err := run(t, s, tc.src)
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("got %v", err)
			}
			// The command opens the message once; the column is named
			// (a suggested fix may name it again, as in categorical(t, "c")).
			if !strings.HasPrefix(e.Msg, tc.command+": ") || strings.Count(e.Msg, tc.command+": ") != 1 {
				t.Errorf("%q does not open with %s once", e.Msg, tc.command)
			}
			if !strings.HasPrefix(strings.TrimPrefix(e.Msg, tc.command+": "), `column "`+tc.column+`"`) {
				t.Errorf("%q does not name the column %s first", e.Msg, tc.column)
			}
			if m := pkg.FindString(strings.TrimPrefix(e.Msg, tc.command+": ")); m != "" {
				t.Errorf("%q names the package %q", e.Msg, m)
			}
		})
	}
}

// TestPackageNamesListsEveryPackage keeps userMessage's list in step with
// the packages that exist.
func TestPackageNamesListsEveryPackage(t *testing.T) {
	for _, root := range []string{"../analysis", "../display"} {
		err := filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
			if err != nil || !d.IsDir() || d.Name() == "testdata" || strings.HasPrefix(path, filepath.Join(root, "testdata")) {
				return err
			}
			if strings.Contains(path, "testdata") || d.Name() == "internal" || d.Name() == "xgbtest" {
				return nil
			}
			if files, _ := filepath.Glob(filepath.Join(path, "*.go")); len(files) > 0 && !packageNames[d.Name()] {
				t.Errorf("package %s is missing from packageNames", path)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
}
