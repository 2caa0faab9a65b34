package knn

import (
	"math/rand/v2"

	"github.com/reckon-dev/reckon/internal/randseed"
)

// Stream tags keep the random streams of different phases apart.
const (
	tagTree uint64 = iota + 1
	tagRandomInit
	tagCandidates
	tagQuery
)

// stream is the generator for piece of work i of a phase.
func stream(seed, tag, i uint64) *rand.Rand {
	s := randseed.Mix(seed, tag)
	return randseed.New(s, randseed.Mix(s, i))
}
