// Package gemm multiplies the dense float64 matrices of a PCA fast enough
// for MNIST-sized data: a tall matrix times a thin one, the transpose of a
// tall matrix times a tall one, and the fused power-iteration step aᵀ(a q).
// The inner loops are register-blocked tiles in assembly (AVX-512 or AVX2
// with FMA, chosen from CPUID at start-up) with a portable Go tile where
// neither exists. Work is cut into chunks fixed by the matrix shapes and
// sums are reduced in chunk order, so results are bit for bit the same for
// any GOMAXPROCS on a given CPU.
package gemm
