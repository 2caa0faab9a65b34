package dsl

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// missingSession loads a table whose column sex holds the category
// "missing" (12 rows), the text "NA" in quotes (6 rows) and missing
// values (6 rows), with two numeric features, as p.
func missingSession(t *testing.T) (*Session, string) {
	t.Helper()
	var b strings.Builder
	b.WriteString("sex,x,y\n")
	for i := 0; i < 48; i++ {
		sex := []string{"male", "missing", `"NA"`, "NA", "male", "missing", "female", "female"}[i%8]
		fmt.Fprintf(&b, "%s,%d,%d\n", sex, (i%8)*10+i%3, i%5)
	}
	dir := t.TempDir()
	p := filepath.Join(dir, "p.csv")
	if err := os.WriteFile(p, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	s := NewSession(NewRegistry(), Options{QuietProgress: true})
	if _, _, err := run(t, s, `p = load("`+p+`")`); err != nil {
		t.Fatal(err)
	}
	return s, dir
}

func plain(t *testing.T, s *Session, src string) string {
	t.Helper()
	res, _, err := run(t, s, src)
	if err != nil {
		t.Fatalf("%s: %v", src, err)
	}
	return Bundle(res.Value).Plain()
}

// A category called "missing", or spelled NA, never merges with missing
// values: not in tables, describe, onehot, explain or a CSV export.
func TestMissingValuesStayApartFromTexts(t *testing.T) {
	s, dir := missingSession(t)
	rows := func(text, label string) []string {
		return regexp.MustCompile(`(?m)^ *`+regexp.QuoteMeta(label)+` +\d+`).FindAllString(text, -1)
	}

	// The table shows the text NA in quotes and a missing value as NA.
	if got := plain(t, s, "head(p, 4)"); !strings.Contains(got, `"NA"`) || len(rows(got, "NA")) != 1 {
		t.Errorf("head(p, 4) does not tell the text \"NA\" from a missing value:\n%s", got)
	}
	// describe counts them apart.
	if got := plain(t, s, "describe(p)"); !strings.Contains(got, `"NA" (6)`) || !strings.Contains(got, "missing (12)") || !regexp.MustCompile(`sex +categorical +42 +6 `).MatchString(got) {
		t.Errorf("describe(p) merges texts and missing values:\n%s", got)
	}
	// onehot: a column per text, none for missing values.
	oh := plain(t, s, `describe(onehot(p, "sex"))`)
	for _, want := range []string{"sex_missing", "sex_NA", "sex_male", "sex_female"} {
		if !strings.Contains(oh, want) {
			t.Errorf("onehot(p, \"sex\") lacks %s:\n%s", want, oh)
		}
	}
	if got := plain(t, s, `where(onehot(p, "sex"), "sex_missing", "==", true)`); !strings.Contains(got, "12 rows") {
		t.Errorf("sex_missing is true on other than the 12 rows of the category:\n%s", got)
	}
	// explain: the 12 rows of the category and the 6 missing ones are
	// two groups.
	why := plain(t, s, `explain(p.sex, on=select(p, "x", "y"), n_estimators=5, folds=2, seed=1)`)
	if got := rows(why, "missing"); len(got) != 1 || !strings.HasSuffix(got[0], " 12") {
		t.Errorf("explain names the category missing as %q:\n%s", got, why)
	}
	if got := rows(why, "NA"); len(got) != 1 || !strings.HasSuffix(got[0], " 6") {
		t.Errorf("explain names the missing values as %q:\n%s", got, why)
	}
	if got := rows(why, `"NA"`); len(got) != 1 || !strings.HasSuffix(got[0], " 6") {
		t.Errorf("explain names the text NA as %q:\n%s", got, why)
	}
	// A CSV export reads back as it was.
	out := filepath.Join(dir, "out.csv")
	if _, _, err := run(t, s, `export(p, to="`+out+`")`+"\n"+`q = load("`+out+`")`); err != nil {
		t.Fatal(err)
	}
	if a, b := plain(t, s, "describe(p)"), plain(t, s, "describe(q)"); a != b {
		t.Errorf("the export reads back as\n%s\nnot\n%s", b, a)
	}
	if a, b := plain(t, s, "head(p, 48)"), plain(t, s, "head(q, 48)"); a != b {
		t.Errorf("the export reads back as\n%s\nnot\n%s", b, a)
	}
}

// A column's values are groups as they are: no dots nest, and a value
// called noise is explained like any other.
func TestExplainTakesAColumnsValuesAsTheyAre(t *testing.T) {
	var b strings.Builder
	b.WriteString("grp,x\n")
	for i := 0; i < 30; i++ {
		fmt.Fprintf(&b, "%s,%d\n", []string{"a", "a.b", "noise"}[i%3], i%3*10+i%4)
	}
	p := filepath.Join(t.TempDir(), "g.csv")
	if err := os.WriteFile(p, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	s := NewSession(NewRegistry(), Options{QuietProgress: true})
	if _, _, err := run(t, s, `g = load("`+p+`")`); err != nil {
		t.Fatal(err)
	}
	why := plain(t, s, `explain(g.grp, on=select(g, "x"), n_estimators=5, folds=2, seed=1)`)
	for _, label := range []string{"a", "a.b", "noise"} {
		if !regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(label) + ` +10 +20 `).MatchString(why) {
			t.Errorf("explain(g.grp) lacks group %s of 10 rows against 20:\n%s", label, why)
		}
	}
}
