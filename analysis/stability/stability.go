package stability

import (
	"context"
	"errors"
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"

	"github.com/reckon-dev/reckon/analysis/hdbscan"
	"github.com/reckon-dev/reckon/analysis/metrics"
	"github.com/reckon-dev/reckon/analysis/progress"
	"github.com/reckon-dev/reckon/analysis/umap"
	"github.com/reckon-dev/reckon/internal/randseed"
)

// Settings configure Run. The zero value runs HDBSCAN ten times on the
// data as given, without embedding them.
type Settings struct {
	// Runs is runs, the number of clusterings compared (at least 2).
	// Default 10.
	Runs int
	// UMAP, when set, embeds the (permuted) data before every clustering,
	// with a seed of its own per run; nil clusters the data as given.
	UMAP *umap.Settings
	// HDBSCAN configures the clustering.
	HDBSCAN hdbscan.Options
	// Seed draws the row orders and the runs' UMAP seeds. Run 0 keeps the
	// rows in order.
	Seed uint64
	// Progress, when set, hears "run i/n" with the runs done.
	Progress progress.Func
}

// Result compares the runs.
type Result struct {
	// Labels are each run's labels, in the original row order.
	Labels [][]int
	// ARI and AMI summarise the agreement of every pair of runs.
	ARI, AMI Summary
	// Clusters are the clusters of run 0 with how well the other runs
	// recover them.
	Clusters []Recovery
}

// Summary is the mean and the minimum of a measure over pairs of runs.
type Summary struct{ Mean, Min float64 }

// Recovery is how well the other runs find a cluster of run 0: the
// Jaccard overlap of its rows with the best matching cluster of each run.
type Recovery struct {
	Cluster, Size           int
	MeanJaccard, MinJaccard float64
}

// Run clusters the rows of x Runs times and compares the clusterings.
func Run(ctx context.Context, x *mat.Dense, s Settings) (*Result, error) {
	if x == nil || x.IsEmpty() {
		return nil, errors.New("stability: the data are empty")
	}
	if s.Runs == 0 {
		s.Runs = 10
	}
	if s.Runs < 2 {
		return nil, fmt.Errorf("stability: runs %d must be at least 2 to compare anything", s.Runs)
	}
	n, d := x.Dims()
	rng := randseed.New(s.Seed, 0x57AB)
	res := &Result{Labels: make([][]int, s.Runs)}
	for run := 0; run < s.Runs; run++ {
		s.Progress.Report(fmt.Sprintf("run %d/%d", run+1, s.Runs), run, s.Runs)
		perm := make([]int, n)
		for i := range perm {
			perm[i] = i
		}
		if run > 0 {
			rng.Shuffle(n, func(i, j int) { perm[i], perm[j] = perm[j], perm[i] })
		}
		px := mat.NewDense(n, d, nil)
		for i, p := range perm {
			px.SetRow(i, x.RawRowView(p))
		}
		space := px
		if s.UMAP != nil {
			us := *s.UMAP
			us.Seed, us.Progress = rng.Uint64(), nil
			if run == 0 {
				us.Seed = s.Seed
			}
			m, err := umap.Fit(ctx, px, us)
			if err != nil {
				return nil, fmt.Errorf("stability: run %d: %w", run+1, err)
			}
			space = m.Embedding
		}
		hs := s.HDBSCAN
		hs.Progress = nil
		cl, err := hdbscan.Fit(ctx, space, hs)
		if err != nil {
			return nil, fmt.Errorf("stability: run %d: %w", run+1, err)
		}
		labels := make([]int, n)
		for i, p := range perm {
			labels[p] = cl.Labels[i]
		}
		res.Labels[run] = labels
	}
	s.Progress.Report("comparing", s.Runs, s.Runs)
	res.ARI, res.AMI = Summary{Min: math.Inf(1)}, Summary{Min: math.Inf(1)}
	pairs := 0
	for i := 0; i < s.Runs; i++ {
		for j := i + 1; j < s.Runs; j++ {
			ari, err := metrics.AdjustedRandIndex(res.Labels[i], res.Labels[j])
			if err != nil {
				return nil, fmt.Errorf("stability: %w", err)
			}
			ami, err := metrics.AdjustedMutualInfo(res.Labels[i], res.Labels[j])
			if err != nil {
				return nil, fmt.Errorf("stability: %w", err)
			}
			res.ARI.Mean += ari
			res.AMI.Mean += ami
			res.ARI.Min = math.Min(res.ARI.Min, ari)
			res.AMI.Min = math.Min(res.AMI.Min, ami)
			pairs++
		}
	}
	res.ARI.Mean /= float64(pairs)
	res.AMI.Mean /= float64(pairs)
	for run := 1; run < s.Runs; run++ {
		rec, err := metrics.JaccardRecovery(res.Labels[0], res.Labels[run])
		if err != nil {
			return nil, fmt.Errorf("stability: %w", err)
		}
		for k, r := range rec {
			if run == 1 {
				res.Clusters = append(res.Clusters, Recovery{Cluster: r.Cluster, Size: r.Size, MinJaccard: math.Inf(1)})
			}
			c := &res.Clusters[k]
			c.MeanJaccard += r.Jaccard / float64(s.Runs-1)
			c.MinJaccard = math.Min(c.MinJaccard, r.Jaccard)
		}
	}
	return res, nil
}
