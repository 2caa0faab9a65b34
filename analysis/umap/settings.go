package umap

import (
	"fmt"
	"math"

	"github.com/reckon-dev/reckon/analysis/knn"
	"github.com/reckon-dev/reckon/analysis/progress"
)

// Init names a way to place the points before optimisation.
type Init string

// The initialisations, named as in umap-learn.
const (
	// Spectral places points by the eigenvectors of the normalised
	// Laplacian of the fuzzy graph.
	Spectral Init = "spectral"
	// PCA places points by the leading principal components of the data.
	PCA Init = "pca"
	// Random places points uniformly at random.
	Random Init = "random"
)

// name is the initialisation's name in a sentence.
func (i Init) name() string {
	if i == PCA {
		return "PCA"
	}
	return string(i)
}

// Settings configure Fit. Each field carries umap-learn's parameter name;
// the zero value of a field means umap-learn's default.
type Settings struct {
	// NNeighbors is n_neighbors, the size of the local neighbourhood
	// (the point itself included). Default 15.
	NNeighbors int
	// NComponents is n_components, the dimension of the embedding.
	// Default 2.
	NComponents int
	// MinDist is min_dist, how tightly points may pack in the embedding.
	// nil means the default 0.1; use Float(0) for umap-learn's popular
	// choice for clustering, min_dist=0.
	MinDist *float64
	// Spread is spread, the scale of embedded distances. Default 1.0.
	Spread float64
	// Metric is metric, the distance between input rows. Default euclidean.
	Metric knn.Metric
	// NEpochs is n_epochs, the number of optimisation passes. Default (0)
	// is 500 for up to 10,000 rows and 200 above.
	NEpochs int
	// LearningRate is learning_rate, the initial step size. Default 1.0.
	LearningRate float64
	// Init is init: Spectral (default), PCA or Random.
	Init Init
	// NegativeSampleRate is negative_sample_rate, the repulsive samples
	// per attractive one. Default 5.
	NegativeSampleRate int
	// RepulsionStrength is repulsion_strength (gamma), the weight of the
	// repulsive samples. Default 1.0.
	RepulsionStrength float64
	// LocalConnectivity is local_connectivity, the number of nearest
	// neighbours each point is assumed to be fully connected to. Default 1.0.
	LocalConnectivity float64
	// SetOpMixRatio is set_op_mix_ratio, between 0 (fuzzy intersection)
	// and 1 (fuzzy union) of the local fuzzy sets. nil means the default 1.0.
	SetOpMixRatio *float64
	// A and B are a and b, the parameters of the embedded membership curve
	// 1 / (1 + a d^(2b)). Default (both 0): fitted from MinDist and Spread.
	A, B float64
	// Seed is random_state: the same seed gives the same embedding for any
	// GOMAXPROCS. The neighbour graph does not depend on it (knn uses its
	// own fixed seed), so that it can be reused when only the seed changes.
	Seed uint64
	// Progress, when set, receives the phases "neighbours", "graph", "init"
	// and "epochs" (with the epochs done and the total).
	Progress progress.Func
}

// Float returns a pointer to v, for the optional fields of Settings.
func Float(v float64) *float64 { return &v }

// resolved holds settings with every default filled in.
type resolved struct {
	Settings
	minDist, mixRatio float64
}

func (s Settings) resolve() (resolved, error) {
	r := resolved{Settings: s, minDist: 0.1, mixRatio: 1}
	if s.MinDist != nil {
		r.minDist = *s.MinDist
	}
	if s.SetOpMixRatio != nil {
		r.mixRatio = *s.SetOpMixRatio
	}
	if r.NNeighbors == 0 {
		r.NNeighbors = 15
	}
	if r.NComponents == 0 {
		r.NComponents = 2
	}
	if r.Spread == 0 {
		r.Spread = 1
	}
	if r.LearningRate == 0 {
		r.LearningRate = 1
	}
	if r.Init == "" {
		r.Init = Spectral
	}
	if r.NegativeSampleRate == 0 {
		r.NegativeSampleRate = 5
	}
	if r.RepulsionStrength == 0 {
		r.RepulsionStrength = 1
	}
	if r.LocalConnectivity == 0 {
		r.LocalConnectivity = 1
	}
	finite := func(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }
	switch {
	case r.NNeighbors < 2:
		return r, fmt.Errorf("umap: n_neighbors %d must be at least 2", r.NNeighbors)
	case r.NComponents < 1:
		return r, fmt.Errorf("umap: n_components %d must be at least 1", r.NComponents)
	case !finite(r.minDist) || r.minDist < 0:
		return r, fmt.Errorf("umap: min_dist %v must be a non-negative number", r.minDist)
	case !finite(r.Spread) || r.Spread <= 0:
		return r, fmt.Errorf("umap: spread %v must be positive", r.Spread)
	case r.minDist > r.Spread:
		return r, fmt.Errorf("umap: min_dist %v must not exceed spread %v", r.minDist, r.Spread)
	case r.NEpochs < 0:
		return r, fmt.Errorf("umap: n_epochs %d must not be negative", r.NEpochs)
	case !finite(r.LearningRate) || r.LearningRate < 0:
		return r, fmt.Errorf("umap: learning_rate %v must be positive", r.LearningRate)
	case r.Init != Spectral && r.Init != PCA && r.Init != Random:
		return r, fmt.Errorf("umap: unknown init %q; use spectral, pca or random", r.Init)
	case r.NegativeSampleRate < 0:
		return r, fmt.Errorf("umap: negative_sample_rate %d must not be negative", r.NegativeSampleRate)
	case !finite(r.RepulsionStrength) || r.RepulsionStrength < 0:
		return r, fmt.Errorf("umap: repulsion_strength %v must not be negative", r.RepulsionStrength)
	case !finite(r.LocalConnectivity) || r.LocalConnectivity < 0:
		return r, fmt.Errorf("umap: local_connectivity %v must not be negative", r.LocalConnectivity)
	case !finite(r.mixRatio) || r.mixRatio < 0 || r.mixRatio > 1:
		return r, fmt.Errorf("umap: set_op_mix_ratio %v must be between 0 and 1", r.mixRatio)
	case !finite(r.A) || !finite(r.B) || r.A < 0 || r.B < 0 || (r.A == 0) != (r.B == 0):
		return r, fmt.Errorf("umap: a %v and b %v must both be positive, or both zero to fit them", r.A, r.B)
	}
	m, err := knn.ParseMetric(string(r.Metric))
	if err != nil {
		return r, fmt.Errorf("umap: unknown metric %q; use one of euclidean, cosine, manhattan, correlation", r.Metric)
	}
	r.Metric = m
	return r, nil
}
