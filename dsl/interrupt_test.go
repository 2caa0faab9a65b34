package dsl

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestLongCommandsStopWithinASecondOfAnInterrupt interrupts each long
// command of the method shortly after it starts: the cell must end within
// a second, as an interrupt, with the session's variables intact.
func TestLongCommandsStopWithinASecondOfAnInterrupt(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 9))
	var b strings.Builder
	b.WriteString("a,b,c,d,e,f,g,h\n")
	for i := 0; i < 6000; i++ {
		for j := 0; j < 8; j++ {
			if j > 0 {
				b.WriteByte(',')
			}
			fmt.Fprintf(&b, "%.4f", rng.NormFloat64()+float64(i%3)*4)
		}
		b.WriteByte('\n')
	}
	p := filepath.Join(t.TempDir(), "big.csv")
	if err := os.WriteFile(p, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	s := NewSession(NewRegistry(), Options{QuietProgress: true})
	if _, _, err := run(t, s, `X = load("`+p+`")
cl = kmeans(X, k=3)`); err != nil {
		t.Fatal(err)
	}
	for _, src := range []string{
		"umap(X, n_epochs=5000)",
		"hdbscan(X, min_cluster_size=200, min_samples=400)",
		"explain(cl, on=X, n_estimators=2000, max_depth=8)",
		"recurse(X, depth=3, min_cluster_size=50)",
		"stability(X, runs=20)",
	} {
		t.Run(src, func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			time.AfterFunc(150*time.Millisecond, cancel)
			start := time.Now()
			_, err := s.Run(ctx, "y = "+src, &recorder{})
			took := time.Since(start)
			if err == nil {
				t.Fatalf("finished in %s, before the interrupt: make it longer", took)
			}
			var e *Error
			if !errors.As(err, &e) || e.Kind != Interrupted {
				t.Fatalf("error %v, want an interrupt", err)
			}
			if took > 150*time.Millisecond+time.Second {
				t.Errorf("stopped %s after the interrupt", took-150*time.Millisecond)
			}
			if _, ok := s.Get("X"); !ok {
				t.Error("the interrupt lost X")
			}
		})
	}
}
