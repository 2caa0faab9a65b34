package frame

import (
	"bufio"
	"fmt"
	"io"
	"strings"
)

// WriteCSV writes the table as comma-separated text with a header row, the
// way pandas' to_csv does: fields quoted only when they must be, missing
// values as empty fields, numbers in the shortest form that reads back
// exactly. A text value spelled like a missing-value marker ("NA", "", or
// any other that Read knows) is quoted, which Read takes as text, so that
// Read gives the table back with its missing values and its texts apart,
// as PostgreSQL's and polars' CSV do. In a table of one column a missing
// value is written NA (MissingLabel), since an empty line would be skipped.
func (f *Frame) WriteCSV(w io.Writer) error {
	bw := bufio.NewWriter(w)
	for j, c := range f.cols {
		writeField(bw, j, c.name, false)
	}
	bw.WriteByte('\n')
	for i := 0; i < f.rows; i++ {
		for j, c := range f.cols {
			switch {
			case c.IsMissing(i) && len(f.cols) == 1:
				writeField(bw, j, MissingLabel, false)
			case c.IsMissing(i):
				writeField(bw, j, "", false)
			default:
				field := c.Format(i)
				writeField(bw, j, field, c.kind == Categorical && isMissing([]byte(field)))
			}
		}
		bw.WriteByte('\n')
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("frame: writing CSV: %w", err)
	}
	return nil
}

// writeField writes field j of a record, in quotes when it must be or
// when quoted says so. A field that starts with a byte order mark is
// quoted too, as it would be dropped at the start of the file.
func writeField(w *bufio.Writer, j int, field string, quoted bool) {
	if j > 0 {
		w.WriteByte(',')
	}
	if quoted || strings.ContainsAny(field, ",\"\r\n") || strings.HasPrefix(field, "\ufeff") {
		w.WriteByte('"')
		w.WriteString(strings.ReplaceAll(field, `"`, `""`))
		w.WriteByte('"')
		return
	}
	w.WriteString(field)
}
