package hdbscan

import (
	"math"
	"math/rand/v2"

	"gonum.org/v1/gonum/mat"
)

// Generated test data. Every generator takes its own seed, so the data sets
// are fixed.

type dataset struct {
	name string
	rows [][]float64
}

func newRNG(seed uint64) *rand.Rand { return rand.New(rand.NewPCG(seed, 0x9e3779b97f4a7c15)) }

// blobs draws Gaussian blobs with standard deviations sd around random
// centres in [-10, 10]^d, then noise uniform over [-15, 15]^d.
func blobs(seed uint64, d int, sizes []int, sd []float64, noise int) [][]float64 {
	rng := newRNG(seed)
	var rows [][]float64
	for b, size := range sizes {
		centre := make([]float64, d)
		for j := range centre {
			centre[j] = rng.Float64()*20 - 10
		}
		for range size {
			r := make([]float64, d)
			for j := range r {
				r[j] = centre[j] + rng.NormFloat64()*sd[b]
			}
			rows = append(rows, r)
		}
	}
	for range noise {
		r := make([]float64, d)
		for j := range r {
			r[j] = rng.Float64()*30 - 15
		}
		rows = append(rows, r)
	}
	return shuffled(rng, rows)
}

func shuffled(rng *rand.Rand, rows [][]float64) [][]float64 {
	rng.Shuffle(len(rows), func(i, j int) { rows[i], rows[j] = rows[j], rows[i] })
	return rows
}

// duplicated replaces some rows by copies of a few others, in groups of
// 2 to 40 identical rows.
func duplicated(seed uint64, rows [][]float64) [][]float64 {
	rng := newRNG(seed)
	out := append([][]float64(nil), rows...)
	for g := 0; g < len(rows)/25; g++ {
		src := out[rng.IntN(len(out))]
		for range 2 + rng.IntN(39) {
			out[rng.IntN(len(out))] = append([]float64(nil), src...)
		}
	}
	return out
}

// line puts points on the segment y = 2x + 1 with uneven spacing: a dense
// stretch, a gap, another dense stretch and scattered points.
func line(seed uint64, n int) [][]float64 {
	rng := newRNG(seed)
	var rows [][]float64
	for i := range n {
		var x float64
		switch i % 4 {
		case 0, 1:
			x = rng.Float64() * 2
		case 2:
			x = 5 + rng.Float64()*1.5
		default:
			x = rng.Float64()*10 - 2
		}
		rows = append(rows, []float64{x, 2*x + 1})
	}
	return shuffled(rng, rows)
}

// rings draws two noisy concentric circles around a small blob.
func rings(seed uint64, n int) [][]float64 {
	rng := newRNG(seed)
	var rows [][]float64
	for i := range n {
		switch i % 5 {
		case 0:
			rows = append(rows, []float64{rng.NormFloat64() * 0.3, rng.NormFloat64() * 0.3})
		default:
			r := 3.0
			if i%5 > 2 {
				r = 6
			}
			a := rng.Float64() * 2 * math.Pi
			r += rng.NormFloat64() * 0.15
			rows = append(rows, []float64{r * math.Cos(a), r * math.Sin(a)})
		}
	}
	return shuffled(rng, rows)
}

func testDatasets() []dataset {
	return []dataset{
		{"blobs-noise-2d", blobs(1, 2, []int{120, 90, 60}, []float64{0.6, 0.8, 0.4}, 60)},
		{"varying-density-2d", blobs(2, 2, []int{150, 100, 80, 40}, []float64{0.2, 0.7, 1.5, 0.4}, 40)},
		{"duplicates-2d", duplicated(3, blobs(3, 2, []int{100, 100, 80}, []float64{0.5, 0.7, 0.9}, 50))},
		{"line-2d", line(4, 300)},
		{"rings-2d", rings(5, 350)},
		{"blobs-noise-10d", blobs(6, 10, []int{100, 80, 70}, []float64{0.8, 1.0, 0.6}, 50)},
		{"varying-density-10d", blobs(7, 10, []int{120, 60, 60}, []float64{0.3, 1.2, 0.7}, 30)},
		{"duplicates-10d", duplicated(8, blobs(8, 10, []int{90, 90}, []float64{0.7, 0.5}, 40))},
	}
}

func toDense(rows [][]float64) *mat.Dense {
	X := mat.NewDense(len(rows), len(rows[0]), nil)
	for i, r := range rows {
		X.SetRow(i, r)
	}
	return X
}
