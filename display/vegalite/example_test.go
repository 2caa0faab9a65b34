package vegalite_test

import (
	"encoding/json"
	"fmt"

	"github.com/reckon-dev/reckon/display/vegalite"
)

// A scatter of four points in two clusters, one of them named, with a
// row id in the tooltip.
func ExampleScatter() {
	raw, err := vegalite.Scatter([]float64{0, 1, 5, 6}, []float64{0, 1, 5, 6}, vegalite.ScatterOptions{
		Labels: []string{"0", "0", "1", "-1"},
		Names:  map[string]string{"1": "ambient"},
		ID:     &vegalite.Column{Name: "track_id", Text: []string{"a", "b", "c", "d"}},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	var spec struct {
		Data struct{ Values []map[string]json.RawMessage }
	}
	json.Unmarshal(raw, &spec)
	row := spec.Data.Values[0]
	fmt.Println("x:", string(row["x"]))
	fmt.Println("cluster codes:", string(row["c"]))
	fmt.Println("ids:", string(row["i"]))
	// Output:
	// x: [6,0,1,5]
	// cluster codes: [2,0,0,1]
	// ids: ["d","a","b","c"]
}
