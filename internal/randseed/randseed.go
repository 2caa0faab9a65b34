package randseed

import (
	"hash/fnv"
	"math/rand/v2"
)

// New returns the generator for one stream of seed s: a PCG whose
// increment is the stream number, so streams of one seed are independent.
func New(s, stream uint64) *rand.Rand {
	return rand.New(rand.NewPCG(s, stream))
}

// Mix hashes two words into one (splitmix64's finaliser): a seed for the
// piece of work numbered b under seed a. It is cheap enough for the inner
// loops that seed one generator per row.
func Mix(a, b uint64) uint64 {
	x := a ^ (b+0x9E3779B97F4A7C15)*0xBF58476D1CE4E5B9
	x ^= x >> 30
	x *= 0xBF58476D1CE4E5B9
	x ^= x >> 27
	x *= 0x94D049BB133111EB
	x ^= x >> 31
	return x
}

// Label numbers a piece of work by its name and purpose (FNV-1a of the
// parts, each ended by a zero byte but the last), for work that has a
// name but no stable number, such as a cluster "2.1".
func Label(parts ...string) uint64 {
	h := fnv.New64a()
	for i, p := range parts {
		if i > 0 {
			h.Write([]byte{0})
		}
		h.Write([]byte(p))
	}
	return h.Sum64()
}
