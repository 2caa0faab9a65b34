package dsl

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/reckon-dev/reckon/kernel"
)

// recorder is an Output that keeps what a cell shows.
type recorder struct {
	mu      sync.Mutex
	stdout  strings.Builder
	stderr  strings.Builder
	shown   []string // text/plain of displays
	updates []string
	ids     []string
	clears  int
}

func (r *recorder) Stream(name, text string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if name == "stderr" {
		r.stderr.WriteString(text)
	} else {
		r.stdout.WriteString(text)
	}
}

func (r *recorder) Display(b kernel.Bundle, id string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.shown = append(r.shown, b.Data["text/plain"].(string))
	r.ids = append(r.ids, id)
}

func (r *recorder) Update(b kernel.Bundle, id string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.updates = append(r.updates, b.Data["text/plain"].(string))
}

func (r *recorder) Clear(bool) { r.clears++ }

// newTestSession has only the core commands, so that what the tests of the
// language expect does not change as analysis commands are added.
func newTestSession() *Session { return NewSession(newCoreRegistry(), Options{}) }

func run(t *testing.T, s *Session, src string) (Outcome, *recorder, error) {
	t.Helper()
	rec := &recorder{}
	res, err := s.Run(context.Background(), src, rec)
	return res, rec, err
}

func TestEvaluation(t *testing.T) {
	tests := []struct {
		src  string
		want string // text of the cell's value; "" for none
		out  string // stdout
	}{
		{"1 + 2 * 3", "7", ""},
		{"(1 + 2) * 3", "9", ""},
		{"-2 - -3", "1", ""},
		{"7 / 2", "3.5", ""},
		{"1e3 + 1_000", "2000", ""},
		{".5", "0.5", ""},
		{`"a" + 'b'`, `"ab"`, ""},
		{`"tab\there"`, `"tab\there"`, ""},
		{`"\u00e9t\u00e9"`, `"été"`, ""},
		{"[1, 2, [3]]", "[1, 2, [3]]", ""},
		{"[1, 2, 3][-1]", "3", ""},
		{"[]", "[]", ""},
		{`{"a": 1, 2: [3], -1: {}}`, `{"a": 1, 2: [3], -1: {}}`, ""},
		{"{\n  \"a\": 1,\n}", `{"a": 1}`, ""},
		{`{"a": 1, 2: "b"}[2]`, `"b"`, ""},
		{"true", "true", ""},
		{"True == true", "true", ""},
		{"none", "", ""},
		{"2 < 3", "true", ""},
		{`"b" >= "a"`, "true", ""},
		{"[1, 2] == [1, 2]", "true", ""},
		{"x = 4\nx * x", "16", ""},
		{"x = 4; y = x + 1; y", "5", ""},
		{"print(1, \"two\", [3])", "", "1 two [3]\n"},
		{"print(1, 2, sep=\"-\", end=\"!\")", "", "1-2!"},
		{"print(\n  1,\n  2,\n)", "", "1 2\n"},
		{"print(1, \\\n 2)", "", "1 2\n"},
		{"# just a comment\n\n", "", ""},
		{"x = 1 # trailing comment\nx", "1", ""},
	}
	for _, tc := range tests {
		t.Run(tc.src, func(t *testing.T) {
			res, rec, err := run(t, newTestSession(), tc.src)
			if err != nil {
				t.Fatalf("error: %v", err)
			}
			got := ""
			if res.Value != nil {
				got = res.Value.String()
			}
			if got != tc.want {
				t.Errorf("value %q, want %q", got, tc.want)
			}
			if rec.stdout.String() != tc.out {
				t.Errorf("stdout %q, want %q", rec.stdout.String(), tc.out)
			}
		})
	}
}

func TestErrorsNameTheLineColumnAndTheFix(t *testing.T) {
	tests := []struct {
		src  string
		kind string
		line int
		col  int
		msg  string // a part of the message
	}{
		{"x = 1\ny = prnt(x)", NameError, 2, 5, "unknown command `prnt` — did you mean `print`?"},
		{"x = 1\nprint(y)", NameError, 2, 7, "no variable or command is named `y`"},
		{"value = 3\nprint(valeu)", NameError, 2, 7, "did you mean `value`?"},
		{"print(1))", SyntaxError, 1, 9, "closes nothing"},
		{`d = {"a" "b"}`, SyntaxError, 1, 10, "expected `:` after the key in this dict"},
		{`d = {"a": 1 "b": 2}`, SyntaxError, 1, 13, "expected `,` or `}` in this dict, found the string \"b\""},
		{`d = {"a": 1`, SyntaxError, 1, 5, "this `{` is never closed; expected `}`"},
		{`d = {"a": 1]`, SyntaxError, 1, 12, "does not match the `{` opened at line 1, column 5"},
		{`d = {"a": }`, SyntaxError, 1, 11, "expected a value"},
		{`d = {: 1}`, SyntaxError, 1, 6, "expected a value"},
		{"x = 1\n}", SyntaxError, 2, 1, "closes nothing"},
		{`d = {[1]: 2}`, TypeError, 1, 6, "a dict key must be a string or a number, not a list"},
		{"d = {\"a\": 1,\n     \"a\": 2}", ValueError, 2, 6, "the key \"a\" is given twice in this dict (first at line 1, column 6)"},
		{`{"a": 1}["b"]`, ValueError, 1, 10, "this dict has no key \"b\"; its keys are \"a\""},
		{"print(1]", SyntaxError, 1, 8, "does not match the `(`"},
		{"print(1", SyntaxError, 1, 6, "never closed"},
		{"x = ", SyntaxError, 1, 5, "expected a value after `x =`"},
		{"x = \"abc", SyntaxError, 1, 5, "no closing \""},
		{"1 +", SyntaxError, 1, 4, "expected a value"},
		{"x y", SyntaxError, 1, 3, "put each statement on its own line"},
		{"3x", SyntaxError, 1, 2, "cannot run into a name"},
		{"f(x=1, 2)", SyntaxError, 1, 8, "positional argument cannot follow"},
		{"print(1, sep=\"a\", sep=\"b\")", TypeError, 1, 19, "given twice"},
		{"sleep(1, progres=true)", TypeError, 1, 10, "has no parameter `progres` — did you mean `progress`?"},
		{"sleep(\"long\")", TypeError, 1, 7, "`seconds` of `sleep` must be a number, not the string \"long\""},
		{"sleep()", TypeError, 1, 1, "needs its `seconds` argument"},
		{"sleep(1, false, 3)", TypeError, 1, 17, "at most 2 positional arguments"},
		{"sleep(-1)", ValueError, 1, 7, "between 0 and a week"},
		{"print = 3", NameError, 1, 1, "is the name of a command"},
		{"x = 3\nx(1)", TypeError, 2, 1, "not a command"},
		{"x = 3\nx.foo", TypeError, 2, 3, "no parts"},
		{"[1][5]", ValueError, 1, 5, "out of range"},
		{"1 / 0", ValueError, 1, 3, "division by zero"},
		{"\"a\" - 1", TypeError, 1, 5, "does not apply"},
		{"x = print(1)", ValueError, 1, 1, "returns nothing to assign"},
		{"x = 1\ndel(x, nothing)", ValueError, 2, 8, "no variable is named `nothing`"},
		{"true = 1", SyntaxError, 1, 1, "constant"},
		{"x = 1 !  2", SyntaxError, 1, 7, "did you mean `!=`"},
		{"\"\\q\"", SyntaxError, 1, 2, "unknown escape"},
	}
	for _, tc := range tests {
		t.Run(tc.src, func(t *testing.T) {
			_, _, err := run(t, newTestSession(), tc.src)
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("error %v is not a *Error", err)
			}
			if e.Kind != tc.kind || e.Pos.Line != tc.line || e.Pos.Col != tc.col || !strings.Contains(e.Msg, tc.msg) {
				t.Errorf("got %s at %d:%d: %s\nwant %s at %d:%d containing %q", e.Kind, e.Pos.Line, e.Pos.Col, e.Msg, tc.kind, tc.line, tc.col, tc.msg)
			}
			ctx := e.Context()
			if len(ctx) != 2 || !strings.HasSuffix(ctx[1], "^") {
				t.Errorf("context %q lacks the line and its caret", ctx)
			}
		})
	}
}

func TestReportShowsTheLineAndCaret(t *testing.T) {
	_, _, err := run(t, newTestSession(), "x = 1\nemb = prnt(x)")
	got := err.(*Error).Report("script.reckon")
	want := "NameError: script.reckon:2:7: unknown command `prnt` — did you mean `print`?\n    emb = prnt(x)\n          ^\n"
	if got != want {
		t.Errorf("Report:\n%s\nwant:\n%s", got, want)
	}
}

func TestVariablesSurviveAFailingCell(t *testing.T) {
	s := newTestSession()
	if _, _, err := run(t, s, "a = 1\nb = 2"); err != nil {
		t.Fatal(err)
	}
	// The second statement fails: the first one's assignment stays, the
	// failing assignment leaves b alone.
	if _, _, err := run(t, s, "c = 3\nb = nope(1)\nd = 4"); err == nil {
		t.Fatal("expected an error")
	}
	for name, want := range map[string]string{"a": "1", "b": "2", "c": "3"} {
		if v, ok := s.Get(name); !ok || v.String() != want {
			t.Errorf("%s = %v, want %s", name, v, want)
		}
	}
	if _, ok := s.Get("d"); ok {
		t.Error("d was assigned after the failing statement")
	}
	// A syntax error anywhere runs nothing.
	if _, _, err := run(t, s, "e = 5\nf = (1"); err == nil {
		t.Fatal("expected a syntax error")
	}
	if _, ok := s.Get("e"); ok {
		t.Error("a cell with a syntax error ran its first line")
	}
}

func TestNonFinalValuesAreDisplayed(t *testing.T) {
	res, rec, err := run(t, newTestSession(), "1 + 1\nprint(\"x\")\n[3]\n4")
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(rec.shown) != "[2 [3]]" || res.Value.String() != "4" {
		t.Errorf("shown %v, value %v", rec.shown, res.Value)
	}
}

func TestVarsAndDel(t *testing.T) {
	s := newTestSession()
	res, _, err := run(t, s, "beta = [1, 2]\nalpha = \"hi\"\nn = 3\nvars()")
	if err != nil {
		t.Fatal(err)
	}
	text := res.Value.String()
	for _, want := range []string{"alpha  string  2 characters", "beta   list    2 items", "n      number"} {
		if !strings.Contains(text, want) {
			t.Errorf("vars() lacks %q:\n%s", want, text)
		}
	}
	if !strings.Contains(Bundle(res.Value).Data["text/html"].(string), "<td style=\"text-align:left\">alpha</td>") {
		t.Error("vars() has no HTML table")
	}
	if _, _, err := run(t, s, "del(alpha, n)"); err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(s.VarNames()) != "[beta]" {
		t.Errorf("after del: %v", s.VarNames())
	}
	if _, _, err := run(t, s, "del(beta, 3)"); err == nil || !strings.Contains(err.Error(), "takes names") {
		t.Errorf("del of a literal: %v", err)
	}
}

func TestHelp(t *testing.T) {
	s := newTestSession()
	res, _, err := run(t, s, "help()")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"basics", "print ", "sleep ", "Write values"} {
		if !strings.Contains(res.Value.String(), want) {
			t.Errorf("help() lacks %q", want)
		}
	}
	res, _, err = run(t, s, "help(sleep)")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(res.Value.String(), "sleep(seconds, progress=false)") || !strings.Contains(res.Value.String(), "progress (bool, default false)") {
		t.Errorf("help(sleep):\n%s", res.Value)
	}
	res, _, err = run(t, s, "?print\nx = [1]\nx?")
	if err != nil || len(res.Pages) != 2 || !strings.Contains(res.Pages[0].String(), "print(values...") || !strings.Contains(res.Pages[1].String(), "a list (1 item)") {
		t.Errorf("pages: %v %v", res.Pages, err)
	}
	if _, _, err := run(t, s, "?prnt"); err == nil || !strings.Contains(err.Error(), "did you mean `print`") {
		t.Errorf("?prnt: %v", err)
	}
}

func TestDisplayCommands(t *testing.T) {
	_, rec, err := run(t, newTestSession(), `display("a", display_id="s")
update_display("b", display_id="s")
display([1])
clear_output(wait=true)`)
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(rec.shown) != `["a" [1]]` || fmt.Sprint(rec.ids) != "[s ]" || fmt.Sprint(rec.updates) != `["b"]` || rec.clears != 1 {
		t.Errorf("shown %v ids %v updates %v clears %d", rec.shown, rec.ids, rec.updates, rec.clears)
	}
}

func TestProgressIsThrottledAndEndsWithTheFinalState(t *testing.T) {
	_, rec, err := run(t, newTestSession(), "sleep(0.8, progress=true)")
	if err != nil {
		t.Fatal(err)
	}
	if len(rec.shown) != 1 || !strings.HasPrefix(rec.ids[0], "reckon-") {
		t.Fatalf("progress shown %v with ids %v", rec.shown, rec.ids)
	}
	// 0.5 s of bar at one report a millisecond: about five renderings,
	// not 500.
	if n := len(rec.updates); n < 2 || n > 9 {
		t.Errorf("%d progress updates in 0.5 s", n)
	}
	last := rec.updates[len(rec.updates)-1]
	if !strings.Contains(last, "100%") || !strings.Contains(last, "done in") {
		t.Errorf("final progress state %q", last)
	}
	quiet := NewSession(newCoreRegistry(), Options{QuietProgress: true})
	if _, rec, _ := run(t, quiet, "sleep(0.4, progress=true)"); len(rec.shown)+len(rec.updates) != 0 {
		t.Errorf("a quiet session showed progress: %v %v", rec.shown, rec.updates)
	}
}

func TestQuickCommandsShowNoProgressBar(t *testing.T) {
	if _, rec, _ := run(t, newTestSession(), "sleep(0.05, progress=true)"); len(rec.shown)+len(rec.updates) != 0 {
		t.Errorf("a 50 ms command left a progress bar: %v %v", rec.shown, rec.updates)
	}
}

func TestInterruptStopsACommandAndKeepsVariables(t *testing.T) {
	s := newTestSession()
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(100*time.Millisecond, cancel)
	start := time.Now()
	_, err := s.Run(ctx, "a = 1\nsleep(60, progress=true)\nb = 2", &recorder{})
	var e *Error
	if !errors.As(err, &e) || e.Kind != Interrupted || e.Pos.Line != 2 {
		t.Fatalf("error %v, want an interrupt at line 2", err)
	}
	if time.Since(start) > time.Second {
		t.Errorf("the interrupt took %s", time.Since(start))
	}
	if _, ok := s.Get("a"); !ok {
		t.Error("a was lost")
	}
	if _, ok := s.Get("b"); ok {
		t.Error("b was assigned after the interrupt")
	}
}

func TestIsComplete(t *testing.T) {
	in := &Interpreter{Session: newTestSession()}
	for _, tc := range []struct{ code, status string }{
		{"", "complete"},
		{"x = 1", "complete"},
		{"print(1,\n 2)", "complete"},
		{"print(1,", "incomplete"},
		{"x = [1,\n2", "incomplete"},
		{"x = 1 + \\", "incomplete"},
		{"print(1))", "invalid"},
		{"x = = 1", "invalid"},
		{"x = \"abc", "invalid"},
	} {
		status, indent := in.IsComplete(tc.code)
		if status != tc.status {
			t.Errorf("IsComplete(%q) = %s, want %s", tc.code, status, tc.status)
		}
		if status == "incomplete" && indent == "" {
			t.Errorf("IsComplete(%q) gives no indent", tc.code)
		}
	}
}

// attrValue is a value with parts, standing in for a table's columns.
type attrValue struct{}

func (attrValue) Type() string    { return "record" }
func (attrValue) String() string  { return "record" }
func (attrValue) Attrs() []string { return []string{"energy", "genre", "tempo"} }
func (attrValue) Attr(n string) (Value, bool) {
	if n == "energy" || n == "genre" || n == "tempo" {
		return String(n), true
	}
	return nil, false
}

func TestAttributes(t *testing.T) {
	s := newTestSession()
	s.Set("tracks", attrValue{})
	if res, _, err := run(t, s, "tracks.genre"); err != nil || res.Value.String() != `"genre"` {
		t.Errorf("tracks.genre = %v, %v", res.Value, err)
	}
	if _, _, err := run(t, s, "tracks.gnre"); err == nil || !strings.Contains(err.Error(), "did you mean `genre`") || !strings.Contains(err.Error(), "`energy`, `genre` and `tempo`") {
		t.Errorf("tracks.gnre: %v", err)
	}
}

func TestComplete(t *testing.T) {
	s := newTestSession()
	s.Set("tracks", attrValue{})
	s.Set("threshold", Number(1))
	in := &Interpreter{Session: s}
	for _, tc := range []struct {
		code    string
		cursor  int // -1 for the end
		matches string
		start   int
	}{
		{"pri", -1, "[print]", 0},
		{"x = sle", -1, "[sleep]", 4},
		{"t", -1, "[threshold tracks true]", 0},
		{"tracks.", -1, "[energy genre tempo]", 7},
		{"tracks.te", -1, "[tempo]", 7},
		{"sleep(1, pro", -1, "[progress=]", 9},
		{"sleep(1, progress=true, ", -1, "[clear_output del display false help none print seconds= sleep threshold tracks true update_display vars]", 24},
		{"print(1, s", -1, "[sep= sleep stderr=]", 9},
		{"display(tracks, \"ge", -1, "[genre]", 17},
		{"# pri", -1, "[]", 5},
		{"print(x)\npri", -1, "[print]", 9},
		{"pri + 1", 3, "[print]", 0},
		{"é = 1; pri", -1, "[print]", 7},
	} {
		cursor := tc.cursor
		if cursor < 0 {
			cursor = len([]rune(tc.code))
		}
		c := in.Complete(tc.code, cursor)
		if got := fmt.Sprint(c.Matches); got != tc.matches || c.Start != tc.start || c.End != cursor {
			t.Errorf("Complete(%q, %d) = %s [%d,%d), want %s [%d,%d)", tc.code, cursor, got, c.Start, c.End, tc.matches, tc.start, cursor)
		}
	}
}

func TestInspect(t *testing.T) {
	s := newTestSession()
	s.Set("tracks", attrValue{})
	in := &Interpreter{Session: s}
	for _, tc := range []struct {
		code   string
		cursor int
		detail int
		want   string
	}{
		{"sleep", 5, 0, "sleep(seconds, progress=false)"},
		{"sleep", 2, 1, "Useful to try out interrupts"},
		{"sleep(", 6, 0, "sleep(seconds, progress=false)"},
		{"sleep(1, progress=true)", 12, 0, "progress=false (bool): show a progress bar"},
		{"tracks", 3, 0, "a record"},
	} {
		b, found := in.Inspect(tc.code, tc.cursor, tc.detail)
		if !found || !strings.Contains(b.Data["text/plain"].(string), tc.want) {
			t.Errorf("Inspect(%q, %d, %d) = %v %v, want %q", tc.code, tc.cursor, tc.detail, found, b.Data["text/plain"], tc.want)
		}
	}
	if b, _ := in.Inspect("sleep", 5, 0); strings.Contains(b.Data["text/plain"].(string), "Useful to try") {
		t.Error("detail level 0 includes the long description")
	}
	if _, found := in.Inspect("nothing_here", 3, 0); found {
		t.Error("Inspect found an unknown name")
	}
}

func TestExecuteTurnsErrorsAndPagesIntoKernelTerms(t *testing.T) {
	in := &Interpreter{Session: newTestSession()}
	res, err := in.Execute(context.Background(), "?sleep\n1 + 1", &recorder{})
	if err != nil || res.Value.Data["text/plain"] != "2" || len(res.Payload) != 1 {
		t.Fatalf("Execute: %+v %v", res, err)
	}
	if page, ok := res.Payload[0].(kernel.Page); !ok || !strings.Contains(fmt.Sprint(page.Bundle.Data["text/plain"]), "sleep(") {
		t.Errorf("payload %#v is not the page of help for sleep", res.Payload[0])
	}
	_, err = in.Execute(context.Background(), "x = 1\nsleep(\"x\")", &recorder{})
	var ke *kernel.Error
	if !errors.As(err, &ke) || ke.Name != TypeError || len(ke.Traceback) != 4 || !strings.HasSuffix(ke.Traceback[3], "^") {
		t.Fatalf("kernel error %#v", err)
	}
}

func TestRunRecoversFromAPanickingCommand(t *testing.T) {
	r := newCoreRegistry()
	r.Register(&Command{Name: "boom", Group: "basics", Summary: "Panic.", Run: func(ctx context.Context, c *Call) (Value, error) {
		var s []int
		return Number(s[len(c.Cmd.Name)]), nil
	}})
	s := NewSession(r, Options{})
	s.Set("keep", Number(1))
	_, err := s.Run(context.Background(), "boom()", &recorder{})
	var e *Error
	if !errors.As(err, &e) || e.Kind != "InternalError" || !strings.Contains(e.Msg, "index out of range") {
		t.Fatalf("panic became %v", err)
	}
	if _, ok := s.Get("keep"); !ok {
		t.Error("a panicking command lost the variables")
	}
}

func TestEqualityOfValuesWithoutGoEquality(t *testing.T) {
	s := newTestSession()
	s.Set("a", Listing{})
	res, _, err := run(t, s, "[a == a, a != 1, vars() == vars()]")
	if err != nil || res.Value.String() != "[false, true, false]" {
		t.Errorf("got %v, %v", res.Value, err)
	}
}

// Values and table cells write numbers by one rule; only the number of
// digits differs, and a missing cell is NA, not a number.
func TestNumbersAreWrittenOneWay(t *testing.T) {
	for _, tc := range []struct {
		v           float64
		value, cell string
	}{
		{3, "3", "3"}, {-0.5, "-0.5", "-0.5"}, {1e20, "1e+20", "1e+20"},
		{math.Pi, "3.141592653589793", "3.14159"},
		{math.NaN(), "nan", "nan"}, {math.Inf(1), "inf", "inf"}, {math.Inf(-1), "-inf", "-inf"},
	} {
		if got := formatNumber(tc.v); got != tc.value {
			t.Errorf("formatNumber(%v) = %q, want %q", tc.v, got, tc.value)
		}
		if got := formatShort(tc.v); got != tc.cell {
			t.Errorf("formatShort(%v) = %q, want %q", tc.v, got, tc.cell)
		}
	}
}
