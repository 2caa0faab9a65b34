package frame

import (
	"context"
	"math"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// tracks is a small table with every kind of column and some gaps.
func tracks(t *testing.T) *Frame {
	t.Helper()
	return readString(t, `track_id,genre,tempo,energy,live
1,rock,120,0.8,true
2,jazz,90,NA,false
3,rock,NA,0.5,
4,pop,128,0.9,false
5,,100,0.3,true
6,jazz,75,0.2,false
`, ReadOptions{})
}

func column(t *testing.T, f *Frame, name string) *Column {
	t.Helper()
	c, err := f.Column(name)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func values(c *Column) []string {
	out := make([]string, c.Len())
	for i := range out {
		out[i] = c.Format(i)
		if c.IsMissing(i) {
			out[i] = "NA"
		}
	}
	return out
}

func TestUnknownColumnsSuggestTheNearestName(t *testing.T) {
	f := tracks(t)
	for _, tc := range []struct{ name, want string }{
		{"gnre", `frame: no column "gnre"; did you mean "genre"?`},
		{"Tempo", `frame: no column "Tempo"; did you mean "tempo"?`},
		{"trackid", `did you mean "track_id"?`},
		{"loudness", `frame: no column "loudness"; the columns are track_id, genre, tempo, energy, live`},
	} {
		_, err := f.Column(tc.name)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Column(%q): %v, want %s", tc.name, err, tc.want)
		}
	}
	for _, op := range []func() error{
		func() error { _, err := f.Select("gnre"); return err },
		func() error { _, err := f.Drop("gnre"); return err },
		func() error { _, err := f.Filter("gnre", Eq, "rock"); return err },
		func() error { _, err := f.Standardize("gnre"); return err },
		func() error { _, err := f.OneHot("gnre"); return err },
		func() error { _, err := f.Impute(ImputeOptions{Columns: []string{"gnre"}}); return err },
		func() error { _, err := f.Dense("gnre"); return err },
	} {
		if err := op(); err == nil || !strings.Contains(err.Error(), `did you mean "genre"`) {
			t.Errorf("an operation on an unknown column gave %v", err)
		}
	}
}

func TestSelectDropHeadTake(t *testing.T) {
	f := tracks(t)
	s, err := f.Select("tempo", "genre")
	if err != nil || !slices.Equal(s.Names(), []string{"tempo", "genre"}) || s.NumRows() != 6 {
		t.Fatalf("Select: %v, %v", s.Names(), err)
	}
	d, err := f.Drop("track_id", "live")
	if err != nil || !slices.Equal(d.Names(), []string{"genre", "tempo", "energy"}) {
		t.Fatalf("Drop: %v, %v", d.Names(), err)
	}
	h, err := f.Head(2)
	if err != nil || !slices.Equal(values(column(t, h, "genre")), []string{"rock", "jazz"}) {
		t.Fatalf("Head(2): %v", err)
	}
	if h, _ := f.Head(100); h.NumRows() != 6 {
		t.Fatalf("Head(100) of 6 rows has %d", h.NumRows())
	}
	if _, err := f.Head(-1); err == nil {
		t.Fatal("Head(-1) is not an error")
	}
	tk, err := f.Take([]int{5, 0, 5})
	if err != nil || !slices.Equal(values(column(t, tk, "track_id")), []string{"6", "1", "6"}) {
		t.Fatalf("Take: %v", err)
	}
	if _, err := f.Take([]int{6}); err == nil {
		t.Fatal("Take of a row past the end is not an error")
	}
	if _, err := f.Select("tempo", "tempo"); err == nil {
		t.Fatal("selecting a column twice is not an error")
	}
}

func TestSampleDrawsDistinctRowsReproducibly(t *testing.T) {
	f := readString(t, bigCSV(500), ReadOptions{})
	a, err := f.Sample(50, 7)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := f.Sample(50, 7)
	c, _ := f.Sample(50, 8)
	ids := func(s *Frame) []string { return values(column(t, s, "id")) }
	if !slices.Equal(ids(a), ids(b)) {
		t.Fatal("the same seed drew different rows")
	}
	if slices.Equal(ids(a), ids(c)) {
		t.Fatal("different seeds drew the same rows")
	}
	seen := map[string]bool{}
	for _, id := range ids(a) {
		if seen[id] {
			t.Fatalf("row %s drawn twice", id)
		}
		seen[id] = true
	}
	if all, _ := f.Sample(500, 1); all.NumRows() != 500 {
		t.Fatal("sampling every row failed")
	}
	if _, err := f.Sample(501, 1); err == nil || !strings.Contains(err.Error(), "cannot sample 501 rows without replacement from 500") {
		t.Fatalf("oversampling gave %v", err)
	}
}

func TestSampleIsUniform(t *testing.T) {
	f := readString(t, bigCSV(10), ReadOptions{})
	counts := make([]int, 10)
	for seed := uint64(0); seed < 4000; seed++ {
		s, _ := f.Sample(3, seed)
		for _, v := range column(t, s, "id").Float64s() {
			counts[int(v)]++
		}
	}
	// Each row is drawn with probability 3/10: 1200 times in 4000, with a
	// standard deviation of about 29.
	for i, n := range counts {
		if n < 1080 || n > 1320 {
			t.Fatalf("row %d drawn %d times in 4000 samples of 3, want about 1200", i, n)
		}
	}
}

func TestFilter(t *testing.T) {
	f := tracks(t)
	for _, tc := range []struct {
		col   string
		op    Op
		value any
		want  []string // track ids
	}{
		{"tempo", Gt, 100, []string{"1", "4"}},
		{"tempo", Ge, 100.0, []string{"1", "4", "5"}},
		{"tempo", Lt, 100, []string{"2", "6"}},
		{"tempo", Le, 90, []string{"2", "6"}},
		{"tempo", Eq, 128, []string{"4"}},
		{"tempo", Ne, 128, []string{"1", "2", "3", "5", "6"}}, // missing is != anything, as in pandas
		{"tempo", In, []int{75, 90, 1}, []string{"2", "6"}},
		{"genre", Eq, "rock", []string{"1", "3"}},
		{"genre", Ne, "rock", []string{"2", "4", "5", "6"}},
		{"genre", In, []string{"pop", "jazz"}, []string{"2", "4", "6"}},
		{"genre", In, []any{"pop"}, []string{"4"}},
		{"genre", Lt, "p", []string{"2", "6"}},
		{"genre", Ge, "pop", []string{"1", "3", "4"}},
		{"live", Eq, true, []string{"1", "5"}},
		{"live", Ne, true, []string{"2", "3", "4", "6"}},
		{"live", In, []bool{false}, []string{"2", "4", "6"}},
		{"energy", Gt, 5, nil},
	} {
		got, err := f.Filter(tc.col, tc.op, tc.value)
		if err != nil {
			t.Errorf("%s %v %v: %v", tc.col, tc.op, tc.value, err)
			continue
		}
		if ids := values(column(t, got, "track_id")); !slices.Equal(ids, tc.want) && len(ids)+len(tc.want) > 0 {
			t.Errorf("%s %v %v: rows %v, want %v", tc.col, tc.op, tc.value, ids, tc.want)
		}
	}
	for _, tc := range []struct {
		col   string
		op    Op
		value any
		want  string
	}{
		{"tempo", Eq, "fast", `column "tempo" is numeric, so it compares with a number, not "fast"`},
		{"genre", Eq, 3, `column "genre" is categorical, so it compares with text, not 3`},
		{"live", Lt, true, `column "live" is boolean; compare it with ==, != or in, not <`},
		{"live", Eq, "yes", `compares with true or false`},
		{"tempo", In, 5, `"in" needs a list of values`},
		{"tempo", Eq, math.NaN(), "missing values match nothing"},
		{"tempo", Op(42), 1, "unknown comparison"},
	} {
		if _, err := f.Filter(tc.col, tc.op, tc.value); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s %v %v: error %v, want %s", tc.col, tc.op, tc.value, err, tc.want)
		}
	}
}

func TestParseOpAndKind(t *testing.T) {
	for _, s := range []string{"==", "!=", "<", "<=", ">", ">=", "in"} {
		op, err := ParseOp(s)
		if err != nil || op.String() != s {
			t.Errorf("ParseOp(%q) = %v, %v", s, op, err)
		}
	}
	if _, err := ParseOp("=~"); err == nil {
		t.Error("ParseOp accepted =~")
	}
	for _, k := range []Kind{Numeric, Categorical, Boolean} {
		if got, err := ParseKind(k.String()); err != nil || got != k {
			t.Errorf("ParseKind(%q) = %v, %v", k, got, err)
		}
	}
	if _, err := ParseKind("text"); err == nil {
		t.Error("ParseKind accepted text")
	}
}

func TestDescribe(t *testing.T) {
	f := readString(t, `x,c,b,empty,one
4,a,true,,7
1,b,false,,
3,a,true,,
2,,true,,
NA,b,,,
10,a,false,,
`, ReadOptions{})
	s, err := f.Describe(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	x := s[0]
	// numpy: mean 4, std(ddof=1) sqrt(12.5), percentiles of [1 2 3 4 10].
	if x.Kind != Numeric || x.Count != 5 || x.Missing != 1 || x.Mean != 4 || math.Abs(x.Std-math.Sqrt(12.5)) > 1e-15 ||
		x.Min != 1 || x.Q25 != 2 || x.Median != 3 || x.Q75 != 4 || x.Max != 10 {
		t.Errorf("numeric summary %+v", x)
	}
	c := s[1]
	if c.Kind != Categorical || c.Count != 5 || c.Missing != 1 || c.Unique != 2 ||
		!reflect.DeepEqual(c.Top, []LevelCount{{"a", 3}, {"b", 2}}) {
		t.Errorf("categorical summary %+v", c)
	}
	b := s[2]
	if b.Kind != Boolean || b.Count != 5 || b.Unique != 2 || !reflect.DeepEqual(b.Top, []LevelCount{{"true", 3}, {"false", 2}}) {
		t.Errorf("boolean summary %+v", b)
	}
	e := s[3]
	if e.Count != 0 || e.Missing != 6 || !math.IsNaN(e.Mean) || !math.IsNaN(e.Max) {
		t.Errorf("empty summary %+v", e)
	}
	o := s[4]
	if o.Count != 1 || o.Mean != 7 || !math.IsNaN(o.Std) || o.Q25 != 7 || o.Q75 != 7 {
		t.Errorf("one-value summary %+v", o)
	}
}

func TestStandardize(t *testing.T) {
	f := readString(t, "a,b,c,g\n1,5,NA,x\n2,5,1,y\n3,5,3,x\n", ReadOptions{})
	s, err := f.Standardize()
	if err != nil {
		t.Fatal(err)
	}
	a := column(t, s, "a").Float64s()
	// ddof=0: the standard deviation of 1, 2, 3 is sqrt(2/3).
	want := []float64{-1 / math.Sqrt(2.0/3), 0, 1 / math.Sqrt(2.0/3)}
	for i := range a {
		if math.Abs(a[i]-want[i]) > 1e-15 {
			t.Fatalf("standardised a = %v, want %v", a, want)
		}
	}
	if b := column(t, s, "b").Float64s(); !slices.Equal(b, []float64{0, 0, 0}) {
		t.Fatalf("a constant column standardised to %v, want zeros", b)
	}
	if c := column(t, s, "c").Float64s(); !math.IsNaN(c[0]) || c[1] != -1 || c[2] != 1 {
		t.Fatalf("a column with a gap standardised to %v", c)
	}
	if column(t, s, "g") != column(t, f, "g") {
		t.Fatal("standardize changed a categorical column")
	}
	if _, err := f.Standardize("g"); err == nil || !strings.Contains(err.Error(), `column "g" is categorical, not numeric; one-hot encode it with onehot, or drop it`) {
		t.Fatalf("standardising a categorical column gave %v", err)
	}

	sc, err := f.FitScaler("a")
	if err != nil {
		t.Fatal(err)
	}
	other := readString(t, "a\n2\n4\n", ReadOptions{})
	o, err := sc.Transform(other)
	if err != nil {
		t.Fatal(err)
	}
	if got := column(t, o, "a").Float64s(); got[0] != 0 || math.Abs(got[1]-2/math.Sqrt(2.0/3)) > 1e-15 {
		t.Fatalf("a fitted scaler applied to new rows gave %v", got)
	}
	if _, err := sc.Transform(readString(t, "b\n1\n", ReadOptions{})); err == nil {
		t.Fatal("applying a scaler to a table without its column is not an error")
	}
}

func TestOneHot(t *testing.T) {
	f := tracks(t)
	o, err := f.OneHot()
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"track_id", "genre_jazz", "genre_pop", "genre_rock", "tempo", "energy", "live"}
	if !slices.Equal(o.Names(), want) {
		t.Fatalf("columns %v, want %v", o.Names(), want)
	}
	if got := values(column(t, o, "genre_rock")); !slices.Equal(got, []string{"true", "false", "true", "false", "false", "false"}) {
		t.Fatalf("genre_rock = %v", got)
	}
	b, err := f.OneHot("live")
	if err != nil {
		t.Fatal(err)
	}
	if got := values(column(t, b, "live_True")); !slices.Equal(got, []string{"true", "false", "false", "false", "true", "false"}) {
		t.Fatalf("live_True = %v", got)
	}
	if _, err := f.OneHot("tempo"); err == nil || !strings.Contains(err.Error(), `column "tempo" is numeric`) {
		t.Fatalf("one-hot encoding a numeric column gave %v", err)
	}
	clash := readString(t, "g,g_a\na,1\n", ReadOptions{})
	if _, err := clash.OneHot("g"); err == nil || !strings.Contains(err.Error(), `makes a column "g_a", but the table already has one`) {
		t.Fatalf("a clashing dummy name gave %v", err)
	}
	ids := readString(t, bigCSV(MaxOneHotLevels+1), ReadOptions{Types: map[string]Kind{"id": Categorical}})
	if _, err := ids.OneHot("id"); err == nil || !strings.Contains(err.Error(), `column "id" has 1001 distinct values, more than the 1000`) {
		t.Fatalf("one-hot encoding an identifier gave %v", err)
	}
	// Levels that no longer occur after a filter get no column.
	rock, _ := f.Filter("genre", Eq, "rock")
	if o, _ := rock.OneHot("genre"); !slices.Equal(o.Names(), []string{"track_id", "genre_rock", "tempo", "energy", "live"}) {
		t.Fatalf("columns after filtering %v", o.Names())
	}
}

func TestImpute(t *testing.T) {
	f := readString(t, "x,g,b\n1,a,true\nNA,b,\n3,b,false\n10,,false\nNA,a,\n", ReadOptions{})
	for _, tc := range []struct {
		opts ImputeOptions
		col  string
		want []string
	}{
		{ImputeOptions{}, "x", []string{"1", "3", "3", "10", "3"}},
		{ImputeOptions{}, "g", []string{"a", "b", "b", "NA", "a"}}, // median leaves categories alone
		{ImputeOptions{Strategy: Mean}, "x", []string{"1", "4.666666666666667", "3", "10", "4.666666666666667"}},
		{ImputeOptions{Strategy: MostFrequent}, "x", []string{"1", "1", "3", "10", "1"}}, // a tie goes to the smallest
		{ImputeOptions{Strategy: MostFrequent}, "g", []string{"a", "b", "b", "a", "a"}},
		{ImputeOptions{Strategy: MostFrequent}, "b", []string{"true", "false", "false", "false", "false"}},
		{ImputeOptions{Strategy: Constant}, "x", []string{"1", "0", "3", "10", "0"}},
		{ImputeOptions{Strategy: Constant}, "g", []string{"a", "b", "b", "missing_value", "a"}},
		{ImputeOptions{Strategy: Constant, FillValue: -1, Columns: []string{"x"}}, "x", []string{"1", "-1", "3", "10", "-1"}},
		{ImputeOptions{Strategy: Constant, FillValue: "b", Columns: []string{"g"}}, "g", []string{"a", "b", "b", "b", "a"}},
		{ImputeOptions{Strategy: Constant, FillValue: true, Columns: []string{"b"}}, "b", []string{"true", "true", "false", "false", "true"}},
	} {
		out, err := f.Impute(tc.opts)
		if err != nil {
			t.Errorf("%+v: %v", tc.opts, err)
			continue
		}
		if got := values(column(t, out, tc.col)); !slices.Equal(got, tc.want) {
			t.Errorf("%+v: column %s = %v, want %v", tc.opts, tc.col, got, tc.want)
		}
	}
	empty := readString(t, "x,y\nNA,1\nNA,2\n", ReadOptions{})
	for _, tc := range []struct {
		f    *Frame
		opts ImputeOptions
		want string
	}{
		{f, ImputeOptions{Strategy: "max"}, `strategy "max" is not one of`},
		{f, ImputeOptions{Columns: []string{"g"}}, `column "g" is categorical and has no median; use most_frequent or constant`},
		{f, ImputeOptions{Strategy: Constant, FillValue: "zero", Columns: []string{"x"}}, "must be a number"},
		{f, ImputeOptions{Strategy: Constant, FillValue: 1, Columns: []string{"g"}}, "must be text"},
		{f, ImputeOptions{Strategy: Constant, FillValue: 1, Columns: []string{"b"}}, "must be true or false"},
		{empty, ImputeOptions{}, `column "x" has no values to take the median of`},
	} {
		if _, err := tc.f.Impute(tc.opts); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%+v: error %v, want %s", tc.opts, err, tc.want)
		}
	}
}

func TestDense(t *testing.T) {
	f := readString(t, "a,b,c,g\n1,true,NA,x\n2,false,3,y\n", ReadOptions{})
	m, err := f.Dense("a", "b")
	if err != nil {
		t.Fatal(err)
	}
	if r, c := m.Dims(); r != 2 || c != 2 || m.At(0, 0) != 1 || m.At(0, 1) != 1 || m.At(1, 0) != 2 || m.At(1, 1) != 0 {
		t.Fatalf("Dense = %v", m)
	}
	for _, tc := range []struct {
		names []string
		want  string
	}{
		{[]string{"c"}, `frame: column "c" has 1 missing value; fill them with impute (for example strategy "median"), or drop the column`},
		{nil, `frame: column "c" has 1 missing value`},
		{[]string{"g"}, `frame: column "g" is categorical; one-hot encode it with onehot, or drop it`},
	} {
		if _, err := f.Dense(tc.names...); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Dense(%v): %v, want %s", tc.names, err, tc.want)
		}
	}
	if _, err := readString(t, "a\n", ReadOptions{}).Dense(); err == nil || !strings.Contains(err.Error(), "no rows") {
		t.Errorf("Dense of a table without rows gave %v", err)
	}
	none, _ := f.Drop("a", "b", "c", "g")
	if _, err := none.Dense(); err == nil || !strings.Contains(err.Error(), "no columns") {
		t.Errorf("Dense of a table without columns gave %v", err)
	}
	// A larger table crosses the copy's row blocks.
	big := readString(t, bigCSV(1000), ReadOptions{})
	m, err = big.Dense("id", "x", "flag")
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 1000; i++ {
		if m.At(i, 0) != float64(i) || m.At(i, 1) != float64(i)/7 || (m.At(i, 2) == 1) != (i%3 == 0) {
			t.Fatalf("row %d of the matrix is %v", i, m.RawRowView(i))
		}
	}
}

func TestNewChecksItsColumns(t *testing.T) {
	a := NewNumeric("a", []float64{1, 2})
	short := NewNumeric("b", []float64{1})
	for _, tc := range []struct {
		cols []*Column
		want string
	}{
		{[]*Column{a, short}, `column "b" has 1 values but column "a" has 2`},
		{[]*Column{a, a}, `two columns are named "a"`},
		{[]*Column{a, nil}, "column 1 is nil"},
		{[]*Column{NewNumeric("", nil)}, "column 0 has no name"},
	} {
		if _, err := New(tc.cols...); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("New: %v, want %s", err, tc.want)
		}
	}
	g, err := NewCategorical("g", []string{"x", "y", "x"}, []bool{true, true, false})
	if err != nil || !slices.Equal(values(g), []string{"x", "y", "NA"}) || !slices.Equal(g.Levels(), []string{"x", "y"}) {
		t.Fatalf("NewCategorical: %v, %v", values(g), err)
	}
	b, err := NewBoolean("b", []bool{true, false, true}, []bool{true, true, false})
	if err != nil || !slices.Equal(values(b), []string{"true", "false", "NA"}) || b.Missing() != 1 {
		t.Fatalf("NewBoolean: %v, %v", values(b), err)
	}
	if _, err := NewBoolean("b", []bool{true}, []bool{}); err == nil {
		t.Fatal("NewBoolean with too few validity flags is not an error")
	}
	if f := b.Float64s(); f[0] != 1 || f[1] != 0 || !math.IsNaN(f[2]) {
		t.Fatalf("boolean Float64s = %v", f)
	}
	if g.Float64s() != nil {
		t.Fatal("a categorical column has numbers")
	}
}

func TestWriteCSVReadsBack(t *testing.T) {
	f := readString(t, "id,name,x,ok\n1,\"a, \"\"b\"\"\",0.1,true\n2,\"two\nlines\",NA,\n3,,-1e-300,false\n", ReadOptions{})
	var b strings.Builder
	if err := f.WriteCSV(&b); err != nil {
		t.Fatal(err)
	}
	back := readString(t, b.String(), ReadOptions{})
	if !reflect.DeepEqual(formatted(back), formatted(f)) {
		t.Fatalf("wrote\n%s\nwhich reads back as %q, not %q", b.String(), formatted(back), formatted(f))
	}
	// One column with a gap: the gap's line must not read as blank.
	one := readString(t, "x\n1\nNA\n3\n", ReadOptions{})
	b.Reset()
	if err := one.WriteCSV(&b); err != nil {
		t.Fatal(err)
	}
	if back := readString(t, b.String(), ReadOptions{}); back.NumRows() != 3 {
		t.Fatalf("wrote %q, which reads back as %d rows", b.String(), back.NumRows())
	}
}

// A text spelled like a missing-value marker, the empty text among them,
// survives a CSV round trip as text, and missing values as missing.
func TestWriteCSVKeepsMissingValuesApartFromTexts(t *testing.T) {
	texts := []string{"NA", "", "x", "None", "y", "null"}
	valid := []bool{true, true, true, true, false, true}
	s, err := NewCategorical("s", texts, valid)
	if err != nil {
		t.Fatal(err)
	}
	n := NewNumeric("n", []float64{1, math.NaN(), 3, 4, 5, 6})
	for _, cols := range [][]*Column{{s, n}, {s}} {
		f, err := New(cols...)
		if err != nil {
			t.Fatal(err)
		}
		var b strings.Builder
		if err := f.WriteCSV(&b); err != nil {
			t.Fatal(err)
		}
		back := readString(t, b.String(), ReadOptions{})
		if got, want := formatted(back), formatted(f); !reflect.DeepEqual(got, want) {
			t.Fatalf("wrote\n%s\nwhich reads back as %q, not %q", b.String(), got, want)
		}
	}
}

func TestLabelsTellMissingValuesFromTexts(t *testing.T) {
	c, err := NewCategorical("s", []string{"NA", "missing", `"NA"`, "x", "gone"}, []bool{true, true, true, true, false})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{`"NA"`, "missing", `"\"NA\""`, "x", "NA"}
	for i, w := range want {
		if got := c.Label(i); got != w {
			t.Errorf("Label(%d) = %s, want %s", i, got, w)
		}
	}
	b, _ := NewBoolean("b", []bool{true, false}, []bool{true, false})
	if b.Label(0) != "true" || b.Label(1) != MissingLabel {
		t.Errorf("boolean labels %q, %q", b.Label(0), b.Label(1))
	}
}

func TestCategorical(t *testing.T) {
	f := readString(t, "grade,ok,name,x\n10,true,a,1\n2,false,b,1e6\n,NA,c,2.5\n2,true,,-0\n1,true,d,1\n", ReadOptions{})
	g, err := f.Categorical("grade", "ok", "name", "x")
	if err != nil {
		t.Fatal(err)
	}
	want := map[string][]string{
		"grade": {"categorical", "10", "2", "<missing>", "2", "1"},
		"ok":    {"categorical", "true", "false", "<missing>", "true", "true"},
		"name":  {"categorical", "a", "b", "c", "<missing>", "d"},
		"x":     {"categorical", "1", "1000000", "2.5", "0", "1"},
	}
	if got := formatted(g); !reflect.DeepEqual(got, want) {
		t.Fatalf("categorical gave %q, want %q", got, want)
	}
	if got := column(t, g, "grade").Levels(); !reflect.DeepEqual(got, []string{"1", "2", "10"}) {
		t.Errorf("grade's categories are %q, want them in increasing order", got)
	}
	// Codes one-hot encode in numeric order, as get_dummies does.
	h, err := g.OneHot("grade")
	if err != nil {
		t.Fatal(err)
	}
	if got := h.Names(); !reflect.DeepEqual(got[:3], []string{"grade_1", "grade_2", "grade_10"}) {
		t.Errorf("onehot of codes gave %q", got)
	}
	if _, err := f.Categorical(); err == nil {
		t.Error("categorical with no columns named is not an error")
	}
	if _, err := f.Categorical("grad"); err == nil || !strings.Contains(err.Error(), `did you mean "grade"`) {
		t.Errorf("an unknown column gave %v", err)
	}
	// onehot of a numeric column says how to make it categories.
	_, err = f.OneHot("grade")
	for _, want := range []string{`column "grade" is numeric`, `categorical(data, "grade")`, `categorical=["grade"]`, `astype("category")`} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("onehot of a numeric column gave %v, want it to mention %s", err, want)
		}
	}
}
