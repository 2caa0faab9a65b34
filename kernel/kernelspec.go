package kernel

import (
	"bytes"
	"encoding/json"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
)

// SpecName is the directory name of the kernelspec, and the name users pass
// to `jupyter console --kernel` or nbconvert's --ExecutePreprocessor.kernel_name.
const SpecName = "reckon"

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

// InstallSpec writes the kernelspec into kernelsDir/reckon: template (the
// repository's kernel.json) with argv[0] replaced by executable, and the two
// logos. It returns the directory it wrote.
func InstallSpec(kernelsDir string, template []byte, executable string) (string, error) {
	var spec map[string]any
	if err := json.Unmarshal(template, &spec); err != nil {
		return "", fmt.Errorf("kernel.json template: %w", err)
	}
	argv, ok := spec["argv"].([]any)
	if !ok || len(argv) == 0 {
		return "", fmt.Errorf("kernel.json template: argv is not a non-empty list")
	}
	argv[0] = executable
	b, err := json.MarshalIndent(spec, "", "  ")
	if err != nil {
		return "", fmt.Errorf("kernel.json: %w", err)
	}
	dir := filepath.Join(kernelsDir, SpecName)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", fmt.Errorf("installing the kernelspec: %w", err)
	}
	files := map[string][]byte{"kernel.json": append(b, '\n')}
	for _, size := range []int{32, 64} {
		var buf bytes.Buffer
		if err := png.Encode(&buf, logo(size)); err != nil {
			return "", fmt.Errorf("drawing the logo: %w", err)
		}
		files[fmt.Sprintf("logo-%dx%d.png", size, size)] = buf.Bytes()
	}
	for name, data := range files {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			return "", fmt.Errorf("installing the kernelspec: %w", err)
		}
	}
	return dir, nil
}

// UninstallSpec removes kernelsDir/reckon and returns what it removed.
func UninstallSpec(kernelsDir string) (string, error) {
	dir := filepath.Join(kernelsDir, SpecName)
	if _, err := os.Stat(filepath.Join(dir, "kernel.json")); err != nil {
		return "", fmt.Errorf("no Reckon kernelspec in %s: %w", kernelsDir, err)
	}
	if err := os.RemoveAll(dir); err != nil {
		return "", fmt.Errorf("removing the kernelspec: %w", err)
	}
	return dir, nil
}

// logo draws the kernel's icon: three clusters of points on a dark tile,
// the picture of what the kernel does.
func logo(size int) image.Image {
	img := image.NewNRGBA(image.Rect(0, 0, size, size))
	s := float64(size)
	bg := color.NRGBA{0x1f, 0x2a, 0x44, 0xff}
	r := s * 0.18
	for y := 0; y < size; y++ {
		for x := 0; x < size; x++ {
			// A rounded square: outside the corner circles stays clear.
			cx := math.Max(r, math.Min(s-r, float64(x)+0.5))
			cy := math.Max(r, math.Min(s-r, float64(y)+0.5))
			if math.Hypot(float64(x)+0.5-cx, float64(y)+0.5-cy) <= r {
				img.Set(x, y, bg)
			}
		}
	}
	clusters := []struct {
		x, y float64
		c    color.NRGBA
	}{
		{0.32, 0.34, color.NRGBA{0xf4, 0xa2, 0x61, 0xff}},
		{0.68, 0.40, color.NRGBA{0x2a, 0x9d, 0x8f, 0xff}},
		{0.45, 0.70, color.NRGBA{0xe9, 0xc4, 0x6a, 0xff}},
	}
	offsets := [][2]float64{{0, 0}, {-0.09, -0.05}, {0.08, -0.07}, {-0.06, 0.08}, {0.09, 0.06}}
	for _, cl := range clusters {
		for _, o := range offsets {
			px, py, pr := (cl.x+o[0])*s, (cl.y+o[1])*s, s*0.045
			for y := int(py - pr - 1); y <= int(py+pr+1); y++ {
				for x := int(px - pr - 1); x <= int(px+pr+1); x++ {
					if math.Hypot(float64(x)+0.5-px, float64(y)+0.5-py) <= pr {
						img.Set(x, y, cl.c)
					}
				}
			}
		}
	}
	return img
}
