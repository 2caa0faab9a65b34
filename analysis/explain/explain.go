package explain

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"sync"

	"gonum.org/v1/gonum/mat"

	"github.com/reckon-dev/reckon/analysis/gbt"
	"github.com/reckon-dev/reckon/analysis/internal/par"
	"github.com/reckon-dev/reckon/analysis/metrics"
	"github.com/reckon-dev/reckon/analysis/progress"
	"github.com/reckon-dev/reckon/analysis/shap"
	"github.com/reckon-dev/reckon/internal/randseed"
	"github.com/reckon-dev/reckon/internal/stats"
)

// Scope says what a cluster is told apart from.
type Scope int

const (
	// Siblings contrasts a cluster with the other rows of its parent
	// cluster (its sibling clusters and its parent's noise); a top-level
	// cluster, which has no parent, with all other rows. With flat labels
	// it is the same as Whole.
	Siblings Scope = iota
	// Whole contrasts every cluster with all other rows of the data.
	Whole
)

// ParseScope reads a scope by its String name: "siblings" or "whole".
func ParseScope(name string) (Scope, error) {
	switch name {
	case "siblings":
		return Siblings, nil
	case "whole":
		return Whole, nil
	}
	return 0, fmt.Errorf("explain: unknown scope %q; want \"siblings\" or \"whole\"", name)
}

func (s Scope) String() string {
	switch s {
	case Siblings:
		return "siblings"
	case Whole:
		return "whole"
	}
	return "Scope(" + strconv.Itoa(int(s)) + ")"
}

// Settings tune Explain. The zero value explains every cluster but noise
// against its siblings, with 5 folds, XGBoost's default classifier, at
// most 100,000 training rows per classifier and at most 2000 explained
// rows per cluster.
type Settings struct {
	// Folds is folds, the number of stratified cross-validation folds the
	// AUC is measured on, at least 2. Zero means 5.
	Folds int
	// MaxRows is max_rows: TreeSHAP explains at most this many members of
	// a cluster, a sample drawn with the seed when there are more. Zero
	// means 2000.
	MaxRows int
	// TrainRows is train_rows: when a cluster's members and contrast rows
	// together are more, its classifiers (the folds' and the final one)
	// are fitted on a seeded sample of this many of them, stratified so
	// that members and contrast rows keep their shares (and each class
	// keeps at least Folds rows), as XGBoost's users subsample and SHAP's
	// draw a background sample. Below it every row is used, so results on
	// tables of up to that many rows do not depend on it. Zero means
	// 100,000.
	TrainRows int
	// Noise, when set, also explains the noise ("noise", "3.noise") as if
	// it were a cluster. Noise rows are contrasted with clusters either way.
	Noise bool
	// Against is what each cluster is told apart from; see Scope.
	Against Scope
	// Flat takes the labels as they are, the values of a column say:
	// each distinct label is a group of its own, whatever dots it holds,
	// and none is noise ("noise" and "-1" are values like any other).
	Flat bool
	// Model holds the classifier's parameters (n_estimators, max_depth,
	// ...). Its Seed and Progress are not used: every model is seeded from
	// Seed and the cluster's label, and progress goes to Progress.
	Model gbt.Settings
	// Seed drives the folds, the row samples and the classifiers'
	// sampling.
	Seed uint64
	// Progress, when set, is called after every tree grown, with a phase
	// naming the cluster and stage ("3.1: fold 2/5", "3.1: final model",
	// "3.1: SHAP") and counts of trees over the whole run.
	Progress progress.Func
}

// Result is the explanation of every cluster.
type Result struct {
	Features []string
	Against  Scope
	Clusters []Cluster
}

// Cluster is one cluster's explanation. When Err is set the cluster could
// not be explained and only Label, Parent, Noise, Size and Contrast are
// filled in.
type Cluster struct {
	Label  string // "3", "3.1", "3.noise"
	Parent string // "3" for "3.1"; "" for a top-level cluster
	Noise  bool
	// Size is the number of members; Contrast the number of rows they
	// were told apart from.
	Size, Contrast int
	// CVAUC is the mean of FoldAUC, the ROC AUC of each cross-validation
	// fold's model on its held-out rows: how separable, hence how
	// explainable, the cluster is.
	CVAUC   float64
	FoldAUC []float64
	// Model is the classifier trained on all of the cluster's rows and
	// contrast rows (members are the positive class).
	Model *gbt.Model
	// Expected is the SHAP base value, the model's expected margin.
	Expected float64
	// Rows are the explained rows (indices into the data, ascending): the
	// members, or a sample of MaxRows of them. SHAP has one row for each
	// and one column per feature.
	Rows []int
	SHAP *mat.Dense
	// ContrastRows are a seeded sample of the rows the cluster is told
	// apart from, as many as Rows, and ContrastSHAP their SHAP values:
	// beside the members they show which values push rows out.
	ContrastRows []int
	ContrastSHAP *mat.Dense
	// Drivers lists every feature by decreasing mean |SHAP|.
	Drivers []Driver
	Err     error
}

// Driver is one feature's part in a cluster's membership.
type Driver struct {
	Feature string
	Index   int // the feature's column
	// MeanAbs is the mean absolute SHAP value over the explained rows.
	MeanAbs float64
	// Correlation is Pearson's correlation between the feature's value and
	// its SHAP value, where the value is present, over the explained
	// members and an equal sample of the rows they are told apart from
	// (explained for this alone); NaN when either does not vary (a
	// constant or unused feature).
	Correlation float64
	// Direction is how the feature's value moves its SHAP value: the sign
	// of Correlation, unless the correlation is too weak to tell (see
	// DirectionOf).
	Direction Direction
}

// Direction is how a feature's value moves a row's SHAP value, hence its
// membership: the one rule that the explain table, the plots' text and
// the report all show.
type Direction int

// The directions a driver can have.
const (
	NoDirection Direction = 0  // no clear direction: the correlation is weak or undefined
	Raises      Direction = 1  // high values push rows into the cluster
	Lowers      Direction = -1 // low values push rows into the cluster
)

// clearCorrelation is the smallest |correlation| whose sign is shown as a
// direction: below it, the values and their SHAP values are as good as
// unrelated, and the sign is noise.
const clearCorrelation = 0.05

// DirectionOf is the direction a correlation r between a feature's value
// and its SHAP value stands for: its sign, or NoDirection when r is NaN or
// |r| < 0.05.
func DirectionOf(r float64) Direction {
	switch {
	case r >= clearCorrelation:
		return Raises
	case r <= -clearCorrelation:
		return Lowers
	}
	return NoDirection
}

// DriverWords names a cluster's top k drivers with their directions, as
// profiles, the report and the demo's summary say them: "high speechiness,
// low tempo". Features with no SHAP weight are left out.
func (c *Cluster) DriverWords(k int) string {
	var words []string
	for _, d := range c.Drivers[:min(k, len(c.Drivers))] {
		if d.MeanAbs == 0 {
			break
		}
		words = append(words, map[Direction]string{Raises: "high ", Lowers: "low "}[d.Direction]+d.Feature)
	}
	return strings.Join(words, ", ")
}

// String says what the direction means for the model's output, as the
// plots' descriptions read.
func (d Direction) String() string {
	switch d {
	case Raises:
		return "high values raise the output"
	case Lowers:
		return "high values lower the output"
	}
	return "no clear direction"
}

// Explain trains, for every cluster named by labels (one per row of X;
// see the package documentation), a classifier telling its members from
// the rows it is contrasted with, measures its cross-validated AUC, and
// explains its members with TreeSHAP. X holds the original features, NaN
// for a missing value; features names its columns (nil means "f0",
// "f1", ...).
//
// A cluster that cannot be explained (fewer members or contrast rows than
// folds) gets an Err and the others go on. Explain itself fails on bad
// input, when there is no cluster to explain, or when ctx is cancelled.
func Explain(ctx context.Context, X *mat.Dense, features []string, labels []string, s Settings) (*Result, error) {
	if s.Folds == 0 {
		s.Folds = 5
	}
	if s.MaxRows == 0 {
		s.MaxRows = 2000
	}
	if s.TrainRows == 0 {
		s.TrainRows = 100_000
	}
	if s.Folds < 2 {
		return nil, fmt.Errorf("explain: folds %d must be at least 2", s.Folds)
	}
	if s.TrainRows < 2*s.Folds {
		return nil, fmt.Errorf("explain: train_rows %d must be at least twice the %d folds", s.TrainRows, s.Folds)
	}
	if s.MaxRows < 0 {
		return nil, fmt.Errorf("explain: max_rows %d must be positive", s.MaxRows)
	}
	if s.Against != Siblings && s.Against != Whole {
		return nil, fmt.Errorf("explain: unknown scope %v", s.Against)
	}
	if err := s.Model.Validate(); err != nil {
		return nil, fmt.Errorf("explain: %w", err)
	}
	if X == nil {
		return nil, fmt.Errorf("explain: the feature matrix is missing")
	}
	n, d := X.Dims()
	if len(labels) != n {
		return nil, fmt.Errorf("explain: the matrix has %d rows but there are %d labels", n, len(labels))
	}
	features, err := featureNames(features, d)
	if err != nil {
		return nil, err
	}
	nodes, err := hierarchy(labels, s.Flat)
	if err != nil {
		return nil, err
	}
	var todo []*node
	for _, nd := range nodes {
		if !nd.noise || s.Noise {
			todo = append(todo, nd)
		}
	}
	if len(todo) == 0 {
		return nil, fmt.Errorf("explain: there is no cluster to explain: all %d rows are noise", n)
	}
	model := s.Model
	model.Progress = nil
	trees := model.NEstimators
	if trees == 0 {
		trees = 100
	}
	ds, err := gbt.NewDataset(ctx, X, model.MaxBin)
	if err != nil {
		return nil, fmt.Errorf("explain: %w", err)
	}
	byLabel := map[string]*node{}
	for _, nd := range nodes {
		byLabel[nd.label] = nd
	}
	e := &explainer{X: X, ds: ds, s: s, model: model, features: features,
		total: len(todo) * (s.Folds + 1) * trees, trees: trees}
	res := &Result{Features: features, Against: s.Against, Clusters: make([]Cluster, len(todo))}
	for i, nd := range todo {
		var pool []int // the rows the model sees: members and contrast
		if s.Against == Siblings && nd.parent != "" {
			pool = byLabel[nd.parent].members
		}
		c, err := e.cluster(ctx, nd, pool)
		if err != nil {
			return nil, err
		}
		res.Clusters[i] = c
	}
	return res, nil
}

func featureNames(features []string, d int) ([]string, error) {
	if features == nil {
		features = make([]string, d)
		for j := range features {
			features[j] = "f" + strconv.Itoa(j)
		}
		return features, nil
	}
	if len(features) != d {
		return nil, fmt.Errorf("explain: %d feature names for %d columns", len(features), d)
	}
	seen := map[string]bool{}
	for j, f := range features {
		if f == "" {
			return nil, fmt.Errorf("explain: feature %d has no name", j)
		}
		if seen[f] {
			return nil, fmt.Errorf("explain: feature name %q appears twice", f)
		}
		seen[f] = true
	}
	return slices.Clone(features), nil
}

type explainer struct {
	X        *mat.Dense
	ds       *gbt.Dataset
	s        Settings
	model    gbt.Settings
	features []string
	// done and total count trees over the whole run, for progress; mu
	// keeps the reports in order when models train side by side.
	mu                 sync.Mutex
	done, total, trees int
}

// tree counts one more tree grown and reports it.
func (e *explainer) tree(phase string) {
	e.mu.Lock()
	e.done++
	e.s.Progress.Report(phase, e.done, e.total)
	e.mu.Unlock()
}

// seed derives a stream for one cluster and purpose from the seed and the
// label, so that a cluster's results do not depend on which other
// clusters there are.
func (e *explainer) rng(label, purpose string) *rand.Rand {
	return randseed.New(e.s.Seed, randseed.Label(label, purpose))
}

// cluster explains one cluster; pool is the rows its model sees (nil for
// all rows). Only a cancellation is returned as an error; what keeps the
// cluster from being explained goes into Cluster.Err.
func (e *explainer) cluster(ctx context.Context, nd *node, pool []int) (Cluster, error) {
	c := Cluster{Label: nd.label, Parent: nd.parent, Noise: nd.noise, Size: len(nd.members), CVAUC: math.NaN()}
	n := e.ds.Rows()
	isMember := make([]bool, n)
	for _, r := range nd.members {
		isMember[r] = true
	}
	if pool == nil {
		pool = make([]int, n)
		for i := range pool {
			pool[i] = i
		}
	}
	var pos, neg []int
	for _, r := range pool {
		if isMember[r] {
			pos = append(pos, r)
		} else {
			neg = append(neg, r)
		}
	}
	c.Contrast = len(neg)
	k := e.s.Folds
	skip := func(err error) (Cluster, error) {
		c.Err = err
		e.mu.Lock()
		e.done += (k + 1) * e.trees
		e.s.Progress.Report(nd.label+": skipped", e.done, e.total)
		e.mu.Unlock()
		return c, nil
	}
	switch {
	case len(neg) == 0:
		what := "all rows"
		if nd.parent != "" && e.s.Against == Siblings {
			what = "all rows of cluster " + nd.parent
		}
		return skip(fmt.Errorf("explain: cluster %s holds %s, so there is nothing to tell it apart from (a single class)", nd.label, what))
	case len(pos) < k:
		return skip(fmt.Errorf("explain: cluster %s has %d members, fewer than the %d folds", nd.label, len(pos), k))
	case len(neg) < k:
		return skip(fmt.Errorf("explain: cluster %s has %d rows to be told apart from, fewer than the %d folds", nd.label, len(neg), k))
	}

	y := make([]float64, n)
	for _, r := range pos {
		y[r] = 1
	}
	// The classifiers see every row of the pool, or a stratified sample of
	// TrainRows of them; SHAP still explains members and contrast rows
	// drawn from all of them.
	trainPos, trainNeg := pos, neg
	if len(pool) > e.s.TrainRows {
		trainPos, trainNeg, pool = e.trainSample(nd.label, pos, neg)
	}
	// Stratified folds: each class shuffled and dealt round the folds.
	fold := make([]int, n)
	rng := e.rng(nd.label, "folds")
	for _, class := range [][]int{trainPos, trainNeg} {
		for i, j := range rng.Perm(len(class)) {
			fold[class[j]] = i % k
		}
	}
	settings := e.model
	settings.Seed = e.rng(nd.label, "model").Uint64()
	// The k fold models and the final one are independent: they train
	// side by side, each deterministic, so the result does not depend on
	// which finishes first.
	models := make([]*gbt.Model, k+1)
	errs := make([]error, k+1)
	c.FoldAUC = make([]float64, k)
	err := par.For(ctx, k+1, 1, func(f, _, _ int) {
		phase := fmt.Sprintf("%s: fold %d/%d", nd.label, f+1, k)
		var in, out []int
		if f == k {
			phase, in = nd.label+": final model", pool
		} else {
			for _, r := range pool {
				if fold[r] == f {
					out = append(out, r)
				} else {
					in = append(in, r)
				}
			}
		}
		s := settings
		s.Progress = func(string, int, int) { e.tree(phase) }
		m, err := gbt.TrainOn(ctx, e.ds, in, y, s)
		if err != nil {
			errs[f] = fmt.Errorf("explain: cluster %s: %w", nd.label, err)
			return
		}
		models[f] = m
		if f == k {
			return
		}
		margin, err := m.PredictMargin(ctx, rowsOf(e.X, out))
		if err != nil {
			errs[f] = fmt.Errorf("explain: cluster %s: %w", nd.label, err)
			return
		}
		truth := make([]bool, len(out))
		for i, r := range out {
			truth[i] = isMember[r]
		}
		if c.FoldAUC[f], err = metrics.ROCAUC(truth, margin); err != nil {
			errs[f] = fmt.Errorf("explain: cluster %s, fold %d: %w", nd.label, f+1, err)
		}
	})
	if err != nil {
		return c, fmt.Errorf("explain: stopped: %w", err)
	}
	for _, err := range errs {
		if err != nil {
			return c, err
		}
	}
	c.CVAUC = 0
	for _, a := range c.FoldAUC {
		c.CVAUC += a / float64(k)
	}
	m := models[k]
	m.FeatureNames = e.features
	c.Model = m

	c.Rows = slices.Clone(pos)
	if len(c.Rows) > e.s.MaxRows {
		rng := e.rng(nd.label, "sample")
		perm := rng.Perm(len(pos))[:e.s.MaxRows]
		c.Rows = c.Rows[:0]
		for _, i := range perm {
			c.Rows = append(c.Rows, pos[i])
		}
		slices.Sort(c.Rows)
	}
	e.mu.Lock()
	e.s.Progress.Report(nd.label+": SHAP", e.done, e.total)
	e.mu.Unlock()
	rows := rowsOf(e.X, c.Rows)
	ex, err := shap.Explain(ctx, m, rows, shap.Settings{})
	if err != nil {
		return c, fmt.Errorf("explain: cluster %s: %w", nd.label, err)
	}
	c.Expected, c.SHAP = ex.Expected, ex.Values
	// Directions need rows on both sides of the boundary: among members
	// alone, a feature that separates the cluster outright (every member
	// high, say) takes nearly the same SHAP value everywhere, and the sign
	// of its correlation is noise. A seeded sample of contrast rows, as
	// many as the members explained, is explained for that and kept apart.
	contrast := neg
	if len(contrast) > len(c.Rows) {
		perm := e.rng(nd.label, "contrast").Perm(len(neg))[:len(c.Rows)]
		contrast = make([]int, len(perm))
		for i, j := range perm {
			contrast[i] = neg[j]
		}
		slices.Sort(contrast)
	}
	crows := rowsOf(e.X, contrast)
	cex, err := shap.Explain(ctx, m, crows, shap.Settings{})
	if err != nil {
		return c, fmt.Errorf("explain: cluster %s: %w", nd.label, err)
	}
	c.ContrastRows, c.ContrastSHAP = contrast, cex.Values
	c.Drivers = drivers(e.features, rows, ex.Values, crows, cex.Values)
	return c, nil
}

// trainSample draws the rows a cluster's classifiers are fitted on when
// its pool holds more than TrainRows: each class its share of TrainRows
// (at least Folds rows, at most all it has), drawn with the seed and the
// label; it returns them by class, and together as the new pool, in
// ascending order.
func (e *explainer) trainSample(label string, pos, neg []int) (trainPos, trainNeg, pool []int) {
	total := len(pos) + len(neg)
	nPos := int(math.Round(float64(e.s.TrainRows) * float64(len(pos)) / float64(total)))
	nPos = min(max(nPos, e.s.Folds), len(pos))
	nNeg := min(max(e.s.TrainRows-nPos, e.s.Folds), len(neg))
	rng := e.rng(label, "train")
	draw := func(class []int, m int) []int {
		out := make([]int, m)
		for i, j := range rng.Perm(len(class))[:m] {
			out[i] = class[j]
		}
		slices.Sort(out)
		return out
	}
	trainPos, trainNeg = draw(pos, nPos), draw(neg, nNeg)
	pool = slices.Concat(trainPos, trainNeg)
	slices.Sort(pool)
	return trainPos, trainNeg, pool
}

// rowsOf copies the given rows of X into a new matrix.
func rowsOf(X *mat.Dense, rows []int) *mat.Dense {
	_, d := X.Dims()
	out := mat.NewDense(len(rows), d, nil)
	for i, r := range rows {
		copy(out.RawRowView(i), X.RawRowView(r))
	}
	return out
}

// drivers summarises each feature's SHAP values over the explained rows.
func drivers(features []string, X, phi, Xc, phic *mat.Dense) []Driver {
	n, d := phi.Dims()
	nc, _ := phic.Dims()
	out := make([]Driver, d)
	for j := 0; j < d; j++ {
		var sumAbs float64
		var xs, ps []float64
		for i := 0; i < n; i++ {
			p := phi.At(i, j)
			sumAbs += math.Abs(p)
			if x := X.At(i, j); !math.IsNaN(x) {
				xs = append(xs, x)
				ps = append(ps, p)
			}
		}
		for i := 0; i < nc; i++ {
			if x := Xc.At(i, j); !math.IsNaN(x) {
				xs = append(xs, x)
				ps = append(ps, phic.At(i, j))
			}
		}
		corr := stats.Correlation(xs, ps)
		out[j] = Driver{Feature: features[j], Index: j, MeanAbs: sumAbs / float64(n), Correlation: corr, Direction: DirectionOf(corr)}
	}
	slices.SortStableFunc(out, func(a, b Driver) int {
		switch {
		case a.MeanAbs > b.MeanAbs:
			return -1
		case a.MeanAbs < b.MeanAbs:
			return 1
		}
		return 0
	})
	return out
}
