package report

import (
	"bytes"
	_ "embed"
	"encoding/base64"
	"fmt"
	"html/template"
	"io"
	"math"
	"strings"

	"github.com/reckon-dev/reckon/analysis/explain"
	"github.com/reckon-dev/reckon/display"
)

// Report is everything the HTML file shows.
type Report struct {
	// Title heads the page and names it in the browser.
	Title string
	// Data says what was clustered ("tracks.csv: 1,300 rows × 11
	// columns").
	Data string
	// Done says what was done, in the order it was done.
	Done []string
	// Rows, Clusters and Noise (a share in [0, 1]) summarise the result.
	Rows, Clusters int
	Noise          float64
	// Figures are the pictures of the whole clustering: the embedding
	// coloured by cluster, the icicle of a tree.
	Figures []Figure
	// Cards describe the clusters, one each, in order.
	Cards []Card
	// Method is what reproduces the result.
	Method Method
}

// Figure is a plot with a caption.
type Figure struct {
	Caption string
	Plot    display.Bundle
}

// Card is one cluster.
type Card struct {
	// Label is the cluster's label ("3", "3.1"); Name what it was named,
	// if anything.
	Label, Name string
	Size        int
	// Share is Size over all rows.
	Share float64
	// Description says in words what sets the cluster apart.
	Description string
	// Stability says how reliably the cluster comes back, when measured.
	Stability string
	// AUC is the cross-validated AUC of the cluster's classifier; NaN
	// when the cluster was not explained.
	AUC float64
	// Drivers are the features that drive membership, strongest first.
	Drivers []Driver
	// SHAP is the cluster's SHAP summary plot; Plot.Data is nil when there
	// is none.
	SHAP display.Bundle
	// Examples are a few of the cluster's rows.
	Examples display.Table
	// Note says what is missing and why ("not explained: ...").
	Note string
}

// Driver is a feature driving a cluster's membership.
type Driver struct {
	Feature string
	// Direction is explain's: high or low values push rows into the
	// cluster, or no clear direction.
	Direction explain.Direction
	// Importance is the mean |SHAP| over the cluster's rows.
	Importance float64
}

// Method is how to reproduce the report.
type Method struct {
	// Steps are the commands in the order they ran.
	Steps []Step
	// Files are the input files.
	Files []File
	// Version is Reckon's version.
	Version string
}

// Step is a command as it ran.
type Step struct {
	// Code is the line to run.
	Code string
	// Defaults lists the parameters left to their defaults, as name=value.
	Defaults []string
}

// File is an input file, as it was read.
type File struct {
	Path   string
	Size   int64
	SHA256 string
	Rows   int
}

//go:embed report.html.tmpl
var pageText string

var page = template.Must(template.New("report").Funcs(template.FuncMap{
	"img":     img,
	"percent": func(v float64) string { return fmt.Sprintf("%.1f%%", 100*v) },
	"count":   display.Thousands,
	"auc":     func(v float64) string { return fmt.Sprintf("%.3f", v) },
	"isNaN":   math.IsNaN,
	"bytes":   func(n int64) string { return display.Thousands(int(n)) },
	"join":    strings.Join,
	"arrow":   arrow,
	"num": func(t display.Table, j int) template.HTMLAttr {
		if j < len(t.Numeric) && t.Numeric[j] {
			return ` class="num"`
		}
		return ""
	},
	"hasImage": func(b display.Bundle) bool { _, ok := b.Data["image/png"].(string); return ok },
}).Parse(pageText))

// Write writes the report as one self-contained HTML page.
func Write(w io.Writer, r Report) error {
	for _, f := range r.Figures {
		if err := checkImage(f.Plot); err != nil {
			return fmt.Errorf("report: figure %q: %w", f.Caption, err)
		}
	}
	for _, c := range r.Cards {
		if c.SHAP.Data != nil {
			if err := checkImage(c.SHAP); err != nil {
				return fmt.Errorf("report: cluster %s: %w", c.Label, err)
			}
		}
	}
	var buf bytes.Buffer
	if err := page.Execute(&buf, r); err != nil {
		return fmt.Errorf("report: %w", err)
	}
	_, err := w.Write(buf.Bytes())
	return err
}

// checkImage makes sure a plot carries a PNG that decodes, since an image
// that does not load is an empty box in the report.
func checkImage(b display.Bundle) error {
	s, ok := b.Data["image/png"].(string)
	if !ok {
		return fmt.Errorf("the plot has no PNG")
	}
	raw, err := base64.StdEncoding.DecodeString(s)
	if err != nil || !bytes.HasPrefix(raw, []byte("\x89PNG\r\n\x1a\n")) {
		return fmt.Errorf("the plot's PNG does not decode")
	}
	return nil
}

// img writes a plot as an inline image at its displayed size, its text
// description as the alternative text.
func img(b display.Bundle) template.HTML {
	s, _ := b.Data["image/png"].(string)
	size := ""
	if m, ok := b.Metadata["image/png"].(map[string]any); ok {
		if w, ok := m["width"].(int); ok {
			size += fmt.Sprintf(` width="%d"`, w)
		}
		if h, ok := m["height"].(int); ok {
			size += fmt.Sprintf(` height="%d"`, h)
		}
	}
	return template.HTML(`<img src="data:image/png;base64,` + s + `"` + size + ` alt="` + template.HTMLEscapeString(b.Plain()) + `">`)
}

// arrow shows a driver's direction.
func arrow(d explain.Direction) string {
	switch d {
	case explain.Raises:
		return "↑ high"
	case explain.Lowers:
		return "↓ low"
	}
	return "↕ mixed"
}
