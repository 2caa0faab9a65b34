package knn

import "math/rand/v2"

// mix hashes two words into one; it seeds the random streams, one per piece
// of work (a tree, a row, an iteration), so that no stream is shared between
// goroutines and results do not depend on scheduling.
func mix(a, b uint64) uint64 {
	x := a ^ (b+0x9E3779B97F4A7C15)*0xBF58476D1CE4E5B9
	x ^= x >> 30
	x *= 0xBF58476D1CE4E5B9
	x ^= x >> 27
	x *= 0x94D049BB133111EB
	x ^= x >> 31
	return x
}

// Stream tags keep the random streams of different phases apart.
const (
	tagTree uint64 = iota + 1
	tagRandomInit
	tagCandidates
	tagQuery
)

func stream(seed, tag, i uint64) *rand.Rand {
	return rand.New(rand.NewPCG(mix(seed, tag), mix(mix(seed, tag), i)))
}
