package data

import (
	"bytes"
	"testing"
)

func TestMNIST(t *testing.T) {
	labels, pixels, err := MNIST(MNISTSize)
	if err != nil {
		t.Fatal(err)
	}
	if len(labels) != MNISTSize || len(pixels) != MNISTSize*784 {
		t.Fatalf("%d labels, %d pixels", len(labels), len(pixels))
	}
	var count [10]int
	for _, l := range labels {
		if l > 9 {
			t.Fatalf("label %d", l)
		}
		count[l]++
	}
	// The MNIST test set's class sizes, from 0 to 9.
	if count != [10]int{980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009} {
		t.Errorf("class sizes %v", count)
	}
	// The first test digit is a 7; a prefix is the same digits.
	l3, p3, err := MNIST(3)
	if err != nil || l3[0] != 7 || !bytes.Equal(p3, pixels[:3*784]) {
		t.Errorf("MNIST(3) = %v, %v", l3, err)
	}
	for _, n := range []int{0, -1, MNISTSize + 1} {
		if _, _, err := MNIST(n); err == nil {
			t.Errorf("MNIST(%d) gave no error", n)
		}
	}
}
