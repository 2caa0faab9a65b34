package pipeline

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"regexp"
	"strconv"
	"strings"
)

// npyMagic opens every .npy file.
const npyMagic = "\x93NUMPY"

// WriteNPY writes values as a C-ordered float64 array of the given shape
// (one or two dimensions) in numpy's .npy format, version 1.0: numpy.load
// opens it.
func WriteNPY(w io.Writer, values []float64, shape ...int) error {
	buf := make([]byte, 8*len(values))
	for i, v := range values {
		binary.LittleEndian.PutUint64(buf[8*i:], math.Float64bits(v))
	}
	return writeNPY(w, "<f8", len(values), buf, shape)
}

// WriteNPYInts writes values as a C-ordered int64 array, as WriteNPY
// writes float64.
func WriteNPYInts(w io.Writer, values []int, shape ...int) error {
	buf := make([]byte, 8*len(values))
	for i, v := range values {
		binary.LittleEndian.PutUint64(buf[8*i:], uint64(int64(v)))
	}
	return writeNPY(w, "<i8", len(values), buf, shape)
}

// writeNPY writes the header of n values of type descr, then data.
func writeNPY(w io.Writer, descr string, n int, data []byte, shape []int) error {
	if err := checkShape(n, shape); err != nil {
		return err
	}
	dims := make([]string, len(shape))
	for i, s := range shape {
		dims[i] = strconv.Itoa(s)
	}
	tuple := strings.Join(dims, ", ")
	if len(shape) == 1 {
		tuple += ","
	}
	header := fmt.Sprintf("{'descr': '%s', 'fortran_order': False, 'shape': (%s), }", descr, tuple)
	// The magic, the version and the header length take 10 bytes; numpy
	// pads the header with spaces and a newline to a multiple of 64.
	pad := 64 - (10+len(header)+1)%64
	if pad == 64 {
		pad = 0
	}
	header += strings.Repeat(" ", pad) + "\n"
	var head bytes.Buffer
	head.WriteString(npyMagic)
	head.Write([]byte{1, 0})
	_ = binary.Write(&head, binary.LittleEndian, uint16(len(header)))
	head.WriteString(header)
	if _, err := w.Write(head.Bytes()); err != nil {
		return err
	}
	_, err := w.Write(data)
	return err
}

func checkShape(n int, shape []int) error {
	if len(shape) == 0 || len(shape) > 2 {
		return fmt.Errorf("npy: an array of %d dimensions; only 1 or 2 are supported", len(shape))
	}
	want := 1
	for _, s := range shape {
		if s < 0 {
			return fmt.Errorf("npy: negative dimension %d", s)
		}
		want *= s
	}
	if want != n {
		return fmt.Errorf("npy: shape %v holds %d values, not %d", shape, want, n)
	}
	return nil
}

var (
	descrRe = regexp.MustCompile(`'descr'\s*:\s*'([^']*)'`)
	orderRe = regexp.MustCompile(`'fortran_order'\s*:\s*(True|False)`)
	shapeRe = regexp.MustCompile(`'shape'\s*:\s*\(([^)]*)\)`)
)

// ReadNPY reads an array of one or two dimensions in .npy format (version
// 1, 2 or 3) of little-endian float64, float32 or int64 in C order, and
// returns its values as float64 with its shape. size is the number of
// bytes available, so that a header claiming more values than the file
// holds is refused before anything is allocated.
func ReadNPY(r io.Reader, size int64) (values []float64, shape []int, err error) {
	var pre [8]byte
	if _, err := io.ReadFull(r, pre[:]); err != nil {
		return nil, nil, errors.New("npy: the file is too short to be a .npy array")
	}
	if string(pre[:6]) != npyMagic {
		return nil, nil, errors.New("npy: not a .npy array (no \\x93NUMPY magic)")
	}
	// hlen is the header's length, prefix what comes before it.
	var hlen, prefix int
	switch pre[6] {
	case 1:
		var b [2]byte
		if _, err := io.ReadFull(r, b[:]); err != nil {
			return nil, nil, errors.New("npy: truncated header")
		}
		hlen, prefix = int(binary.LittleEndian.Uint16(b[:])), 10
	case 2, 3:
		var b [4]byte
		if _, err := io.ReadFull(r, b[:]); err != nil {
			return nil, nil, errors.New("npy: truncated header")
		}
		hlen, prefix = int(binary.LittleEndian.Uint32(b[:])), 12
	default:
		return nil, nil, fmt.Errorf("npy: format version %d.%d is not supported", pre[6], pre[7])
	}
	if int64(hlen+prefix) > size || hlen > 1<<20 {
		return nil, nil, errors.New("npy: the header is longer than the file")
	}
	head := make([]byte, hlen)
	if _, err := io.ReadFull(r, head); err != nil {
		return nil, nil, errors.New("npy: truncated header")
	}
	h := string(head)
	d := descrRe.FindStringSubmatch(h)
	o := orderRe.FindStringSubmatch(h)
	s := shapeRe.FindStringSubmatch(h)
	if d == nil || o == nil || s == nil {
		return nil, nil, errors.New("npy: the header lacks descr, fortran_order or shape")
	}
	if o[1] == "True" {
		return nil, nil, errors.New("npy: Fortran-ordered arrays are not supported; save with numpy.ascontiguousarray")
	}
	var width int
	switch d[1] {
	case "<f8", "<i8":
		width = 8
	case "<f4":
		width = 4
	default:
		return nil, nil, fmt.Errorf("npy: dtype %q is not supported; use little-endian float64, float32 or int64", d[1])
	}
	n := 1
	for _, part := range strings.Split(s[1], ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		k, err := strconv.Atoi(part)
		if err != nil || k < 0 {
			return nil, nil, fmt.Errorf("npy: bad dimension %q in the shape", part)
		}
		shape = append(shape, k)
		if k > 0 && n > math.MaxInt32/k {
			return nil, nil, errors.New("npy: the array is too large")
		}
		n *= k
	}
	if len(shape) == 0 || len(shape) > 2 {
		return nil, nil, fmt.Errorf("npy: an array of %d dimensions; only 1 or 2 are supported", len(shape))
	}
	if int64(n)*int64(width) > size-int64(hlen+prefix) {
		return nil, nil, fmt.Errorf("npy: the header promises %d values but the file is too short for them (truncated?)", n)
	}
	buf := make([]byte, n*width)
	if _, err := io.ReadFull(r, buf); err != nil {
		return nil, nil, fmt.Errorf("npy: the file ends before its %d values (truncated?)", n)
	}
	values = make([]float64, n)
	for i := range values {
		switch d[1] {
		case "<f8":
			values[i] = math.Float64frombits(binary.LittleEndian.Uint64(buf[8*i:]))
		case "<i8":
			values[i] = float64(int64(binary.LittleEndian.Uint64(buf[8*i:])))
		case "<f4":
			values[i] = float64(math.Float32frombits(binary.LittleEndian.Uint32(buf[4*i:])))
		}
	}
	return values, shape, nil
}
