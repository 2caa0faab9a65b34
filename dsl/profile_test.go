package dsl

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

var tracksFixture struct {
	once sync.Once
	vars map[string]Value
	err  error
}

// tracksSession holds the example tracks (tracks), their standardised
// features (X), a UMAP of them (emb), its HDBSCAN clusters (cl), an
// explanation of those (why) and a recursive clustering (tree). The
// genres are planted: each cluster of cl is one genre, electronic split
// in two by tempo. The values are computed once and shared: values are
// immutable, and each test gets its own session.
func tracksSession(t *testing.T) *Session {
	t.Helper()
	tracksFixture.once.Do(func() {
		s := NewSession(NewRegistry(), Options{QuietProgress: true})
		_, tracksFixture.err = s.Run(context.Background(), `tracks = load("../examples/data/tracks.csv")
X = standardize(impute(drop(tracks, "track_id", "genre")))
emb = umap(X, n_neighbors=15, min_dist=0, seed=7)
cl = hdbscan(emb, min_cluster_size=25)
why = explain(cl, on=X, n_estimators=20, seed=1)
tree = recurse(X, depth=2, min_cluster_size=25, seed=7)`, &recorder{})
		tracksFixture.vars = map[string]Value{}
		for _, name := range s.VarNames() {
			tracksFixture.vars[name], _ = s.Get(name)
		}
	})
	if tracksFixture.err != nil {
		t.Fatal(tracksFixture.err)
	}
	s := NewSession(NewRegistry(), Options{QuietProgress: true})
	for name, v := range tracksFixture.vars {
		s.Set(name, v)
	}
	return s
}

// lines runs src, whose value is a profile, and returns its lines.
func lines(t *testing.T, s *Session, src string) []string {
	t.Helper()
	res, _, err := run(t, s, src)
	if err != nil {
		t.Fatalf("%s: %v", src, err)
	}
	p, ok := res.Value.(*Profile)
	if !ok {
		t.Fatalf("%s gave %s, not a profile", src, describeValue(res.Value))
	}
	return p.Lines()
}

// lineWith returns the one line holding part.
func lineWith(t *testing.T, lines []string, part string) string {
	t.Helper()
	var found []string
	for _, l := range lines {
		if strings.Contains(l, part) {
			found = append(found, l)
		}
	}
	if len(found) != 1 {
		t.Fatalf("%d lines hold %q:\n%s", len(found), part, strings.Join(lines, "\n"))
	}
	return found[0]
}

func TestProfileOnTracks(t *testing.T) {
	s := tracksSession(t)

	t.Run("a categorical column as labels", func(t *testing.T) {
		got := lines(t, s, `profile(tracks.genre, on=tracks, noun="tracks")`)
		want := []string{
			"classical · 180 tracks (14%) · low loudness (-22.1 vs -7.5), low energy (0.15 vs 0.68), high acousticness (0.91 vs 0.22) · 100% classical (vs 14%)",
			"electronic · 240 tracks (18%) · high instrumentalness (0.79 vs 0.30), high tempo (140 vs 115), high energy (0.80 vs 0.56) · 100% electronic (vs 18%)",
			"hiphop · 160 tracks (12%) · high speechiness (0.30 vs 0.06), low tempo (92 vs 124), high danceability (0.82 vs 0.55) · 100% hiphop (vs 12%)",
			"jazz · 220 tracks (17%) · high acousticness (0.65 vs 0.25), low energy (0.41 vs 0.65), high valence (0.61 vs 0.44) · 100% jazz (vs 17%)",
			"pop · 240 tracks (18%) · low instrumentalness (0.04 vs 0.47), high valence (0.65 vs 0.43), high danceability (0.72 vs 0.55) · 100% pop (vs 18%)",
			"rock · 260 tracks (20%) · high energy (0.84 vs 0.55), high tempo (137 vs 116), low acousticness (0.07 vs 0.38) · 100% rock (vs 20%)",
		}
		if strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
	})

	t.Run("hdbscan clusters name their genre's planted features", func(t *testing.T) {
		got := lines(t, s, `profile(cl, on=tracks)`)
		if len(got) != 7 {
			t.Fatalf("%d lines, want 7 (six genres, electronic split in two)", len(got))
		}
		for _, tc := range []struct{ genre, line string }{
			{"100% classical (vs 14%)", "6 · 180 rows (14%) · low loudness (-22.1 vs -7.5), low energy (0.15 vs 0.68), high acousticness (0.91 vs 0.22) · 100% classical (vs 14%)"},
			{"100% hiphop (vs 12%)", "0 · 160 rows (12%) · high speechiness (0.30 vs 0.06), low tempo (92 vs 124), high danceability (0.82 vs 0.55) · 100% hiphop (vs 12%)"},
			{"100% jazz (vs 17%)", "5 · 220 rows (17%) · high acousticness (0.65 vs 0.25), low energy (0.41 vs 0.65), high valence (0.61 vs 0.44) · 100% jazz (vs 17%)"},
			{"98% pop (vs 18%)", "1 · 241 rows (19%) · low instrumentalness (0.04 vs 0.47), high valence (0.65 vs 0.43), high danceability (0.72 vs 0.55) · 98% pop (vs 18%)"},
		} {
			if l := lineWith(t, got, tc.genre); l != tc.line {
				t.Errorf("got  %s\nwant %s", l, tc.line)
			}
		}
	})

	t.Run("with an explanation", func(t *testing.T) {
		got := lines(t, s, `profile(cl, on=tracks, why=why, noun="tracks")`)
		l := lineWith(t, got, "hiphop")
		if !strings.HasPrefix(l, "0 · 160 tracks (12%) · high speechiness") || !strings.HasSuffix(l, " · SHAP: high speechiness (CV AUC 0.999)") {
			t.Errorf("hip-hop line %q", l)
		}
		l = lineWith(t, got, "classical")
		if !strings.Contains(l, " · SHAP: low loudness, ") {
			t.Errorf("classical line %q", l)
		}
		res, _, err := run(t, s, `profile(cl, on=tracks, why=why)`)
		if err != nil {
			t.Fatal(err)
		}
		b := Bundle(res.Value)
		for _, part := range []string{">SHAP drivers</th>", ">CV AUC</th>", "<li>0 · 160 rows (12%)", "identifier columns skipped: track_id"} {
			if !strings.Contains(b.Data["text/html"].(string), part) {
				t.Errorf("HTML lacks %q", part)
			}
		}
		if !strings.Contains(b.Plain(), "speechiness 0.30 vs 0.06 (+7.6)") {
			t.Errorf("text twin lacks the numbers:\n%s", b.Plain())
		}
	})

	t.Run("kmeans", func(t *testing.T) {
		got := lines(t, s, `profile(kmeans(X, k=6, seed=1), on=tracks)`)
		if len(got) != 6 || !strings.Contains(lineWith(t, got, "classical"), "high acousticness") {
			t.Errorf("kmeans profile:\n%s", strings.Join(got, "\n"))
		}
	})

	t.Run("a tree profiles each node against its siblings", func(t *testing.T) {
		got := lines(t, s, `profile(tree, on=tracks, noun="tracks")`)
		if l := lineWith(t, got, "electronic"); !strings.HasPrefix(l, "1 · 240 tracks (18%) · high instrumentalness") {
			t.Errorf("electronic line %q", l)
		}
		// Electronic's planted sub-styles differ by tempo; against each
		// other, the genre they share is not over-represented.
		for _, prefix := range []string{"1.0 · 122 tracks (9%) · low tempo (126 vs 155)", "1.1 · 118 tracks (9%) · high tempo (155 vs 126)"} {
			if l := lineWith(t, got, prefix); strings.Contains(l, "%)") && strings.Contains(l, "electronic") {
				t.Errorf("sub-style line names the genre: %q", l)
			}
		}
		whole := lines(t, s, `profile(tree, on=tracks, against="whole")`)
		if l := lineWith(t, whole, "1.1 ·"); !strings.Contains(l, "100% electronic (vs 18%)") {
			t.Errorf("against the whole data: %q", l)
		}
	})

	t.Run("mistakes", func(t *testing.T) {
		for _, tc := range []struct{ src, msg string }{
			{`profile(cl, on=head(tracks, 10))`, "the clusters label 1,300 rows but on has 10"},
			{`profile(cl, on=tracks, why=explain(tracks.genre, on=X, n_estimators=2))`, "this explanation explains none of these clusters"},
			{`profile(cl, on=tracks, against="all")`, "must be one of \"siblings\", \"whole\""},
			{`profile(tracks.energy, on=tracks)`, "column \"energy\" is numeric; profile groups rows by clusters or by a categorical column"},
			{`profile(tree, on=tracks, why=why)`, "this explanation is of other clusters: its cluster \"1\" has 241 rows, this one 240"},
		} {
			if _, _, err := run(t, s, tc.src); err == nil || !strings.Contains(err.Error(), tc.msg) {
				t.Errorf("%s: got %v, want %q", tc.src, err, tc.msg)
			}
		}
	})
}

// TestNamesEverywhere names clusters and finds the names in every output
// that shows labels.
func TestNamesEverywhere(t *testing.T) {
	s := tracksSession(t)
	dir := t.TempDir()
	if _, _, err := run(t, s, `named = name(cl, {"0": "hip-hop", 6: "classical"})
whyn = explain(named, on=X, n_estimators=20, seed=1)
treen = name(tree, {"1": "electronic", "1.1": "drum and bass"})`); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		src  string
		want []string
		not  []string
	}{
		{`clusters(named)`, []string{"cluster  name       size  share", "0        hip-hop     160  12.3%", "6        classical   180"}, nil},
		{`clusters(cl)`, []string{"cluster  size  share"}, []string{"hip-hop"}}, // naming made a new value
		{`name(named, {"0": none})`, []string{"6        classical"}, []string{"hip-hop"}},
		{`plot(emb, color=named)`, []string{"7 clusters (0 (hip-hop), 1, 2, 3, 4, 5, 6 (classical))"}, nil},
		{`whyn`, []string{"cluster  name       size  against", "0        hip-hop     160"}, nil},
		{`explain(named, on=X, n_estimators=2)`, []string{"hip-hop"}, nil},
		{`shap_summary(whyn, cluster="hip-hop")`, []string{"Cluster 0 (hip-hop): 160 members"}, nil},
		{`shap_bar(whyn, cluster=6)`, []string{"Cluster 6 (classical)"}, nil},
		{`whyn["classical"]`, []string{"classifier of cluster 6 against"}, nil},
		{`shap_waterfall(whyn, row=1)`, []string{"Row 1 in cluster 6 (classical)"}, nil},
		{`profile(named, on=tracks)`, []string{"0 (hip-hop) · 160 rows", "6 (classical) · 180 rows", "0        hip-hop"}, nil},
		{`profile(cl, on=tracks, why=whyn)`, []string{"0 (hip-hop) · 160 rows"}, nil},
		{`treen`, []string{"├─ 1 (electronic)  (240 rows)", "│  └─ 1.1 (drum and bass)  (118 rows"}, nil},
		{`plot(treen)`, []string{"1 (electronic) (240)"}, nil},
		{`plot(emb, color=treen)`, []string{"1.1 (drum and bass)", "1.0 (electronic)"}, nil},
		{`profile(treen, on=tracks)`, []string{"1 (electronic) · 240 rows", "1.1 (drum and bass) · 118 rows", "1.0 · 122 rows"}, nil},
		{`explain(treen, on=X, n_estimators=2)`, []string{"1.1      drum and bass"}, nil},
	} {
		res, _, err := run(t, s, tc.src)
		if err != nil {
			t.Errorf("%s: %v", tc.src, err)
			continue
		}
		got := Bundle(res.Value).Plain()
		for _, w := range tc.want {
			if !strings.Contains(got, w) {
				t.Errorf("%s lacks %q:\n%s", tc.src, w, got)
			}
		}
		for _, w := range tc.not {
			if strings.Contains(got, w) {
				t.Errorf("%s holds %q:\n%s", tc.src, w, got)
			}
		}
	}

	t.Run("exports", func(t *testing.T) {
		p := func(name string) string { return filepath.Join(dir, name) }
		if _, _, err := run(t, s, `export(named, to="`+p("cl.csv")+`")
export(cl, to="`+p("plain.csv")+`")
export(whyn, to="`+p("shap.csv")+`")
export(treen, to="`+p("tree.csv")+`")
export(kmeans(X, k=2, seed=1), to="`+p("km.csv")+`")`); err != nil {
			t.Fatal(err)
		}
		for _, tc := range []struct {
			file   string
			header string
			rows   []string
		}{
			{"cl.csv", "row,label,name,probability,outlier_score", []string{"\n9,0,hip-hop,", "\n1,6,classical,", "\n0,1,,"}},
			{"plain.csv", "row,label,probability,outlier_score", []string{"\n1,6,"}},
			{"shap.csv", "row,cluster,name,expected_value,energy,", []string{",0,hip-hop,", ",6,classical,", ",1,,"}},
			{"tree.csv", "level_1,level_2,label,name", []string{"\n1,1.1,1.1,drum and bass\n", "\n1,1.0,1.0,electronic\n", "\n0,0,0,\n"}},
			{"km.csv", "row,label", nil},
		} {
			b, err := os.ReadFile(p(tc.file))
			if err != nil {
				t.Fatal(err)
			}
			if got := strings.SplitN(string(b), "\n", 2)[0]; !strings.HasPrefix(got, tc.header) {
				t.Errorf("%s: header %q, want %q", tc.file, got, tc.header)
			}
			for _, r := range tc.rows {
				if !strings.Contains(string(b), r) {
					t.Errorf("%s lacks %q", tc.file, r)
				}
			}
		}
	})

	t.Run("mistakes", func(t *testing.T) {
		for _, tc := range []struct {
			src       string
			line, col int
			msg       string
		}{
			{`name(cl, {"9": "x"})`, 1, 10, "; the clusters are `0`, `1`, `2`, `3`, `4`, `5` and `6`"},
			{`name(cl, {"noise": "x"})`, 1, 10, "there is no cluster \"noise\" to name"},
			{"x = 1\nname(tree, {\"1.7\": \"x\"})", 2, 12, "there is no cluster \"1.7\" to name — did you mean `1.0`?"},
			{`name(cl, {"0": 1})`, 1, 10, "the name of cluster \"0\" must be a string, not the number 1"},
			{`name(cl, {"0": " "})`, 1, 10, "the name of cluster \"0\" is empty"},
			{`name(cl, ["0", "x"])`, 1, 10, "`names` of `name` must be a dict, not a list"},
			{`name(cl, {"0": "x" "y"})`, 1, 20, "expected `,` or `}` in this dict"},
		} {
			_, _, err := run(t, s, tc.src)
			e, ok := err.(*Error)
			if !ok || e.Pos.Line != tc.line || e.Pos.Col != tc.col || !strings.Contains(e.Msg, tc.msg) {
				t.Errorf("%s: got %v, want %d:%d %q", tc.src, err, tc.line, tc.col, tc.msg)
			}
		}
	})

	t.Run("the examples in help run (they rename cl, so last)", func(t *testing.T) {
		reg := NewRegistry()
		for _, name := range []string{"name", "profile"} {
			cmd, _ := reg.Lookup(name)
			for _, ex := range cmd.Examples {
				if _, _, err := run(t, s, ex); err != nil {
					t.Errorf("%s: %v", ex, err)
				}
			}
		}
	})

}
