package metrics

import "math"

// AdjustedMutualInfo is scikit-learn's adjusted_mutual_info_score with its
// default arithmetic normalisation: the mutual information of the two
// labellings less its expected value under random labellings with the same
// cluster sizes, divided by the mean of the two entropies less that same
// expectation. It is 1 for the same partition up to renaming and about 0
// for independent ones. The expected mutual information is computed
// exactly (Vinh, Epps and Bailey 2010), in time proportional to the pairs
// of clusters times the rows.
func AdjustedMutualInfo(a, b []int) (float64, error) {
	t, err := newContingency(a, b)
	if err != nil {
		return 0, err
	}
	if len(t.labelA) == 1 && len(t.labelB) == 1 {
		// Neither labelling splits the data: a perfect match.
		return 1, nil
	}
	mi := mutualInfo(t)
	emi := expectedMutualInfo(t)
	normalizer := (entropy(t.rowSum) + entropy(t.colSum)) / 2
	den := normalizer - emi
	// The normaliser is never below the expectation but for rounding;
	// keep the sign and avoid dividing by zero, as scikit-learn does.
	const eps = 0x1p-52
	if den < 0 {
		den = min(den, -eps)
	} else {
		den = max(den, eps)
	}
	return (mi - emi) / den, nil
}

// mutualInfo is scikit-learn's mutual_info_score from the contingency
// table, term by term in its order.
func mutualInfo(t *contingencyTable) float64 {
	if len(t.labelA) == 1 || len(t.labelB) == 1 {
		return 0
	}
	n := float64(t.n)
	logN := math.Log(n)
	var sum float64
	for _, c := range t.sortedCells() {
		v := float64(c[2])
		pij := v / n
		outer := float64(int64(t.rowSum[c[0]]) * int64(t.colSum[c[1]]))
		logOuter := -math.Log(outer) + logN + logN
		term := pij*(math.Log(v)-logN) + pij*logOuter
		if math.Abs(term) < 0x1p-52 {
			term = 0
		}
		sum += term
	}
	return max(sum, 0)
}

// entropy is the entropy (natural log) of a labelling with these cluster
// sizes.
func entropy(sizes []int) float64 {
	if len(sizes) == 1 {
		return 0
	}
	var total float64
	for _, s := range sizes {
		total += float64(s)
	}
	logTotal := math.Log(total)
	var h float64
	for _, s := range sizes {
		p := float64(s)
		h += (p / total) * (math.Log(p) - logTotal)
	}
	return -h
}

// expectedMutualInfo is the mutual information expected between random
// labellings with the table's cluster sizes: a sum over every pair of
// clusters and every overlap they could have, weighted by its
// hypergeometric probability, as scikit-learn's
// expected_mutual_information computes it.
func expectedMutualInfo(t *contingencyTable) float64 {
	a, b := t.rowSum, t.colSum
	if len(a) == 1 || len(b) == 1 {
		return 0
	}
	n := t.n
	N := float64(n)
	maxNij := 0
	for _, v := range a {
		maxNij = max(maxNij, v)
	}
	for _, v := range b {
		maxNij = max(maxNij, v)
	}
	// Every argument of lgamma below is a whole number from 1 to n+1:
	// tabulate them once.
	lg := make([]float64, n+2)
	for i := 1; i < len(lg); i++ {
		lg[i], _ = math.Lgamma(float64(i))
	}
	logNnij := make([]float64, maxNij+1)
	for nij := 1; nij <= maxNij; nij++ {
		logNnij[nij] = math.Log(N) + math.Log(float64(nij))
	}
	var emi float64
	for _, ai := range a {
		logA := math.Log(float64(ai))
		for _, bj := range b {
			logB := math.Log(float64(bj))
			base := lg[ai+1] + lg[bj+1] + lg[n-ai+1] + lg[n-bj+1] - lg[n+1]
			for nij := max(1, ai+bj-n); nij <= min(ai, bj); nij++ {
				term2 := logNnij[nij] - logA - logB
				gln := base - lg[nij+1] - lg[ai-nij+1] - lg[bj-nij+1] - lg[n-ai-bj+nij+1]
				emi += float64(nij) / N * term2 * math.Exp(gln)
			}
		}
	}
	return emi
}
