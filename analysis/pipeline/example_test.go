package pipeline_test

import (
	"bytes"
	"fmt"

	"github.com/reckon-dev/reckon/analysis/pipeline"
)

// WriteNPY writes arrays numpy opens with numpy.load; ReadNPY reads them
// back.
func ExampleWriteNPY() {
	var b bytes.Buffer
	if err := pipeline.WriteNPY(&b, []float64{1, 2, 3, 4, 5, 6}, 2, 3); err != nil {
		panic(err)
	}
	values, shape, err := pipeline.ReadNPY(&b, int64(b.Len()))
	if err != nil {
		panic(err)
	}
	fmt.Println(shape, values)
	// Output: [2 3] [1 2 3 4 5 6]
}
