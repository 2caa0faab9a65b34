package dsl

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"
)

// FuzzCell runs arbitrary text through everything the kernel asks of the
// language — parse, run, is_complete, complete and inspect at every cursor
// position — and requires an answer or a located error, never a panic.
func FuzzCell(f *testing.F) {
	for _, seed := range []string{
		"x = 1\nprint(x)", "print(1,\n  2)", "f(x=1, 2)", "\"unterminated", "[1, [2, (3]", "x = 1 \\\n + 2",
		"?print", "print?", "tracks.genre", "sleep(0.001, progress=true)", "del(x)", "1/0", "-\"a\"",
		"a.b.c[1][2](3)", "é = 'ü'", "#", "\\", ")", "print(sep=", "help(help)", "vars()",
		"x = [1,2]\nx[-3]", "1e999", "\ufeffprint(1)", "print('\\u12')",
		// Nesting past the limit, which once overflowed the stack.
		"x = " + strings.Repeat("[", maxNest+1) + strings.Repeat("]", maxNest+1),
		strings.Repeat("-", maxNest+1) + "1", "1" + strings.Repeat("+1", maxNest+1),
		"x = [1]\nx[-1e300]", "bc.Cl.thickness", "sleep(1e308*10-1e308*10)",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, src string) {
		s := newTestSession()
		s.Set("tracks", attrValue{})
		in := &Interpreter{Session: s}
		ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
		defer cancel()
		if _, err := s.Run(ctx, src, &recorder{}); err != nil {
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("Run returned %T %v, not a *Error", err, err)
			}
			if e.Kind == "InternalError" {
				t.Fatalf("Run panicked inside: %s", e.Msg)
			}
		}
		in.IsComplete(src)
		n := len([]rune(src))
		for cur := 0; cur <= n && cur < 64; cur++ {
			c := in.Complete(src, cur)
			if c.Start < 0 || c.Start > c.End || c.End != cur {
				t.Fatalf("Complete(%q, %d) gives the range [%d, %d)", src, cur, c.Start, c.End)
			}
			in.Inspect(src, cur, 1)
		}
	})
}
