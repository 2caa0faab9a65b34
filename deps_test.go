package reckon

import (
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
)

const module = "github.com/reckon-dev/reckon"

// The arrows of DESIGN.md point one way. Like go/build's deps_test, this
// reads the import lines of every package's non-test files and checks each
// import of ours against the rule of the importing layer: a rule names the
// layers a package may import, by path prefix.
var layers = []struct {
	pkg   string   // the importing packages: this path and those below it
	may   []string // what of ours they may import (path prefixes)
	about string
}{
	{"kernel", nil, "the protocol knows nothing of ours"},
	{"internal", []string{"internal", "kernel"}, "shared helpers sit below every layer (test clients may speak the protocol)"},
	{"analysis", []string{"analysis", "internal"}, "the numeric core imports nothing above it"},
	{"display", []string{"display", "analysis", "internal"}, "results become bundles without the language"},
	{"dsl", []string{"dsl", "analysis", "display", "internal", "kernel", "examples"}, "the language binds analysis to display"},
	{"cmd", []string{"", "kernel", "dsl", "analysis", "display", "internal", "examples"}, "the binary sits at the top"},
	{"examples", nil, "the example notebooks and data, embedded, import nothing of ours"},
	{"", nil, "the root package holds assets only"},
}

// rule returns the layer a package (path relative to the module) obeys:
// the one with the longest matching prefix.
func rule(pkg string) int {
	best := -1
	for i, l := range layers {
		if under(pkg, l.pkg) && (best < 0 || len(l.pkg) > len(layers[best].pkg)) {
			best = i
		}
	}
	return best
}

func under(pkg, prefix string) bool {
	return prefix == "" && pkg == "" || prefix != "" && (pkg == prefix || strings.HasPrefix(pkg, prefix+"/"))
}

// imports maps each package of the module (path relative to the module,
// "" for the root) to the packages of ours its non-test files import.
func imports(t *testing.T) map[string][]string {
	out := map[string][]string{}
	fset := token.NewFileSet()
	err := filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		name := d.Name()
		if d.IsDir() {
			if path != "." && (name == "testdata" || strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_")) {
				return filepath.SkipDir
			}
			// A folder with a go.mod of its own (beam/) is another module.
			if _, err := os.Stat(filepath.Join(path, "go.mod")); path != "." && err == nil {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, parser.ImportsOnly)
		if err != nil {
			return err
		}
		pkg := filepath.ToSlash(filepath.Dir(path))
		if pkg == "." {
			pkg = ""
		}
		if _, ok := out[pkg]; !ok {
			out[pkg] = nil
		}
		for _, spec := range f.Imports {
			p, _ := strconv.Unquote(spec.Path.Value)
			if p == module || strings.HasPrefix(p, module+"/") {
				out[pkg] = append(out[pkg], strings.TrimPrefix(strings.TrimPrefix(p, module), "/"))
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestLayers(t *testing.T) {
	all := imports(t)
	if len(all) < 20 {
		t.Fatalf("found only %d packages; is the test running at the module root?", len(all))
	}
	var pkgs []string
	for p := range all {
		pkgs = append(pkgs, p)
	}
	sort.Strings(pkgs)
	for _, pkg := range pkgs {
		i := rule(pkg)
		if i < 0 {
			t.Errorf("package %q belongs to no layer; add its rule", pkg)
			continue
		}
		for _, imp := range all[pkg] {
			if under(imp, "cmd") {
				t.Errorf("%s imports %s: nothing imports cmd, the top", pkg, imp)
			}
			ok := false
			for _, may := range layers[i].may {
				ok = ok || under(imp, may)
			}
			if !ok {
				t.Errorf("%s imports %s, against the rule of %q: %s", pkg, imp, layers[i].pkg, layers[i].about)
			}
		}
	}
}

// The rule itself: a few imports it must refuse.
func TestLayerRuleRefuses(t *testing.T) {
	allowed := func(pkg, imp string) bool {
		for _, may := range layers[rule(pkg)].may {
			if under(imp, may) {
				return true
			}
		}
		return false
	}
	for _, tc := range []struct {
		pkg, imp string
		ok       bool
	}{
		{"kernel", "internal/suggest", false},
		{"kernel", "dsl", false},
		{"analysis/umap", "analysis/pca", true},
		{"analysis/umap", "internal/randseed", true},
		{"analysis/umap", "display", false},
		{"analysis/explain", "dsl", false},
		{"analysis/pca/internal/gemm", "kernel", false},
		{"display/plot", "dsl", false},
		{"display/plot", "analysis/explain", true},
		{"dsl", "cmd/reckon", false},
		{"dsl", "display/plot", true},
		{"cmd/reckon", "dsl", true},
		{"internal/stats", "analysis/frame", false},
	} {
		if got := allowed(tc.pkg, tc.imp); got != tc.ok {
			t.Errorf("%s importing %s: allowed %v, want %v", tc.pkg, tc.imp, got, tc.ok)
		}
	}
}
