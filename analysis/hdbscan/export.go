package hdbscan

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
)

// WriteCSV writes one line per row of the data, in order, under the header
// "row,label,probability,outlier_score": what export(result, to=...) saves.
func (r *Result) WriteCSV(w io.Writer) error {
	bw := bufio.NewWriter(w)
	bw.WriteString("row,label,probability,outlier_score\n")
	var buf []byte
	for i, l := range r.Labels {
		buf = strconv.AppendInt(buf[:0], int64(i), 10)
		buf = append(buf, ',')
		buf = strconv.AppendInt(buf, int64(l), 10)
		buf = append(buf, ',')
		buf = strconv.AppendFloat(buf, r.Probabilities[i], 'g', -1, 64)
		buf = append(buf, ',')
		buf = strconv.AppendFloat(buf, r.OutlierScores[i], 'g', -1, 64)
		buf = append(buf, '\n')
		bw.Write(buf)
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("hdbscan: writing CSV: %w", err)
	}
	return nil
}
