// Package cpufeat tells the vector kernels of the analysis packages which
// instructions they may use: AVX2 with FMA, and AVX-512F, each only when
// the operating system also saves the wider registers on a context switch
// (golang.org/x/sys/cpu checks both). Off amd64, or built with the purego
// tag, both are false and the portable Go kernels run.
package cpufeat

import "golang.org/x/sys/cpu"

// AVX2 and AVX512 report the processor's support, read once at start-up.
var (
	AVX2   = asm && cpu.X86.HasAVX2 && cpu.X86.HasFMA
	AVX512 = AVX2 && cpu.X86.HasAVX512F
)
