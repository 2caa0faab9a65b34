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
	return rand.New(rand.NewPCG(streamSeeds(seed, tag, i)))
}

// streamSeeds are the PCG seeds of stream(seed, tag, i), for reseeding a
// generator in place.
func streamSeeds(seed, tag, i uint64) (uint64, uint64) {
	s := randseed.Mix(seed, tag)
	return s, randseed.Mix(s, i)
}
