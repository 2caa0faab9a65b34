package suggest

import (
	"fmt"
	"testing"
)

func TestDistance(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		want int
	}{
		{"", "", 0}, {"", "abc", 3}, {"umap", "umap", 0}, {"umpa", "umap", 1},
		{"hdbsan", "hdbscan", 1}, {"kitten", "sitting", 3}, {"ca", "abc", 3},
		{"naïve", "naive", 1}, {"genre", "gnere", 1},
	} {
		if got := Distance(tc.a, tc.b); got != tc.want {
			t.Errorf("Distance(%q, %q) = %d, want %d", tc.a, tc.b, got, tc.want)
		}
		if got := Distance(tc.b, tc.a); got != tc.want {
			t.Errorf("Distance(%q, %q) = %d, want %d (symmetry)", tc.b, tc.a, got, tc.want)
		}
	}
}

func TestNearest(t *testing.T) {
	known := []string{"umap", "hdbscan", "explain", "print", "pca", "genre", "track_id"}
	for _, tc := range []struct{ name, want string }{
		{"umpa", "umap"}, {"hdbsan", "hdbscan"}, {"explian", "explain"}, {"UMAP", "umap"},
		{"zzz", ""}, {"pc", "pca"}, {"x", ""}, {"gnre", "genre"}, {"Genre", "genre"}, {"trackid", "track_id"},
	} {
		got, ok := Nearest(tc.name, known)
		if got != tc.want || ok != (tc.want != "") {
			t.Errorf("Nearest(%q) = %q, %v; want %q", tc.name, got, ok, tc.want)
		}
	}
	// Ties go to the alphabetically first candidate, whatever the order.
	for _, c := range [][]string{{"cat", "bat"}, {"bat", "cat"}} {
		if got, _ := Nearest("at", c); got != "bat" {
			t.Errorf("Nearest(at, %v) = %q, want bat", c, got)
		}
	}
	if _, ok := Nearest("x", nil); ok {
		t.Error("no candidates gave a suggestion")
	}
}

func ExampleNearest() {
	fmt.Println(Nearest("hdbsacn", []string{"umap", "hdbscan", "pca"}))
	// Output: hdbscan true
}
