package knn

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"
)

// matrix holds rows as float32, each padded with zeros to a multiple of
// lanes values so that the distance kernels need no scalar tail. Rows of the
// angular metrics are stored prepared: centred (correlation) and scaled to
// unit length.
type matrix struct {
	n, d   int // rows and original columns
	stride int // padded row length
	data   []float32
}

func (m *matrix) row(i int) []float32 {
	return m.data[i*m.stride : (i+1)*m.stride : (i+1)*m.stride]
}

// newMatrix converts x for metric, checking that every value is finite and,
// for the angular metrics, that no row has a zero norm (after centring for
// correlation), for which the distance is undefined. what names the rows in
// errors ("row", "query row").
func newMatrix(x mat.Matrix, metric Metric, what string) (*matrix, error) {
	n, d := x.Dims()
	stride := (d + lanes - 1) / lanes * lanes
	m := &matrix{n: n, d: d, stride: stride, data: make([]float32, n*stride)}
	raw, _ := x.(mat.RawMatrixer)
	var buf []float64
	if raw == nil {
		buf = make([]float64, d)
	}
	for i := range n {
		var src []float64
		if raw != nil {
			r := raw.RawMatrix()
			src = r.Data[i*r.Stride : i*r.Stride+d]
		} else {
			mat.Row(buf, i, x)
			src = buf
		}
		var mean float64
		for j, v := range src {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return nil, fmt.Errorf("knn: %s %d, column %d is %v; remove or impute non-finite values first", what, i, j, v)
			}
			mean += v
		}
		mean /= float64(d)
		dst := m.row(i)
		switch metric {
		case Cosine, Correlation:
			shift := 0.0
			if metric == Correlation {
				shift = mean
			}
			var norm float64
			for _, v := range src {
				norm += (v - shift) * (v - shift)
			}
			norm = math.Sqrt(norm)
			if norm == 0 || math.IsInf(norm, 0) {
				if metric == Correlation {
					return nil, fmt.Errorf("knn: %s %d is constant, so its correlation distance is undefined", what, i)
				}
				return nil, fmt.Errorf("knn: %s %d is all zeros, so its cosine distance is undefined", what, i)
			}
			for j, v := range src {
				dst[j] = float32((v - shift) / norm)
			}
		default:
			for j, v := range src {
				f := float32(v)
				if math.IsInf(float64(f), 0) {
					return nil, fmt.Errorf("knn: %s %d, column %d is %v, too large for float32 distances", what, i, j, v)
				}
				dst[j] = f
			}
		}
	}
	return m, nil
}

// permute moves row i to position to[i], in place, following the cycles of
// the permutation with one row of scratch space.
func (m *matrix) permute(to []int32) {
	done := make([]bool, m.n)
	tmp := make([]float32, m.stride)
	for start := range m.n {
		if done[start] {
			continue
		}
		// Carry the row at start along its cycle: each step drops the carried
		// row at its destination and picks up the row found there.
		copy(tmp, m.row(start))
		i := start
		for {
			done[i] = true
			dst := int(to[i])
			if dst == start {
				copy(m.row(start), tmp)
				break
			}
			next := m.row(dst)
			for j := range tmp {
				tmp[j], next[j] = next[j], tmp[j]
			}
			i = dst
		}
	}
}
