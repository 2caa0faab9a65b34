package metrics

import "math/big"

// AdjustedRandIndex is scikit-learn's adjusted_rand_score of two labellings
// of the same rows: the Rand index (the share of row pairs both labellings
// put together or both apart) corrected for chance, 1 for the same
// partition up to renaming, about 0 for independent ones, possibly
// negative. The pair counts are exact, whatever the number of rows.
func AdjustedRandIndex(a, b []int) (float64, error) {
	t, err := newContingency(a, b)
	if err != nil {
		return 0, err
	}
	// ordered pair counts, as scikit-learn's pair_confusion_matrix
	var sumSq, sumRow, sumCol int64
	for _, v := range t.cells {
		sumSq += int64(v) * int64(v)
	}
	for _, v := range t.rowSum {
		sumRow += int64(v) * int64(v)
	}
	for _, v := range t.colSum {
		sumCol += int64(v) * int64(v)
	}
	n := int64(t.n)
	tp := big.NewInt(sumSq - n)
	fp := big.NewInt(sumCol - sumSq)
	fn := big.NewInt(sumRow - sumSq)
	tn := new(big.Int).Mul(big.NewInt(n), big.NewInt(n))
	tn.Sub(tn, fp).Sub(tn, fn).Sub(tn, big.NewInt(sumSq))
	if fn.Sign() == 0 && fp.Sign() == 0 {
		return 1, nil
	}
	mul := func(x, y *big.Int) *big.Int { return new(big.Int).Mul(x, y) }
	add := func(x, y *big.Int) *big.Int { return new(big.Int).Add(x, y) }
	num := new(big.Int).Sub(mul(tp, tn), mul(fn, fp))
	den := add(mul(add(tp, fn), add(fn, tn)), mul(add(tp, fp), add(fp, tn)))
	// 2.0 * num / den in Python: each integer rounds to a float first
	return 2 * toFloat(num) / toFloat(den), nil
}

func toFloat(x *big.Int) float64 {
	f, _ := new(big.Float).SetInt(x).Float64()
	return f
}
