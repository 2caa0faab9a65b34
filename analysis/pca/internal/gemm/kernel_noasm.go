//go:build !amd64 || purego

package gemm

// available lists the kernels this build runs: only the portable one.
func available() []kernel { return []kernel{goKernel} }
