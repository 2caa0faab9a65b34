// Package cpufeat tells the vector kernels of the analysis packages which
// instructions they may use: AVX2 with FMA, and AVX-512F, each only when
// the operating system also saves the wider registers on a context switch.
// Off amd64, or built with the purego tag, both are false and the portable
// Go kernels run.
package cpufeat

// AVX2 and AVX512 report the processor's support, read once at start-up.
var AVX2, AVX512 = detect()
