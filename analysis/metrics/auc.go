package metrics

import (
	"fmt"
	"math"
	"slices"
)

// ROCAUC returns the area under the ROC curve of scores for the binary
// labels (true is the positive class): the probability that a random
// positive scores higher than a random negative, ties counting one half
// (the Mann-Whitney statistic, which sklearn's roc_auc_score equals).
// It needs at least one row of each class and no NaN score.
func ROCAUC(labels []bool, scores []float64) (float64, error) {
	if len(labels) != len(scores) {
		return 0, fmt.Errorf("metrics: %d labels but %d scores", len(labels), len(scores))
	}
	pos := 0
	for i, l := range labels {
		if math.IsNaN(scores[i]) {
			return 0, fmt.Errorf("metrics: score %d is NaN", i)
		}
		if l {
			pos++
		}
	}
	neg := len(labels) - pos
	if pos == 0 || neg == 0 {
		return 0, fmt.Errorf("metrics: ROC AUC needs both classes, but all %d labels are %v", len(labels), pos > 0)
	}
	order := make([]int, len(scores))
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(a, b int) int {
		switch {
		case scores[a] < scores[b]:
			return -1
		case scores[a] > scores[b]:
			return 1
		}
		return 0
	})
	// Sum the (1-based, tie-averaged) ranks of the positives.
	var rankSum float64
	for i := 0; i < len(order); {
		j := i + 1
		for j < len(order) && scores[order[j]] == scores[order[i]] {
			j++
		}
		mid := float64(i+j+1) / 2
		for _, k := range order[i:j] {
			if labels[k] {
				rankSum += mid
			}
		}
		i = j
	}
	p, n := float64(pos), float64(neg)
	return (rankSum - p*(p+1)/2) / (p * n), nil
}
