// Command reckon is the Reckon binary: the Jupyter kernel, its installer,
// a runner for scripts and notebooks of the analysis language, and the
// demo.
//
//	reckon demo [--out DIR]         run the quickstart on the built-in data
//	reckon kernel CONNECTION_FILE   run the kernel (Jupyter starts this)
//	reckon install [--user | --prefix DIR | --sys-prefix]
//	reckon uninstall [--user | --prefix DIR | --sys-prefix]
//	reckon run FILE                 run a script; - reads standard input
//	reckon run NOTEBOOK.ipynb [-o OUT.ipynb] [-p name=value ...]
//	reckon apply MODEL INPUT... [-o OUTPUT] [--on-error=skip|stop]
//	reckon version
//	reckon help
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"

	"github.com/reckon-dev/reckon"
	"github.com/reckon-dev/reckon/dsl"
	"github.com/reckon-dev/reckon/kernel"
)

const usage = `Reckon — explainable clustering in a Jupyter kernel.

Usage:
  reckon demo [--out DIR]           run the quickstart notebook on the built-in
                                    demo data; write the executed notebook, the
                                    report and CSV exports into DIR (./reckon-demo)
  reckon kernel CONNECTION_FILE     run the kernel (Jupyter starts this)
  reckon install [--user | --prefix DIR | --sys-prefix]
                                    install the kernelspec so Jupyter finds Reckon
  reckon uninstall [--user | --prefix DIR | --sys-prefix]
                                    remove the kernelspec
  reckon run FILE                   run a script of the language ("-" reads stdin)
  reckon run NOTEBOOK.ipynb [-o OUT.ipynb] [-p name=value ...]
                                    execute a notebook without Jupyter and write
                                    its outputs into it (or into OUT), with
                                    papermill's parameters
  reckon synth --rows N --seed S -o FILE.csv|FILE.parquet
                                    write a table with planted groups, for trying scale
  reckon apply MODEL INPUT... [-o OUTPUT] [--on-error=skip|stop]
                                    assign the rows of CSV/TSV/Parquet files ("-" reads
                                    stdin) to the clusters of a model saved by
                                    save(), with the reasons, as CSV (Parquet
                                    when OUTPUT ends in .parquet), in batches
  reckon version                    print the version
  reckon help                       print this help

Without a flag, install and uninstall use the system-wide Jupyter directory,
as "jupyter kernelspec install" does; --user is the usual choice.
`

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

// run is main with its inputs and outputs passed in, so tests can drive it.
func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	switch args[0] {
	case "kernel":
		return runKernel(args[1:], stderr)
	case "install", "uninstall":
		return runInstall(args[0], args[1:], stdout, stderr)
	case "demo":
		return runDemo(args[1:], stdout, stderr)
	case "run":
		return runScript(args[1:], stdin, stdout, stderr)
	case "synth":
		return runSynth(args[1:], stdout, stderr)
	case "apply":
		return runApply(args[1:], stdin, stdout, stderr)
	case "version", "--version", "-version":
		fmt.Fprintf(stdout, "reckon %s (%s, %s/%s)\n", dsl.Version, runtime.Version(), runtime.GOOS, runtime.GOARCH)
		return 0
	case "help", "--help", "-h", "-help":
		fmt.Fprint(stdout, usage)
		return 0
	}
	fmt.Fprintf(stderr, "reckon: unknown command %q\n\n%s", args[0], usage)
	return 2
}

// specName is the kernelspec's directory name: what users pass to
// `jupyter console --kernel` or nbconvert's --ExecutePreprocessor.kernel_name.
const specName = "reckon"

func runKernel(args []string, stderr io.Writer) int {
	if len(args) != 1 {
		fmt.Fprint(stderr, "reckon kernel: needs exactly one argument, the connection file Jupyter wrote\n")
		return 2
	}
	conn, err := kernel.ReadConnectionFile(args[0])
	if err != nil {
		fmt.Fprintf(stderr, "reckon kernel: %v\n", err)
		return 1
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM)
	defer stop()
	interrupts := make(chan os.Signal, 1)
	signal.Notify(interrupts, os.Interrupt)
	defer signal.Stop(interrupts)
	interp := &dsl.Interpreter{Session: dsl.NewSession(newRegistry(), dsl.Options{})}
	opts := kernel.Options{Interrupts: interrupts, Log: log.New(stderr, "reckon kernel: ", log.LstdFlags)}
	if _, err := kernel.Run(ctx, conn, interp, opts); err != nil {
		fmt.Fprintf(stderr, "reckon kernel: %v\n", err)
		return 1
	}
	return 0
}

// newRegistry returns the commands of the language.
func newRegistry() *dsl.Registry { return dsl.NewRegistry() }

func runInstall(verb string, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("reckon "+verb, flag.ContinueOnError)
	fs.SetOutput(stderr)
	var where kernel.Where
	fs.BoolVar(&where.User, "user", false, "use the user's Jupyter data directory")
	fs.StringVar(&where.Prefix, "prefix", "", "use `DIR`/share/jupyter")
	fs.BoolVar(&where.SysPrefix, "sys-prefix", false, "use the active Python environment's prefix")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "reckon %s: unexpected argument %q\n", verb, fs.Arg(0))
		return 2
	}
	set := 0
	for _, b := range []bool{where.User, where.Prefix != "", where.SysPrefix} {
		if b {
			set++
		}
	}
	if set > 1 {
		fmt.Fprintf(stderr, "reckon %s: choose one of --user, --prefix and --sys-prefix\n", verb)
		return 2
	}
	dir, err := where.KernelsDir()
	if err != nil {
		fmt.Fprintf(stderr, "reckon %s: %v\n", verb, err)
		return 1
	}
	if verb == "uninstall" {
		removed, err := kernel.UninstallSpec(dir, specName)
		if err != nil {
			fmt.Fprintf(stderr, "reckon uninstall: %v\n", err)
			return 1
		}
		fmt.Fprintf(stdout, "Removed the Reckon kernelspec from %s\n", removed)
		return 0
	}
	exe, err := os.Executable()
	if err == nil {
		exe, err = filepath.EvalSymlinks(exe)
	}
	if err != nil {
		fmt.Fprintf(stderr, "reckon install: finding this binary: %v\n", err)
		return 1
	}
	files, err := logos()
	if err != nil {
		fmt.Fprintf(stderr, "reckon install: %v\n", err)
		return 1
	}
	installed, err := kernel.InstallSpec(dir, kernel.Spec{Name: specName, Template: reckon.KernelSpec, Executable: exe, Files: files})
	if err != nil {
		if errors.Is(err, os.ErrPermission) && !where.User {
			fmt.Fprintf(stderr, "reckon install: %v\n(try reckon install --user)\n", err)
		} else {
			fmt.Fprintf(stderr, "reckon install: %v\n", err)
		}
		return 1
	}
	fmt.Fprintf(stdout, "Installed the Reckon kernelspec in %s\nIt runs %s; choose \"Reckon\" in Jupyter.\n", installed, exe)
	return 0
}

func runScript(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	name, out, params, err := runArgs(args)
	if err != nil {
		fmt.Fprintf(stderr, "reckon run: %v\n%s", err, runUsage)
		return 2
	}
	if strings.HasSuffix(name, ".ipynb") {
		return runNotebook(name, out, params, stdout, stderr)
	}
	if out != "" || len(params) > 0 {
		fmt.Fprintf(stderr, "reckon run: -o and -p apply to notebooks (.ipynb); a script writes to the terminal\n")
		return 2
	}
	var src []byte
	if name == "-" {
		src, err = io.ReadAll(stdin)
		name = "<stdin>"
	} else {
		src, err = os.ReadFile(name)
	}
	if err != nil {
		fmt.Fprintf(stderr, "reckon run: %v\n", err)
		return 1
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	s := dsl.NewSession(newRegistry(), dsl.Options{QuietProgress: true})
	res, err := s.Run(ctx, string(src), &textOutput{stdout: stdout, stderr: stderr})
	for _, p := range res.Pages {
		fmt.Fprintln(stdout, p.String())
	}
	if err != nil {
		var e *dsl.Error
		if errors.As(err, &e) {
			fmt.Fprint(stderr, e.Report(name))
		} else {
			fmt.Fprintf(stderr, "%s: %v\n", name, err)
		}
		return 1
	}
	if res.Value != nil {
		fmt.Fprintln(stdout, dsl.Bundle(res.Value).Plain())
	}
	return 0
}

const runUsage = `usage: reckon run FILE                       run a script ("-" reads stdin)
       reckon run NOTEBOOK.ipynb [-o OUT.ipynb] [-p name=value ...]
`

// runArgs reads run's arguments: one file, and -o and -p anywhere around
// it, as papermill takes them.
func runArgs(args []string) (name, out string, params []string, err error) {
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "-o" || a == "--output" || a == "-p" || a == "--parameters":
			if i+1 == len(args) {
				return "", "", nil, fmt.Errorf("%s needs a value", a)
			}
			i++
			if a == "-o" || a == "--output" {
				out = args[i]
			} else {
				params = append(params, args[i])
			}
		case strings.HasPrefix(a, "-o=") || strings.HasPrefix(a, "--output="):
			_, out, _ = strings.Cut(a, "=")
		case strings.HasPrefix(a, "-") && a != "-":
			return "", "", nil, fmt.Errorf("unknown flag %s", a)
		case name != "":
			return "", "", nil, fmt.Errorf("one file at a time, not %s and %s", name, a)
		default:
			name = a
		}
	}
	if name == "" {
		return "", "", nil, errors.New("needs the script or notebook to run")
	}
	return name, out, params, nil
}

// textOutput shows a script's outputs in a terminal: streams as they are,
// rich outputs as their text/plain twin.
type textOutput struct {
	stdout, stderr io.Writer
}

func (o *textOutput) Stream(name, text string) {
	if name == "stderr" {
		fmt.Fprint(o.stderr, text)
		return
	}
	fmt.Fprint(o.stdout, text)
}

func (o *textOutput) Display(b kernel.Bundle, id string) { o.show(b) }
func (o *textOutput) Update(b kernel.Bundle, id string)  { o.show(b) }
func (o *textOutput) Clear(wait bool)                    {}

func (o *textOutput) show(b kernel.Bundle) {
	if s, ok := b.Data["text/plain"].(string); ok {
		fmt.Fprintln(o.stdout, s)
	}
}
