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
// exactly. Read gives the table back, except that a category spelled like a
// missing-value marker (say "NA") comes back missing.
func (f *Frame) WriteCSV(w io.Writer) error {
	bw := bufio.NewWriter(w)
	rec := make([]string, len(f.cols))
	for i := -1; i < f.rows; i++ {
		for j, c := range f.cols {
			if i < 0 {
				rec[j] = c.name
			} else {
				rec[j] = c.Format(i)
			}
		}
		for j, field := range rec {
			if j > 0 {
				bw.WriteByte(',')
			}
			// A lone empty field is quoted, or its line would be blank,
			// and blank lines are skipped when reading; so is one that
			// starts with a byte order mark, which would be dropped at the
			// start of the file.
			if strings.ContainsAny(field, ",\"\r\n") || (field == "" && len(rec) == 1) || strings.HasPrefix(field, "\ufeff") {
				bw.WriteByte('"')
				bw.WriteString(strings.ReplaceAll(field, `"`, `""`))
				bw.WriteByte('"')
			} else {
				bw.WriteString(field)
			}
		}
		bw.WriteByte('\n')
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("frame: writing CSV: %w", err)
	}
	return nil
}
