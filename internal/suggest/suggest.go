package suggest

import "strings"

// Nearest returns the candidate closest to name by Distance, ignoring
// case, when it is close enough to be a plausible typo: at most a third of
// name's letters (at least one, at most three) differ. Ties go to the
// candidate first in alphabetical order, so the answer does not depend on
// the order of candidates.
func Nearest(name string, candidates []string) (string, bool) {
	best, bestD := "", -1
	lower := strings.ToLower(name)
	for _, c := range candidates {
		d := Distance(lower, strings.ToLower(c))
		if bestD < 0 || d < bestD || d == bestD && c < best {
			best, bestD = c, d
		}
	}
	limit := max(1, min(3, len([]rune(name))/3))
	if bestD < 0 || bestD > limit {
		return "", false
	}
	return best, true
}

// Distance is the optimal string alignment distance between a and b, in
// runes: insertions, deletions, substitutions and swaps of two adjacent
// letters (the commonest typo: umpa for umap) each count one.
func Distance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	// Three rows of the dynamic programme: two back, one back, current.
	rows := [3][]int{make([]int, len(rb)+1), make([]int, len(rb)+1), make([]int, len(rb)+1)}
	for j := range rows[1] {
		rows[1][j] = j
	}
	for i := 1; i <= len(ra); i++ {
		prev2, prev, cur := rows[0], rows[1], rows[2]
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
		}
		rows[0], rows[1], rows[2] = prev, cur, prev2
	}
	return rows[1][len(rb)]
}
