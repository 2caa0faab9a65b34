//go:build !purego

package gemm

import "github.com/reckon-dev/reckon/analysis/internal/cpufeat"

//go:generate go run gen_kernels.go

//go:noescape
func kern12x16AVX512(k int, a *float64, ais, aks int, b *float64, bks int, c *float64, ldc int)

//go:noescape
func kern4x16AVX512(k int, a *float64, ais, aks int, b *float64, bks int, c *float64, ldc int)

//go:noescape
func kern4x12AVX2(k int, a *float64, ais, aks int, b *float64, bks int, c *float64, ldc int)

// available lists the kernels this CPU runs, fastest first.
func available() []kernel {
	var ks []kernel
	avx2, avx512 := cpufeat.AVX2, cpufeat.AVX512
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
