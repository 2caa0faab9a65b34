package mnist

import (
	"bytes"
	"os"
	"testing"

	"github.com/reckon-dev/reckon/examples/data"
)

func TestLoad(t *testing.T) {
	if testing.Short() && os.Getenv("CI") == "" {
		t.Skip("skipping MNIST load in -short mode outside CI")
	}
	s, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	if s.Len() != 70000 {
		t.Fatalf("Len = %d, want 70000", s.Len())
	}
	var counts [10]int
	for _, l := range s.Labels {
		if l > 9 {
			t.Fatalf("label %d out of range", l)
		}
		counts[l]++
	}
	// The published class sizes of the 70,000 digits.
	want := [10]int{6903, 7877, 6990, 7141, 6824, 6313, 6876, 7293, 6825, 6958}
	if counts != want {
		t.Fatalf("class counts %v, want %v", counts, want)
	}
	if f := s.Float64(10); len(f) != 10*Dim {
		t.Fatalf("Float64(10) has %d values", len(f))
	}
}

// The digits built into the binary (examples/data, for load_demo) are the
// 10,000 test digits of the GoMNIST module, in order. To remake the file:
// the labels then the images of the t10k files, headers stripped, through
// bzip2 -9.
func TestBuiltInDigitsAreTheTestSet(t *testing.T) {
	if testing.Short() && os.Getenv("CI") == "" {
		t.Skip("skipping MNIST load in -short mode outside CI")
	}
	s, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	labels, pixels, err := data.MNIST(data.MNISTSize)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(labels, s.Labels[60000:]) || !bytes.Equal(pixels, s.Pixels[60000*Dim:]) {
		t.Error("examples/data/mnist-10k.bin.bz2 differs from GoMNIST's test set")
	}
}
