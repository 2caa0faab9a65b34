//go:build !amd64 || purego

package cpufeat

// asm is whether this build has the assembly kernels.
const asm = false
