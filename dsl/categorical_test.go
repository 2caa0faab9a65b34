package dsl

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestCategoricalEncodesIntegerCodes(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "bc.csv")
	if err := os.WriteFile(p, []byte("Id,Mitoses,Class\n1,1,benign\n2,10,malignant\n3,2,benign\n4,NA,benign\n5,1,malignant\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	s := NewSession(NewRegistry(), Options{QuietProgress: true})
	if _, _, err := run(t, s, `bc = load("`+p+`")`+"\n"+`bc2 = load("`+p+`", categorical=[bc.Mitoses, "Id"])`); err != nil {
		t.Fatal(err)
	}
	// onehot of the numeric column says what to do.
	_, _, err := run(t, s, `onehot(bc, "Mitoses")`)
	for _, want := range []string{`categorical(data, "Mitoses")`, `categorical=["Mitoses"]`, `astype("category")`} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("onehot(bc, \"Mitoses\") gave %v, want it to mention %s", err, want)
		}
	}
	for _, src := range []string{`onehot(categorical(bc, "Mitoses"), "Mitoses")`, `onehot(bc2, "Mitoses")`} {
		got := plain(t, s, "describe("+src+")")
		for _, want := range []string{"Mitoses_1 ", "Mitoses_2 ", "Mitoses_10 ", "true (2)"} {
			if !strings.Contains(got, want) {
				t.Errorf("%s lacks %q:\n%s", src, want, got)
			}
		}
		if strings.Contains(got, "Mitoses_NA") {
			t.Errorf("%s encodes the missing value:\n%s", src, got)
		}
	}
	if got := plain(t, s, "describe(bc2)"); !strings.Contains(got, "Id       categorical") {
		t.Errorf("load(..., categorical=[..., \"Id\"]) left Id numeric:\n%s", got)
	}
	for src, want := range map[string]string{
		`categorical(bc)`:                            "categorical needs the names of the columns",
		`categorical(bc, "Mitosis")`:                 `did you mean "Mitoses"`,
		`load("` + p + `", categorical=[1])`:         "categorical must list column names, not",
		`load("` + p + `", categorical=["Mitosis"])`: `did you mean "Mitoses"`,
	} {
		if _, _, err := run(t, s, src); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s gave %v, want %q", src, err, want)
		}
	}
}
