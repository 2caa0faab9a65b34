package kernel

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
)

// Where chooses the Jupyter data directory a kernelspec goes into, with the
// meanings `jupyter kernelspec install` gives its flags.
type Where struct {
	User      bool   // --user: the user's Jupyter data directory
	Prefix    string // --prefix DIR: DIR/share/jupyter
	SysPrefix bool   // --sys-prefix: the active Python environment's prefix
}

// KernelsDir returns the kernels directory that w designates; with no flag
// set it is the system-wide one, as for `jupyter kernelspec install`.
func (w Where) KernelsDir() (string, error) {
	switch {
	case w.Prefix != "":
		p, err := filepath.Abs(w.Prefix)
		if err != nil {
			return "", fmt.Errorf("kernelspec prefix: %w", err)
		}
		return filepath.Join(p, "share", "jupyter", "kernels"), nil
	case w.User:
		d, err := userDataDir()
		if err != nil {
			return "", err
		}
		return filepath.Join(d, "kernels"), nil
	case w.SysPrefix:
		p, err := pythonPrefix()
		if err != nil {
			return "", err
		}
		return filepath.Join(p, "share", "jupyter", "kernels"), nil
	}
	if runtime.GOOS == "windows" {
		return filepath.Join(os.Getenv("PROGRAMDATA"), "jupyter", "kernels"), nil
	}
	return "/usr/local/share/jupyter/kernels", nil
}

// userDataDir is jupyter_core's jupyter_data_dir().
func userDataDir() (string, error) {
	if d := os.Getenv("JUPYTER_DATA_DIR"); d != "" {
		return d, nil
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return "", fmt.Errorf("finding the user's Jupyter data directory: %w", err)
	}
	switch runtime.GOOS {
	case "darwin":
		return filepath.Join(home, "Library", "Jupyter"), nil
	case "windows":
		if a := os.Getenv("APPDATA"); a != "" {
			return filepath.Join(a, "jupyter"), nil
		}
		return filepath.Join(home, "AppData", "Roaming", "jupyter"), nil
	}
	if x := os.Getenv("XDG_DATA_HOME"); x != "" {
		return filepath.Join(x, "jupyter"), nil
	}
	return filepath.Join(home, ".local", "share", "jupyter"), nil
}

// pythonPrefix finds the active Python environment, as --sys-prefix means.
func pythonPrefix() (string, error) {
	for _, v := range []string{"CONDA_PREFIX", "VIRTUAL_ENV"} {
		if p := os.Getenv(v); p != "" {
			return p, nil
		}
	}
	out, err := exec.Command("python3", "-c", "import sys; print(sys.prefix)").Output()
	if err != nil {
		return "", fmt.Errorf("--sys-prefix needs the active Python's sys.prefix, and python3 failed: %w", err)
	}
	return strings.TrimSpace(string(out)), nil
}

// Spec is a kernelspec to install: Name is the directory Jupyter knows the
// kernel by (what users pass to `jupyter console --kernel`), Template the
// kernel.json whose argv[0] becomes Executable, and Files any other files
// of the directory, such as logo-64x64.png.
type Spec struct {
	Name       string
	Template   []byte
	Executable string
	Files      map[string][]byte
}

// InstallSpec writes spec into kernelsDir/spec.Name and returns the
// directory it wrote.
func InstallSpec(kernelsDir string, spec Spec) (string, error) {
	if spec.Name == "" || spec.Name == "." || spec.Name == ".." || filepath.Base(spec.Name) != spec.Name {
		return "", fmt.Errorf("kernelspec name %q is not a directory name", spec.Name)
	}
	var js map[string]any
	if err := json.Unmarshal(spec.Template, &js); err != nil {
		return "", fmt.Errorf("kernel.json template: %w", err)
	}
	argv, ok := js["argv"].([]any)
	if !ok || len(argv) == 0 {
		return "", fmt.Errorf("kernel.json template: argv is not a non-empty list")
	}
	argv[0] = spec.Executable
	b, err := json.MarshalIndent(js, "", "  ")
	if err != nil {
		return "", fmt.Errorf("kernel.json: %w", err)
	}
	dir := filepath.Join(kernelsDir, spec.Name)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", fmt.Errorf("installing the kernelspec: %w", err)
	}
	files := map[string][]byte{"kernel.json": append(b, '\n')}
	for name, data := range spec.Files {
		if name != "kernel.json" {
			files[name] = data
		}
	}
	for name, data := range files {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			return "", fmt.Errorf("installing the kernelspec: %w", err)
		}
	}
	return dir, nil
}

// UninstallSpec removes kernelsDir/name and returns what it removed.
func UninstallSpec(kernelsDir, name string) (string, error) {
	dir := filepath.Join(kernelsDir, name)
	if _, err := os.Stat(filepath.Join(dir, "kernel.json")); err != nil {
		return "", fmt.Errorf("no kernelspec %q in %s: %w", name, kernelsDir, err)
	}
	if err := os.RemoveAll(dir); err != nil {
		return "", fmt.Errorf("removing the kernelspec: %w", err)
	}
	return dir, nil
}
