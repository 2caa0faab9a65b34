package metrics

// Recovery tells how well another labelling recovers one cluster of a
// reference labelling.
type Recovery struct {
	// Cluster is the reference cluster's label and Size its number of rows.
	Cluster, Size int
	// Match is the other labelling's cluster that overlaps it best, or -1
	// when none overlaps it at all.
	Match int
	// Jaccard is |A∩B| / |A∪B| for the reference cluster A and its best
	// match B: 1 when B is exactly A, 0 when no cluster overlaps A.
	Jaccard float64
}

// JaccardRecovery returns, for every cluster of reference in increasing
// label order, the best Jaccard overlap with any cluster of other: the
// per-cluster stability of Hennig's cluster-wise bootstrap (values above
// 0.75 are usually read as a stable cluster, below 0.5 as a dissolved
// one). Noise (-1) is not a cluster on either side: it gets no entry and
// is no match, but reference rows labelled noise by other still count in
// the union. Ties go to the smaller label.
func JaccardRecovery(reference, other []int) ([]Recovery, error) {
	t, err := newContingency(reference, other)
	if err != nil {
		return nil, err
	}
	var out []Recovery
	for _, c := range t.sortedCells() {
		i, j, inter := c[0], c[1], c[2]
		a, b := t.labelA[i], t.labelB[j]
		if a < 0 {
			continue
		}
		if len(out) == 0 || out[len(out)-1].Cluster != a {
			out = append(out, Recovery{Cluster: a, Size: t.rowSum[i], Match: -1})
		}
		if b < 0 {
			continue
		}
		r := &out[len(out)-1]
		jac := float64(inter) / float64(t.rowSum[i]+t.colSum[j]-inter)
		if jac > r.Jaccard {
			r.Match, r.Jaccard = b, jac
		}
	}
	return out, nil
}
