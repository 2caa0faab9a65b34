package knn

import "math"

// The distance kernels work on float32 rows padded with zeros to a multiple
// of eight values (see matrix), so that the vector code needs no scalar tail.
// Padding changes none of the supported distances: zeros add nothing to a
// squared difference, an absolute difference or a dot product.
//
// The portable versions keep four groups of eight partial sums, the same
// shape as the AVX2 code, so that both round in a similar order; they are not
// bit-identical (the vector code fuses multiply and add).

// lanes is the padding granularity of a row, in float32 values.
const lanes = 8

func sqEuclideanGo(a, b []float32) float32 {
	var acc [4 * lanes]float32
	n := len(a)
	b = b[:n]
	i := 0
	for ; i+4*lanes <= n; i += 4 * lanes {
		x := a[i : i+4*lanes : i+4*lanes]
		y := b[i : i+4*lanes : i+4*lanes]
		for j := range acc {
			d := x[j] - y[j]
			acc[j] += d * d
		}
	}
	for ; i+lanes <= n; i += lanes {
		x := a[i : i+lanes : i+lanes]
		y := b[i : i+lanes : i+lanes]
		for j := range lanes {
			d := x[j] - y[j]
			acc[j] += d * d
		}
	}
	return reduceLanes(&acc)
}

func dotGo(a, b []float32) float32 {
	var acc [4 * lanes]float32
	n := len(a)
	b = b[:n]
	i := 0
	for ; i+4*lanes <= n; i += 4 * lanes {
		x := a[i : i+4*lanes : i+4*lanes]
		y := b[i : i+4*lanes : i+4*lanes]
		for j := range acc {
			acc[j] += x[j] * y[j]
		}
	}
	for ; i+lanes <= n; i += lanes {
		x := a[i : i+lanes : i+lanes]
		y := b[i : i+lanes : i+lanes]
		for j := range lanes {
			acc[j] += x[j] * y[j]
		}
	}
	return reduceLanes(&acc)
}

func manhattanGo(a, b []float32) float32 {
	var acc [4 * lanes]float32
	n := len(a)
	b = b[:n]
	i := 0
	for ; i+4*lanes <= n; i += 4 * lanes {
		x := a[i : i+4*lanes : i+4*lanes]
		y := b[i : i+4*lanes : i+4*lanes]
		for j := range acc {
			d := x[j] - y[j]
			if d < 0 {
				d = -d
			}
			acc[j] += d
		}
	}
	for ; i+lanes <= n; i += lanes {
		x := a[i : i+lanes : i+lanes]
		y := b[i : i+lanes : i+lanes]
		for j := range lanes {
			d := x[j] - y[j]
			if d < 0 {
				d = -d
			}
			acc[j] += d
		}
	}
	return reduceLanes(&acc)
}

// reduceLanes adds the four accumulators lane by lane and then folds the
// eight lanes, in the order the AVX2 code does.
func reduceLanes(acc *[4 * lanes]float32) float32 {
	var v [lanes]float32
	for j := range lanes {
		v[j] = (acc[j] + acc[lanes+j]) + (acc[2*lanes+j] + acc[3*lanes+j])
	}
	// 256 -> 128 bits, then two horizontal adds.
	w0, w1, w2, w3 := v[0]+v[4], v[1]+v[5], v[2]+v[6], v[3]+v[7]
	return (w0 + w1) + (w2 + w3)
}

func sqrt32(x float32) float32 { return float32(math.Sqrt(float64(x))) }
