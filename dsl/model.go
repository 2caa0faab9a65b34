package dsl

import (
	"bytes"
	"context"
	"fmt"
	"os"

	"github.com/reckon-dev/reckon/analysis/frame"
	"github.com/reckon-dev/reckon/analysis/pipeline"
)

// fittable are the commands a saved model replays: the session remembers
// their calls and values (Session.fits) so that save can rebuild what they
// learned from the values they were given.
var fittable = map[string]bool{
	"load": true, "load_demo": true, "pca": true, "select": true, "drop": true, "impute": true,
	"standardize": true, "onehot": true, "umap": true, "hdbscan": true, "recurse": true, "name": true, "explain": true,
}

// fit is a remembered call of a fittable command and the value it made.
type fit struct {
	call  *Call
	value Value
}

// remember keeps a fittable command's call, without its output, and value.
func (s *Session) remember(l *Lineage, c *Call, v Value) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.fits == nil {
		s.fits = map[*Lineage]fit{}
	}
	s.fits[l] = fit{call: &Call{Cmd: c.Cmd, args: c.args, lineage: c.lineage}, value: v}
}

// pruneFits forgets the calls no variable's value was made from, so that
// the values they hold can be freed. It runs between statements, when
// every value made is either held by a variable or gone.
func (s *Session) pruneFits() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.fits) == 0 {
		return
	}
	live := map[*Lineage]bool{}
	var walk func(l *Lineage)
	walk = func(l *Lineage) {
		if l == nil || live[l] {
			return
		}
		live[l] = true
		for _, a := range l.Args {
			walk(a.Value)
		}
	}
	for _, l := range s.lineage {
		walk(l)
	}
	for l := range s.fits {
		if !live[l] {
			delete(s.fits, l)
		}
	}
}

func (s *Session) fitOf(l *Lineage) (fit, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	f, ok := s.fits[l]
	return f, ok
}

// Model is a fitted pipeline, saved or opened: what assign applies.
type Model struct {
	P *pipeline.Pipeline
	// Path is the file it was saved to or opened from.
	Path string
}

func (m *Model) Type() string   { return "model" }
func (m *Model) String() string { return m.P.Summary() }

// modelBuilder rebuilds a pipeline from a value's lineage and the calls
// the session remembers.
type modelBuilder struct {
	s *Session
	p *pipeline.Pipeline
}

// buildModel makes the pipeline that goes from the raw input table to the
// value whose lineage is l: a clustering (hdbscan, named or not) or an
// explanation of one.
func (s *Session) buildModel(ctx context.Context, l *Lineage) (*pipeline.Pipeline, error) {
	b := &modelBuilder{s: s, p: &pipeline.Pipeline{ReckonVersion: Version}}
	var features *Lineage
	clusters := l
	if l.Op == "explain" {
		f, err := b.fit(l)
		if err != nil {
			return nil, err
		}
		e := f.value.(*Explanation)
		switch f.call.Value("clusters").(type) {
		case *Clusters, *Tree:
		default:
			return nil, fmt.Errorf("save handles an explanation of a clustering (hdbscan or recurse); this one explains a %s", f.call.Value("clusters").Type())
		}
		b.p.Explain = pipeline.NewExplain(e.Result)
		clusters, features = f.call.Lineage("clusters"), f.call.Lineage("on")
	}
	names := Names{}
	for clusters.Op == "name" {
		f, err := b.fit(clusters)
		if err != nil {
			return nil, err
		}
		for k, v := range namesOf(f.value) {
			if _, ok := names[k]; !ok {
				names[k] = v
			}
		}
		clusters = f.call.Lineage("clusters")
	}
	if clusters.Op != "hdbscan" && clusters.Op != "recurse" {
		return nil, fmt.Errorf("save needs a clustering made by hdbscan or recurse (named, or explained, or not); %s", madeBy(clusters))
	}
	f, err := b.fit(clusters)
	if err != nil {
		return nil, err
	}
	for k, v := range namesOf(f.value) {
		if _, ok := names[k]; !ok {
			names[k] = v
		}
	}
	points, err := f.call.Value("data").(Matrixer).Matrix()
	if err != nil {
		return nil, err
	}
	switch v := f.value.(type) {
	case *Clusters:
		b.p.Clusters = pipeline.NewClusters(v.HDB, points, names)
	case *Tree:
		b.p.Tree = pipeline.NewTree(v.Result, points, names)
	}
	table := f.call.Lineage("data")
	if table.Op == "umap" {
		u, err := b.fit(table)
		if err != nil {
			return nil, err
		}
		train, err := u.call.Value("data").(Matrixer).Matrix()
		if err != nil {
			return nil, err
		}
		b.p.UMAP = pipeline.NewUMAP(u.value.(*Embedding).UMAP, train)
		table = u.call.Lineage("data")
	}
	if table.Op == "pca" {
		f, err := b.fit(table)
		if err != nil {
			return nil, err
		}
		b.p.PCA = f.value.(*Embedding).PCA
		table = f.call.Lineage("data")
	}
	if features != nil && features != table {
		return nil, fmt.Errorf("save needs explain's on= to be the table that was clustered (%s), so that one set of transforms serves both; here it is %s", nameOf(table), nameOf(features))
	}
	if err := b.tableSteps(table); err != nil {
		return nil, err
	}
	script := NewScript(ScriptOptions{}, l)
	for _, st := range script.Steps {
		b.p.Lineage = append(b.p.Lineage, st.Code)
	}
	for _, fs := range script.Files {
		b.p.FittedOn = append(b.p.FittedOn, pipeline.Source{Path: fs.Path, Size: fs.Size, SHA256: fs.SHA256, Rows: fs.Rows})
	}
	return b.p, nil
}

// fit returns the remembered call that made l.
func (b *modelBuilder) fit(l *Lineage) (fit, error) {
	f, ok := b.s.fitOf(l)
	if !ok {
		return f, fmt.Errorf("save cannot find how %s was made in this session; run the cells that make it again", nameOf(l))
	}
	return f, nil
}

func nameOf(l *Lineage) string {
	if l.Var != "" {
		return l.Var
	}
	if l.Op != "" {
		return "the result of " + l.Op + "()"
	}
	return "a " + l.Type
}

func madeBy(l *Lineage) string {
	if l.isCommand() {
		return nameOf(l) + " was made by " + l.Op
	}
	return nameOf(l) + " was not made by a command"
}

// tableSteps walks the table transforms back to the input table, whose
// columns make the schema, and fits each step again on the table it was
// given: the same statistics the command computed.
func (b *modelBuilder) tableSteps(l *Lineage) error {
	var chain []fit
	for {
		f, ok := b.s.fitOf(l)
		if !ok || !(l.Op == "select" || l.Op == "drop" || l.Op == "impute" || l.Op == "standardize" || l.Op == "onehot") {
			break
		}
		chain = append(chain, f)
		l = f.call.Lineage("data")
	}
	f, ok := b.s.fitOf(l)
	var input *frame.Frame
	if ok {
		if t, isTable := f.value.(Tabular); isTable {
			input = t.Frame()
		}
	}
	if input == nil {
		if len(chain) == 0 {
			return fmt.Errorf("save cannot find the table the model reads in this session; run the cells that make it again")
		}
		input = chain[len(chain)-1].call.Value("data").(Tabular).Frame()
	}
	kept := map[string]bool{}
	for _, c := range input.Columns() {
		kept[c.Name()] = true
	}
	for i := len(chain) - 1; i >= 0; i-- {
		c := chain[i].call
		in := c.Value("data").(Tabular).Frame()
		out := chain[i].value.(Tabular).Frame()
		step := pipeline.Step{Op: c.Cmd.Name}
		switch c.Cmd.Name {
		case "select", "drop":
			// A selection keeps the columns it kept, so that new rows need
			// not carry the columns dropped.
			step = pipeline.Step{Op: "select", Columns: out.Names()}
			if i == len(chain)-1 {
				kept = map[string]bool{}
				for _, n := range out.Names() {
					kept[n] = true
				}
				b.ids(in, out)
			}
		case "impute":
			opts, err := imputeOptions(c)
			if err != nil {
				return err
			}
			imp, err := in.FitImputer(opts)
			if err != nil {
				return err
			}
			step.Columns, step.Fills = imp.Columns, imp.Fills
		case "standardize":
			sc, err := in.FitScaler(columnNames(c.List("columns"))...)
			if err != nil {
				return err
			}
			step.Columns, step.Mean, step.Scale = sc.Columns, sc.Mean, sc.Scale
		case "onehot":
			enc, err := in.FitOneHot(columnNames(c.List("columns"))...)
			if err != nil {
				return err
			}
			step.Columns, step.Levels = enc.Columns, enc.Levels
		}
		b.p.Steps = append(b.p.Steps, step)
	}
	for _, c := range input.Columns() {
		if kept[c.Name()] {
			b.p.Schema = append(b.p.Schema, pipeline.Field{Name: c.Name(), Type: c.Kind().String()})
		}
	}
	return nil
}

// ids finds the identifiers among the columns a first selection left out:
// text columns with a different value in every row, such as track_id.
// Assign passes them through.
func (b *modelBuilder) ids(in, out *frame.Frame) {
	kept := map[string]bool{}
	for _, n := range out.Names() {
		kept[n] = true
	}
	for _, c := range in.Columns() {
		if kept[c.Name()] || c.Kind() != frame.Categorical || c.Missing() > 0 || len(c.Levels()) != c.Len() {
			continue
		}
		b.p.IDs = append(b.p.IDs, c.Name())
	}
}

func registerModel(r *Registry) {
	r.Register(
		&Command{
			Name: "save", Group: "predict",
			Summary: "Save a clustering (hdbscan or recurse), or its explanation, as a model file that assign and reckon apply label new rows with.",
			Doc:     "Writes everything needed to go from the raw input table to the value and nothing else: the transforms with the statistics they learned (fill values, means and scales, categories, column order), the UMAP model, the HDBSCAN clustering for approximate_predict (for a tree, every split cluster's own UMAP and HDBSCAN), the names of the clusters and, for an explanation, each cluster's classifier. One zip file: manifest.json (format version, Reckon's version, the lineage, the input schema, every parameter and seed), arrays as numpy .npy, classifiers in XGBoost's JSON format (docs/model-format.md). Loading it never executes anything. Save an explanation to get reasons with every assigned row.",
			Params: []Param{
				{Name: "value", Type: OneOf(clustersT, TypeOf("tree"), TypeOf("explanation")), Doc: "what hdbscan, recurse, name or explain returned"},
				{Name: "to", Type: Str, Doc: "the file to write, such as \"tracks.reckon\""},
			},
			Returns:  "model",
			Examples: []string{`save(why, to="tracks.reckon")`, `m = save(cl, to="clusters.reckon")     # clusters without reasons`},
			Run: func(ctx context.Context, c *Call) (Value, error) {
				p, err := c.Session.buildModel(ctx, c.Lineage("value"))
				if err != nil {
					return nil, c.Errorf("value", "%v", err)
				}
				var buf bytes.Buffer
				if err := p.Save(&buf); err != nil {
					return nil, err
				}
				path := c.Str("to")
				if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
					return nil, c.Errorf("to", "%v", err)
				}
				c.Out.Stream("stdout", fmt.Sprintf("wrote %s (%s KB)\n", path, thousands((buf.Len()+1023)/1024)))
				return &Model{P: p, Path: path}, nil
			},
		},
		&Command{
			Name: "open_model", Group: "predict",
			Summary:  "Open a model file written by save, to assign new rows with it.",
			Doc:      "Shows what the model was fitted on, its input schema, its steps and its clusters with their names. Nothing in the file is executed; a file of a newer format, a truncated file or one whose manifest does not match its arrays is refused with the reason.",
			Params:   []Param{{Name: "path", Type: Str, Doc: "the model file"}},
			Returns:  "model",
			Examples: []string{`save(why, to="tracks.reckon")`, `m = open_model("tracks.reckon")`},
			Run: func(ctx context.Context, c *Call) (Value, error) {
				p, err := pipeline.Open(c.Str("path"))
				if err != nil {
					return nil, c.Errorf("path", "%v", err)
				}
				if err := p.Restore(ctx); err != nil {
					return nil, err
				}
				return &Model{P: p, Path: c.Str("path")}, nil
			},
		},
		&Command{
			Name: "assign", Group: "predict",
			Summary: "Assign new rows to the clusters of a model, with the reasons for each, using the statistics learned when fitting.",
			Doc:     "Runs the new rows through the fitted transforms (the fitted fill values, means, scales and categories, never the new rows' own), UMAP's transform and HDBSCAN's approximate_predict. The table has the input's id columns, cluster (-1 for noise; for a tree, the path of the deepest cluster reached, such as \"3.1\", or \"3.noise\"), name, probability, outlier_score (GLOSH, as hdbscan's approximate_predict_scores; for a tree, of the deepest level reached) and, for a model of an explanation, reason_1 to reason_3: the features with the largest SHAP values under the classifier of the row's cluster, signed (for a tree, the classifier of the deepest explained cluster on the path). A category not seen when fitting encodes as all zeros; assign says how many rows had one. The model may also be a clustering or explanation of this session.",
			Params: []Param{
				{Name: "model", Type: OneOf(TypeOf("model"), clustersT, TypeOf("tree"), TypeOf("explanation")), Doc: "what open_model or save returned, or a clustering, tree or explanation"},
				{Name: "data", Type: TabularT, Doc: "the new rows, with the columns the model was fitted on"},
			},
			Returns:  "table",
			Examples: []string{`assign(why, head(tracks, 20))`, `m = save(why, to="tracks.reckon")`, `assign(m, tracks)`},
			Run: func(ctx context.Context, c *Call) (Value, error) {
				m, ok := c.Value("model").(*Model)
				if !ok {
					p, err := c.Session.buildModel(ctx, c.Lineage("model"))
					if err != nil {
						return nil, c.Errorf("model", "%v", err)
					}
					m = &Model{P: p}
				}
				res, err := m.P.Assign(ctx, tableOf(c, "data"))
				if err != nil {
					return nil, c.Errorf("data", "%v", err)
				}
				if res.Unseen > 0 {
					c.Out.Stream("stdout", fmt.Sprintf("%s held a category the model was not fitted on, encoded as all zeros\n", count(res.Unseen, "row")))
				}
				return NewTable(res.Table), nil
			},
		},
	)
}
