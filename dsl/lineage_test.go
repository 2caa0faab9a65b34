package dsl

import (
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestLineageWritesTheCommandsThatMakeAValue(t *testing.T) {
	s, dir := dataSession(t)
	path := filepath.Join(dir, "tracks.csv")
	tests := []struct {
		name, src string
		want      []string // the script's lines after the file's comment
	}{
		{"variadic and nested commands are written as the user wrote them",
			`X = standardize(impute(drop(tracks, "track_id", "genre", "energy level"), strategy="mean"))`,
			[]string{`tracks = load("` + path + `")`, `X = standardize(impute(drop(tracks, "track_id", "genre", "energy level"), strategy="mean"))`}},
		{"a seed left out is written as the fixed seed it means",
			`small = sample(tracks, 3)`,
			[]string{`tracks = load("` + path + `")`, `small = sample(tracks, n=3, seed=0)`}},
		{"a named value is used by its name",
			`both = select(where(tracks, tracks.energy > 0.5), tracks.genre)`,
			[]string{`tracks = load("` + path + `")`, `both = select(where(tracks, condition=tracks.energy > 0.5), tracks.genre)`}},
		{"a name is given again once its value is used no more",
			"t2 = head(tracks, 4)\nt2 = head(t2, 2)\nlast = t2",
			[]string{`tracks = load("` + path + `")`, `t2 = head(tracks, n=4)`, `t2 = head(t2, n=2)`}},
		{"a name whose value is still needed is numbered",
			"a = head(tracks, 4)\nb = head(a, 2)\na = head(tracks, 3)\nboth = [a, b]",
			[]string{`tracks = load("` + path + `")`, `a = head(tracks, n=3)`, `a_2 = head(tracks, n=4)`, `b = head(a_2, n=2)`, `both = [a, b]`}},
		{"literals assigned to names are written in place",
			"k = 2\nk2 = k + 1\nh = head(tracks, n=k2)",
			[]string{`tracks = load("` + path + `")`, `h = head(tracks, n=2 + 1)`}},
		{"lists of values",
			"pair = [head(tracks, 2), -1]",
			[]string{`tracks = load("` + path + `")`, `pair = [head(tracks, n=2), -1]`}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if _, _, err := run(t, s, tc.src); err != nil {
				t.Fatal(err)
			}
			target := tc.src[strings.LastIndex(tc.src, "\n")+1:]
			target = strings.TrimSpace(target[:strings.Index(target, "=")])
			res, _, err := run(t, s, "lineage("+target+")")
			if err != nil {
				t.Fatal(err)
			}
			lines := strings.Split(res.Value.String(), "\n")
			if !strings.HasPrefix(lines[0], "# "+path+": 6 rows, ") {
				t.Errorf("first line %q does not stamp the file", lines[0])
			}
			got := lines[1:]
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("script:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tc.want, "\n"))
			}
		})
	}
}

func TestLineageStampsTheFileRead(t *testing.T) {
	s, dir := dataSession(t)
	path := filepath.Join(dir, "tracks.csv")
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(raw)
	l, ok := s.Lineage("tracks")
	if !ok || l.File == nil {
		t.Fatalf("tracks has no file stamp: %+v", l)
	}
	want := FileStamp{Path: path, Abs: path, Size: int64(len(raw)), SHA256: hex.EncodeToString(sum[:]), Rows: 6}
	if *l.File != want {
		t.Errorf("stamp %+v, want %+v", *l.File, want)
	}
}

func TestLineageEveryCommandAndUnnamedValues(t *testing.T) {
	s, _ := dataSession(t)
	res, _, err := run(t, s, `lineage(head(drop(tracks, "genre"), 2), every_command=true)`)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(res.Value.String(), "\n")[1:]
	want := []string{`tracks = load("` + lines[0][len(`tracks = load("`):], `v1 = drop(tracks, "genre")`, `head(v1, n=2)`}
	if !reflect.DeepEqual(lines, want) {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(lines, "\n"), strings.Join(want, "\n"))
	}
	s.Set("outside", Number(3))
	res, _, err = run(t, s, `lineage(head(tracks, outside))`)
	if err != nil {
		t.Fatal(err)
	}
	if got := res.Value.String(); !strings.Contains(got, "# outside set from outside the language") || !strings.HasSuffix(got, "head(tracks, n=outside)") {
		t.Errorf("external variable: %s", got)
	}
}

// TestLineageRerunReproducesTheValue runs the whole method, then runs
// lineage's script in a fresh session and compares what it makes.
func TestLineageRerunReproducesTheValue(t *testing.T) {
	s, _ := blobSession(t)
	src := `X = standardize(pts)
emb = umap(X, n_neighbors=10, n_epochs=60, seed=3)
cl = hdbscan(emb, min_cluster_size=20)
why = explain(cl, on=pts, n_estimators=10, folds=2)
`
	if _, _, err := run(t, s, src); err != nil {
		t.Fatal(err)
	}
	res, _, err := run(t, s, "lineage(why)")
	if err != nil {
		t.Fatal(err)
	}
	script := res.Value.String()
	for _, want := range []string{"umap(X, n_neighbors=10, n_epochs=60, seed=3)", "explain(cl, on=pts, n_estimators=10, folds=2, seed=0)"} {
		if !strings.Contains(script, want) {
			t.Errorf("script lacks %q:\n%s", want, script)
		}
	}
	fresh := NewSession(NewRegistry(), Options{QuietProgress: true})
	if _, _, err := run(t, fresh, script); err != nil {
		t.Fatalf("re-running\n%s\n: %v", script, err)
	}
	for _, name := range []string{"cl", "why"} {
		a, _ := s.Get(name)
		b, ok := fresh.Get(name)
		if !ok || a.String() != b.String() {
			t.Errorf("%s differs after re-running its lineage:\n%v\nwant\n%v", name, b, a)
		}
	}
	a, _ := s.Get("cl")
	b, _ := fresh.Get("cl")
	if !reflect.DeepEqual(a.(*Clusters).Labels, b.(*Clusters).Labels) {
		t.Error("the labels differ after re-running the lineage")
	}
}
