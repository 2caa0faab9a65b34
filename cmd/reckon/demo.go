package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/reckon-dev/reckon/dsl"
	"github.com/reckon-dev/reckon/examples"
	"github.com/reckon-dev/reckon/internal/notebook"
)

// demoFiles are what the quickstart writes, beside the executed notebook.
var demoFiles = []string{"quickstart.ipynb", "findings.html", "clusters.csv", "tree.csv", "shap.csv"}

// runDemo runs the built-in quickstart notebook on the built-in data, in
// process, in the folder --out, and sums up what it found.
func runDemo(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("reckon demo", flag.ContinueOnError)
	fs.SetOutput(stderr)
	dir := fs.String("out", "reckon-demo", "the folder to write the executed notebook, the report and the CSV exports into")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "reckon demo: unexpected argument %q; the only option is --out DIR\n", fs.Arg(0))
		return 2
	}
	fail := func(err error) int {
		fmt.Fprintf(stderr, "reckon demo: %v\n", err)
		return 1
	}
	if err := os.MkdirAll(*dir, 0o755); err != nil {
		return fail(err)
	}
	nb, err := notebook.Read(examples.Quickstart)
	if err != nil {
		return fail(err)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	fmt.Fprintf(stdout, "Running the quickstart notebook on 1,300 built-in tracks (about 20 s)...\n")
	start := time.Now()
	session := dsl.NewSession(newRegistry(), dsl.Options{})
	// The notebook writes its report and exports beside itself.
	wd, err := os.Getwd()
	if err != nil {
		return fail(err)
	}
	if err := os.Chdir(*dir); err != nil {
		return fail(err)
	}
	runErr := notebook.Execute(ctx, nb, &dsl.Interpreter{Session: session})
	if err := os.Chdir(wd); err != nil {
		return fail(err)
	}
	out := filepath.Join(*dir, "quickstart.ipynb")
	data, err := nb.Write()
	if err == nil {
		err = os.WriteFile(out, data, 0o644)
	}
	if err != nil {
		return fail(err)
	}
	if runErr != nil {
		var cellErr *notebook.CellError
		if errors.As(runErr, &cellErr) {
			return fail(fmt.Errorf("%v (the notebook, with the error, is in %s)", cellErr, out))
		}
		return fail(runErr)
	}
	summary, err := demoSummary(session)
	if err != nil {
		return fail(err)
	}
	fmt.Fprintf(stdout, "Done in %.0f s.\n\n%s\nFiles in %s:\n", time.Since(start).Seconds(), summary, *dir)
	for _, f := range demoFiles {
		note := map[string]string{
			"quickstart.ipynb": "the executed notebook (open it in Jupyter, or: jupyter nbconvert --to html)",
			"findings.html":    "the report, one self-contained page: open it in a browser, or print it to PDF",
			"clusters.csv":     "each track's cluster, name, probability and outlier score",
			"tree.csv":         "each track's cluster at every level of recurse",
			"shap.csv":         "the SHAP values behind the drivers",
		}[f]
		fmt.Fprintf(stdout, "  %-18s %s\n", f, note)
	}
	return 0
}

// demoSummary says what the quickstart found: each cluster with its top
// drivers, and the sub-clusters recurse found inside them.
func demoSummary(s *dsl.Session) (string, error) {
	cv, _ := s.Get("cl")
	wv, _ := s.Get("why")
	tv, _ := s.Get("tree")
	cl, ok1 := cv.(*dsl.Clusters)
	why, ok2 := wv.(*dsl.Explanation)
	tree, ok3 := tv.(*dsl.Tree)
	if !ok1 || !ok2 || !ok3 {
		return "", fmt.Errorf("the quickstart did not leave its clusters, explanation and tree in cl, why and tree")
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s. Each cluster and what drives it (SHAP):\n", cl.Size())
	for _, c := range why.Result.Clusters {
		if c.Err != nil {
			fmt.Fprintf(&b, "  %-3s %-12s not explained: %v\n", c.Label, cl.Names[c.Label], c.Err)
			continue
		}
		fmt.Fprintf(&b, "  %-3s %-12s %4d tracks  %s (CV AUC %.3f)\n", c.Label, cl.Names[c.Label], c.Size, c.DriverWords(3), c.CVAUC)
	}
	var split []string
	for _, n := range tree.Result.Root.Children {
		var subs []string
		for _, k := range n.Children {
			if !k.Noise {
				subs = append(subs, fmt.Sprintf("%s (%d)", k.Label, len(k.Rows)))
			}
		}
		if len(subs) > 0 {
			split = append(split, fmt.Sprintf("%s into %s", overlapName(cl, n.Rows), strings.Join(subs, " and ")))
		}
	}
	if len(split) > 0 {
		fmt.Fprintf(&b, "Zooming in, recurse split %s.\n", strings.Join(split, "; "))
	}
	return b.String(), nil
}

// overlapName names a tree's cluster after the named flat cluster most of
// its rows are in.
func overlapName(cl *dsl.Clusters, rows []int) string {
	count := map[int]int{}
	best := -1
	for _, r := range rows {
		l := cl.Labels[r]
		count[l]++
		if best < 0 || count[l] > count[best] {
			best = l
		}
	}
	if name := cl.Names[fmt.Sprint(best)]; name != "" {
		return name
	}
	return fmt.Sprintf("cluster %d", best)
}
