package pipeline

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"

	"gonum.org/v1/gonum/mat"

	"github.com/reckon-dev/reckon/analysis/explain"
	"github.com/reckon-dev/reckon/analysis/frame"
	"github.com/reckon-dev/reckon/analysis/gbt"
	"github.com/reckon-dev/reckon/analysis/hdbscan"
	"github.com/reckon-dev/reckon/analysis/pca"
	"github.com/reckon-dev/reckon/analysis/recursive"
	"github.com/reckon-dev/reckon/analysis/shap"
	"github.com/reckon-dev/reckon/analysis/umap"
)

// Pipeline is a fitted pipeline: everything needed to go from a raw input
// table to the clusters, their names and the reasons for them, with the
// statistics learned from the rows it was fitted to.
type Pipeline struct {
	// ReckonVersion is the version of Reckon that fitted it.
	ReckonVersion string
	// Lineage is the script of commands that made the value saved.
	Lineage []string
	// FittedOn describes the files the training rows were read from.
	FittedOn []Source
	// Schema is the input table's columns the pipeline reads.
	Schema []Field
	// IDs are input columns passed through to the result unchanged.
	IDs []string
	// Steps are the table transforms, in order.
	Steps []Step
	// PCA, when set, projects the transformed rows, before UMAP or
	// clustering.
	PCA *pca.Model
	// UMAP, when set, embeds the transformed rows before clustering.
	UMAP *UMAP
	// Clusters assigns rows to the clusters of a flat clustering
	// (hdbscan); Tree, to those of a recursive one (recurse). One of the
	// two is set.
	Clusters *Clusters
	Tree     *Tree
	// Explain, when set, gives each assigned row the reasons for its
	// cluster.
	Explain *Explain
}

// Source is a file the training rows were read from.
type Source struct {
	Path   string `json:"path"`
	Size   int64  `json:"size"`
	SHA256 string `json:"sha256"`
	Rows   int    `json:"rows"`
}

// Field is a column of the input schema: its name and its frame.Kind
// ("numeric", "categorical", "boolean").
type Field struct {
	Name string `json:"name"`
	Type string `json:"type"`
}

// Step is one fitted table transform. Op says which, and which fields
// hold what it learned.
type Step struct {
	// Op is "select", "drop", "impute", "standardize" or "onehot".
	Op string
	// Columns are the columns selected, dropped, imputed, scaled or
	// encoded.
	Columns []string
	// Fills are impute's fill values, one per column: float64, string or
	// bool by the column's type.
	Fills []any
	// Mean and Scale are standardize's statistics, one per column.
	Mean, Scale []float64
	// Levels are onehot's categories, per column, in the order of the
	// columns made.
	Levels [][]string
}

// UMAP is a fitted UMAP embedding: the rows it was fitted to, their
// embedding and the settings, from which the model is rebuilt on loading.
type UMAP struct {
	Settings  umap.Settings
	Train     *mat.Dense
	Embedding *mat.Dense
	model     *umap.Model
}

// NewUMAP keeps a fitted UMAP model and the rows it was fitted to.
func NewUMAP(m *umap.Model, train *mat.Dense) *UMAP {
	return &UMAP{Settings: m.Requested(), Train: train, Embedding: m.Embedding, model: m}
}

// Clusters is a fitted HDBSCAN clustering: the points clustered and the
// options, from which the condensed tree is rebuilt on loading, and the
// names given to clusters.
type Clusters struct {
	Options hdbscan.Options
	Points  *mat.Dense
	// Names are the names of clusters, by label ("0", "3").
	Names  map[string]string
	result *hdbscan.Result
}

// NewClusters keeps an HDBSCAN result, the points it clustered and the
// names given to its clusters.
func NewClusters(r *hdbscan.Result, points *mat.Dense, names map[string]string) *Clusters {
	o := r.Options
	o.Progress = nil
	return &Clusters{Options: o, Points: points, Names: names, result: r}
}

// Explain holds the classifier of every explained cluster, reading
// Features.
type Explain struct {
	Features []string
	// Labels and Models pair each cluster's label with its classifier.
	Labels []string
	Models []*gbt.Model
}

// NewExplain keeps the classifier of every cluster explain explained,
// noise and clusters it could not explain aside.
func NewExplain(r *explain.Result) *Explain {
	e := &Explain{Features: r.Features}
	for _, c := range r.Clusters {
		if c.Err == nil && !c.Noise {
			e.Labels = append(e.Labels, c.Label)
			e.Models = append(e.Models, c.Model)
		}
	}
	return e
}

// Restore rebuilds what a loaded pipeline does not store: the UMAP
// model's neighbour index and HDBSCAN's condensed tree, recomputed
// deterministically from the stored arrays.
func (p *Pipeline) Restore(ctx context.Context) error {
	if u := p.UMAP; u != nil && u.model == nil {
		m, err := umap.Restore(ctx, u.Train, u.Embedding, u.Settings)
		if err != nil {
			return fmt.Errorf("pipeline: restoring the UMAP model: %w", err)
		}
		u.model = m
	}
	if c := p.Clusters; c != nil && c.result == nil {
		r, err := hdbscan.Fit(ctx, c.Points, c.Options)
		if err != nil {
			return fmt.Errorf("pipeline: restoring the clustering: %w", err)
		}
		c.result = r
	}
	if t := p.Tree; t != nil && t.byPath == nil {
		return t.restore(ctx)
	}
	return nil
}

// Result is what Assign returns.
type Result struct {
	// Table holds the id columns, cluster, name, probability,
	// outlier_score and reason_1 to reason_3.
	Table *frame.Frame
	// Unseen is the number of rows holding a category the pipeline was
	// not fitted on (encoded as all zeros).
	Unseen int
}

// Reasons is the number of reason columns Assign writes.
const Reasons = 3

// CheckSchema reports whether f has every column of the schema with its
// type, naming the first that is missing or of another type and listing
// the schema.
func (p *Pipeline) CheckSchema(f *frame.Frame) error {
	for _, fd := range p.Schema {
		c, err := f.Column(fd.Name)
		switch {
		case err != nil:
			return fmt.Errorf("the input has no column %q; the model expects %s", fd.Name, p.SchemaText())
		case c.Kind().String() != fd.Type && !(c.Missing() == c.Len()):
			return fmt.Errorf("column %q is %s but the model was fitted on it as %s; the model expects %s", fd.Name, c.Kind(), fd.Type, p.SchemaText())
		}
	}
	return nil
}

// SchemaText lists the schema as "name (type), ...".
func (p *Pipeline) SchemaText() string {
	parts := make([]string, len(p.Schema))
	for i, f := range p.Schema {
		parts[i] = fmt.Sprintf("%s (%s)", f.Name, f.Type)
	}
	return strings.Join(parts, ", ")
}

// Assign runs the pipeline on new rows with the fitted statistics, never
// the new rows' own: the transforms, the embedding (umap's transform),
// the clusters (approximate_predict) and the top reasons, the features
// with the largest SHAP values under the classifier of the row's cluster.
func (p *Pipeline) Assign(ctx context.Context, in *frame.Frame) (*Result, error) {
	if p.Clusters == nil && p.Tree == nil {
		return nil, errors.New("pipeline: the model has no clustering to assign rows to")
	}
	if err := p.Restore(ctx); err != nil {
		return nil, err
	}
	if err := p.CheckSchema(in); err != nil {
		return nil, err
	}
	f, unseen, err := p.transform(in)
	if err != nil {
		return nil, err
	}
	n := in.NumRows()
	// keys[i] is the label of the classifier explaining row i ("" for
	// none).
	var cluster *frame.Column
	names, named, keys := make([]string, n), make([]bool, n), make([]string, n)
	prob, outlier := make([]float64, 0), make([]float64, 0)
	var x *mat.Dense
	if n > 0 {
		if x, err = p.embed(ctx, f); err != nil {
			return nil, err
		}
	}
	if p.Tree != nil {
		paths := make([]string, 0)
		if n > 0 {
			if paths, prob, outlier, err = p.Tree.assign(ctx, x); err != nil {
				return nil, err
			}
		}
		for i, path := range paths {
			names[i], named[i] = p.Tree.nameOf(path)
			keys[i] = p.Explain.classifierFor(path)
		}
		if cluster, err = frame.NewCategorical("cluster", paths, nil); err != nil {
			return nil, err
		}
	} else {
		labels := make([]int, 0)
		if n > 0 {
			if labels, prob, outlier, err = hdbscan.ApproximatePredictScores(ctx, p.Clusters.result, x); err != nil {
				return nil, fmt.Errorf("pipeline: %w", err)
			}
		}
		lab := make([]float64, n)
		for i, l := range labels {
			lab[i] = float64(l)
			names[i], named[i] = p.Clusters.Names[labelOf(l)]
			if l >= 0 {
				keys[i] = labelOf(l)
			}
		}
		cluster = frame.NewNumeric("cluster", lab)
	}
	var cols []*frame.Column
	for _, id := range p.IDs {
		// Ids are passed through when the new rows have them.
		if c, err := in.Column(id); err == nil {
			cols = append(cols, c)
		}
	}
	nameCol, err := frame.NewCategorical("name", names, named)
	if err != nil {
		return nil, err
	}
	cols = append(cols, cluster, nameCol, frame.NewNumeric("probability", prob), frame.NewNumeric("outlier_score", outlier))
	if p.Explain != nil {
		reasons, err := p.reasons(ctx, f, keys)
		if err != nil {
			return nil, err
		}
		cols = append(cols, reasons...)
	}
	out, err := frame.New(cols...)
	if err != nil {
		return nil, err
	}
	return &Result{Table: out, Unseen: unseen}, nil
}

// embed makes the matrix of the transformed rows and projects it with
// PCA and UMAP when the pipeline has them: the points it clusters.
func (p *Pipeline) embed(ctx context.Context, f *frame.Frame) (*mat.Dense, error) {
	x, err := matrix(f, f.Names(), false)
	if err != nil {
		return nil, err
	}
	if p.PCA != nil {
		if x, err = p.PCA.Transform(ctx, x); err != nil {
			return nil, fmt.Errorf("pipeline: %w", err)
		}
	}
	if p.UMAP != nil {
		if x, err = p.UMAP.model.Transform(ctx, x); err != nil {
			return nil, fmt.Errorf("pipeline: %w", err)
		}
	}
	return x, nil
}

// classifierFor is the label of the classifier that explains a row of
// the tree path path: its cluster's, or when that cluster was not
// explained (or the row is noise inside it) its nearest explained
// parent's; "" when there is none.
func (e *Explain) classifierFor(path string) string {
	if e == nil {
		return ""
	}
	for {
		if !strings.HasSuffix(path, recursive.NoiseLabel) && slices.Contains(e.Labels, path) {
			return path
		}
		i := strings.LastIndexByte(path, '.')
		if i < 0 {
			return ""
		}
		path = path[:i]
	}
}

// labelOf is a flat label as explain names it.
func labelOf(l int) string {
	if l < 0 {
		return "noise"
	}
	return fmt.Sprint(l)
}

// transform applies the table steps.
func (p *Pipeline) transform(f *frame.Frame) (*frame.Frame, int, error) {
	unseen := 0
	for _, s := range p.Steps {
		var err error
		switch s.Op {
		case "select":
			f, err = f.Select(s.Columns...)
		case "drop":
			f, err = f.Drop(s.Columns...)
		case "impute":
			f, err = (&frame.Imputer{Columns: s.Columns, Fills: s.Fills}).Transform(f)
		case "standardize":
			f, err = (&frame.Scaler{Columns: s.Columns, Mean: s.Mean, Scale: s.Scale}).Transform(f)
		case "onehot":
			var u int
			f, u, err = (&frame.Encoder{Columns: s.Columns, Levels: s.Levels}).Transform(f)
			unseen = max(unseen, u)
		default:
			err = fmt.Errorf("unknown step %q", s.Op)
		}
		if err != nil {
			return nil, 0, fmt.Errorf("pipeline: %s: %w", s.Op, err)
		}
	}
	return f, unseen, nil
}

// matrix makes a matrix of the named columns of f, booleans as 0 and 1;
// missing values are NaN when allowed, else an error naming the column.
func matrix(f *frame.Frame, names []string, missing bool) (*mat.Dense, error) {
	n := f.NumRows()
	x := mat.NewDense(max(n, 1), max(len(names), 1), nil)
	for j, name := range names {
		c, err := f.Column(name)
		if err != nil {
			return nil, err
		}
		switch c.Kind() {
		case frame.Categorical:
			return nil, fmt.Errorf("column %q is categorical after the model's transforms; it was numeric when fitted", name)
		case frame.Numeric:
			for i, v := range c.Float64s() {
				x.Set(i, j, v)
			}
		default:
			for i := range n {
				v, ok := c.Bool(i)
				switch {
				case !ok:
					x.Set(i, j, math.NaN())
				case v:
					x.Set(i, j, 1)
				default:
					x.Set(i, j, 0)
				}
			}
		}
		if !missing {
			for i := range n {
				if math.IsNaN(x.At(i, j)) {
					return nil, fmt.Errorf("row %d has no value in column %q, and the model was fitted without missing values there (impute them when fitting)", i+1, name)
				}
			}
		}
	}
	return x, nil
}

// reasons explains every assigned row by the classifier labelled
// keys[i], none for "".
func (p *Pipeline) reasons(ctx context.Context, f *frame.Frame, keys []string) ([]*frame.Column, error) {
	n := len(keys)
	text := make([][]string, Reasons)
	valid := make([][]bool, Reasons)
	for k := range text {
		text[k], valid[k] = make([]string, n), make([]bool, n)
	}
	e := p.Explain
	if n > 0 {
		x, err := matrix(f, e.Features, true)
		if err != nil {
			return nil, fmt.Errorf("pipeline: explain: %w", err)
		}
		byLabel := map[string][]int{}
		for i, k := range keys {
			byLabel[k] = append(byLabel[k], i)
		}
		for k, label := range e.Labels {
			rows := byLabel[label]
			if len(rows) == 0 || label == "" {
				continue
			}
			sub := mat.NewDense(len(rows), len(e.Features), nil)
			for r, i := range rows {
				sub.SetRow(r, x.RawRowView(i))
			}
			ex, err := shap.Explain(ctx, e.Models[k], sub, shap.Settings{})
			if err != nil {
				return nil, fmt.Errorf("pipeline: explaining cluster %s: %w", label, err)
			}
			for r, i := range rows {
				for q, t := range topReasons(e.Features, ex.Values.RawRowView(r)) {
					text[q][i], valid[q][i] = t, true
				}
			}
		}
	}
	cols := make([]*frame.Column, Reasons)
	for k := range cols {
		c, err := frame.NewCategorical(fmt.Sprintf("reason_%d", k+1), text[k], valid[k])
		if err != nil {
			return nil, err
		}
		cols[k] = c
	}
	return cols, nil
}

// topReasons writes the features with the largest absolute SHAP values,
// signed: "speechiness +0.82". Ties go to the earlier feature.
func topReasons(features []string, phi []float64) []string {
	order := make([]int, len(phi))
	for j := range order {
		order[j] = j
	}
	slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(math.Abs(phi[b]), math.Abs(phi[a])) })
	var out []string
	for _, j := range order[:min(Reasons, len(order))] {
		if phi[j] == 0 {
			break
		}
		out = append(out, fmt.Sprintf("%s %+.2f", features[j], phi[j]))
	}
	return out
}
