package umap

import (
	"context"
	"encoding/binary"
	"fmt"
	"hash/fnv"
	"math"
	"runtime"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/reckon-dev/reckon/analysis/internal/cpufeat"
	"github.com/reckon-dev/reckon/analysis/knn"
)

// denseDigest is an FNV-1a hash of every value's bits.
func denseDigest(m *mat.Dense) string {
	h := fnv.New64a()
	var buf [8]byte
	for _, v := range m.RawMatrix().Data {
		binary.LittleEndian.PutUint64(buf[:], math.Float64bits(v))
		h.Write(buf[:])
	}
	return fmt.Sprintf("%016x", h.Sum64())
}

// TestTransformPinned pins, bit for bit, a layout fitted on an NN-descent
// index and the transform of new rows near the training rows and far from
// them, at GOMAXPROCS 1 and 3. Changes meant to make the neighbour search
// or the transform faster must keep these digests. They hold for the
// vector distance kernels (AVX2), which round differently from the
// portable ones.
func TestTransformPinned(t *testing.T) {
	if !cpufeat.AVX2 {
		t.Skip("SKIPPED: the digests are those of the AVX2 distance kernels, which this machine lacks")
	}
	all, _ := blobs(2300, 12, 6, 4, 31)
	train := mat.DenseCopyOf(all.Slice(0, 2000, 0, 12))
	near := mat.DenseCopyOf(all.Slice(2000, 2300, 0, 12))
	far, _ := blobs(100, 12, 6, 12, 32)
	s := Settings{Seed: 9, NEpochs: 60}
	for _, procs := range []int{1, 3} {
		old := runtime.GOMAXPROCS(procs)
		ix, err := knn.Build(context.Background(), train, knn.Settings{K: 15, Method: knn.NNDescent})
		if err != nil {
			t.Fatal(err)
		}
		m, err := FitIndex(context.Background(), ix, s)
		if err != nil {
			t.Fatal(err)
		}
		yNear, err := m.Transform(context.Background(), near)
		if err != nil {
			t.Fatal(err)
		}
		yFar, err := m.Transform(context.Background(), far)
		if err != nil {
			t.Fatal(err)
		}
		runtime.GOMAXPROCS(old)
		for _, c := range []struct {
			what string
			m    *mat.Dense
			want string
		}{
			{"fitted layout", m.Embedding, "e773b3652856cea1"},
			{"near rows", yNear, "1006b9da7d052245"},
			{"far rows", yFar, "b48e7cc551c347f3"},
		} {
			if got := denseDigest(c.m); got != c.want {
				t.Errorf("%s at GOMAXPROCS %d: digest %s, want %s", c.what, procs, got, c.want)
			}
		}
	}
}
