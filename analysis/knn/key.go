package knn

import (
	"context"
	"fmt"
	"math"
	"math/bits"

	"gonum.org/v1/gonum/mat"

	"github.com/reckon-dev/reckon/analysis/internal/par"
	"github.com/reckon-dev/reckon/internal/randseed"
)

// Key identifies a neighbour graph by a 128-bit hash of the data (every
// value, bit for bit, and the shape) and of the settings that change the
// graph. Two calls of Build whose keys are equal return the same graph, so
// a caller can keep built indexes in a map keyed by Key and skip the search
// when only later steps (UMAP's min_dist, n_epochs, seed) change.
type Key [2]uint64

// String returns the key as 32 hexadecimal digits.
func (k Key) String() string { return fmt.Sprintf("%016x%016x", k[0], k[1]) }

// KeyOf returns the key of the graph Build(ctx, x, s) would return. It reads
// every value of x once, in parallel: about 0.1 s per gigabyte of float64s.
func KeyOf(x mat.Matrix, s Settings) (Key, error) {
	n, d := x.Dims()
	s, err := s.withDefaults(n)
	if err != nil {
		return Key{}, err
	}
	const rowsPerChunk = 1024
	digests := make([]Key, par.Chunks(n, rowsPerChunk))
	raw, _ := x.(mat.RawMatrixer)
	// The context is never cancelled: hashing is quick and has no progress.
	_ = par.For(context.Background(), n, rowsPerChunk, func(c, lo, hi int) {
		h := newHasher(uint64(c))
		buf := make([]float64, d)
		for i := lo; i < hi; i++ {
			row := buf
			if raw != nil {
				r := raw.RawMatrix()
				row = r.Data[i*r.Stride : i*r.Stride+d]
			} else {
				mat.Row(buf, i, x)
			}
			for _, v := range row {
				h.word(math.Float64bits(v))
			}
		}
		digests[c] = h.sum()
	})
	h := newHasher(0x6b6e6e)
	h.word(uint64(n))
	h.word(uint64(d))
	h.word(uint64(s.K))
	for _, b := range []byte(s.Metric) {
		h.word(uint64(b))
	}
	if s.useExact(n) {
		h.word(1)
	} else {
		// The approximate graph also depends on how it was searched.
		h.word(2)
		h.word(s.Seed)
		h.word(uint64(s.NTrees))
		h.word(uint64(s.NIters))
		h.word(uint64(s.MaxCandidates))
		h.word(math.Float64bits(s.Delta))
		h.word(uint64(s.LeafSize))
	}
	for _, dg := range digests {
		h.word(dg[0])
		h.word(dg[1])
	}
	return h.sum(), nil
}

// hasher is a two-lane multiply-rotate hash in the style of xxHash: fast,
// well mixed, not cryptographic (a key only has to tell apart the data sets
// of one session).
type hasher struct{ a, b, n uint64 }

const (
	prime1 = 0x9E3779B185EBCA87
	prime2 = 0xC2B2AE3D27D4EB4F
	prime3 = 0x165667B19E3779F9
)

func newHasher(seed uint64) hasher { return hasher{a: seed + prime1, b: seed ^ prime2} }

func (h *hasher) word(w uint64) {
	h.a = bits.RotateLeft64(h.a^(w*prime2), 31) * prime1
	h.b = bits.RotateLeft64(h.b+(w*prime3), 27)*prime2 + prime1
	h.n++
}

func (h *hasher) sum() Key {
	a := randseed.Mix(h.a, h.n)
	b := randseed.Mix(h.b^a, h.n+1)
	return Key{a, b}
}
