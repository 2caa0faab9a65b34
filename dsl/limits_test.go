package dsl

import (
	"context"
	"errors"
	"os"
	"runtime"
	"strconv"
	"strings"
	"testing"
)

// TestDeepNestingIsASyntaxError feeds the parser, the evaluator and
// is_complete expressions nested 400,000 levels deep, which used to end the
// process with a stack overflow no recover catches.
func TestDeepNestingIsASyntaxError(t *testing.T) {
	const deep = 400_000
	// Ten times the limit, for the constructs 400,000 of which would not
	// fit in a cell.
	const wide = 10 * maxNest
	tests := []struct {
		name string
		src  string
		col  int // of the token one level too deep
	}{
		{"brackets", "x = " + strings.Repeat("[", deep) + strings.Repeat("]", deep), 4 + maxNest + 1},
		{"parentheses", "x = " + strings.Repeat("(", deep) + "1" + strings.Repeat(")", deep), 4 + maxNest + 1},
		{"calls", strings.Repeat("print(", wide) + strings.Repeat(")", wide), 6*maxNest + 6},
		{"unary minus", "x = " + strings.Repeat("-", deep) + "1", 4 + maxNest},
		{"sum", "x = 1" + strings.Repeat(" + 1", wide), 5 + 4*maxNest - 2},
		{"attributes", "x" + strings.Repeat(".a", wide), 2 * maxNest},
		{"indexes", "x" + strings.Repeat("[0]", wide), 3*maxNest - 3},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := newTestSession()
			s.Set("keep", Number(1))
			_, _, err := run(t, s, tc.src)
			var e *Error
			if !errors.As(err, &e) || e.Kind != SyntaxError || !strings.Contains(e.Msg, "nests more than 1,000 levels deep") {
				t.Fatalf("got %v, want a SyntaxError about nesting", err)
			}
			if e.Pos.Line != 1 || e.Pos.Col != tc.col {
				t.Errorf("error at %s, want line 1, column %d", e.Pos, tc.col)
			}
			if _, ok := s.Get("keep"); !ok {
				t.Error("the session lost its variables")
			}
			in := &Interpreter{Session: s}
			if st, _ := in.IsComplete(tc.src); st != "invalid" {
				t.Errorf("is_complete says %q, want invalid", st)
			}
		})
	}
	// Nesting within the limit still works.
	ok := "x = " + strings.Repeat("[", maxNest-1) + strings.Repeat("]", maxNest-1) + "\nprint(1" + strings.Repeat(" + 1", maxNest-3) + ")"
	if _, rec, err := run(t, newTestSession(), ok); err != nil || rec.stdout.String() != strconv.Itoa(maxNest-2)+"\n" {
		t.Fatalf("nesting just within the limit: %v, printed %q", err, rec.stdout.String())
	}
}

// TestEvaluationBoundsNestingToo builds a tree deeper than the parser
// allows, as a caller other than Parse could, and evaluates it.
func TestEvaluationBoundsNestingToo(t *testing.T) {
	var n Node = &NumberLit{P: Pos{Line: 1, Col: 1}, V: 1}
	for i := 0; i < 3*maxNest; i++ {
		n = &Unary{Op: "-", X: n, P: Pos{Line: 1, Col: 1}}
	}
	s := newTestSession()
	_, _, err := s.eval(context.Background(), n, &recorder{}, 0)
	var e *Error
	if !errors.As(err, &e) || !strings.Contains(e.Msg, "nests more than") {
		t.Fatalf("got %v, want the nesting error", err)
	}
}

func TestCellSizeIsBounded(t *testing.T) {
	src := "x = [" + strings.Repeat("1, ", MaxCellBytes/3) + "1]"
	s := newTestSession()
	_, _, err := run(t, s, src)
	var e *Error
	if !errors.As(err, &e) || e.Kind != SyntaxError || e.Msg != "this cell holds 1 MB of code, more than the 1 MB a cell may hold; keep data in a file and load() it" {
		t.Fatalf("got %v", err)
	}
	if ctx := e.Context(); len(ctx) != 2 || len([]rune(ctx[0])) != 4+contextWidth+1 || ctx[1] != "    ^" {
		t.Errorf("context %q", ctx)
	}
	if st, _ := (&Interpreter{Session: s}).IsComplete(src); st != "invalid" {
		t.Errorf("is_complete says %q", st)
	}
}

// TestErrorContextShowsAWindowOfALongLine keeps an error reply small when
// the line is huge: only the part around the caret is echoed.
func TestErrorContextShowsAWindowOfALongLine(t *testing.T) {
	src := "x = [" + strings.Repeat("1, ", 100_000) + "y]"
	_, _, err := run(t, newTestSession(), src)
	var e *Error
	if !errors.As(err, &e) {
		t.Fatal(err)
	}
	ctx := e.Context()
	if len(ctx) != 2 || len([]rune(ctx[0])) > contextWidth+10 {
		t.Fatalf("context of %d lines, the first %d characters long", len(ctx), len([]rune(ctx[0])))
	}
	caret := strings.IndexRune(ctx[1], '^')
	if r := []rune(ctx[0]); caret < 0 || caret >= len(r) || r[caret] != 'y' {
		t.Errorf("the caret does not point at y:\n%s\n%s", ctx[0], ctx[1])
	}
}

// peakRSS resets the process's peak resident set size, runs f, and returns
// the new peak in bytes (Linux only: /proc/self/clear_refs and VmHWM).
func peakRSS(b *testing.B, f func()) float64 {
	if err := os.WriteFile("/proc/self/clear_refs", []byte("5"), 0); err != nil {
		b.Skipf("cannot reset the peak RSS: %v", err)
	}
	f()
	status, err := os.ReadFile("/proc/self/status")
	if err != nil {
		b.Skip(err)
	}
	for _, line := range strings.Split(string(status), "\n") {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, _ := strconv.Atoi(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")))
			return float64(kb) * 1024
		}
	}
	b.Skip("no VmHWM in /proc/self/status")
	return 0
}

// BenchmarkBigCell runs the largest cell of list literals a cell may hold
// and reports the process's peak memory for it (the 50 MB cell that once
// peaked at 4.1 GB is now refused at once).
func BenchmarkBigCell(b *testing.B) {
	src := "x = [" + strings.Repeat("0.5, ", (MaxCellBytes-16)/5) + "1]"
	var peak float64
	for b.Loop() {
		runtime.GC()
		peak = max(peak, peakRSS(b, func() {
			if _, err := newTestSession().Run(context.Background(), src, &recorder{}); err != nil {
				b.Fatal(err)
			}
		}))
	}
	b.ReportMetric(peak/(1<<20), "peak-RSS-MB")
	b.ReportMetric(float64(len(src))/(1<<20), "cell-MB")
}
