package dsl

import (
	"context"

	"github.com/reckon-dev/reckon/analysis/metrics"
	"github.com/reckon-dev/reckon/display/plot"
)

func registerCompare(r *Registry) {
	r.Register(&Command{
		Name: "ari", Group: "cluster",
		Summary: "The adjusted Rand index of two labellings of the same rows: 1 when they agree up to renaming, about 0 when they are unrelated.",
		Doc: "scikit-learn's adjusted_rand_score. Either side may be clusters, a tree from recurse (its leaves), or a column such as the true classes. " +
			"Noise is one more label, as in scikit-learn; ignore_noise=true scores only the rows that neither side calls noise, " +
			"as umap-learn's clustering tutorial does, and says how many rows that left.",
		Params: []Param{
			{Name: "a", Type: LabelsT, Doc: "one labelling"},
			{Name: "b", Type: LabelsT, Doc: "the other, of the same rows"},
			{Name: "ignore_noise", Type: Boolean, Default: Bool(false), Doc: "leave out the rows either side calls noise"},
		},
		Returns:  "number",
		Examples: []string{`ari(cl, tracks.genre)`, `ari(cl, tracks.genre, ignore_noise=true)    # MNIST: ari(cl, digits.label)`},
		Run: func(ctx context.Context, c *Call) (Value, error) {
			a, _ := labelsOf(c.Value("a"))
			b, _ := labelsOf(c.Value("b"))
			if len(a) != len(b) {
				return nil, c.Errorf("b", "b labels %s rows and a labels %s; both must label the same rows", thousands(len(b)), thousands(len(a)))
			}
			ca, cb := codes{}, codes{}
			var ia, ib []int
			for i := range a {
				if c.Bool("ignore_noise") && (plot.IsNoise(a[i]) || plot.IsNoise(b[i])) {
					continue
				}
				ia, ib = append(ia, ca.of(a[i])), append(ib, cb.of(b[i]))
			}
			if len(ia) == 0 {
				return nil, c.Errorf("ignore_noise", "every row is noise on one side or the other, so there is nothing to compare")
			}
			v, err := metrics.AdjustedRandIndex(ia, ib)
			if err != nil {
				return nil, err
			}
			if c.Bool("ignore_noise") && len(ia) < len(a) {
				c.Out.Stream("stdout", "ARI over the "+thousands(len(ia))+" of "+thousands(len(a))+" rows that neither side calls noise\n")
			}
			return Number(v), nil
		},
	})
}

// codes numbers labels in order of first appearance.
type codes map[string]int

func (m codes) of(label string) int {
	k, ok := m[label]
	if !ok {
		k = len(m)
		m[label] = k
	}
	return k
}
