package gemm

// tileFunc adds to the mr x nr tile at c (row stride ldc) the sum over
// p < k of the outer products of a column of a, whose element i is
// a[i*ais+p*aks], and the row b[p*bks : p*bks+nr]. With ais = 1 the strip
// of a is a few columns of a row-major matrix read down its rows (aᵀb);
// with aks = 1 it is a few rows read along them (ab).
type tileFunc func(k int, a []float64, ais, aks int, b []float64, bks int, c []float64, ldc int)

// A kernel is a set of tile functions for one instruction set: a main tile
// of mr x nr, and optionally a narrower tile of smallMR x nr for the rows
// left over when a dimension is not a multiple of mr. Anything narrower
// still goes to goTile.
type kernel struct {
	name    string
	mr, nr  int
	tile    tileFunc
	smallMR int
	small   tileFunc
}

// goKernel is the portable kernel, used where no assembly kernel runs.
var goKernel = kernel{name: "go", mr: 4, nr: 4, tile: go4x4}

// active is the kernel the package uses: the fastest one the CPU runs.
var active = available()[0]

// Kernel names the instruction set the multiplications run on.
func Kernel() string { return active.name }

// checkTile panics when a tile would read or write outside its slices, so
// that a bookkeeping mistake in the drivers fails loudly instead of letting
// the assembly touch memory it does not own.
func checkTile(mr, nr, k int, a []float64, ais, aks int, b []float64, bks int, c []float64, ldc int) {
	_ = a[(mr-1)*ais+(k-1)*aks]
	_ = b[(k-1)*bks+nr-1]
	_ = c[(mr-1)*ldc+nr-1]
}

// goTile is tileFunc for any mr and nr, in blocks of 4 x 4 where it can.
func goTile(mr, nr, k int, a []float64, ais, aks int, b []float64, bks int, c []float64, ldc int) {
	for i := 0; i < mr; i += 4 {
		for j := 0; j < nr; j += 4 {
			if i+4 <= mr && j+4 <= nr {
				go4x4(k, a[i*ais:], ais, aks, b[j:], bks, c[i*ldc+j:], ldc)
				continue
			}
			for ii := i; ii < min(i+4, mr); ii++ {
				for jj := j; jj < min(j+4, nr); jj++ {
					var s float64
					for p := 0; p < k; p++ {
						s += a[ii*ais+p*aks] * b[p*bks+jj]
					}
					c[ii*ldc+jj] += s
				}
			}
		}
	}
}

// go4x4 keeps its 4 x 4 tile in sixteen locals, which the compiler holds in
// registers; that register blocking is what makes it several times faster
// than a plain triple loop.
func go4x4(k int, a []float64, ais, aks int, b []float64, bks int, c []float64, ldc int) {
	checkTile(4, 4, k, a, ais, aks, b, bks, c, ldc)
	var c00, c01, c02, c03, c10, c11, c12, c13 float64
	var c20, c21, c22, c23, c30, c31, c32, c33 float64
	for p := 0; p < k; p++ {
		o := p * aks
		a0, a1, a2, a3 := a[o], a[o+ais], a[o+2*ais], a[o+3*ais]
		bp := b[p*bks : p*bks+4 : p*bks+4]
		b0, b1, b2, b3 := bp[0], bp[1], bp[2], bp[3]
		c00 += a0 * b0
		c01 += a0 * b1
		c02 += a0 * b2
		c03 += a0 * b3
		c10 += a1 * b0
		c11 += a1 * b1
		c12 += a1 * b2
		c13 += a1 * b3
		c20 += a2 * b0
		c21 += a2 * b1
		c22 += a2 * b2
		c23 += a2 * b3
		c30 += a3 * b0
		c31 += a3 * b1
		c32 += a3 * b2
		c33 += a3 * b3
	}
	r := c[0:4:4]
	r[0] += c00
	r[1] += c01
	r[2] += c02
	r[3] += c03
	r = c[ldc : ldc+4 : ldc+4]
	r[0] += c10
	r[1] += c11
	r[2] += c12
	r[3] += c13
	r = c[2*ldc : 2*ldc+4 : 2*ldc+4]
	r[0] += c20
	r[1] += c21
	r[2] += c22
	r[3] += c23
	r = c[3*ldc : 3*ldc+4 : 3*ldc+4]
	r[0] += c30
	r[1] += c31
	r[2] += c32
	r[3] += c33
}
