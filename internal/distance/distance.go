package distance

// SqEuclidean is the squared euclidean distance between a and b (b at
// least as long as a), summed in column order as scikit-learn does, so
// that equal inputs give bit-identical distances. It is small enough to be
// inlined into the callers' inner loops.
func SqEuclidean[T float32 | float64](a, b []T) T {
	b = b[:len(a)]
	var sum T
	for j, x := range a {
		t := x - b[j]
		sum += t * t
	}
	return sum
}
