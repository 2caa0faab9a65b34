package hdbscan

import (
	"math"
	"slices"
)

// clusterTree is the condensed tree indexed for selection: per cluster
// (index c-n for cluster id c) its parent, birth lambda and two child
// clusters, and per point its parent cluster and the lambda at which it
// falls out.
type clusterTree struct {
	*condensed
	parentOf  []int32   // -1 for the root
	birth     []float64 // lambda at which the cluster splits off; 0 for the root
	kids      [][2]int32
	maxDirect []float64 // largest lambda among the cluster's own rows
	ptParent  []int32
	ptLambda  []float64
	maxLambda float64 // largest lambda in the tree
}

func index(c *condensed) *clusterTree {
	nc, n := c.nClusters, c.n
	t := &clusterTree{
		condensed: c,
		parentOf:  make([]int32, nc),
		birth:     make([]float64, nc),
		kids:      make([][2]int32, nc),
		maxDirect: make([]float64, nc),
		ptParent:  make([]int32, n),
		ptLambda:  make([]float64, n),
	}
	for i := range t.kids {
		t.kids[i] = [2]int32{-1, -1}
	}
	t.parentOf[0] = -1
	for i, ch := range c.child {
		p := c.parent[i] - int32(n)
		lam := c.lambda[i]
		t.maxDirect[p] = max(t.maxDirect[p], lam)
		t.maxLambda = max(t.maxLambda, lam)
		if int(ch) < n {
			t.ptParent[ch] = p
			t.ptLambda[ch] = lam
			continue
		}
		k := ch - int32(n)
		t.parentOf[k] = p
		t.birth[k] = lam
		if t.kids[p][0] < 0 {
			t.kids[p][0] = k
		} else {
			t.kids[p][1] = k
		}
	}
	return t
}

// stability is hdbscan's compute_stability: the sum over a cluster's rows
// of (lambda - birth) * size, accumulated in row order.
func (t *clusterTree) stability() []float64 {
	s := make([]float64, t.nClusters)
	for i, p := range t.parent {
		k := p - int32(t.n)
		s[k] += (t.lambda[i] - t.birth[k]) * float64(t.size[i])
	}
	return s
}

// flat is a flat clustering read off the condensed tree. Clusters are
// indexed c-n; label i is selected[i].
type flat struct {
	selected    []int32 // ascending
	persistence []float64
	labelOf     []int32 // per cluster: label of its nearest selected ancestor-or-self, or -1
}

// byRow receives what a flat clustering gives each point: point p (a
// sorted position) is row rowOf[p] of labels, probs and outlier.
type byRow struct {
	rowOf   []int32
	labels  []int
	probs   []float64
	outlier []float64
}

// selectClusters is hdbscan's get_clusters followed by its labelling,
// probabilities, cluster persistence and GLOSH outlier scores.
// The points' labels, probabilities and scores go to out.
func (t *clusterTree) selectClusters(sel Selection, out byRow) *flat {
	nc := t.nClusters
	stab := t.stability()
	chosen := make([]bool, nc)
	if sel.ClusterSelectionMethod == Leaf {
		var leaves []int32
		if nc > 1 {
			for k := 1; k < nc; k++ {
				if t.kids[k][0] < 0 {
					leaves = append(leaves, int32(k))
				}
			}
		}
		if sel.ClusterSelectionEpsilon != 0 {
			leaves = t.epsilonSearch(leaves, sel)
		}
		for _, k := range leaves {
			chosen[k] = true
		}
	} else {
		t.excessOfMass(stab, chosen, sel.AllowSingleCluster)
		if sel.ClusterSelectionEpsilon != 0 && nc > 1 {
			var eom []int32
			for k, ok := range chosen {
				if ok {
					eom = append(eom, int32(k))
				}
			}
			if len(eom) != 1 || eom[0] != 0 {
				clear(chosen)
				for _, k := range t.epsilonSearch(eom, sel) {
					chosen[k] = true
				}
			}
		}
	}
	return t.label(chosen, stab, sel, out)
}

// excessOfMass marks the clusters hdbscan's EOM selects and leaves in stab
// the stabilities it ends with. Children are visited before parents (ids
// descend); a cluster whose children's selected stability beats its own
// takes that sum, else it is kept and its descendants are dropped. The sum
// passes through float32, as hdbscan stores it in a C float: this decides
// near ties the way hdbscan does.
func (t *clusterTree) excessOfMass(stab []float64, chosen []bool, allowSingle bool) {
	nc := t.nClusters
	keep := make([]bool, nc)
	for k := nc - 1; k >= 0; k-- {
		if k == 0 && !allowSingle {
			break
		}
		var sub float64
		if a := t.kids[k][0]; a >= 0 {
			sub = float64(float32(stab[a] + stab[t.kids[k][1]]))
		}
		if sub > stab[k] {
			stab[k] = sub
		} else {
			keep[k] = true
		}
	}
	// A cluster stands if it was kept and no ancestor was.
	covered := make([]bool, nc)
	for k := range nc {
		if p := t.parentOf[k]; p >= 0 {
			covered[k] = covered[p] || keep[p]
		}
		chosen[k] = keep[k] && !covered[k]
	}
}

// epsilonSearch is hdbscan's epsilon_search: a candidate born at a distance
// below epsilon is replaced by its nearest ancestor born above epsilon (the
// root's child, or with allow_single_cluster the root, when none is).
// Candidates are taken in ascending id order.
func (t *clusterTree) epsilonSearch(cands []int32, sel Selection) []int32 {
	eps := sel.ClusterSelectionEpsilon
	processed := make([]bool, t.nClusters)
	in := make([]bool, t.nClusters)
	var out []int32
	add := func(k int32) {
		if !in[k] {
			in[k] = true
			out = append(out, k)
		}
	}
	for _, leaf := range cands {
		if 1/t.birth[leaf] >= eps {
			add(leaf)
			continue
		}
		if processed[leaf] {
			continue
		}
		up := t.traverseUp(leaf, eps, sel.AllowSingleCluster)
		add(up)
		t.markDescendants(up, processed)
	}
	return out
}

func (t *clusterTree) traverseUp(k int32, eps float64, allowSingle bool) int32 {
	for {
		p := t.parentOf[k]
		if p == 0 {
			if allowSingle {
				return 0
			}
			return k
		}
		if 1/t.birth[p] > eps {
			return p
		}
		k = p
	}
}

func (t *clusterTree) markDescendants(k int32, mark []bool) {
	stack := []int32{k}
	for len(stack) > 0 {
		x := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		for _, c := range t.kids[x] {
			if c >= 0 {
				mark[c] = true
				stack = append(stack, c)
			}
		}
	}
}

// label is hdbscan's do_labelling, get_probabilities and
// get_stability_scores, plus GLOSH outlier scores, in one pass over the
// points writing straight to out.
func (t *clusterTree) label(chosen []bool, stab []float64, sel Selection, out byRow) *flat {
	nc, n := t.nClusters, t.n
	f := &flat{labelOf: make([]int32, nc)}
	for k, ok := range chosen {
		if ok {
			f.selected = append(f.selected, int32(k))
		}
	}
	// A point belongs to its nearest selected ancestor, as hdbscan's
	// union-find over the unselected edges makes it.
	for k := range nc {
		switch {
		case chosen[k]:
			f.labelOf[k] = int32(slotOf(f.selected, int32(k)))
		case t.parentOf[k] >= 0:
			f.labelOf[k] = f.labelOf[t.parentOf[k]]
		default:
			f.labelOf[k] = -1
		}
	}
	single := len(f.selected) == 1 && sel.AllowSingleCluster
	rootThreshold := t.maxDirect[0]
	if sel.ClusterSelectionEpsilon != 0 {
		rootThreshold = 1 / sel.ClusterSelectionEpsilon
	}
	deep := t.deepMax()
	sizes := make([]int, len(f.selected))
	for p := range n {
		k, lam, row := t.ptParent[p], t.ptLambda[p], out.rowOf[p]
		out.outlier[row] = gloshScore(deep[k], lam)
		l := f.labelOf[k]
		if l >= 0 && f.selected[l] == 0 {
			// The root holds every point; as the one cluster it keeps only
			// the points that fall out of their cluster at or beyond the
			// threshold.
			if !single || lam < rootThreshold {
				l = -1
			}
		}
		out.labels[row] = int(l)
		if l < 0 {
			out.probs[row] = 0
			continue
		}
		sizes[l]++
		ml := t.maxDirect[f.selected[l]]
		if ml == 0 || math.IsInf(lam, 0) || math.IsNaN(lam) {
			out.probs[row] = 1
		} else {
			out.probs[row] = min(lam, ml) / ml
		}
	}
	f.persistence = make([]float64, len(f.selected))
	for i, k := range f.selected {
		if math.IsInf(t.maxLambda, 0) || t.maxLambda == 0 || sizes[i] == 0 {
			f.persistence[i] = 1
		} else {
			f.persistence[i] = stab[k] / (float64(sizes[i]) * t.maxLambda)
		}
	}
	return f
}

// slotOf is the position of k in the ascending slice sorted, which holds it.
func slotOf(sorted []int32, k int32) int {
	i, _ := slices.BinarySearch(sorted, k)
	return i
}

// deepMax is, per cluster of the tree, the largest lambda of any point in
// its subtree.
func (t *clusterTree) deepMax() []float64 {
	deep := make([]float64, t.nClusters)
	copy(deep, t.maxDirect)
	for k := t.nClusters - 1; k > 0; k-- {
		p := t.parentOf[k]
		deep[p] = max(deep[p], deep[k])
	}
	return deep
}

// gloshScore is the GLOSH score of a point leaving a cluster whose subtree
// reaches lambda lm at lambda lam: 1 - lambda_p/lambda_max, where lambda_p
// is the lambda at which the point falls out of its cluster and lambda_max
// the largest lambda of any point in that cluster's subtree (Campello et
// al. 2015, as hdbscan computes it since its 2025 fix). A point at infinite
// lambda (an exact duplicate with enough copies) scores 0; when lambda_max
// is infinite any other point scores 1, where hdbscan's formula divides
// infinity by infinity.
func gloshScore(lm, lam float64) float64 {
	switch {
	case lm == 0 || math.IsInf(lam, 0):
		return 0
	case math.IsInf(lm, 0):
		return 1
	}
	return (lm - lam) / lm
}
