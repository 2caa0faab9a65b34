package knn

import (
	"context"
	"math"
	"math/rand/v2"
	"testing"
)

func TestKernelsAgreeWithPortableCode(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, n := range []int{0, 8, 16, 24, 32, 40, 64, 96, 784, 1000} {
		a := make([]float32, n)
		b := make([]float32, n)
		for i := range a {
			a[i] = float32(rng.NormFloat64())
			b[i] = float32(rng.NormFloat64())
		}
		var want [3]float64
		for i := range a {
			d := float64(a[i]) - float64(b[i])
			want[0] += d * d
			want[1] += float64(a[i]) * float64(b[i])
			want[2] += math.Abs(d)
		}
		for _, k := range []struct {
			name      string
			fast, go_ func(a, b []float32) float32
			want      float64
		}{
			{"sqEuclidean", sqEuclidean, sqEuclideanGo, want[0]},
			{"dot", dot, dotGo, want[1]},
			{"manhattan", manhattan, manhattanGo, want[2]},
		} {
			f, g := k.fast(a, b), k.go_(a, b)
			tol := 1e-5 * (1 + math.Abs(k.want)) * math.Sqrt(float64(n)+1)
			if math.Abs(float64(f)-k.want) > tol || math.Abs(float64(g)-k.want) > tol {
				t.Errorf("%s(n=%d): vector %v, portable %v, want %v", k.name, n, f, g, k.want)
			}
		}
	}
}

func BenchmarkKernel784(b *testing.B) {
	x := make([]float32, 784)
	y := make([]float32, 784)
	for i := range x {
		x[i], y[i] = float32(i%7), float32(i%5)
	}
	for _, k := range []struct {
		name string
		f    func(a, b []float32) float32
	}{{"sqEuclidean", sqEuclidean}, {"sqEuclideanGo", sqEuclideanGo}, {"dot", dot}, {"manhattan", manhattan}} {
		b.Run(k.name, func(b *testing.B) {
			var s float32
			for b.Loop() {
				s += k.f(x, y)
			}
			_ = s
		})
	}
}

// The portable kernels must give the same graph as the vector ones (up to
// near ties, which rounding may order differently).
func TestPortableKernelsBuildTheSameGraph(t *testing.T) {
	if !useAVX2 {
		t.Skip("the vector kernels are not in use on this machine")
	}
	x := blobs(1000, 19, 5, 13)
	build := func() *Graph {
		ix, err := Build(context.Background(), x, Settings{K: 10, Method: NNDescent, Seed: 1})
		if err != nil {
			t.Fatal(err)
		}
		return ix.Graph()
	}
	fast := build()
	useAVX2 = false
	slow := build()
	useAVX2 = true
	if r := graphRecall(slow, fast); r < 0.99 {
		t.Errorf("portable kernels agree with the vector kernels on %.4f of the neighbours", r)
	}
}
