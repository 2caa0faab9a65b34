//go:build !amd64 || purego

package cpufeat

func detect() (avx2, avx512 bool) { return false, false }
