package report_test

import (
	"fmt"
	"math"
	"strings"

	"github.com/reckon-dev/reckon/display/report"
)

func ExampleWrite() {
	r := report.Report{
		Title: "Tracks", Data: "tracks.csv: 1,300 rows", Rows: 1300, Clusters: 1,
		Cards:  []report.Card{{Label: "0", Size: 1300, Share: 1, AUC: math.NaN()}},
		Method: report.Method{Steps: []report.Step{{Code: `tracks = load("tracks.csv")`}}, Version: "0.1.0"},
	}
	var b strings.Builder
	if err := report.Write(&b, r); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(strings.Contains(b.String(), `<code>tracks = load(&#34;tracks.csv&#34;)</code>`))
	// Output: true
}
