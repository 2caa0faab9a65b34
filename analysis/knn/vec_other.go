//go:build !amd64

package knn

// useAVX2 is false off amd64: the portable kernels are used.
var useAVX2 = false

func sqEuclidean(a, b []float32) float32 { return sqEuclideanGo(a, b) }
func dot(a, b []float32) float32         { return dotGo(a, b) }
func manhattan(a, b []float32) float32   { return manhattanGo(a, b) }
