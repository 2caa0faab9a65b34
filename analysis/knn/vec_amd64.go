package knn

import "github.com/reckon-dev/reckon/analysis/internal/cpufeat"

// Implemented in vec_amd64.s. n is a multiple of 8 and both pointers address
// at least n float32 values.
//
//go:noescape
func sqEuclideanAVX2(a, b *float32, n int) float32

//go:noescape
func dotAVX2(a, b *float32, n int) float32

//go:noescape
func manhattanAVX2(a, b *float32, n int) float32

// useAVX2 is whether the vector kernels, which need AVX2 and FMA, run.
var useAVX2 = cpufeat.AVX2

func sqEuclidean(a, b []float32) float32 {
	if useAVX2 && len(a) > 0 {
		_ = b[len(a)-1]
		return sqEuclideanAVX2(&a[0], &b[0], len(a))
	}
	return sqEuclideanGo(a, b)
}

func dot(a, b []float32) float32 {
	if useAVX2 && len(a) > 0 {
		_ = b[len(a)-1]
		return dotAVX2(&a[0], &b[0], len(a))
	}
	return dotGo(a, b)
}

func manhattan(a, b []float32) float32 {
	if useAVX2 && len(a) > 0 {
		_ = b[len(a)-1]
		return manhattanAVX2(&a[0], &b[0], len(a))
	}
	return manhattanGo(a, b)
}
