// Package randseed is the one way Reckon turns a user's seed into random
// numbers. A computation that needs randomness takes its generator from
// New(seed, stream), with a stream number of its own; a piece of work that
// needs a stream of its own (a tree, a row, an epoch, a cluster) derives
// its seed with Mix from the seed and its number, or with Label from its
// name. No generator is shared between goroutines, so results depend on
// the seed alone, never on scheduling or GOMAXPROCS, and a cluster's
// numbers do not depend on which other clusters there are.
package randseed
