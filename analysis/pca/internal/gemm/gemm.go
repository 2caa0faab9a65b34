package gemm

import (
	"context"
	"fmt"

	"gonum.org/v1/gonum/blas/blas64"

	"github.com/reckon-dev/reckon/analysis/internal/par"
)

const (
	// rowChunk is the rows of a that Mul hands to one goroutine at a time.
	rowChunk = 256
	// subRows is the rows of a that MulTrans and MulGram multiply in one
	// pass: 128 rows of a few hundred columns stay in the L2 cache while
	// every tile of the result walks down them.
	subRows = 128
	// minBlock and maxBlocks bound the reduction blocks of MulTrans and
	// MulGram: each block sums its rows into its own partial result, and
	// the partials are added in block order, so the rounding depends on the
	// number of rows only, never on the number of goroutines.
	minBlock  = 4096
	maxBlocks = 64
)

// blockRows is the rows per reduction block for r rows.
func blockRows(r int) int {
	size := max(minBlock, (r+maxBlocks-1)/maxBlocks)
	return (size + subRows - 1) / subRows * subRows
}

// The shift argument of the functions below, when not nil, is subtracted
// from every row of a before multiplying, without forming the shifted
// matrix: a PCA centres its data this way instead of copying them.

// Mul sets c = (a - 1·shiftᵀ) b. It panics when the shapes disagree, as
// gonum does.
func Mul(ctx context.Context, c, a, b blas64.General, shift []float64) error {
	if a.Cols != b.Rows || c.Rows != a.Rows || c.Cols != b.Cols || (shift != nil && len(shift) != a.Cols) {
		panic(fmt.Sprintf("gemm: Mul of %dx%d by %dx%d into %dx%d", a.Rows, a.Cols, b.Rows, b.Cols, c.Rows, c.Cols))
	}
	kn := active
	pb := pack(b, kn.nr)
	sb := pb.rowTimes(shift)
	return par.For(ctx, a.Rows, rowChunk, func(_, lo, hi int) {
		tmp := make([]float64, kn.mr*kn.nr)
		mulRows(kn, c.Data[lo*c.Stride:], c.Stride, c.Cols, a.Data[lo*a.Stride:], a.Stride, hi-lo, a.Cols, pb, sb, tmp)
	})
}

// MulTrans sets c = (a - 1·shiftᵀ)ᵀ b, summing over the rows of a and b.
func MulTrans(ctx context.Context, c, a, b blas64.General, shift []float64) error {
	if a.Rows != b.Rows || c.Rows != a.Cols || c.Cols != b.Cols || (shift != nil && len(shift) != a.Cols) {
		panic(fmt.Sprintf("gemm: MulTrans of %dx%d (transposed) by %dx%d into %dx%d", a.Rows, a.Cols, b.Rows, b.Cols, c.Rows, c.Cols))
	}
	kn := active
	m, n := a.Cols, b.Cols
	np := roundUp(n, kn.nr)
	size := blockRows(a.Rows)
	chunks := par.Chunks(a.Rows, size)
	parts := make([][]float64, chunks)
	sums := make([][]float64, chunks)
	err := par.For(ctx, a.Rows, size, func(blk, lo, hi int) {
		p := make([]float64, m*np)
		abuf := make([]float64, subRows*m)
		bbuf := make([]float64, subRows*kn.nr)
		var sum []float64
		if shift != nil {
			sum = make([]float64, np)
		}
		for r0 := lo; r0 < hi; r0 += subRows {
			kr := min(subRows, hi-r0)
			// The tiles read a down its columns, a few values per row and
			// each row in another page, which the hardware prefetcher
			// does not follow; copying the rows first reads them in
			// order, and the tiles then find them in cache.
			for r := 0; r < kr; r++ {
				copy(abuf[r*m:(r+1)*m], a.Data[(r0+r)*a.Stride:])
			}
			bs := b.Data[r0*b.Stride:]
			accTrans(kn, p, np, m, kr, abuf, m, bs, b.Stride, n, bbuf)
			addColumnSums(sum, bs, b.Stride, kr, n)
		}
		parts[blk], sums[blk] = p, sum
	})
	if err != nil {
		return err
	}
	reduce(c, parts, np, shift, sums)
	return nil
}

// MulGram sets c = sᵀ(s q) with s = a - 1·shiftᵀ, without ever holding s q:
// each pass multiplies a few rows of a by q and at once adds their share of
// the product with aᵀ, while those rows are still in cache. It is the step
// of a power iteration.
func MulGram(ctx context.Context, c, a, q blas64.General, shift []float64) error {
	if a.Cols != q.Rows || c.Rows != a.Cols || c.Cols != q.Cols || (shift != nil && len(shift) != a.Cols) {
		panic(fmt.Sprintf("gemm: MulGram of %dx%d by %dx%d into %dx%d", a.Rows, a.Cols, q.Rows, q.Cols, c.Rows, c.Cols))
	}
	kn := active
	m := a.Cols
	pq := pack(q, kn.nr)
	np := pq.panels * kn.nr
	sq := pq.rowTimes(shift)
	size := blockRows(a.Rows)
	chunks := par.Chunks(a.Rows, size)
	parts := make([][]float64, chunks)
	sums := make([][]float64, chunks)
	err := par.For(ctx, a.Rows, size, func(blk, lo, hi int) {
		p := make([]float64, m*np)
		y := make([]float64, subRows*np)
		var sum []float64
		if shift != nil {
			sum = make([]float64, np)
		}
		for r0 := lo; r0 < hi; r0 += subRows {
			kr := min(subRows, hi-r0)
			as := a.Data[r0*a.Stride:]
			mulRows(kn, y, np, np, as, a.Stride, kr, m, pq, sq, nil)
			accTrans(kn, p, np, m, kr, as, a.Stride, y, np, np, nil)
			addColumnSums(sum, y, np, kr, np)
		}
		parts[blk], sums[blk] = p, sum
	})
	if err != nil {
		return err
	}
	reduce(c, parts, np, shift, sums)
	return nil
}

func roundUp(n, m int) int { return (n + m - 1) / m * m }

// addColumnSums adds the column sums of the first n columns of rows of b
// into sum, unless sum is nil.
func addColumnSums(sum, b []float64, ldb, rows, n int) {
	if sum == nil {
		return
	}
	for r := 0; r < rows; r++ {
		for j, v := range b[r*ldb : r*ldb+n] {
			sum[j] += v
		}
	}
}

// reduce sets c to the sum of the partial results in block order (each
// part holds c's rows with row stride ldp), minus shift ⊗ (the sum of the
// column sums) when shifting.
func reduce(c blas64.General, parts [][]float64, ldp int, shift []float64, sums [][]float64) {
	var total []float64
	if shift != nil {
		total = make([]float64, c.Cols)
		for _, s := range sums {
			for j := range total {
				total[j] += s[j]
			}
		}
	}
	for i := 0; i < c.Rows; i++ {
		row := c.Data[i*c.Stride : i*c.Stride+c.Cols]
		clear(row)
		for _, p := range parts {
			for j, v := range p[i*ldp : i*ldp+c.Cols] {
				row[j] += v
			}
		}
		if shift != nil {
			for j, t := range total {
				row[j] -= shift[i] * t
			}
		}
	}
}

// packed is a matrix of k rows cut into panels of nr columns, each panel
// stored row after row and the last one padded with zeros, so that a tile
// reads nr contiguous values per row whatever the matrix width.
type packed struct {
	k, panels, nr int
	data          []float64
}

func pack(b blas64.General, nr int) packed {
	panels := (b.Cols + nr - 1) / nr
	d := make([]float64, panels*b.Rows*nr)
	for jp := 0; jp < panels; jp++ {
		j0 := jp * nr
		w := min(nr, b.Cols-j0)
		for p := 0; p < b.Rows; p++ {
			copy(d[(jp*b.Rows+p)*nr:][:w], b.Data[p*b.Stride+j0:][:w])
		}
	}
	return packed{k: b.Rows, panels: panels, nr: nr, data: d}
}

// rowTimes returns the row vector vᵀb, padded like the panels, or nil for
// a nil v.
func (b packed) rowTimes(v []float64) []float64 {
	if v == nil {
		return nil
	}
	out := make([]float64, b.panels*b.nr)
	for jp := 0; jp < b.panels; jp++ {
		o := out[jp*b.nr : (jp+1)*b.nr]
		for p, vp := range v {
			for j, bv := range b.data[(jp*b.k+p)*b.nr : (jp*b.k+p+1)*b.nr] {
				o[j] += vp * bv
			}
		}
	}
	return out
}

// mulRows sets the first n columns of the product of rows of a (row
// stride lda, k columns) and the packed b into c (row stride ldc), minus
// the row vector sb when it is not nil. Panels that stick out past n are
// computed in tmp; callers whose c is padded to whole panels pass nil.
func mulRows(kn kernel, c []float64, ldc, n int, a []float64, lda, rows, k int, b packed, sb, tmp []float64) {
	mr, nr := kn.mr, kn.nr
	for i := 0; i < rows; i++ {
		clear(c[i*ldc : i*ldc+n])
	}
	if k > 0 {
		for i0 := 0; i0 < rows; i0 += mr {
			h := min(mr, rows-i0)
			ai := a[i0*lda:]
			for jp := 0; jp*nr < n; jp++ {
				j0 := jp * nr
				bp := b.data[jp*k*nr:]
				if w := n - j0; w < nr {
					clear(tmp)
					tiles(kn, h, k, ai, lda, 1, bp, nr, tmp, nr)
					for i := 0; i < h; i++ {
						copy(c[(i0+i)*ldc+j0:][:w], tmp[i*nr:])
					}
					continue
				}
				tiles(kn, h, k, ai, lda, 1, bp, nr, c[i0*ldc+j0:], ldc)
			}
		}
	}
	if sb != nil {
		for i := 0; i < rows; i++ {
			row := c[i*ldc : i*ldc+n]
			for j := range row {
				row[j] -= sb[j]
			}
		}
	}
}

// accTrans adds aᵀb for kr rows of a (m columns, row stride lda) and b (n
// columns, row stride ldb) into p, whose row stride ldp covers whole panels.
// A panel of b that sticks out past n is first copied, zero-padded, into
// bbuf; callers whose b is padded to whole panels pass nil.
func accTrans(kn kernel, p []float64, ldp, m, kr int, a []float64, lda int, b []float64, ldb, n int, bbuf []float64) {
	nr := kn.nr
	for j0 := 0; j0 < n; j0 += nr {
		bp, bs := b[j0:], ldb
		if w := n - j0; w < nr {
			clear(bbuf)
			for r := 0; r < kr; r++ {
				copy(bbuf[r*nr:][:w], b[r*ldb+j0:][:w])
			}
			bp, bs = bbuf, nr
		}
		tiles(kn, m, kr, a, 1, lda, bp, bs, p[j0:], ldp)
	}
}

// tiles adds to the rows x kn.nr block at c the products of a strip of rows
// values of a and kn.nr values of b over k steps, using the kernel's tiles
// where they fit and goTile for the rows left over.
func tiles(kn kernel, rows, k int, a []float64, ais, aks int, b []float64, bks int, c []float64, ldc int) {
	i := 0
	for ; i+kn.mr <= rows; i += kn.mr {
		kn.tile(k, a[i*ais:], ais, aks, b, bks, c[i*ldc:], ldc)
	}
	if kn.small != nil {
		for ; i+kn.smallMR <= rows; i += kn.smallMR {
			kn.small(k, a[i*ais:], ais, aks, b, bks, c[i*ldc:], ldc)
		}
	}
	if i < rows {
		goTile(rows-i, kn.nr, k, a[i*ais:], ais, aks, b, bks, c[i*ldc:], ldc)
	}
}
