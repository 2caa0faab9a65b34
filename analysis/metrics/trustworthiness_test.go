package metrics

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/reckon-dev/reckon/internal/pyref"
)

// python runs a scikit-learn script with arguments and returns its output.
func python(t *testing.T, script string, args ...string) string {
	t.Helper()
	pyref.Require(t, "python3-sklearn", "sklearn")
	return strings.TrimSpace(string(pyref.Run(t, script, nil, args...)))
}

func writeCSV(t *testing.T, m mat.Matrix) string {
	t.Helper()
	n, d := m.Dims()
	var b strings.Builder
	for i := range n {
		for j := range d {
			if j > 0 {
				b.WriteByte(',')
			}
			b.WriteString(strconv.FormatFloat(m.At(i, j), 'g', -1, 64))
		}
		b.WriteByte('\n')
	}
	path := filepath.Join(t.TempDir(), fmt.Sprintf("m%dx%d.csv", n, d))
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// noisyProjection returns data and a lossy 2-D embedding of it: the first
// two coordinates plus noise, so that trustworthiness is well below 1.
func noisyProjection(n, d int, noise float64, seed uint64) (x, e *mat.Dense) {
	rng := rand.New(rand.NewPCG(seed, 3))
	x = mat.NewDense(n, d, nil)
	e = mat.NewDense(n, 2, nil)
	for i := range n {
		for j := range d {
			x.Set(i, j, rng.NormFloat64())
		}
		e.Set(i, 0, x.At(i, 0)+noise*rng.NormFloat64())
		e.Set(i, 1, x.At(i, 1)+noise*rng.NormFloat64())
	}
	return x, e
}

func TestTrustworthinessMatchesScikitLearn(t *testing.T) {
	const script = `
import sys, numpy as np
from sklearn.manifold import trustworthiness
x = np.loadtxt(sys.argv[1], delimiter=",")
e = np.loadtxt(sys.argv[2], delimiter=",")
print(" ".join(repr(trustworthiness(x, e, n_neighbors=k)) for k in (1, 5, 15)))
`
	for _, tc := range []struct {
		n, d  int
		noise float64
	}{{60, 3, 0.3}, {200, 10, 0.5}, {400, 5, 0.05}} {
		x, e := noisyProjection(tc.n, tc.d, tc.noise, uint64(tc.n))
		want := strings.Fields(python(t, script, writeCSV(t, x), writeCSV(t, e)))
		for q, k := range []int{1, 5, 15} {
			got, err := Trustworthiness(context.Background(), x, e, k)
			if err != nil {
				t.Fatal(err)
			}
			w, _ := strconv.ParseFloat(want[q], 64)
			if math.Abs(got-w) > 1e-12 {
				t.Errorf("n=%d d=%d k=%d: %v, scikit-learn %v", tc.n, tc.d, k, got, w)
			}
		}
	}
}

func TestTrustworthinessProperties(t *testing.T) {
	x, _ := noisyProjection(150, 4, 0, 9)
	// An embedding that is the data itself is perfectly trustworthy.
	if got, err := Trustworthiness(context.Background(), x, x, 7); err != nil || got != 1 {
		t.Errorf("identity embedding: %v, %v; want 1", got, err)
	}
	// More noise, less trust.
	prev := 1.0
	for _, noise := range []float64{0.01, 0.3, 3} {
		_, e := noisyProjection(150, 4, noise, 9)
		got, err := Trustworthiness(context.Background(), x, e, 7)
		if err != nil {
			t.Fatal(err)
		}
		if got > prev {
			t.Errorf("noise %v: trustworthiness %v rose from %v", noise, got, prev)
		}
		prev = got
	}
}

func TestTrustworthinessBadInput(t *testing.T) {
	x, e := noisyProjection(20, 3, 0.1, 1)
	nan := mat.DenseCopyOf(e)
	nan.Set(4, 1, math.NaN())
	for _, tc := range []struct {
		name string
		x, e mat.Matrix
		k    int
		want string
	}{
		{"rows differ", x, e.Slice(0, 10, 0, 2), 3, "20 rows but the embedding 10"},
		{"k too large", x, e, 10, "less than half the 20 rows"},
		{"k zero", x, e, 0, "at least 1"},
		{"nan", x, nan, 3, "embedding row 4, column 1 is NaN"},
	} {
		_, err := Trustworthiness(context.Background(), tc.x, tc.e, tc.k)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v, want an error containing %q", tc.name, err, tc.want)
		}
	}
}

func ExampleTrustworthiness() {
	// Points on a line, embedded once faithfully and once with two of
	// them swapped.
	x := mat.NewDense(8, 1, []float64{0, 1, 2, 3, 4, 5, 6, 7})
	kept := mat.NewDense(8, 1, []float64{0, 1, 2, 3, 4, 5, 6, 7})
	swapped := mat.NewDense(8, 1, []float64{7, 1, 2, 3, 4, 5, 6, 0})
	a, _ := Trustworthiness(context.Background(), x, kept, 2)
	b, _ := Trustworthiness(context.Background(), x, swapped, 2)
	fmt.Printf("%.3f %.3f\n", a, b)
	// Output:
	// 1.000 0.667
}
