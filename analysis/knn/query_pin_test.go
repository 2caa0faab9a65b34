package knn

import (
	"context"
	"encoding/binary"
	"fmt"
	"hash/fnv"
	"math"
	"runtime"
	"testing"

	"gonum.org/v1/gonum/mat"
)

// queryDigest is an FNV-1a hash of every index and every distance's bits.
func queryDigest(nb *Neighbours) string {
	h := fnv.New64a()
	var buf [4]byte
	for p := range nb.Indices {
		binary.LittleEndian.PutUint32(buf[:], uint32(nb.Indices[p]))
		h.Write(buf[:])
		binary.LittleEndian.PutUint32(buf[:], math.Float32bits(nb.Distances[p]))
		h.Write(buf[:])
	}
	return fmt.Sprintf("%016x", h.Sum64())
}

// TestQueryPinned pins Query's output, bit for bit, on seeded data: rows
// near the index's rows, rows far from all of them (every row is then
// about as near, and the walk visits most of the graph), and rows on an
// integer grid with many tied distances; for each metric, for k below,
// at and above the graph's K, and for an exact index. A change that is
// meant to make Query faster must keep these digests; the portable
// kernels round differently from the vector ones and have their own.
func TestQueryPinned(t *testing.T) {
	all := blobs(3400, 20, 8, 21)
	train := mat.DenseCopyOf(all.Slice(0, 3000, 0, 20))
	near := mat.DenseCopyOf(all.Slice(3000, 3400, 0, 20)) // the same centres, other rows
	far := blobs(200, 20, 8, 22)
	far.Scale(3, far)
	grid := mat.NewDense(3000, 20, nil)
	gridQ := mat.NewDense(300, 20, nil)
	for i, v := range train.RawMatrix().Data {
		grid.RawMatrix().Data[i] = math.Round(v / 2)
	}
	for i := range gridQ.RawMatrix().Data {
		gridQ.RawMatrix().Data[i] = grid.RawMatrix().Data[i+7*20] + float64(i%3-1)
	}
	cases := []struct {
		name           string
		x, q           *mat.Dense
		s              Settings
		k              int
		avx2, portable string
	}{
		{"euclidean/near", train, near, Settings{K: 15, Method: NNDescent, Seed: 3}, 15, "02cdf638d54ef359", "c6f6522e7933d3a8"},
		{"euclidean/near/k5", train, near, Settings{K: 15, Method: NNDescent, Seed: 3}, 5, "ae04e6f60f569765", "ba2cc3a6bc9b4845"},
		{"euclidean/near/k40", train, near, Settings{K: 15, Method: NNDescent, Seed: 3}, 40, "65a6b62226471a70", "8b5b4f7db72c2e1d"},
		{"euclidean/far", train, far, Settings{K: 15, Method: NNDescent, Seed: 3}, 15, "5d512c02f45b12f5", "4cf96699cb49c9d3"},
		{"euclidean/grid", grid, gridQ, Settings{K: 10, Method: NNDescent, Seed: 4}, 10, "5aee5336053f7065", "5aee5336053f7065"},
		{"cosine/near", train, near, Settings{K: 15, Metric: Cosine, Method: NNDescent, Seed: 5}, 15, "78a90b5167776caf", "fa5d80eeef7523c9"},
		{"cosine/far", train, far, Settings{K: 15, Metric: Cosine, Method: NNDescent, Seed: 5}, 15, "78597d14519c16b2", "d8307ca3ea465c3b"},
		{"manhattan/near", train, near, Settings{K: 12, Metric: Manhattan, Method: NNDescent, Seed: 6}, 12, "ccdfbf79494a1414", "ccdfbf79494a1414"},
		{"manhattan/far", train, far, Settings{K: 12, Metric: Manhattan, Method: NNDescent, Seed: 6}, 12, "497f3875704a40ff", "497f3875704a40ff"},
		{"correlation/near", train, near, Settings{K: 15, Metric: Correlation, Method: NNDescent, Seed: 7}, 15, "1a4ed7da16dd3d02", "d4c95e6aca75c11d"},
		{"exact/near", train, near, Settings{K: 15, Method: Exact}, 15, "597ff6cb0f0dbc7e", "8152eb7c82b0cc43"},
		{"exact/grid", grid, gridQ, Settings{K: 10, Method: Exact}, 10, "533975eacd25e1f9", "533975eacd25e1f9"},
	}
	kernels := []bool{useAVX2}
	if useAVX2 {
		kernels = append(kernels, false)
	}
	defer func(v bool) { useAVX2 = v }(useAVX2)
	for _, vector := range kernels {
		useAVX2 = vector
		for _, c := range cases {
			want := c.portable
			if vector {
				want = c.avx2
			}
			ix, err := Build(context.Background(), c.x, c.s)
			if err != nil {
				t.Fatal(err)
			}
			for _, procs := range []int{1, 3} {
				old := runtime.GOMAXPROCS(procs)
				nb, err := ix.Query(context.Background(), c.q, c.k)
				runtime.GOMAXPROCS(old)
				if err != nil {
					t.Fatal(err)
				}
				if got := queryDigest(nb); got != want {
					t.Errorf("%s (vector kernels %v, GOMAXPROCS %d): digest %s, want %s", c.name, vector, procs, got, want)
				}
			}
		}
	}
}
