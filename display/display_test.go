package display

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

func TestTablePlainAlignsColumns(t *testing.T) {
	tb := Table{
		Caption: "clusters",
		Columns: []string{"cluster", "size", "drivers"},
		Numeric: []bool{false, true, false},
		Rows:    [][]string{{"0", "1200", "energy +"}, {"noise", "35", ""}, {"été", "7"}},
		Note:    "3 rows",
	}
	want := strings.Join([]string{
		"clusters",
		"cluster  size  drivers",
		"-------  ----  --------",
		"0        1200  energy +",
		"noise      35",
		"été         7",
		"3 rows",
	}, "\n")
	if got := tb.Plain(); got != want {
		t.Errorf("Plain:\n%s\nwant:\n%s", got, want)
	}
}

func TestTableHTMLEscapesAndAligns(t *testing.T) {
	tb := Table{Columns: []string{"a<b", "n"}, Numeric: []bool{false, true}, Rows: [][]string{{"<script>", "1"}}}
	h := tb.HTML()
	for _, want := range []string{"<th style=\"text-align:left\">a&lt;b</th>", "<td style=\"text-align:left\">&lt;script&gt;</td>", "<td style=\"text-align:right\">1</td>"} {
		if !strings.Contains(h, want) {
			t.Errorf("HTML lacks %s:\n%s", want, h)
		}
	}
	b := tb.Bundle()
	if b.Plain() != tb.Plain() || b.Data["text/html"] != h {
		t.Error("the bundle does not carry both forms")
	}
}

func TestProgress(t *testing.T) {
	tests := []struct {
		p    Progress
		text string
	}{
		{Progress{Task: "umap", Phase: "epochs", Done: 50, Total: 200, Elapsed: 1500 * time.Millisecond}, "[#####---------------]  25% umap: epochs 50/200 (1.5s)"},
		{Progress{Task: "knn", Phase: "neighbours", Done: 3, Elapsed: 20 * time.Millisecond}, "[--------------------]   0% knn: neighbours 3 (20ms)"},
		{Progress{Task: "umap", Phase: "epochs", Done: 200, Total: 200, Elapsed: 65 * time.Second, Finished: true}, "[####################] 100% umap: epochs 200/200 — done in 1m5s"},
		{Progress{Task: "umap", Phase: "epochs", Done: 20, Total: 200, Elapsed: 2 * time.Second, Stopped: true}, "[##------------------]  10% umap: epochs 20/200 — stopped after 2s"},
	}
	for _, tc := range tests {
		if got := tc.p.Plain(); got != tc.text {
			t.Errorf("Plain = %q, want %q", got, tc.text)
		}
		h := tc.p.HTML()
		if !strings.Contains(h, "<progress") || tc.p.Total > 0 && !strings.Contains(h, fmt.Sprintf(`value="%.4f"`, tc.p.fraction())) {
			t.Errorf("HTML = %s", h)
		}
	}
	if h := (Progress{Task: "x"}).HTML(); strings.Contains(h, "value=") {
		t.Errorf("an unknown total must show an indeterminate bar: %s", h)
	}
}

// TestTableIntroIsAParagraphBeforeTheTable: a long summary in a <caption>
// is centred and squeezed to the table's width by JupyterLab.
func TestTableIntroIsAParagraphBeforeTheTable(t *testing.T) {
	tb := Table{Intro: "10 runs; ARI mean 0.9", Columns: []string{"cluster"}, Rows: [][]string{{"0"}}}
	if h := tb.HTML(); !strings.HasPrefix(h, "<p>10 runs; ARI mean 0.9</p><table>") || strings.Contains(h, "<caption>") {
		t.Errorf("HTML: %s", h)
	}
	if p := tb.Plain(); !strings.HasPrefix(p, "10 runs; ARI mean 0.9\n\ncluster\n") {
		t.Errorf("Plain: %q", p)
	}
}
