package frame

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/reckon-dev/reckon/internal/pyref"
)

// TestDescribeMatchesNumpy checks the figures against numpy, which pandas'
// describe() computes them with: nanmean, nanstd(ddof=1) and
// nanpercentile with linear interpolation.
func TestDescribeMatchesNumpy(t *testing.T) {
	pyref.Require(t, "python3-numpy", "numpy")
	rng := rand.New(rand.NewPCG(5, 6))
	var text strings.Builder
	text.WriteString("a,b,c\n")
	for i := 0; i < 1001; i++ {
		row := [3]float64{rng.NormFloat64()*3 + 100, math.Floor(rng.Float64() * 20), math.Exp(rng.NormFloat64())}
		for j := range row {
			if rng.IntN(10) == 0 {
				row[j] = math.NaN()
			}
		}
		fmt.Fprintf(&text, "%s,%s,%s\n", num(row[0]), num(row[1]), num(row[2]))
	}
	f := readString(t, text.String(), ReadOptions{})
	summaries, err := f.Describe(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	script := `
import json, sys
import numpy as np
out = []
for col in json.load(sys.stdin):
    x = np.array([np.nan if v is None else v for v in col])
    out.append([float(np.nanmean(x)), float(np.nanstd(x, ddof=1)), float(np.nanmin(x))] +
               [float(q) for q in np.nanpercentile(x, [25, 50, 75])] + [float(np.nanmax(x))])
json.dump(out, sys.stdout)
`
	in := make([][]any, 3)
	for j := range in {
		c, _ := f.Column(string(rune('a' + j)))
		for _, v := range c.Float64s() {
			if math.IsNaN(v) {
				in[j] = append(in[j], nil)
			} else {
				in[j] = append(in[j], v)
			}
		}
	}
	var want [][]float64
	pyref.JSON(t, script, in, &want)
	for j, s := range summaries {
		got := []float64{s.Mean, s.Std, s.Min, s.Q25, s.Median, s.Q75, s.Max}
		for k, name := range []string{"mean", "std", "min", "25%", "50%", "75%", "max"} {
			// numpy sums pairwise, so the mean and std may differ in the
			// last bits; the order statistics must agree exactly.
			tol := 0.0
			if k < 2 {
				tol = 1e-13 * math.Abs(want[j][k])
			}
			if math.Abs(got[k]-want[j][k]) > tol {
				t.Errorf("column %s %s = %v, numpy %v", s.Name, name, got[k], want[j][k])
			}
		}
	}
}

func num(v float64) string {
	if math.IsNaN(v) {
		return "NA"
	}
	return fmt.Sprint(v)
}
