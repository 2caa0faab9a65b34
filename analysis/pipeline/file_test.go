package pipeline

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/reckon-dev/reckon/internal/pyref"
)

func TestNPYRoundTrip(t *testing.T) {
	for _, shape := range [][]int{{3}, {2, 3}, {0}, {1, 1}, {5, 17}} {
		n := 1
		for _, s := range shape {
			n *= s
		}
		v := make([]float64, n)
		for i := range v {
			v[i] = float64(i)*1.5 - 3
		}
		var b bytes.Buffer
		must(t, WriteNPY(&b, v, shape...))
		if (b.Len()-8*n)%64 != 0 {
			t.Errorf("shape %v: the header is %d bytes, not a multiple of 64", shape, b.Len()-8*n)
		}
		got, gotShape, err := ReadNPY(bytes.NewReader(b.Bytes()), int64(b.Len()))
		must(t, err)
		if !slices.Equal(gotShape, shape) || len(got) != n {
			t.Fatalf("shape %v: read back %v with %d values", shape, gotShape, len(got))
		}
		for i := range v {
			if got[i] != v[i] {
				t.Fatalf("shape %v: value %d is %v, want %v", shape, i, got[i], v[i])
			}
		}
	}
}

// TestNPYNumpy checks that numpy reads what WriteNPY writes, and that
// ReadNPY reads numpy's float32 and int64 arrays.
func TestNPYNumpy(t *testing.T) {
	pyref.Require(t, "python3-numpy", "numpy")
	dir := t.TempDir()
	var b bytes.Buffer
	must(t, WriteNPY(&b, []float64{1, 2.5, -3, math.Pi, 0, 1e300}, 2, 3))
	must(t, os.WriteFile(filepath.Join(dir, "a.npy"), b.Bytes(), 0o644))
	script := `
import numpy as np, sys
d = sys.argv[1]
a = np.load(d + "/a.npy")
assert a.shape == (2, 3) and a.dtype == np.float64, (a.shape, a.dtype)
assert a[1, 0] == np.pi and a[1, 2] == 1e300
np.save(d + "/f.npy", np.arange(6, dtype=np.float32).reshape(3, 2) / 4)
np.save(d + "/i.npy", np.arange(-2, 2, dtype=np.int64))
`
	pyref.Run(t, script, nil, dir)
	for name, want := range map[string][]float64{"f.npy": {0, 0.25, 0.5, 0.75, 1, 1.25}, "i.npy": {-2, -1, 0, 1}} {
		data, err := os.ReadFile(filepath.Join(dir, name))
		must(t, err)
		got, _, err := ReadNPY(bytes.NewReader(data), int64(len(data)))
		must(t, err)
		if len(got) != len(want) {
			t.Fatalf("%s: %v, want %v", name, got, want)
		}
		for i := range want {
			if got[i] != want[i] {
				t.Fatalf("%s: %v, want %v", name, got, want)
			}
		}
	}
}

// savedModel is a small fitted model file, made once.
func savedModel(t testing.TB) []byte {
	t.Helper()
	train, _ := blobs(200, 3)
	p, _ := fitted(t, train)
	var b bytes.Buffer
	must(t, p.Save(&b))
	return b.Bytes()
}

// savedTree is a small fitted model file of a recursive clustering.
func savedTree(t testing.TB) []byte {
	t.Helper()
	train, _ := nested(t, 600, 3)
	p, _ := fittedTree(t, train)
	var b bytes.Buffer
	must(t, p.Save(&b))
	return b.Bytes()
}

// rezip rewrites a model file with edit applied to its manifest.
func rezip(t *testing.T, model []byte, edit func(m map[string]any)) []byte {
	t.Helper()
	z, err := zip.NewReader(bytes.NewReader(model), int64(len(model)))
	must(t, err)
	var out bytes.Buffer
	w := zip.NewWriter(&out)
	for _, f := range z.File {
		rc, err := f.Open()
		must(t, err)
		data, err := io.ReadAll(rc)
		must(t, err)
		if f.Name == ManifestName {
			var m map[string]any
			must(t, json.Unmarshal(data, &m))
			edit(m)
			data, err = json.Marshal(m)
			must(t, err)
		}
		fw, err := w.Create(f.Name)
		must(t, err)
		_, err = fw.Write(data)
		must(t, err)
	}
	must(t, w.Close())
	return out.Bytes()
}

func TestLoadErrors(t *testing.T) {
	model := savedModel(t)
	cases := []struct {
		name string
		file []byte
		want string
	}{
		{"truncated", model[:len(model)/2], "truncated"},
		{"empty", nil, "not a Reckon model file"},
		{"newer", rezip(t, model, func(m map[string]any) { m["format_version"] = 99 }), "format version 99"},
		{"not ours", rezip(t, model, func(m map[string]any) { m["format"] = "pickle" }), "not a Reckon model"},
		{"shape", rezip(t, model, func(m map[string]any) {
			m["umap"].(map[string]any)["train"].(map[string]any)["shape"] = []int{3, 3}
		}), "does not match its arrays"},
		{"array missing", rezip(t, model, func(m map[string]any) {
			m["hdbscan"].(map[string]any)["points"].(map[string]any)["file"] = "arrays/nothing.npy"
		}), "has no arrays/nothing.npy"},
		{"unknown step", rezip(t, model, func(m map[string]any) {
			m["steps"] = []any{map[string]any{"op": "exec", "columns": []string{"rm -rf"}}}
		}), `"exec", which this Reckon does not know`},
	}
	tree := savedTree(t)
	node := func(m map[string]any, i int) map[string]any {
		return m["tree"].(map[string]any)["nodes"].([]any)[i].(map[string]any)
	}
	cases = append(cases, []struct {
		name string
		file []byte
		want string
	}{
		{"tree and hdbscan", rezip(t, tree, func(m map[string]any) { m["hdbscan"] = map[string]any{} }), "one hdbscan or tree section"},
		{"tree node label", rezip(t, tree, func(m map[string]any) { node(m, 1)["label"] = "7.1" }), `"7.1", which is not a new cluster`},
		{"tree root", rezip(t, tree, func(m map[string]any) { node(m, 0)["label"] = "0" }), "must be the top level"},
		{"tree rows", rezip(t, tree, func(m map[string]any) {
			node(m, 1)["rows"].(map[string]any)["shape"] = []int{2}
		}), "does not match its arrays"},
		{"tree embedding", rezip(t, tree, func(m map[string]any) {
			node(m, 1)["embedding"] = node(m, 0)["embedding"]
		}), "does not match its arrays"},
	}...)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Load(bytes.NewReader(c.file), int64(len(c.file)))
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("Load: %v, want an error saying %q", err, c.want)
			}
		})
	}
}

func TestAssignSchemaErrors(t *testing.T) {
	train, _ := blobs(200, 3)
	p, _ := fitted(t, train)
	ctx := context.Background()
	noF2, err := train.Drop("f2")
	must(t, err)
	if _, err := p.Assign(ctx, noF2); err == nil || !strings.Contains(err.Error(), `no column "f2"`) || !strings.Contains(err.Error(), "f1 (numeric)") {
		t.Errorf("missing column: %v, want an error naming f2 and listing the schema", err)
	}
	asText, err := train.Categorical("f3")
	must(t, err)
	if _, err := p.Assign(ctx, asText); err == nil || !strings.Contains(err.Error(), `column "f3" is categorical`) {
		t.Errorf("wrong type: %v, want an error naming f3", err)
	}
	// An unseen category encodes as all zeros and is counted.
	sub, err := train.Head(10)
	must(t, err)
	kinds := make([]string, 10)
	for i := range kinds {
		kinds[i] = []string{"a", "z"}[i%2]
	}
	res, err := p.Assign(ctx, replace(t, sub, "kind", kinds))
	must(t, err)
	if res.Unseen != 5 {
		t.Errorf("%d rows counted with an unseen category, want 5", res.Unseen)
	}
}

// FuzzLoadModel feeds the loader damaged model files: it must return an
// error or a pipeline, never panic or hang.
func FuzzLoadModel(f *testing.F) {
	f.Add(savedModel(f))
	f.Add(savedTree(f))
	f.Add([]byte("PK\x03\x04"))
	f.Fuzz(func(t *testing.T, b []byte) {
		p, err := Load(bytes.NewReader(b), int64(len(b)))
		if err == nil && p.Clusters == nil && p.Tree == nil {
			t.Fatal("a loaded model without clusters")
		}
	})
}

// TestFormatVersions checks that a model without a tree is still written
// as format version 1, which readers of version 1 read, and a tree as
// version 2; both load.
func TestFormatVersions(t *testing.T) {
	for _, c := range []struct {
		name string
		file []byte
		want float64
	}{{"flat", savedModel(t), 1}, {"tree", savedTree(t), 2}} {
		z, err := zip.NewReader(bytes.NewReader(c.file), int64(len(c.file)))
		must(t, err)
		rc, err := z.Open(ManifestName)
		must(t, err)
		var m map[string]any
		must(t, json.NewDecoder(rc).Decode(&m))
		if m["format_version"] != c.want {
			t.Errorf("%s: format_version %v, want %v", c.name, m["format_version"], c.want)
		}
		if _, err := Load(bytes.NewReader(c.file), int64(len(c.file))); err != nil {
			t.Errorf("%s: %v", c.name, err)
		}
	}
}
