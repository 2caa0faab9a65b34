package cpufeat

import "testing"

func TestAVX512ImpliesAVX2(t *testing.T) {
	if AVX512 && !AVX2 {
		t.Error("AVX-512 reported without AVX2")
	}
	t.Logf("AVX2 %v, AVX-512F %v", AVX2, AVX512)
}
