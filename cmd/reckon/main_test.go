package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func runCLI(args []string, stdin string) (code int, stdout, stderr string) {
	var out, errb bytes.Buffer
	code = run(args, strings.NewReader(stdin), &out, &errb)
	return code, out.String(), errb.String()
}

func TestRunScript(t *testing.T) {
	dir := t.TempDir()
	write := func(name, src string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	tests := []struct {
		name     string
		args     []string
		stdin    string
		code     int
		stdout   string
		inStderr string
	}{
		{"values and prints", []string{"run", write("ok.reckon", "x = 2\nprint(\"x is\", x)\nx * 21\n")}, "", 0, "x is 2\n42\n", ""},
		{"rich output as text", []string{"run", write("rich.reckon", "display([1, 2])\nprint(\"warn\", stderr=true)\n")}, "", 0, "[1, 2]\n", "warn\n"},
		{"first error stops with line and column", []string{"run", write("bad.reckon", "print(1)\ny = prnt(2)\nprint(3)\n")}, "", 1, "1\n", "NameError: " + filepath.Join(dir, "bad.reckon") + ":2:5: unknown command `prnt` — did you mean `print`?\n    y = prnt(2)\n        ^\n"},
		{"syntax error runs nothing", []string{"run", write("syntax.reckon", "print(1)\nprint(2\n")}, "", 1, "", ":2:6: this `(` is never closed"},
		{"stdin", []string{"run", "-"}, "print(\"from stdin\")", 0, "from stdin\n", ""},
		{"missing file", []string{"run", filepath.Join(dir, "nope.reckon")}, "", 1, "", "no such file"},
		{"no file", []string{"run"}, "", 2, "", "needs the script or notebook to run"},
		{"help page", []string{"run", "-"}, "?sleep", 0, "sleep(seconds, progress=false)", ""},
		{"version", []string{"version"}, "", 0, "reckon 0.1.0", ""},
		{"help", []string{"help"}, "", 0, "Reckon — explainable clustering", ""},
		{"unknown", []string{"frobnicate"}, "", 2, "", "unknown command \"frobnicate\""},
		{"nothing", nil, "", 2, "", "Usage:"},
		{"kernel without file", []string{"kernel"}, "", 2, "", "connection file"},
		{"kernel with a bad file", []string{"kernel", filepath.Join(dir, "nope.json")}, "", 1, "", "reading connection file"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, stdout, stderr := runCLI(tc.args, tc.stdin)
			if code != tc.code {
				t.Errorf("exit %d, want %d (stderr %q)", code, tc.code, stderr)
			}
			if tc.code == 0 && tc.stdout != "" && !strings.HasPrefix(stdout, tc.stdout) || tc.code != 0 && stdout != tc.stdout {
				t.Errorf("stdout %q, want %q", stdout, tc.stdout)
			}
			if !strings.Contains(stderr, tc.inStderr) {
				t.Errorf("stderr %q lacks %q", stderr, tc.inStderr)
			}
		})
	}
}

func TestInstallAndUninstall(t *testing.T) {
	prefix := t.TempDir()
	code, stdout, stderr := runCLI([]string{"install", "--prefix", prefix}, "")
	if code != 0 {
		t.Fatalf("install: %d %s", code, stderr)
	}
	dir := filepath.Join(prefix, "share", "jupyter", "kernels", "reckon")
	if !strings.Contains(stdout, dir) {
		t.Errorf("install says %q, not where it installed", stdout)
	}
	b, err := os.ReadFile(filepath.Join(dir, "kernel.json"))
	if err != nil {
		t.Fatal(err)
	}
	var spec struct {
		Argv            []string `json:"argv"`
		DisplayName     string   `json:"display_name"`
		Language        string   `json:"language"`
		InterruptMode   string   `json:"interrupt_mode"`
		ProtocolVersion string   `json:"kernel_protocol_version"`
	}
	if err := json.Unmarshal(b, &spec); err != nil {
		t.Fatal(err)
	}
	exe, _ := os.Executable()
	exe, _ = filepath.EvalSymlinks(exe)
	if len(spec.Argv) != 3 || spec.Argv[0] != exe || spec.Argv[1] != "kernel" || spec.Argv[2] != "{connection_file}" ||
		spec.DisplayName != "Reckon" || spec.Language != "reckon" || spec.InterruptMode != "message" || spec.ProtocolVersion != "5.3" {
		t.Errorf("kernel.json = %s", b)
	}
	for _, size := range []int{32, 64} {
		f, err := os.Open(filepath.Join(dir, fmt.Sprintf("logo-%dx%d.png", size, size)))
		if err != nil {
			t.Fatal(err)
		}
		cfg, err := png.DecodeConfig(f)
		f.Close()
		if err != nil || cfg.Width != size || cfg.Height != size {
			t.Errorf("logo %d: %v %+v", size, err, cfg)
		}
	}
	if code, _, stderr := runCLI([]string{"install", "--user", "--sys-prefix"}, ""); code != 2 || !strings.Contains(stderr, "choose one") {
		t.Errorf("two flags: %d %s", code, stderr)
	}
	if code, _, stderr := runCLI([]string{"uninstall", "--prefix", prefix}, ""); code != 0 {
		t.Fatalf("uninstall: %s", stderr)
	}
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Errorf("uninstall left %s", dir)
	}
	if code, _, stderr := runCLI([]string{"uninstall", "--prefix", prefix}, ""); code != 1 || !strings.Contains(stderr, `no kernelspec "reckon"`) {
		t.Errorf("second uninstall: %d %s", code, stderr)
	}
}

func TestInstallUserHonoursJupyterDataDir(t *testing.T) {
	data := t.TempDir()
	t.Setenv("JUPYTER_DATA_DIR", data)
	if code, _, stderr := runCLI([]string{"install", "--user"}, ""); code != 0 {
		t.Fatal(stderr)
	}
	if _, err := os.Stat(filepath.Join(data, "kernels", "reckon", "kernel.json")); err != nil {
		t.Error(err)
	}
}
