package kmeans

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"

	"gonum.org/v1/gonum/mat"

	"github.com/reckon-dev/reckon/analysis/internal/par"
	"github.com/reckon-dev/reckon/analysis/progress"
	"github.com/reckon-dev/reckon/internal/distance"
	"github.com/reckon-dev/reckon/internal/randseed"
)

// Options configures Fit. The zero value means scikit-learn's defaults.
type Options struct {
	// K is n_clusters, the number of clusters. Default 8.
	K int

	// NInit is n_init: how many times k-means runs from a fresh k-means++
	// start; the run of least inertia wins. Default 1, scikit-learn's
	// n_init="auto" for k-means++.
	NInit int

	// MaxIter is max_iter, the most Lloyd iterations per run. Default 300.
	MaxIter int

	// Tol is tol: a run stops when the centres move less than Tol times
	// the mean variance of the features (in summed squared distance).
	// Default 1e-4. A run also stops as soon as no label changes.
	Tol float64

	// Seed is random_state: the seed of the k-means++ starts. Run i draws
	// from its own stream, seeded by (Seed, i).
	Seed uint64

	// Init, when set, is init given as an array: the K starting centres,
	// one per row. NInit is then 1.
	Init *mat.Dense

	// Progress, when set, receives phase "k-means run i/n" with the
	// iterations done out of MaxIter.
	Progress progress.Func
}

// Result is a fitted k-means clustering.
type Result struct {
	// Labels is labels_: the cluster of each row, 0..K-1.
	Labels []int
	// Centers is cluster_centers_: one row per cluster.
	Centers *mat.Dense
	// Inertia is inertia_: the summed squared distance of the rows to
	// their centres.
	Inertia float64
	// NIter is n_iter_: the Lloyd iterations of the winning run.
	NIter int
}

// Fit runs k-means with k-means++ starts on the rows of X, as
// scikit-learn's KMeans (algorithm="lloyd") does: greedy k-means++ with
// 2+ln(K) local trials per centre, Lloyd iterations until the labels stop
// changing or the centres move less than the tolerance, empty clusters
// moved to the rows farthest from their centres, and a final assignment
// step so that the labels match the centres. The same Seed gives the same
// result for any GOMAXPROCS.
func Fit(ctx context.Context, X *mat.Dense, opts Options) (*Result, error) {
	o, err := opts.withDefaults()
	if err != nil {
		return nil, err
	}
	if X == nil || X.IsEmpty() {
		return nil, errors.New("kmeans: the data has no rows")
	}
	n, d := X.Dims()
	if n < o.K {
		return nil, fmt.Errorf("kmeans: %d rows are fewer than the %d clusters asked for", n, o.K)
	}
	data := make([]float64, 0, n*d)
	for i := range n {
		row := X.RawRowView(i)
		for j, x := range row {
			if math.IsNaN(x) || math.IsInf(x, 0) {
				return nil, fmt.Errorf("kmeans: row %d, column %d holds %v", i, j, x)
			}
		}
		data = append(data, row...)
	}
	var init []float64
	if o.Init != nil {
		r, c := o.Init.Dims()
		if r != o.K || c != d {
			return nil, fmt.Errorf("kmeans: the initial centres are %dx%d but %d clusters of %d columns are asked for", r, c, o.K, d)
		}
		for i := range r {
			for j, x := range o.Init.RawRowView(i) {
				if math.IsNaN(x) || math.IsInf(x, 0) {
					return nil, fmt.Errorf("kmeans: initial centre %d, column %d holds %v", i, j, x)
				}
				init = append(init, x)
			}
		}
	}
	km := &kmeans{data: data, n: n, d: d, k: o.K, tol: o.Tol * meanVariance(data, n, d)}
	var best *Result
	for run := range o.NInit {
		centres := init
		if centres == nil {
			rng := randseed.New(o.Seed, uint64(run))
			if centres, err = km.plusPlus(ctx, rng); err != nil {
				return nil, fmt.Errorf("kmeans: %w", err)
			}
		}
		phase := fmt.Sprintf("k-means run %d/%d", run+1, o.NInit)
		r, err := km.lloyd(ctx, centres, o.MaxIter, func(it int) { o.Progress.Report(phase, it, o.MaxIter) })
		if err != nil {
			return nil, fmt.Errorf("kmeans: %w", err)
		}
		if best == nil || r.Inertia < best.Inertia {
			best = r
		}
	}
	return best, nil
}

func (o Options) withDefaults() (Options, error) {
	if o.K == 0 {
		o.K = 8
	}
	if o.K < 1 {
		return o, fmt.Errorf("kmeans: n_clusters %d must be at least 1", o.K)
	}
	if o.NInit == 0 {
		o.NInit = 1
	}
	if o.NInit < 1 {
		return o, fmt.Errorf("kmeans: n_init %d must be at least 1", o.NInit)
	}
	if o.Init != nil {
		o.NInit = 1
	}
	if o.MaxIter == 0 {
		o.MaxIter = 300
	}
	if o.MaxIter < 1 {
		return o, fmt.Errorf("kmeans: max_iter %d must be at least 1", o.MaxIter)
	}
	if o.Tol == 0 {
		o.Tol = 1e-4
	}
	if o.Tol < 0 || math.IsNaN(o.Tol) || math.IsInf(o.Tol, 0) {
		return o, fmt.Errorf("kmeans: tol %v must be a finite number of at least 0", o.Tol)
	}
	return o, nil
}

// meanVariance is the mean over columns of each column's variance, the
// scale scikit-learn gives tol.
func meanVariance(data []float64, n, d int) float64 {
	mean := make([]float64, d)
	for i := range n {
		for j, x := range data[i*d : i*d+d] {
			mean[j] += x
		}
	}
	for j := range mean {
		mean[j] /= float64(n)
	}
	v := make([]float64, d)
	for i := range n {
		for j, x := range data[i*d : i*d+d] {
			t := x - mean[j]
			v[j] += t * t
		}
	}
	var total float64
	for _, x := range v {
		total += x / float64(n)
	}
	return total / float64(d)
}

type kmeans struct {
	data    []float64
	n, d, k int
	tol     float64
}

func (km *kmeans) row(i int) []float64 { return km.data[i*km.d : i*km.d+km.d] }

// chunkSize cuts the rows into pieces whose partial sums are reduced in a
// fixed order, so the result does not depend on the number of threads.
func (km *kmeans) chunkSize() int { return max(2048, km.n/64) }

// plusPlus picks K starting centres by greedy k-means++: each new centre is
// the best, by the potential it leaves, of 2+ln(K) rows drawn with
// probability proportional to their squared distance to the nearest centre
// so far.
func (km *kmeans) plusPlus(ctx context.Context, rng *rand.Rand) ([]float64, error) {
	n, d, k := km.n, km.d, km.k
	trials := 2 + int(math.Log(float64(k)))
	centres := make([]float64, 0, k*d)
	first := rng.IntN(n)
	centres = append(centres, km.row(first)...)
	closest := make([]float64, n)
	for i := range n {
		closest[i] = distance.SqEuclidean(km.row(i), km.row(first))
	}
	cum := make([]float64, n)
	candDist := make([][]float64, trials)
	for t := range candDist {
		candDist[t] = make([]float64, n)
	}
	chunk := km.chunkSize()
	partial := make([][]float64, par.Chunks(n, chunk))
	for c := 1; c < k; c++ {
		var pot float64
		for i, x := range closest {
			pot += x
			cum[i] = pot
		}
		ids := make([]int, trials)
		for t := range ids {
			// the first cumulative potential reaching the draw, as numpy's
			// searchsorted does
			v := rng.Float64() * pot
			ids[t] = min(sortSearch(cum, v), n-1)
		}
		err := par.For(ctx, n, chunk, func(ch, lo, hi int) {
			sums := make([]float64, trials)
			for t, id := range ids {
				cand := km.row(id)
				dist := candDist[t]
				for i := lo; i < hi; i++ {
					dist[i] = min(closest[i], distance.SqEuclidean(km.row(i), cand))
					sums[t] += dist[i]
				}
			}
			partial[ch] = sums
		})
		if err != nil {
			return nil, err
		}
		bestT, bestPot := 0, math.Inf(1)
		for t := range trials {
			var s float64
			for _, p := range partial {
				s += p[t]
			}
			if s < bestPot {
				bestT, bestPot = t, s
			}
		}
		copy(closest, candDist[bestT])
		centres = append(centres, km.row(ids[bestT])...)
	}
	return centres, nil
}

// sortSearch is the first index i with cum[i] >= v (len(cum) if none).
func sortSearch(cum []float64, v float64) int {
	i, _ := slices.BinarySearch(cum, v)
	return i
}

// lloyd runs Lloyd iterations from the given centres.
func (km *kmeans) lloyd(ctx context.Context, init []float64, maxIter int, report func(int)) (*Result, error) {
	n, d, k := km.n, km.d, km.k
	centres := slices.Clone(init)
	next := make([]float64, k*d)
	labels := make([]int, n)
	old := make([]int, n)
	for i := range old {
		old[i] = -1
	}
	chunk := km.chunkSize()
	nch := par.Chunks(n, chunk)
	sums := make([][]float64, nch)
	counts := make([][]int, nch)
	inertias := make([]float64, nch)
	assign := func(update bool) error {
		return par.For(ctx, n, chunk, func(ch, lo, hi int) {
			if update && sums[ch] == nil {
				sums[ch], counts[ch] = make([]float64, k*d), make([]int, k)
			}
			s, cnt := sums[ch], counts[ch]
			if update {
				clear(s)
				clear(cnt)
			}
			var in float64
			for i := lo; i < hi; i++ {
				x := km.row(i)
				best, bd := 0, math.Inf(1)
				for c := range k {
					if dd := distance.SqEuclidean(x, centres[c*d:c*d+d]); dd < bd {
						best, bd = c, dd
					}
				}
				labels[i] = best
				in += bd
				if update {
					cnt[best]++
					row := s[best*d : best*d+d]
					for j, v := range x {
						row[j] += v
					}
				}
			}
			inertias[ch] = in
		})
	}
	iter := 0
	for iter < maxIter {
		if err := assign(true); err != nil {
			return nil, err
		}
		iter++
		clear(next)
		weight := make([]int, k)
		for ch := range nch {
			for c := range k {
				weight[c] += counts[ch][c]
			}
			for i, v := range sums[ch] {
				next[i] += v
			}
		}
		km.relocateEmpty(centres, next, weight, labels)
		var shift float64
		for c := range k {
			row := next[c*d : c*d+d]
			for j := range row {
				row[j] /= float64(weight[c])
			}
			shift += distance.SqEuclidean(row, centres[c*d:c*d+d])
		}
		centres, next = next, centres
		report(iter)
		if slices.Equal(labels, old) {
			break
		}
		if shift <= km.tol {
			break
		}
		copy(old, labels)
	}
	// Assign once more so that the labels belong to the final centres (they
	// already do after strict convergence) and the inertia is theirs.
	if err := assign(false); err != nil {
		return nil, err
	}
	var inertia float64
	for _, v := range inertias {
		inertia += v
	}
	return &Result{Labels: labels, Centers: mat.NewDense(k, d, centres), Inertia: inertia, NIter: iter}, nil
}

// relocateEmpty gives every empty cluster one of the rows farthest from
// their current centres, taking it out of its cluster, as scikit-learn
// does. sums holds the clusters' coordinate sums, weight their sizes, and
// labels the assignment; the moved rows keep their label until the next
// assignment, as in scikit-learn.
func (km *kmeans) relocateEmpty(centres, sums []float64, weight, labels []int) {
	var empty []int
	for c, w := range weight {
		if w == 0 {
			empty = append(empty, c)
		}
	}
	if len(empty) == 0 {
		return
	}
	d := km.d
	far := make([]int, km.n)
	dist := make([]float64, km.n)
	for i := range km.n {
		far[i] = i
		dist[i] = distance.SqEuclidean(km.row(i), centres[labels[i]*d:labels[i]*d+d])
	}
	slices.SortStableFunc(far, func(a, b int) int {
		switch {
		case dist[a] > dist[b]:
			return -1
		case dist[a] < dist[b]:
			return 1
		}
		return 0
	})
	next := 0
	for _, c := range empty {
		// Skip rows that are alone in their cluster: moving them would only
		// empty another.
		for weight[labels[far[next]]] < 2 {
			next++
		}
		p := far[next]
		next++
		from := labels[p]
		x := km.row(p)
		for j, v := range x {
			sums[from*d+j] -= v
			sums[c*d+j] = v
		}
		weight[c] = 1
		weight[from]--
	}
}
