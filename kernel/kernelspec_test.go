package kernel

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
)

func TestInstallSpecWritesWhatItIsGiven(t *testing.T) {
	dir := t.TempDir()
	spec := Spec{
		Name:       "lang",
		Template:   []byte(`{"argv": ["lang", "kernel", "{connection_file}"], "display_name": "Lang"}`),
		Executable: "/opt/lang/bin/lang",
		Files:      map[string][]byte{"logo-64x64.png": []byte("png"), "kernel.json": []byte("not this")},
	}
	got, err := InstallSpec(dir, spec)
	if err != nil || got != filepath.Join(dir, "lang") {
		t.Fatalf("InstallSpec = %q, %v", got, err)
	}
	var js struct {
		Argv        []string `json:"argv"`
		DisplayName string   `json:"display_name"`
	}
	b, _ := os.ReadFile(filepath.Join(got, "kernel.json"))
	if err := json.Unmarshal(b, &js); err != nil || js.Argv[0] != spec.Executable || js.DisplayName != "Lang" {
		t.Errorf("kernel.json = %s (%v)", b, err)
	}
	if b, _ := os.ReadFile(filepath.Join(got, "logo-64x64.png")); string(b) != "png" {
		t.Errorf("logo = %q", b)
	}
	for _, bad := range []string{"", "..", "../lang", "a/b"} {
		spec.Name = bad
		if _, err := InstallSpec(dir, spec); err == nil {
			t.Errorf("InstallSpec accepted the name %q", bad)
		}
	}
	if removed, err := UninstallSpec(dir, "lang"); err != nil || removed != got {
		t.Errorf("UninstallSpec = %q, %v", removed, err)
	}
	if _, err := UninstallSpec(dir, "lang"); err == nil {
		t.Error("a second UninstallSpec succeeded")
	}
}
