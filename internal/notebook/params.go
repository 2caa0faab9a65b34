package notebook

// The tags papermill gives the cell of default parameters and the cell it
// injects after it.
const (
	ParametersTag = "parameters"
	InjectedTag   = "injected-parameters"
)

// InjectParameters puts a code cell holding source, tagged
// "injected-parameters", right after the first cell tagged "parameters",
// or first in the notebook when no cell is; a cell injected by an earlier
// run is removed, so that running a notebook again with new values leaves
// one injected cell, as papermill does.
func InjectParameters(nb *Notebook, source string) {
	kept := nb.Cells[:0]
	for _, c := range nb.Cells {
		if !c.HasTag(InjectedTag) {
			kept = append(kept, c)
		}
	}
	nb.Cells = kept
	at := 0
	for i, c := range nb.Cells {
		if c.HasTag(ParametersTag) {
			at = i + 1
			break
		}
	}
	cell := &Cell{Type: "code", Source: source, Metadata: map[string]any{"tags": []any{InjectedTag}}}
	// Cell ids are required from nbformat 4.5 on and must be unique.
	if nb.Minor >= 5 {
		cell.ID = InjectedTag
		for taken := true; taken; {
			taken = false
			for _, c := range nb.Cells {
				if c.ID == cell.ID {
					cell.ID += "-1"
					taken = true
				}
			}
		}
	}
	nb.Cells = append(nb.Cells[:at], append([]*Cell{cell}, nb.Cells[at:]...)...)
}
