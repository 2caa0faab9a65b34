package pca

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"gonum.org/v1/gonum/mat"

	"github.com/reckon-dev/reckon/internal/pyref"
)

// latent returns n x d data made of rank hidden factors of decreasing
// spread, mixed into the columns with random loadings, plus a little noise,
// shifted by offset (and a column-dependent amount) from the origin.
func latent(seed uint64, n, d, rank int, offset float64) *mat.Dense {
	rng := rand.New(rand.NewPCG(seed, 11))
	w := make([]float64, rank*d)
	for i := range w {
		w[i] = rng.NormFloat64()
	}
	x := mat.NewDense(n, d, nil)
	for i := 0; i < n; i++ {
		row := x.RawRowView(i)
		for f := 0; f < rank; f++ {
			z := rng.NormFloat64() * 10 / float64(f+1)
			for j := range row {
				row[j] += z * w[f*d+j]
			}
		}
		for j := range row {
			row[j] += 0.05*rng.NormFloat64() + offset + float64(j)
		}
	}
	return x
}

type reference struct {
	Components             []float64 `json:"components"`
	Mean                   []float64 `json:"mean"`
	ExplainedVariance      []float64 `json:"explained_variance"`
	ExplainedVarianceRatio []float64 `json:"explained_variance_ratio"`
	SingularValues         []float64 `json:"singular_values"`
	Embedding              []float64 `json:"embedding"`
}

// sklearn fits scikit-learn's PCA to each case with /usr/bin/python3.
func sklearn(t *testing.T, cases []sklearnCase) []reference {
	t.Helper()
	pyref.Require(t, "python3-sklearn", "sklearn")
	type input struct {
		Rows        int       `json:"rows"`
		Cols        int       `json:"cols"`
		Data        []float64 `json:"data"`
		NComponents int       `json:"n_components"`
		Solver      string    `json:"svd_solver"`
		Whiten      bool      `json:"whiten"`
	}
	in := make([]input, len(cases))
	for i, c := range cases {
		r, cols := c.x.Dims()
		in[i] = input{r, cols, c.x.RawMatrix().Data, c.s.NComponents, string(c.s.Solver), c.s.Whiten}
	}
	script, err := os.ReadFile(filepath.Join("testdata", "sklearn_pca.py"))
	if err != nil {
		t.Fatal(err)
	}
	var refs []reference
	pyref.JSON(t, string(script), in, &refs)
	return refs
}

type sklearnCase struct {
	name string
	x    *mat.Dense
	s    Settings
	tol  float64 // relative, on variances; components get its square root
}

func TestMatchesScikitLearn(t *testing.T) {
	cases := []sklearnCase{
		{"full, tall", latent(1, 60, 8, 4, 5), Settings{NComponents: 3, Solver: Full}, 1e-11},
		{"full, every component", latent(2, 50, 6, 6, 0), Settings{NComponents: 6, Solver: Full}, 1e-11},
		{"full, wide", latent(3, 20, 40, 3, -2), Settings{NComponents: 4, Solver: Full}, 1e-11},
		{"full, whitened", latent(4, 100, 10, 3, 1), Settings{NComponents: 3, Solver: Full, Whiten: true}, 1e-11},
		{"randomized, tall", latent(5, 2000, 30, 5, 3), Settings{NComponents: 4, Solver: Randomized, Seed: 1}, 1e-12},
		{"randomized, wide", latent(6, 300, 700, 6, 0), Settings{NComponents: 5, Solver: Randomized, Seed: 2}, 1e-12},
		{"randomized, far from the origin", latent(7, 1500, 20, 4, 1e7), Settings{NComponents: 3, Solver: Randomized, Seed: 3}, 1e-12},
		{"randomized, whitened", latent(8, 1000, 25, 3, 0), Settings{NComponents: 3, Solver: Randomized, Whiten: true, Seed: 4}, 1e-12},
	}
	refs := sklearn(t, cases)
	for i, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			m, emb, err := FitTransform(context.Background(), c.x, c.s)
			if err != nil {
				t.Fatal(err)
			}
			ref := refs[i]
			closeSlices(t, "explained_variance_ratio_", m.ExplainedVarianceRatio, ref.ExplainedVarianceRatio, c.tol, 0)
			closeSlices(t, "explained_variance_", m.ExplainedVariance, ref.ExplainedVariance, c.tol, 0)
			closeSlices(t, "singular_values_", m.SingularValues, ref.SingularValues, c.tol, 0)
			closeSlices(t, "mean_", m.Mean, ref.Mean, 1e-12, 1e-12)
			k, d := m.Components.Dims()
			n, _ := c.x.Dims()
			tol := math.Sqrt(c.tol)
			for comp := 0; comp < k; comp++ {
				ours := m.Components.RawRowView(comp)
				theirs := ref.Components[comp*d : (comp+1)*d]
				sign := 1.0
				if dot(ours, theirs) < 0 {
					sign = -1
				}
				for j := range ours {
					if math.Abs(ours[j]-sign*theirs[j]) > tol {
						t.Fatalf("component %d, feature %d: %v, scikit-learn %v (up to sign)", comp, j, ours[j], theirs[j])
					}
				}
				for r := 0; r < n; r++ {
					o, w := emb.At(r, comp), sign*ref.Embedding[r*k+comp]
					if math.Abs(o-w) > tol*(1+math.Abs(w)) {
						t.Fatalf("embedding row %d, component %d: %v, scikit-learn %v (up to sign)", r, comp, o, w)
					}
				}
			}
		})
	}
}

func dot(a, b []float64) float64 {
	var s float64
	for i := range a {
		s += a[i] * b[i]
	}
	return s
}

func closeSlices(t *testing.T, what string, got, want []float64, rel, abs float64) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: %d values, want %d", what, len(got), len(want))
	}
	for i := range got {
		if math.Abs(got[i]-want[i]) > rel*math.Abs(want[i])+abs {
			t.Fatalf("%s[%d] = %v, want %v", what, i, got[i], want[i])
		}
	}
}

// TestInvariants checks what holds for any data: orthonormal components,
// variances in decreasing order whose shares sum to at most one, an
// embedding whose columns have the explained variances and that Transform
// reproduces, and agreement between the solvers.
func TestInvariants(t *testing.T) {
	for _, tc := range []struct {
		seed          uint64
		n, d, rank, k int
	}{
		{1, 40, 5, 5, 2}, {2, 700, 12, 3, 3}, {3, 600, 50, 10, 8}, {4, 30, 80, 6, 5}, {5, 3000, 9, 9, 1},
	} {
		x := latent(tc.seed, tc.n, tc.d, tc.rank, float64(tc.seed))
		var first *Model
		for _, solver := range []Solver{Full, Randomized} {
			name := fmt.Sprintf("%dx%d k=%d %s", tc.n, tc.d, tc.k, solver)
			m, emb, err := FitTransform(context.Background(), x, Settings{NComponents: tc.k, Solver: solver, Seed: tc.seed})
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			var gram mat.Dense
			gram.Mul(m.Components, m.Components.T())
			for i := 0; i < tc.k; i++ {
				for j := 0; j < tc.k; j++ {
					want := 0.0
					if i == j {
						want = 1
					}
					if math.Abs(gram.At(i, j)-want) > 1e-12 {
						t.Fatalf("%s: components are not orthonormal: (%d,%d) = %v", name, i, j, gram.At(i, j))
					}
				}
			}
			var sum float64
			for i, r := range m.ExplainedVarianceRatio {
				sum += r
				if i > 0 && m.ExplainedVariance[i] > m.ExplainedVariance[i-1]*(1+1e-12) {
					t.Fatalf("%s: explained variance rises at component %d: %v", name, i, m.ExplainedVariance)
				}
				col := mat.Col(nil, i, emb)
				if v := variance(col); math.Abs(v-m.ExplainedVariance[i]) > 1e-9*m.ExplainedVariance[0] {
					t.Fatalf("%s: embedding column %d has variance %v, explained variance %v", name, i, v, m.ExplainedVariance[i])
				}
			}
			if sum > 1+1e-12 {
				t.Fatalf("%s: explained variance ratios sum to %v", name, sum)
			}
			again, err := m.Transform(context.Background(), x)
			if err != nil {
				t.Fatal(err)
			}
			if !mat.EqualApprox(again, emb, 1e-9*math.Sqrt(m.ExplainedVariance[0])) {
				t.Fatalf("%s: Transform of the training data differs from FitTransform", name)
			}
			if first == nil {
				first = m
				continue
			}
			// Components 1..rank are well separated from the noise; the
			// solvers must agree on them.
			for i := 0; i < min(tc.k, tc.rank); i++ {
				if math.Abs(first.ExplainedVariance[i]-m.ExplainedVariance[i]) > 1e-9*first.ExplainedVariance[i] {
					t.Fatalf("%s: explained variance %d is %v, full SVD says %v", name, i, m.ExplainedVariance[i], first.ExplainedVariance[i])
				}
				if c := math.Abs(dot(first.Components.RawRowView(i), m.Components.RawRowView(i))); c < 1-1e-9 {
					t.Fatalf("%s: component %d is at cosine %v from the full SVD's", name, i, c)
				}
			}
		}
	}
}

func variance(v []float64) float64 {
	var mean, ss float64
	for _, x := range v {
		mean += x
	}
	mean /= float64(len(v))
	for _, x := range v {
		ss += (x - mean) * (x - mean)
	}
	return ss / float64(len(v)-1)
}

func TestWhitenedEmbeddingHasUnitVariance(t *testing.T) {
	x := latent(9, 800, 15, 4, 2)
	for _, solver := range []Solver{Full, Randomized} {
		m, emb, err := FitTransform(context.Background(), x, Settings{NComponents: 3, Whiten: true, Solver: solver})
		if err != nil {
			t.Fatal(err)
		}
		for i := 0; i < 3; i++ {
			if v := variance(mat.Col(nil, i, emb)); math.Abs(v-1) > 1e-9 {
				t.Fatalf("%s: whitened column %d has variance %v", solver, i, v)
			}
		}
		again, err := m.Transform(context.Background(), x)
		if err != nil {
			t.Fatal(err)
		}
		if !mat.EqualApprox(again, emb, 1e-9) {
			t.Fatalf("%s: whitened Transform differs from FitTransform", solver)
		}
	}
}

func TestSolverChoice(t *testing.T) {
	for _, tc := range []struct {
		n, d, k int
		want    Solver
	}{
		{500, 500, 2, Full},
		{501, 30, 2, Randomized},
		{70000, 784, 50, Randomized},
		{1000, 10, 8, Full},
		{1000, 10, 7, Randomized},
	} {
		p, err := Settings{NComponents: tc.k}.resolve(tc.n, tc.d)
		if err != nil {
			t.Fatal(err)
		}
		if p.solver != tc.want {
			t.Errorf("%dx%d, k=%d: solver %s, want %s", tc.n, tc.d, tc.k, p.solver, tc.want)
		}
	}
	p, _ := Settings{NComponents: 50}.resolve(70000, 784)
	q, _ := Settings{NComponents: 100}.resolve(70000, 784)
	if p.iterations != 7 || q.iterations != 4 || p.oversamples != 10 {
		t.Errorf("iterations %d and %d, oversamples %d; want 7, 4 and 10", p.iterations, q.iterations, p.oversamples)
	}
}

func TestSameSeedSameResultForAnyGOMAXPROCS(t *testing.T) {
	x := latent(10, 9000, 40, 8, 1)
	run := func(procs int) (*Model, *mat.Dense) {
		prev := runtime.GOMAXPROCS(procs)
		defer runtime.GOMAXPROCS(prev)
		m, emb, err := FitTransform(context.Background(), x, Settings{NComponents: 5, Solver: Randomized, Seed: 42})
		if err != nil {
			t.Fatal(err)
		}
		return m, emb
	}
	m1, e1 := run(1)
	m4, e4 := run(4)
	same := func(what string, a, b []float64) {
		for i := range a {
			if math.Float64bits(a[i]) != math.Float64bits(b[i]) {
				t.Fatalf("%s[%d]: %v with GOMAXPROCS=1, %v with 4", what, i, a[i], b[i])
			}
		}
	}
	same("components", m1.Components.RawMatrix().Data, m4.Components.RawMatrix().Data)
	same("singular values", m1.SingularValues, m4.SingularValues)
	same("embedding", e1.RawMatrix().Data, e4.RawMatrix().Data)

	other, _, err := FitTransform(context.Background(), x, Settings{NComponents: 5, Solver: Randomized, Seed: 43})
	if err != nil {
		t.Fatal(err)
	}
	if mat.Equal(other.Components, m1.Components) {
		t.Fatal("a different seed gave bit-identical components; is the seed used?")
	}
}

func TestConstantColumnsGetNoWeight(t *testing.T) {
	x := latent(11, 200, 6, 3, 0)
	for i := 0; i < 200; i++ {
		x.Set(i, 2, 7)
	}
	m, err := Fit(context.Background(), x, Settings{NComponents: 3})
	if err != nil {
		t.Fatal(err)
	}
	for c := 0; c < 3; c++ {
		if w := m.Components.At(c, 2); math.Abs(w) > 1e-12 {
			t.Fatalf("component %d weighs the constant column by %v", c, w)
		}
	}
}

func TestBadInputIsAnError(t *testing.T) {
	good := latent(12, 20, 4, 2, 0)
	withValue := func(v float64) *mat.Dense {
		x := mat.DenseCopyOf(good)
		x.Set(3, 1, v)
		return x
	}
	constant := mat.NewDense(5, 3, nil)
	for _, tc := range []struct {
		name string
		x    *mat.Dense
		s    Settings
		want string
	}{
		{"nil", nil, Settings{}, "empty"},
		{"empty", &mat.Dense{}, Settings{}, "empty"},
		{"one row", mat.NewDense(1, 3, []float64{1, 2, 3}), Settings{}, "1 row is too few"},
		{"NaN", withValue(math.NaN()), Settings{}, "row index 3, column index 1 is NaN"},
		{"infinity", withValue(math.Inf(-1)), Settings{}, "is -Inf"},
		{"too many components", good, Settings{NComponents: 5}, "n_components 5 must be between 1 and 4"},
		{"negative components", good, Settings{NComponents: -1}, "n_components -1"},
		{"unknown solver", good, Settings{Solver: "arpack"}, `svd_solver "arpack"`},
		{"negative oversamples", good, Settings{NOversamples: -3}, "n_oversamples -3"},
		{"negative power", good, Settings{IteratedPower: -1}, "iterated_power -1"},
		{"constant", constant, Settings{}, "every column is constant"},
		{"huge", withValue(1e300), Settings{}, "too large to sum and square"},
		{"overflowing sum", mat.NewDense(3, 1, []float64{math.MaxFloat64, math.MaxFloat64, 0}), Settings{NComponents: 1}, "too large"},
	} {
		_, _, err := FitTransform(context.Background(), tc.x, tc.s)
		if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.HasPrefix(err.Error(), "pca: ") {
			t.Errorf("%s: error %v, want one containing %q", tc.name, err, tc.want)
		}
	}

	m, err := Fit(context.Background(), good, Settings{})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		x    *mat.Dense
		want string
	}{
		{"wrong width", mat.NewDense(2, 3, nil), "have 3 columns but the model was fitted to 4"},
		{"NaN", withValue(math.NaN()), "is NaN"},
		{"empty", &mat.Dense{}, "empty"},
	} {
		if _, err := m.Transform(context.Background(), tc.x); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Transform, %s: error %v, want one containing %q", tc.name, err, tc.want)
		}
	}
}

func TestCancellationStopsTheFit(t *testing.T) {
	x := latent(13, 20000, 60, 5, 0)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Fit(ctx, x, Settings{}); !errors.Is(err, context.Canceled) {
		t.Fatalf("Fit on a cancelled context: %v", err)
	}

	ctx, cancel = context.WithCancel(context.Background())
	defer cancel()
	var cancelledAt time.Time
	s := Settings{NComponents: 10, Solver: Randomized, Progress: func(phase string, done, total int) {
		if phase == "power iteration" && done == 1 {
			cancelledAt = time.Now()
			cancel()
		}
	}}
	_, err := Fit(ctx, x, s)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("Fit cancelled during the power iterations: %v", err)
	}
	if d := time.Since(cancelledAt); d > time.Second {
		t.Fatalf("Fit took %v to notice the cancellation", d)
	}
}

func TestProgressNamesThePhases(t *testing.T) {
	var phases []string
	s := Settings{Solver: Randomized, IteratedPower: 2, Progress: func(phase string, done, total int) {
		phases = append(phases, fmt.Sprintf("%s %d/%d", phase, done, total))
	}}
	if _, err := Fit(context.Background(), latent(14, 600, 10, 3, 0), s); err != nil {
		t.Fatal(err)
	}
	want := "centre 0/1,centre 1/1,power iteration 0/2,power iteration 1/2,power iteration 2/2,svd 0/1,svd 1/1"
	if got := strings.Join(phases, ","); got != want {
		t.Fatalf("progress reports\n%s\nwant\n%s", got, want)
	}
}

// A view into a wider matrix has a row stride larger than its width; the
// fit must read it as if it were a copy.
func TestViewsFitLikeCopies(t *testing.T) {
	wide := latent(15, 3000, 30, 5, 2)
	view := wide.Slice(0, 3000, 4, 24).(*mat.Dense)
	cp := mat.DenseCopyOf(view)
	for _, solver := range []Solver{Full, Randomized} {
		s := Settings{NComponents: 3, Solver: solver, Seed: 5}
		mv, ev, err := FitTransform(context.Background(), view, s)
		if err != nil {
			t.Fatal(err)
		}
		mc, ec, err := FitTransform(context.Background(), cp, s)
		if err != nil {
			t.Fatal(err)
		}
		if !mat.Equal(mv.Components, mc.Components) || !mat.Equal(ev, ec) {
			t.Fatalf("%s: a view and its copy give different fits", solver)
		}
	}
}
