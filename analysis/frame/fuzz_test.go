package frame

import (
	"bytes"
	"context"
	"encoding/csv"
	"reflect"
	"strings"
	"testing"
)

// FuzzRead feeds arbitrary bytes to the reader. Whatever the input, it must
// not panic, an error must be the package's own, and a table it returns
// must hold together under every operation. Where encoding/csv, which is
// strict, accepts the input, the records must be the same as its.
// testdata/fuzz/FuzzRead holds the seed corpus, run as regression tests.
func FuzzRead(f *testing.F) {
	for _, s := range []string{
		"a,b\n1,2\n",
		"a,b\r\n\"x,\"\"y\"\"\",NA\r\n",
		"\xef\xbb\xbfa\ntrue\nfalse\n\n",
		"a,b\n1\n",
		"a\n\"unclosed\n",
		"x,x,\n1,inf,\n-1e5,nan,z\n",
		// Quoted markers are text; binary input is refused.
		"s,n\n\"NA\",\"\"\nNA,1\n\"\",\"NA\"\n",
		"a\n\x00\n",
		"\xff\xfea\x00",
		"a,b\n\xc3\n",
		"a\n\"" + strings.Repeat("x\n", 64),
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		ctx := context.Background()
		fr, err := ReadFrom(ctx, bytes.NewReader(data), "fuzz.csv", ReadOptions{InferRows: 2})
		if err != nil {
			if !strings.HasPrefix(err.Error(), "frame: ") {
				t.Fatalf("error without the package prefix: %v", err)
			}
		} else {
			exercise(t, fr)
			var out bytes.Buffer
			if err := fr.WriteCSV(&out); err != nil {
				t.Fatal(err)
			}
			back, err := ReadFrom(ctx, &out, "back.csv", ReadOptions{InferRows: 2})
			if err != nil {
				t.Fatalf("the table written as %q does not read back: %v", out.String(), err)
			}
			// A carriage return before a line feed inside a quoted field
			// reads as a plain line feed, as in encoding/csv, so a field
			// holding one comes back without it.
			want := map[string][]string{}
			for name, vals := range formatted(fr) {
				for i := range vals {
					vals[i] = strings.ReplaceAll(vals[i], "\r\n", "\n")
				}
				want[strings.ReplaceAll(name, "\r\n", "\n")] = vals
			}
			if got := formatted(back); !reflect.DeepEqual(got, want) {
				t.Fatalf("the table %q written as %q reads back as %q", want, out.String(), got)
			}
		}
		if bytes.HasPrefix(data, []byte("\xef\xbb\xbf")) {
			return
		}
		r := csv.NewReader(bytes.NewReader(data))
		r.FieldsPerRecord = -1
		want, err := r.ReadAll()
		if err != nil {
			return
		}
		got, err := tokenizeAll(data, ',')
		if err != nil {
			t.Fatalf("encoding/csv reads %q but the tokenizer fails: %v", data, err)
		}
		if len(got)+len(want) > 0 && !reflect.DeepEqual(got, want) {
			t.Fatalf("%q\nread as %q\nencoding/csv %q", data, got, want)
		}
	})
}

// exercise runs every operation on a frame and checks its shape.
func exercise(t *testing.T, f *Frame) {
	t.Helper()
	names := map[string]bool{}
	for _, c := range f.Columns() {
		if c.Len() != f.NumRows() {
			t.Fatalf("column %q has %d values in a table of %d rows", c.Name(), c.Len(), f.NumRows())
		}
		if c.Name() == "" || names[c.Name()] {
			t.Fatalf("column name %q is empty or repeated", c.Name())
		}
		names[c.Name()] = true
		for i := 0; i < c.Len(); i++ {
			_ = c.Format(i)
		}
	}
	if _, err := f.Describe(context.Background()); err != nil {
		t.Fatal(err)
	}
	for _, imp := range []ImputeOptions{{}, {Strategy: MostFrequent}, {Strategy: Constant}} {
		g, err := f.Impute(imp)
		if err != nil {
			continue
		}
		if h, err := g.OneHot(); err == nil {
			if s, err := h.Standardize(); err == nil && s.NumRows()*s.NumCols() < 1e5 {
				_, _ = s.Dense()
			}
		}
	}
	if f.NumCols() > 0 {
		c := f.cols[0]
		var v any = 0.0
		switch c.Kind() {
		case Categorical:
			v = "a"
		case Boolean:
			v = true
		}
		for _, op := range []Op{Eq, Ne, Lt, Ge} {
			_, _ = f.Filter(c.Name(), op, v)
		}
	}
	if _, err := f.Sample(f.NumRows()/2, 1); err != nil {
		t.Fatal(err)
	}
}
