package dsl

import (
	"context"
	"fmt"
	"math"
	"strings"

	"gonum.org/v1/gonum/mat"

	"github.com/reckon-dev/reckon/analysis/knn"
	"github.com/reckon-dev/reckon/analysis/umap"
)

// umapParams are umap-learn's parameters with its defaults, shared by umap
// and recurse.
var umapParams = []Param{
	{Name: "n_neighbors", Type: Int, Default: Number(15), Doc: "the size of the neighbourhood that shapes the embedding: small values show local detail, large ones global structure"},
	{Name: "n_components", Type: Int, Default: Number(2), Doc: "the dimensions of the embedding"},
	{Name: "min_dist", Type: Num, Default: Number(0.1), Doc: "how tightly points may pack: 0 suits clustering, larger values an even spread"},
}

// umapSettings reads the parameters of umapParams, and those of umap
// itself when the command has them, for data of rows rows.
func umapSettings(c *Call, rows int) (umap.Settings, error) {
	var s umap.Settings
	var err error
	if s.NNeighbors, err = positive(c, "n_neighbors", 2); err != nil {
		return s, err
	}
	if s.NComponents, err = between(c, "n_components", 1, rows-1, fmt.Sprintf("an embedding has fewer dimensions than the data have rows (%s)", thousands(rows))); err != nil {
		return s, err
	}
	md := c.Num("min_dist")
	if md < 0 || math.IsNaN(md) {
		return s, c.Errorf("min_dist", "min_dist must be at least 0, not %s", formatNumber(md))
	}
	s.MinDist = umap.Float(md)
	if _, ok := c.Cmd.param("spread"); !ok {
		return s, nil
	}
	s.Spread = c.Num("spread")
	if s.Spread <= 0 {
		return s, c.Errorf("spread", "spread must be greater than 0, not %s", formatNumber(s.Spread))
	}
	if md > s.Spread {
		return s, c.Errorf("min_dist", "min_dist %s must not exceed spread %s", formatNumber(md), formatNumber(s.Spread))
	}
	s.Metric = knn.Metric(c.Str("metric"))
	if !c.IsNone("n_epochs") {
		if s.NEpochs, err = positive(c, "n_epochs", 1); err != nil {
			return s, err
		}
	}
	for _, p := range []struct {
		name string
		dst  *float64
	}{{"learning_rate", &s.LearningRate}, {"repulsion_strength", &s.RepulsionStrength}, {"local_connectivity", &s.LocalConnectivity}} {
		v := c.Num(p.name)
		if v <= 0 || math.IsNaN(v) || math.IsInf(v, 0) {
			return s, c.Errorf(p.name, "%s must be greater than 0, not %s", p.name, formatNumber(v))
		}
		*p.dst = v
	}
	s.Init = umap.Init(c.Str("init"))
	if s.NegativeSampleRate, err = positive(c, "negative_sample_rate", 1); err != nil {
		return s, err
	}
	mix := c.Num("set_op_mix_ratio")
	if mix < 0 || mix > 1 || math.IsNaN(mix) {
		return s, c.Errorf("set_op_mix_ratio", "set_op_mix_ratio must be between 0 and 1, not %s", formatNumber(mix))
	}
	s.SetOpMixRatio = umap.Float(mix)
	return s, nil
}

func registerUMAP(r *Registry) {
	params := append([]Param{{Name: "data", Type: DataT, Doc: "the data to embed, every column numeric (standardize first when columns have different units)"}}, umapParams...)
	params = append(params,
		Param{Name: "spread", Type: Num, Default: Number(1), Doc: "the scale of embedded distances, with min_dist"},
		Param{Name: "metric", Type: Str, Default: String("euclidean"), Choices: []string{"euclidean", "cosine", "manhattan", "correlation"}, Doc: "the distance between input rows"},
		Param{Name: "n_epochs", Type: Int, Default: None, Doc: "optimisation passes; none means 500 up to 10,000 rows and 200 above"},
		Param{Name: "learning_rate", Type: Num, Default: Number(1), Doc: "the initial step of the optimisation"},
		Param{Name: "init", Type: Str, Default: String("spectral"), Choices: []string{"spectral", "pca", "random"}, Doc: "the starting layout"},
		Param{Name: "negative_sample_rate", Type: Int, Default: Number(5), Doc: "repulsive samples per attractive one"},
		Param{Name: "repulsion_strength", Type: Num, Default: Number(1), Doc: "the weight of the repulsive samples"},
		Param{Name: "local_connectivity", Type: Num, Default: Number(1), Doc: "the neighbours each point is assumed to be fully connected to"},
		Param{Name: "set_op_mix_ratio", Type: Num, Default: Number(1), Doc: "1: fuzzy union of the local neighbourhoods, 0: intersection"},
		seedParam,
	)
	r.Register(&Command{
		Name: "umap", Group: "embed",
		Summary: "Uniform manifold approximation and projection, as umap-learn: a low-dimensional map that keeps neighbourhoods.",
		Doc:     "Nearest neighbours (exact below 4,096 rows, NN-descent above), the fuzzy neighbour graph, a spectral starting layout and stochastic gradient descent, with umap-learn's parameters and defaults. The neighbours are kept for the session: calling umap again on the same data with another min_dist, n_epochs or seed reuses them. With a seed the result is the same, to the byte, for any number of cores (GOMAXPROCS) on machines with the same instruction set; it uses every core. Distances are computed by AVX2 code where the processor has it and by portable code elsewhere, and the two can differ in the last bits, so an embedding made on a machine without AVX2 can differ slightly from one made with it. transform(result, new_data) places new rows.",
		Params:  params,
		Returns: "embedding",
		Examples: []string{
			`emb = umap(X, n_neighbors=15, min_dist=0.1, seed=7)`,
			`emb = umap(X, min_dist=0, seed=7)     # reuses the neighbours`,
		},
		Run: runUMAP,
	})
}

func runUMAP(ctx context.Context, c *Call) (Value, error) {
	x, err := c.Value("data").(Matrixer).Matrix()
	if err != nil {
		return nil, err
	}
	n, d := x.Dims()
	s, err := umapSettings(c, n)
	if err != nil {
		return nil, err
	}
	if s.Seed, err = seedOf(c); err != nil {
		return nil, err
	}
	if s.NNeighbors >= n {
		return nil, c.Errorf("n_neighbors", "n_neighbors %d must be smaller than the %s rows", s.NNeighbors, thousands(n))
	}
	s.Progress = c.Progress()
	ks := umap.NeighbourSettings(s)
	key, err := knn.KeyOf(x, ks)
	if err != nil {
		return nil, err
	}
	ks.Progress = s.Progress
	v, reused, err := c.Session.Memo(key, func() (any, error) { return knn.Build(ctx, x, ks) })
	if err != nil {
		return nil, err
	}
	model, err := umap.FitIndex(ctx, v.(*knn.Index), s)
	if err != nil {
		return nil, err
	}
	var notes []string
	if reused {
		notes = append(notes, "neighbours reused from an earlier call")
	}
	if model.InitNote != "" {
		notes = append(notes, model.InitNote)
	}
	md := *model.Settings.MinDist
	note := fmt.Sprintf("UMAP of %s × %s (n_neighbors=%d, min_dist=%s, %d epochs, %s start)", thousands(n), thousands(d), model.Settings.NNeighbors, formatNumber(md), model.NEpochs, model.Init)
	if len(notes) > 0 {
		note += "; " + strings.Join(notes, "; ")
	}
	e, err := NewEmbedding(model.Embedding, "UMAP", "umap", note)
	if err != nil {
		return nil, err
	}
	e.Features = d
	e.UMAP = model
	e.Place = func(ctx context.Context, x *mat.Dense) (*mat.Dense, error) { return model.Transform(ctx, x) }
	return e, nil
}
