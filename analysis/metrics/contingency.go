package metrics

import (
	"fmt"
	"slices"
)

// contingencyTable counts how the rows of two labellings meet: cell (i, j)
// is the number of rows with the i-th label of a and the j-th of b, labels
// numbered in increasing order.
type contingencyTable struct {
	n      int
	labelA []int // the distinct labels of a, ascending
	labelB []int
	rowSum []int // rows per label of a
	colSum []int
	cells  map[[2]int]int // nonzero cells only
}

func newContingency(a, b []int) (*contingencyTable, error) {
	if len(a) != len(b) {
		return nil, fmt.Errorf("metrics: the labellings have %d and %d rows", len(a), len(b))
	}
	if len(a) == 0 {
		return nil, fmt.Errorf("metrics: the labellings are empty")
	}
	t := &contingencyTable{n: len(a), labelA: distinctLabels(a), labelB: distinctLabels(b), cells: map[[2]int]int{}}
	ia, ib := indexLabels(t.labelA), indexLabels(t.labelB)
	t.rowSum = make([]int, len(t.labelA))
	t.colSum = make([]int, len(t.labelB))
	for k := range a {
		i, j := ia[a[k]], ib[b[k]]
		t.rowSum[i]++
		t.colSum[j]++
		t.cells[[2]int{i, j}]++
	}
	return t, nil
}

func distinctLabels(l []int) []int {
	d := slices.Clone(l)
	slices.Sort(d)
	return slices.Compact(d)
}

func indexLabels(labels []int) map[int]int {
	m := make(map[int]int, len(labels))
	for i, l := range labels {
		m[l] = i
	}
	return m
}

// sortedCells lists the nonzero cells in row-major order, the order in
// which scikit-learn's sparse contingency matrix holds them.
func (t *contingencyTable) sortedCells() [][3]int {
	out := make([][3]int, 0, len(t.cells))
	for k, v := range t.cells {
		out = append(out, [3]int{k[0], k[1], v})
	}
	slices.SortFunc(out, func(x, y [3]int) int {
		if x[0] != y[0] {
			return x[0] - y[0]
		}
		return x[1] - y[1]
	})
	return out
}
