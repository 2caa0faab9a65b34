package frame

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"strconv"
	"strings"
	"testing"
)

func readString(t *testing.T, text string, opts ReadOptions) *Frame {
	t.Helper()
	f, err := ReadFrom(context.Background(), strings.NewReader(text), "test.csv", opts)
	if err != nil {
		t.Fatalf("reading %q: %v", text, err)
	}
	return f
}

// formatted returns every column as its kind followed by its values.
func formatted(f *Frame) map[string][]string {
	out := map[string][]string{}
	for _, c := range f.cols {
		vals := []string{c.kind.String()}
		for i := 0; i < c.Len(); i++ {
			if c.IsMissing(i) {
				vals = append(vals, "<missing>")
			} else {
				vals = append(vals, c.Format(i))
			}
		}
		out[c.name] = vals
	}
	return out
}

func TestReadParsesAndInfersTypes(t *testing.T) {
	for _, tc := range []struct {
		name, text string
		want       map[string][]string
	}{
		{"types", "n,s,b\n1,x,true\n2.5,y,False\n-3e2,z,TRUE\n", map[string][]string{
			"n": {"numeric", "1", "2.5", "-300"},
			"s": {"categorical", "x", "y", "z"},
			"b": {"boolean", "true", "false", "true"},
		}},
		{"missing values", "n,s,b\nNA,,null\n1,NULL,true\nNaN,a,\n", map[string][]string{
			"n": {"numeric", "<missing>", "1", "<missing>"},
			"s": {"categorical", "<missing>", "<missing>", "a"},
			"b": {"boolean", "<missing>", "true", "<missing>"},
		}},
		{"missing markers are case-sensitive", "s\nNa\nNONE\nNone\nn/a\nN/a\n", map[string][]string{
			"s": {"categorical", "Na", "NONE", "<missing>", "<missing>", "N/a"},
		}},
		{"a column with no values is numeric", "a,b\n,1\nNA,2\n", map[string][]string{
			"a": {"numeric", "<missing>", "<missing>"},
			"b": {"numeric", "1", "2"},
		}},
		{"numbers as pandas reads them", "n\n 7 \ninf\n-Infinity\n+1.5E3\n.5\n", map[string][]string{
			"n": {"numeric", "7", "+Inf", "-Inf", "1500", "0.5"},
		}},
		{"hex and underscores are not numbers", "a,b\n0x10,1_000\n1,2\n", map[string][]string{
			"a": {"categorical", "0x10", "1"},
			"b": {"categorical", "1_000", "2"},
		}},
		{"mixed numbers and words are categorical", "a\n1\ntwo\n3\n", map[string][]string{
			"a": {"categorical", "1", "two", "3"},
		}},
		{"0 and 1 are numbers, not booleans", "a\n0\n1\n", map[string][]string{
			"a": {"numeric", "0", "1"},
		}},
		{"quoted fields", "a,b\n\"x, y\",\"say \"\"hi\"\"\"\n\"multi\nline\",\"\"\n", map[string][]string{
			"a": {"categorical", "x, y", "multi\nline"},
			"b": {"categorical", "say \"hi\"", ""},
		}},
		// A marker in quotes is text in a categorical column, and missing
		// where text cannot be a value.
		{"quoted markers", "s,n,b,e\n\"NA\",\"NA\",\"\",\"\"\nNA,1,true,\"\"\n\"None\",\"\",NA,x\n", map[string][]string{
			"s": {"categorical", "NA", "<missing>", "None"},
			"n": {"categorical", "NA", "1", ""},
			"b": {"boolean", "<missing>", "true", "<missing>"},
			"e": {"categorical", "", "", "x"},
		}},
		{"a quoted empty field does not make a column text", "n,b\n1,true\n\"\",\"\"\n3,false\n", map[string][]string{
			"n": {"numeric", "1", "<missing>", "3"},
			"b": {"boolean", "true", "<missing>", "false"},
		}},
		{"CRLF, BOM, blank lines, no final newline", "\xef\xbb\xbfa,b\r\n1,2\r\n\r\n\n3,4", map[string][]string{
			"a": {"numeric", "1", "3"},
			"b": {"numeric", "2", "4"},
		}},
		{"CRLF inside quotes becomes LF", "a\n\"x\r\ny\"\n", map[string][]string{
			"a": {"categorical", "x\ny"},
		}},
		{"stray quotes are kept as pandas keeps them", "a,b\nab\"c,\"q\"rest\n", map[string][]string{
			"a": {"categorical", "ab\"c"},
			"b": {"categorical", "qrest"},
		}},
		{"a quoted number is a number", "a\n\"1.5\"\n2\n", map[string][]string{
			"a": {"numeric", "1.5", "2"},
		}},
		{"header only", "a,b\n", map[string][]string{
			"a": {"numeric"},
			"b": {"numeric"},
		}},
		{"header names", "a,,a,a.1,a\n1,2,3,4,5\n", map[string][]string{
			"a":          {"numeric", "1"},
			"Unnamed: 1": {"numeric", "2"},
			"a.1":        {"numeric", "3"},
			"a.1.1":      {"numeric", "4"},
			"a.2":        {"numeric", "5"},
		}},
		{"unicode", "名前,x\n\"é, ü\",1\n", map[string][]string{
			"名前": {"categorical", "é, ü"},
			"x":  {"numeric", "1"},
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := formatted(readString(t, tc.text, ReadOptions{}))
			if !reflect.DeepEqual(got, tc.want) {
				t.Fatalf("got  %q\nwant %q", got, tc.want)
			}
		})
	}
}

func TestReadHeaderOrder(t *testing.T) {
	f := readString(t, "z,a,m\n1,2,3\n", ReadOptions{})
	if got := strings.Join(f.Names(), ","); got != "z,a,m" {
		t.Fatalf("names %s, want z,a,m", got)
	}
}

func TestReadTypesOverrideInference(t *testing.T) {
	f := readString(t, "code,flag,n\n007,1,5\n010,0,x\n", ReadOptions{Types: map[string]Kind{"code": Categorical, "n": Categorical}})
	got := formatted(f)
	want := map[string][]string{
		"code": {"categorical", "007", "010"},
		"flag": {"numeric", "1", "0"},
		"n":    {"categorical", "5", "x"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got %q, want %q", got, want)
	}
	_, err := ReadFrom(context.Background(), strings.NewReader("code\n1\n"), "t.csv", ReadOptions{Types: map[string]Kind{"cdoe": Categorical}})
	if err == nil || !strings.Contains(err.Error(), `did you mean "code"`) {
		t.Fatalf("an unknown column in Types gave %v", err)
	}
	_, err = ReadFrom(context.Background(), strings.NewReader("n\nx\n"), "t.csv", ReadOptions{Types: map[string]Kind{"n": Numeric}})
	if err == nil || !strings.Contains(err.Error(), `"x" is not a number`) {
		t.Fatalf("a word in a column declared numeric gave %v", err)
	}
}

func TestReadInfersFromTheFirstValuesOnly(t *testing.T) {
	// Past the inference window a word in a numeric column is an error at
	// its line, counting the blank line and the two-line quoted field.
	text := "id,n\n\"a\nb\",1\n\nc,2\nd,oops\n"
	_, err := ReadFrom(context.Background(), strings.NewReader(text), "data.csv", ReadOptions{InferRows: 2})
	want := `frame: data.csv:6: column 2 ("n"): "oops" is not a number, though the column's first values made it numeric`
	if err == nil || !strings.HasPrefix(err.Error(), want) {
		t.Fatalf("error %v\nwant one starting %s", err, want)
	}
	// Within the window the same word makes the column categorical.
	f := readString(t, text, ReadOptions{InferRows: 3})
	if c, _ := f.Column("n"); c.Kind() != Categorical {
		t.Fatalf("column n is %v, want categorical", c.Kind())
	}
}

func TestReadErrorsNameFileLineAndColumn(t *testing.T) {
	for _, tc := range []struct {
		name, text string
		opts       ReadOptions
		want       string
	}{
		{"empty", "", ReadOptions{}, "frame: in.csv is empty; its first line must name the columns"},
		{"only a BOM and blank lines", "\xef\xbb\xbf\n\n", ReadOptions{}, "is empty"},
		{"too many fields", "a,b\n1,2\n1,2,3\n", ReadOptions{}, "frame: in.csv:3: the line has 3 fields but the header names 2 columns; field 3 onwards has no column"},
		{"too few fields", "a,b,c\n1,2,3\n\n1\n", ReadOptions{}, `frame: in.csv:4: the line has 1 field but the header names 3 columns; column 2 ("b") onwards is missing`},
		{"ragged after a multi-line field", "a,b\n\"x\ny\",1\n2\n", ReadOptions{}, "frame: in.csv:4: the line has 1 field"},
		{"not a boolean", "ok\ntrue\nmaybe\n", ReadOptions{InferRows: 1}, `frame: in.csv:3: column 1 ("ok"): "maybe" is not true or false, though the column's first values made it boolean`},
		{"unclosed quote", "a\n1\n\"abc\ndef\n", ReadOptions{}, "frame: in.csv:3: a quoted field is never closed"},
		{"invalid UTF-8", "a\n\xff\xfe\n", ReadOptions{}, "frame: in.csv is not a text table: line 2 has bytes that are not UTF-8 text"},
		{"invalid UTF-8 header", "\xff\n1\n", ReadOptions{}, "frame: in.csv is not a text table: line 1 has bytes that are not UTF-8 text"},
		{"NUL bytes", "a,b\n1,\x00\n", ReadOptions{}, "frame: in.csv is not a text table: line 2 has a NUL byte, which text never holds"},
		{"UTF-16", "\xff\xfea\x00\n\x00", ReadOptions{}, "frame: in.csv is not a text table: it is UTF-16 text; save it as UTF-8"},
		{"invalid UTF-8 after the first bytes", "a\n" + strings.Repeat("x\n", sniffBytes) + "\xff\xfe\n", ReadOptions{}, fmt.Sprintf(`frame: in.csv:%d: column 1 ("a"): a value has bytes that are not UTF-8 text; save the file as UTF-8`, sniffBytes+2)},
		{"invalid UTF-8 in a number", "n\n1\n" + strings.Repeat("2\n", sniffBytes) + "\xff\n", ReadOptions{InferRows: 1}, "a value with bytes that are not UTF-8 text is not a number"},
		{"long column name", strings.Repeat("c", 100) + ",b\n1\n", ReadOptions{}, `column 2 ("b") onwards`},
		{"long column name in a bad value", "b," + strings.Repeat("é", 50) + "\n1,1\n2,x\n", ReadOptions{InferRows: 1}, `column 2 ("` + strings.Repeat("é", 20) + `"...): "x" is not a number`},
		{"bad separator", "a\n1\n", ReadOptions{Sep: '"'}, "the separator"},
		{"negative InferRows", "a\n1\n", ReadOptions{InferRows: -1}, "InferRows -1"},
		{"long bad value", "n\n1\n" + strings.Repeat("x", 100) + "\n", ReadOptions{InferRows: 1}, `"` + strings.Repeat("x", 40) + `"... is not a number`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ReadFrom(context.Background(), strings.NewReader(tc.text), "in.csv", tc.opts)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %v\nwant one containing %s", err, tc.want)
			}
		})
	}
}

func TestReadFile(t *testing.T) {
	dir := t.TempDir()
	tsv := filepath.Join(dir, "data.TSV")
	if err := os.WriteFile(tsv, []byte("a\tb\n1,5\tx\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	var reports []string
	f, err := Read(context.Background(), tsv, ReadOptions{Progress: func(phase string, done, total int) {
		reports = append(reports, fmt.Sprintf("%s %d/%d", phase, done, total))
	}})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string][]string{"a": {"categorical", "1,5"}, "b": {"categorical", "x"}}
	if got := formatted(f); !reflect.DeepEqual(got, want) {
		t.Fatalf("a .TSV file read as %q, want %q", got, want)
	}
	if len(reports) == 0 || reports[len(reports)-1] != "read 10/10" {
		t.Fatalf("progress reports %q, want them to end with read 10/10", reports)
	}

	semi := filepath.Join(dir, "data.txt")
	if err := os.WriteFile(semi, []byte("a;b\n1;2\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if f, err := Read(context.Background(), semi, ReadOptions{Sep: ';'}); err != nil || f.NumCols() != 2 {
		t.Fatalf("reading with Sep ';': %v", err)
	}

	missing := filepath.Join(dir, "nope.csv")
	_, err = Read(context.Background(), missing, ReadOptions{})
	if err == nil || !strings.Contains(err.Error(), missing) || !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("reading a missing file gave %v", err)
	}
}

// bigCSV returns a CSV text of n rows that spans several batches.
func bigCSV(n int) string {
	var b strings.Builder
	b.WriteString("id,x,genre,flag\n")
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "%d,%g,g%d,%t\n", i, float64(i)/7, i%13, i%3 == 0)
	}
	return b.String()
}

func TestReadAcrossBatches(t *testing.T) {
	const n = 60000 // about 1.7 MB
	text := bigCSV(n)
	f := readString(t, text, ReadOptions{})
	if f.NumRows() != n {
		t.Fatalf("%d rows, want %d", f.NumRows(), n)
	}
	id, _ := f.Column("id")
	x, _ := f.Column("x")
	genre, _ := f.Column("genre")
	flag, _ := f.Column("flag")
	for i := 0; i < n; i += 997 {
		if id.Float64s()[i] != float64(i) || x.Float64s()[i] != float64(i)/7 || genre.Format(i) != fmt.Sprintf("g%d", i%13) {
			t.Fatalf("row %d read as %v, %v, %s", i, id.Float64s()[i], x.Float64s()[i], genre.Format(i))
		}
		if v, ok := flag.Bool(i); !ok || v != (i%3 == 0) {
			t.Fatalf("row %d flag read as %v", i, v)
		}
	}
	// An error late in the file names its line.
	bad := text + "60000,oops,g1,true\n"
	_, err := ReadFrom(context.Background(), strings.NewReader(bad), "big.csv", ReadOptions{})
	if want := fmt.Sprintf("frame: big.csv:%d: column 2 (\"x\")", n+2); err == nil || !strings.HasPrefix(err.Error(), want) {
		t.Fatalf("error %v, want one starting %s", err, want)
	}
}

func TestReadLinesLongerThanTheBuffer(t *testing.T) {
	long := strings.Repeat("y", 3<<20)
	f := readString(t, "a,b\n"+long+",1\n\""+long+"\n"+long+"\",2\n", ReadOptions{})
	a, _ := f.Column("a")
	if a.Format(0) != long || a.Format(1) != long+"\n"+long {
		t.Fatal("a field longer than the read buffer was not read whole")
	}
}

func TestReadStopsWhenCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := ReadFrom(ctx, strings.NewReader(bigCSV(1000)), "t.csv", ReadOptions{})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("reading with a cancelled context gave %v", err)
	}
}

// TestTokenizerAgreesWithEncodingCSV writes random records with
// encoding/csv, whose quoting is strict RFC 4180, and reads them back.
func TestTokenizerAgreesWithEncodingCSV(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	alphabet := []string{"a", "b", ",", "\"", "\n", "\r\n", " ", "é", "1", ".", ""}
	for trial := 0; trial < 300; trial++ {
		ncols := 1 + rng.IntN(4)
		var records [][]string
		for r := 0; r < 1+rng.IntN(6); r++ {
			rec := make([]string, ncols)
			for c := range rec {
				var s strings.Builder
				for k := rng.IntN(6); k > 0; k-- {
					s.WriteString(alphabet[rng.IntN(len(alphabet))])
				}
				rec[c] = s.String()
			}
			if ncols == 1 && rec[0] == "" {
				continue // a lone empty field is a blank line, which both skip
			}
			records = append(records, rec)
		}
		var buf bytes.Buffer
		w := csv.NewWriter(&buf)
		w.UseCRLF = trial%2 == 0
		if err := w.WriteAll(records); err != nil {
			t.Fatal(err)
		}
		got, err := tokenizeAll(buf.Bytes(), ',')
		if err != nil {
			t.Fatalf("%q: %v", buf.String(), err)
		}
		want, err := csv.NewReader(bytes.NewReader(buf.Bytes())).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, want) && !(len(got) == 0 && len(want) == 0) {
			t.Fatalf("%q\nread as %q\nwant    %q", buf.String(), got, want)
		}
	}
}

// tokenizeAll splits text into records with the package's tokenizer.
func tokenizeAll(text []byte, sep byte) ([][]string, error) {
	t := newTokenizer(bytes.NewReader(text), sep, 16)
	var b batch
	var out [][]string
	for {
		before := len(b.ends)
		ok, err := t.next(&b)
		if err != nil || !ok {
			return out, err
		}
		var rec []string
		for i := before; i < len(b.ends); i++ {
			rec = append(rec, string(b.field(i)))
		}
		out = append(out, rec)
	}
}

func TestNumberParsing(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want float64
		ok   bool
	}{
		{"1", 1, true}, {" -2.5 ", -2.5, true}, {"1e308", 1e308, true}, {"1e999", math.Inf(1), true},
		{"INF", math.Inf(1), true}, {"+infinity", math.Inf(1), true}, {"-inf", math.Inf(-1), true},
		{"0x1p3", 0, false}, {"1_0", 0, false}, {"1,5", 0, false}, {"--1", 0, false}, {"", 0, false},
		{"infinit", 0, false}, {"e", 0, false},
	} {
		v, ok := parseNumber([]byte(tc.in))
		if ok != tc.ok || (ok && v != tc.want) {
			t.Errorf("parseNumber(%q) = %v, %v; want %v, %v", tc.in, v, ok, tc.want, tc.ok)
		}
	}
}

// TestFastNumbersMatchParseFloat checks the fast path against
// strconv.ParseFloat bit for bit on random decimals of every shape.
func TestFastNumbersMatchParseFloat(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 10))
	digits := func(n int) string {
		b := make([]byte, n)
		for i := range b {
			b[i] = byte('0' + rng.IntN(10))
		}
		return string(b)
	}
	taken := 0
	for trial := 0; trial < 200000; trial++ {
		s := []string{"", "-", "+"}[rng.IntN(3)] + digits(rng.IntN(12))
		if rng.IntN(2) == 0 {
			s += "." + digits(rng.IntN(12))
		}
		if rng.IntN(3) == 0 {
			s += []string{"e", "E"}[rng.IntN(2)] + []string{"", "-", "+"}[rng.IntN(3)] + digits(rng.IntN(3))
		}
		checkNumber(t, s)
		if _, ok := parseSimple([]byte(s)); ok {
			taken++
		}
	}
	if taken < 100000 {
		t.Fatalf("the fast path took only %d of 200000 numbers", taken)
	}
}

func checkNumber(t *testing.T, s string) {
	t.Helper()
	fast, ok := parseSimple([]byte(s))
	if !ok {
		return
	}
	want, err := strconv.ParseFloat(s, 64)
	if err != nil || math.Float64bits(fast) != math.Float64bits(want) {
		t.Fatalf("parseSimple(%q) = %v, ParseFloat gives %v, %v", s, fast, want, err)
	}
}

// FuzzParseNumber compares the fast number parser with strconv.ParseFloat.
func FuzzParseNumber(f *testing.F) {
	for _, s := range []string{"1", "-0.5", "1e22", "9007199254740993", "123.456e-7", "+.5", "00012"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		checkNumber(t, s)
		if v, ok := parseNumber([]byte(s)); ok && math.IsNaN(v) {
			t.Fatalf("parseNumber(%q) is NaN, which would read as missing", s)
		}
	})
}

// The columns are converted in parallel; neither the values nor the error
// reported may depend on how many goroutines do it.
func TestReadDoesNotDependOnGOMAXPROCS(t *testing.T) {
	text := bigCSV(40000)
	bad := strings.Replace(text, "\n30000,", "\n30000x,", 1)
	bad = strings.Replace(bad, ",g7,true\n", ",g7,maybe\n", 1)
	run := func(procs int) (map[string][]string, string) {
		prev := runtime.GOMAXPROCS(procs)
		defer runtime.GOMAXPROCS(prev)
		_, err := ReadFrom(context.Background(), strings.NewReader(bad), "t.csv", ReadOptions{})
		return formatted(readString(t, text, ReadOptions{})), fmt.Sprint(err)
	}
	v1, e1 := run(1)
	v4, e4 := run(4)
	if !reflect.DeepEqual(v1, v4) {
		t.Fatal("the table read with GOMAXPROCS=1 differs from the one read with 4")
	}
	if e1 != e4 || !strings.Contains(e1, "t.csv:") {
		t.Fatalf("errors differ or are missing: %q with GOMAXPROCS=1, %q with 4", e1, e4)
	}
}
