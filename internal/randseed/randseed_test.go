package randseed

import (
	"hash/fnv"
	"math/rand/v2"
	"testing"
)

// The streams are the ones the packages drew before they shared this
// package, so seeded results kept their bytes.
func TestStreamsKeepTheirNumbers(t *testing.T) {
	if got, want := New(7, 0x9ca).Uint64(), rand.New(rand.NewPCG(7, 0x9ca)).Uint64(); got != want {
		t.Errorf("New(7, 0x9ca) drew %x, want %x", got, want)
	}
	h := fnv.New64a()
	h.Write([]byte("2.1\x00contrast"))
	if got := Label("2.1", "contrast"); got != h.Sum64() {
		t.Errorf("Label = %x, want FNV-1a %x", got, h.Sum64())
	}
	if Label("2.1", "contrast") == Label("2.1contrast") || Label("a", "bc") == Label("ab", "c") {
		t.Error("parts run together")
	}
	// The values knn and umap mixed before.
	for _, tc := range []struct{ a, b, want uint64 }{{0, 0, 0x5c4722af355e9512}} {
		if got := Mix(tc.a, tc.b); got != tc.want {
			t.Errorf("Mix(%d, %d) = %x, want %x", tc.a, tc.b, got, tc.want)
		}
	}
}

func TestMixSeparatesNeighbours(t *testing.T) {
	seen := map[uint64]bool{}
	for a := range uint64(64) {
		for b := range uint64(64) {
			v := Mix(a, b)
			if seen[v] {
				t.Fatalf("Mix(%d, %d) repeats a value", a, b)
			}
			seen[v] = true
		}
	}
}
