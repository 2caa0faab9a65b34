package assign

import (
	"fmt"

	"github.com/apache/beam/sdks/v2/go/pkg/beam/core/metrics"
)

// Totals are what a job did, from its metrics.
type Totals struct {
	// Rows were assigned, Bad went to the dead letters, Unseen held a
	// category the model was not fitted on.
	Rows, Bad, Unseen int64
}

// TotalsOf sums the job's counters over its steps.
func TotalsOf(m metrics.Results) Totals {
	var t Totals
	for _, c := range m.AllMetrics().Counters() {
		if c.Namespace() != "reckon" {
			continue
		}
		switch c.Name() {
		case "rows":
			t.Rows += c.Result()
		case "bad_rows":
			t.Bad += c.Result()
		case "unseen_category_rows":
			t.Unseen += c.Result()
		}
	}
	return t
}

// Report says what a job writing under prefix did, as `reckon apply`
// says it.
func (t Totals) Report(prefix string) string {
	msg := fmt.Sprintf("reckon-beam: assigned %d rows", t.Rows)
	if t.Bad > 0 {
		msg += fmt.Sprintf("; %d bad rows are in %s", t.Bad, ErrorsName(prefix))
	}
	if t.Unseen > 0 {
		msg += fmt.Sprintf("; %d rows held a category the model was not fitted on (encoded as all zeros)", t.Unseen)
	}
	return msg
}
