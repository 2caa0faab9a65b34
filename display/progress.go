package display

import (
	"fmt"
	"html"
	"strings"
	"time"
)

// Progress is the state of a long computation, shown as a bar that the
// kernel updates in place.
type Progress struct {
	Task    string // the command: "umap"
	Phase   string // "epochs"
	Done    int
	Total   int // 0 when unknown
	Elapsed time.Duration
	// Finished marks the last state of a task that completed; Stopped the
	// last state of one that failed or was interrupted.
	Finished bool
	Stopped  bool
}

// Bundle renders the progress as text and as an HTML bar.
func (p Progress) Bundle() Bundle {
	return Bundle{Data: map[string]any{"text/plain": p.Plain(), "text/html": p.HTML()}}
}

func (p Progress) fraction() float64 {
	if p.Finished {
		return 1
	}
	if p.Total <= 0 {
		return 0
	}
	return min(1, max(0, float64(p.Done)/float64(p.Total)))
}

func (p Progress) label() string {
	var b strings.Builder
	b.WriteString(p.Task)
	if p.Phase != "" {
		b.WriteString(": " + p.Phase)
	}
	if p.Total > 0 {
		fmt.Fprintf(&b, " %d/%d", p.Done, p.Total)
	} else if p.Done > 0 {
		fmt.Fprintf(&b, " %d", p.Done)
	}
	switch {
	case p.Finished:
		fmt.Fprintf(&b, " — done in %s", roundDuration(p.Elapsed))
	case p.Stopped:
		fmt.Fprintf(&b, " — stopped after %s", roundDuration(p.Elapsed))
	default:
		fmt.Fprintf(&b, " (%s)", roundDuration(p.Elapsed))
	}
	return b.String()
}

// Plain renders a text bar: [#########-----------]  45% umap: epochs 90/200 (3.1s)
func (p Progress) Plain() string {
	const width = 20
	f := p.fraction()
	n := int(f * width)
	return fmt.Sprintf("[%s%s] %3.0f%% %s", strings.Repeat("#", n), strings.Repeat("-", width-n), f*100, p.label())
}

// HTML renders a bar with the label beside it.
func (p Progress) HTML() string {
	value := ""
	if p.Total > 0 || p.Finished {
		value = fmt.Sprintf(` value="%.4f"`, p.fraction())
	}
	return fmt.Sprintf(`<div style="display:flex;align-items:center;gap:0.6em"><progress max="1"%s style="width:16em"></progress><span>%s</span></div>`,
		value, html.EscapeString(p.label()))
}

func roundDuration(d time.Duration) string {
	switch {
	case d < time.Second:
		return d.Round(time.Millisecond).String()
	case d < time.Minute:
		return d.Round(100 * time.Millisecond).String()
	}
	return d.Round(time.Second).String()
}
