package dsl

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

const tracksCSV = `track_id,genre,energy,tempo,acoustic,energy level
1,rock,0.9,120,false,high
2,pop,0.7,100,false,mid
3,jazz,0.2,,true,low
4,rock,0.8,130,false,high
5,jazz,0.3,90,true,low
6,pop,0.6,110,NA,mid
`

// dataSession is a session with every command and a small tracks table
// loaded as tracks.
func dataSession(t *testing.T) (*Session, string) {
	return csvSession(t, "tracks", tracksCSV, "")
}

// csvSession is a session with every command that has loaded content as
// the table name, then run more; it returns the folder of the file.
func csvSession(t *testing.T, name, content, more string) (*Session, string) {
	t.Helper()
	dir := t.TempDir()
	p := filepath.Join(dir, name+".csv")
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	s := NewSession(NewRegistry(), Options{QuietProgress: true})
	if _, _, err := run(t, s, name+` = load("`+p+`")`+"\n"+more); err != nil {
		t.Fatal(err)
	}
	return s, dir
}

func TestDataCommands(t *testing.T) {
	s, _ := dataSession(t)
	tests := []struct {
		src  string
		want []string // parts of the value's text
	}{
		{"tracks", []string{"track_id  genre  energy  tempo  acoustic  energy level", "       3  jazz      0.2     NA  true      low", "6 rows × 6 columns"}},
		{"describe(tracks)", []string{"energy        numeric", "0.583333", "genre         categorical", "rock (2), pop (2), jazz (2)", "tempo", "1        "}},
		{"select(tracks, \"genre\", tracks.energy)", []string{"genre  energy", "6 rows × 2 columns"}},
		{"drop(tracks, \"track_id\", \"energy level\")", []string{"genre  energy  tempo  acoustic\n", "6 rows × 4 columns"}},
		{"where(tracks, tracks.energy > 0.65)", []string{"3 rows × 6 columns"}},
		{"where(tracks, 0.65 < tracks.energy)", []string{"3 rows × 6 columns"}},
		{"where(tracks, tracks.genre == [\"jazz\", \"pop\"])", []string{"4 rows × 6 columns"}},
		{"where(tracks, \"genre\", \"in\", [\"rock\"])", []string{"2 rows × 6 columns"}},
		{"where(tracks, \"tempo\", \">=\", 110)", []string{"3 rows × 6 columns"}},
		{"where(tracks, tracks.acoustic == true)", []string{"2 rows × 6 columns"}},
		{"head(tracks, 2)", []string{"2 rows × 6 columns"}},
		{"sample(tracks, 3, seed=4)", []string{"3 rows × 6 columns"}},
		{"tracks[\"energy level\"]", []string{`column "energy level" (categorical, 6 values, 3 levels)`}},
		{"tracks.tempo", []string{`column "tempo" (numeric, 6 values, 1 missing)`}},
		{"standardize(select(tracks, \"energy\"))", []string{"1.24473", "-1.50678"}},
		{"onehot(select(tracks, \"genre\"))", []string{"genre_jazz  genre_pop  genre_rock", "false       false      true"}},
		{"impute(select(tracks, \"genre\", \"acoustic\"), strategy=\"most_frequent\")", []string{"6 rows × 2 columns"}},
		{"pca(select(tracks, \"energy\", \"track_id\"), n_components=2)", []string{"PCA of 6 × 2 (full SVD): PC1 ", "PC1", "PC2"}},
	}
	for _, tc := range tests {
		t.Run(tc.src, func(t *testing.T) {
			res, _, err := run(t, s, tc.src)
			if err != nil {
				t.Fatal(err)
			}
			got := res.Value.String()
			for _, w := range tc.want {
				if !strings.Contains(got, w) {
					t.Errorf("lacks %q:\n%s", w, got)
				}
			}
		})
	}
}

func TestDataErrorsSayWhatToDo(t *testing.T) {
	s, dir := dataSession(t)
	bad := filepath.Join(dir, "ragged.csv")
	os.WriteFile(bad, []byte("a,b\n1,2\n3\n"), 0o644)
	tests := []struct {
		src  string
		kind string
		col  int
		want string
	}{
		{`load("` + filepath.Join(dir, "nope.csv") + `")`, CommandError, 1, "nope.csv"},
		{`load("` + bad + `")`, CommandError, 1, "ragged.csv:3: the line has 1 field but the header names 2 columns"},
		{`select(tracks, "energi")`, CommandError, 1, `did you mean "energy"?`},
		{`tracks.energi`, NameError, 8, "did you mean `energy`?"},
		{`pca(tracks)`, CommandError, 1, `column "genre" is categorical; one-hot encode it with onehot, or drop it`},
		{`pca(select(tracks, "tempo"))`, CommandError, 1, `column "tempo" has 1 missing value; fill them with impute`},
		{`where(tracks, "energy")`, ValueError, 15, "needs op and value too"},
		{`where(tracks, "energy", "~", 1)`, ValueError, 25, `must be one of "==", "!=", "<", "<=", ">", ">=", "in"`},
		{`sample(tracks, -1)`, ValueError, 16, "at least 0"},
		{`impute(tracks, strategy="mode")`, ValueError, 16, `must be one of "median", "mean", "most_frequent", "constant", not "mode"`},
		{`tracks.energy + 1`, ValueError, 15, "not combined with `+`"},
		{`plot(tracks)`, ValueError, 6, "reduce them with pca or umap first"},
		{`plot(pca(select(tracks, "energy", "track_id")), color=[1, 2])`, ValueError, 49, "color has 2 values but the data have 6 points"},
		{`transform(pca(select(tracks, "energy", "track_id")), select(tracks, "energy"))`, ValueError, 54, "1 column, but the embedding was made from 2"},
		{`export(3, to="x.csv")`, ValueError, 8, "cannot be exported"},
	}
	for _, tc := range tests {
		t.Run(tc.src, func(t *testing.T) {
			_, _, err := run(t, s, tc.src)
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("error %v", err)
			}
			if e.Kind != tc.kind || e.Pos.Col != tc.col || !strings.Contains(e.Msg, tc.want) {
				t.Errorf("got %s at column %d: %s\nwant %s at column %d containing %q", e.Kind, e.Pos.Col, e.Msg, tc.kind, tc.col, tc.want)
			}
		})
	}
	if v, ok := s.Get("tracks"); !ok || v.Type() != "table" {
		t.Error("the errors lost the table")
	}
}

func TestPCATransformExportPlot(t *testing.T) {
	s, dir := dataSession(t)
	out := filepath.Join(dir, "emb.csv")
	res, rec, err := run(t, s, `X = select(tracks, "energy", "track_id")
emb = pca(X, seed=1)
again = transform(emb, X)
export(again, to="`+out+`")
plot(emb, color=tracks.genre, title="tracks")`)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(rec.stdout.String(), "wrote 6 rows × 2 columns to "+out) {
		t.Errorf("export said %q", rec.stdout.String())
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if lines := strings.Split(strings.TrimSpace(string(b)), "\n"); len(lines) != 7 || lines[0] != "PC1,PC2" {
		t.Errorf("exported %q", b)
	}
	emb, _ := s.Get("emb")
	again, _ := s.Get("again")
	if emb.String()[strings.Index(emb.String(), "\n"):] != again.String()[strings.Index(again.String(), "\n"):] {
		t.Errorf("transform of the fitted rows differs from the fit:\n%s\n%s", emb, again)
	}
	bundle := Bundle(res.Value)
	if _, ok := bundle.Data["image/png"]; !ok || !strings.Contains(bundle.Plain(), "6 points coloured by genre") {
		t.Errorf("plot: %v", bundle.Plain())
	}
	files, _ := os.ReadDir(dir)
	for _, f := range files {
		if strings.HasPrefix(f.Name(), ".") {
			t.Errorf("export left a temporary file %s", f.Name())
		}
	}
}

func TestLoadStopsOnInterrupt(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "big.csv")
	var b strings.Builder
	b.WriteString("a,b\n")
	for i := 0; i < 200000; i++ {
		b.WriteString("1.5,2.5\n")
	}
	os.WriteFile(p, []byte(b.String()), 0o644)
	s := NewSession(NewRegistry(), Options{})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := s.Run(ctx, `u = load("`+p+`")`, &recorder{}); err == nil || !strings.Contains(err.Error(), "interrupted") {
		t.Errorf("a cancelled load: %v", err)
	}
	if _, ok := s.Get("u"); ok {
		t.Error("a cancelled load assigned its variable")
	}
}

// column returns a column of a table value as text, NA for missing.
func column(t *testing.T, v Value, name string) []string {
	t.Helper()
	tab, ok := v.(Tabular)
	if !ok {
		t.Fatalf("%s is not a table", describeValue(v))
	}
	c, err := tab.Frame().Column(name)
	if err != nil {
		t.Fatal(err)
	}
	out := make([]string, c.Len())
	for i := range out {
		out[i] = "NA"
		if !c.IsMissing(i) {
			out[i] = formatCell(c, i)
		}
	}
	return out
}

// TestTransformsChangeTheValues checks values that only a working impute,
// standardize and onehot produce: the filled value lands where the input
// was missing (and differs by strategy), z-scores have mean 0 and standard
// deviation 1, and each dummy column is true exactly on its value's rows.
func TestTransformsChangeTheValues(t *testing.T) {
	s, dir := dataSession(t)
	p := filepath.Join(dir, "gaps.csv")
	os.WriteFile(p, []byte("v,g\n1,a\n2,b\n,\n10,b\n"), 0o644)
	if _, _, err := run(t, s, `gaps = load("`+p+`")`); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		src, column string
		want        []string
	}{
		{`tracks`, "tempo", []string{"120", "100", "NA", "130", "90", "110"}},
		{`impute(select(tracks, "tempo"))`, "tempo", []string{"120", "100", "110", "130", "90", "110"}},
		{`impute(gaps)`, "v", []string{"1", "2", "2", "10"}},
		{`impute(gaps, "v", strategy="mean")`, "v", []string{"1", "2", "4.33333", "10"}},
		{`impute(gaps, "v", strategy="constant", fill_value=-7)`, "v", []string{"1", "2", "-7", "10"}},
		{`impute(gaps, "g", strategy="most_frequent")`, "g", []string{"a", "b", "b", "b"}},
		{`impute(gaps, "g", strategy="most_frequent")`, "v", []string{"1", "2", "NA", "10"}},
		// energy 0.9 0.7 0.2 0.8 0.3 0.6: mean 7/12, population sd 0.2544.
		{`standardize(tracks, "energy")`, "energy", []string{"1.24473", "0.458585", "-1.50678", "0.851658", "-1.11371", "0.0655122"}},
		{`standardize(tracks, "energy")`, "tempo", []string{"120", "100", "NA", "130", "90", "110"}},
		{`onehot(tracks, "genre")`, "genre_rock", []string{"true", "false", "false", "true", "false", "false"}},
		{`onehot(tracks, "genre")`, "genre_jazz", []string{"false", "false", "true", "false", "true", "false"}},
		{`onehot(tracks, "genre")`, "energy", []string{"0.9", "0.7", "0.2", "0.8", "0.3", "0.6"}},
	}
	for _, tc := range tests {
		t.Run(tc.src+" "+tc.column, func(t *testing.T) {
			res, _, err := run(t, s, tc.src)
			if err != nil {
				t.Fatal(err)
			}
			if got := column(t, res.Value, tc.column); strings.Join(got, " ") != strings.Join(tc.want, " ") {
				t.Errorf("%s is %q, want %q", tc.column, got, tc.want)
			}
		})
	}
	res, _, _ := run(t, s, `onehot(tracks, "genre")`)
	if f := res.Value.(Tabular).Frame(); slices.Contains(f.Names(), "genre") {
		t.Errorf("onehot kept the column it encoded: %q", f.Names())
	}
}
