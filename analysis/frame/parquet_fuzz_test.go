package frame

import (
	"bytes"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	arrowpq "github.com/apache/arrow-go/v18/parquet"
	"github.com/apache/arrow-go/v18/parquet/compress"
)

// FuzzReadParquet feeds arbitrary bytes to the Parquet reader. Whatever
// the input, it must not panic or hang, an error must be the package's
// own, and a table it returns must hold together under every operation and
// come back the same through WriteParquet. The seeds are files from both
// writers; testdata/fuzz/FuzzReadParquet holds the corpus, run as
// regression tests.
func FuzzReadParquet(f *testing.F) {
	f.Add(parquetBytes(f, mustFrame(f, NewNumeric("id", []float64{1, 2, 3}),
		mustCategorical(f, "genre", []string{"rock", "", "jazz"}, []bool{true, false, true}))))
	f.Add(parquetBytes(f, randomTable(f, 40, 1)))
	f.Add(writeArrow(f, arrowColumns()[:4], 20, arrowpq.WithMaxRowGroupLength(8), arrowpq.WithCompression(compress.Codecs.Snappy)))
	f.Add(writeArrow(f, arrowColumns()[10:], 20, arrowpq.WithMaxRowGroupLength(8), arrowpq.WithDataPageVersion(arrowpq.DataPageV2)))
	f.Add(writeArrow(f, []arrowColumn{{field: arrow.Field{Name: "l", Type: arrow.ListOf(arrow.PrimitiveTypes.Int64), Nullable: true},
		append: func(b array.Builder, i int) { b.AppendNull() }}}, 2))
	f.Add([]byte("a,b\n1,2\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		fr, err := readParquetBytes(data)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "frame: ") {
				t.Fatalf("error without the package prefix: %v", err)
			}
			return
		}
		exercise(t, fr)
		var out bytes.Buffer
		if err := fr.WriteParquet(&out); err != nil {
			t.Fatal(err)
		}
		back, err := readParquetBytes(out.Bytes())
		if err != nil {
			t.Fatalf("the table written back does not read: %v", err)
		}
		sameTable(t, back, fr)
	})
}
