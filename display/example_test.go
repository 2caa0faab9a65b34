package display_test

import (
	"fmt"

	"github.com/reckon-dev/reckon/display"
)

func ExampleTable() {
	t := display.Table{
		Columns: []string{"cluster", "size"},
		Numeric: []bool{false, true},
		Rows:    [][]string{{"0", "1,204"}, {"noise", "96"}},
	}
	b := t.Bundle()
	fmt.Println(b.Plain())
	_, hasHTML := b.Data["text/html"]
	fmt.Println(hasHTML)
	// Output:
	// cluster   size
	// -------  -----
	// 0        1,204
	// noise       96
	// true
}
