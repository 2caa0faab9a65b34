//go:build !purego

package gemm

//go:generate go run gen_kernels.go

//go:noescape
func kern12x16AVX512(k int, a *float64, ais, aks int, b *float64, bks int, c *float64, ldc int)

//go:noescape
func kern4x16AVX512(k int, a *float64, ais, aks int, b *float64, bks int, c *float64, ldc int)

//go:noescape
func kern4x12AVX2(k int, a *float64, ais, aks int, b *float64, bks int, c *float64, ldc int)

func cpuid(leaf, sub uint32) (eax, ebx, ecx, edx uint32)

func xgetbv() (eax uint32)

// available lists the kernels this CPU runs, fastest first.
func available() []kernel {
	var ks []kernel
	avx2, avx512 := features()
	if avx512 {
		ks = append(ks, kernel{
			name: "avx512", mr: 12, nr: 16,
			tile: func(k int, a []float64, ais, aks int, b []float64, bks int, c []float64, ldc int) {
				checkTile(12, 16, k, a, ais, aks, b, bks, c, ldc)
				kern12x16AVX512(k, &a[0], ais, aks, &b[0], bks, &c[0], ldc)
			},
			smallMR: 4,
			small: func(k int, a []float64, ais, aks int, b []float64, bks int, c []float64, ldc int) {
				checkTile(4, 16, k, a, ais, aks, b, bks, c, ldc)
				kern4x16AVX512(k, &a[0], ais, aks, &b[0], bks, &c[0], ldc)
			},
		})
	}
	if avx2 {
		ks = append(ks, kernel{
			name: "avx2", mr: 4, nr: 12,
			tile: func(k int, a []float64, ais, aks int, b []float64, bks int, c []float64, ldc int) {
				checkTile(4, 12, k, a, ais, aks, b, bks, c, ldc)
				kern4x12AVX2(k, &a[0], ais, aks, &b[0], bks, &c[0], ldc)
			},
		})
	}
	return append(ks, goKernel)
}

// features reports whether the CPU and the operating system support AVX2
// with FMA, and AVX-512F. The operating system must save the wider
// registers on a context switch, which XGETBV tells.
func features() (avx2, avx512 bool) {
	maxLeaf, _, _, _ := cpuid(0, 0)
	if maxLeaf < 7 {
		return false, false
	}
	_, _, ecx1, _ := cpuid(1, 0)
	const fma, osxsave, avx = 1 << 12, 1 << 27, 1 << 28
	if ecx1&(fma|osxsave|avx) != fma|osxsave|avx {
		return false, false
	}
	xcr0 := xgetbv()
	const ymmState, zmmState = 0x6, 0xe6
	if xcr0&ymmState != ymmState {
		return false, false
	}
	_, ebx7, _, _ := cpuid(7, 0)
	const avx2Bit, avx512fBit = 1 << 5, 1 << 16
	avx2 = ebx7&avx2Bit != 0
	avx512 = avx2 && ebx7&avx512fBit != 0 && xcr0&zmmState == zmmState
	return avx2, avx512
}
