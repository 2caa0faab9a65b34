package pipeline

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"slices"
	"strconv"
	"strings"

	"gonum.org/v1/gonum/mat"

	"github.com/reckon-dev/reckon/analysis/explain"
	"github.com/reckon-dev/reckon/analysis/gbt"
	"github.com/reckon-dev/reckon/analysis/hdbscan"
	"github.com/reckon-dev/reckon/analysis/knn"
	"github.com/reckon-dev/reckon/analysis/pca"
	"github.com/reckon-dev/reckon/analysis/umap"
)

// FormatVersion is the newest version of the model file format this
// package reads and writes. Version 2 added the tree of a recursive
// clustering; a model without one is written as version 1, which readers
// of version 1 read.
const FormatVersion = 2

// Format names the file format in its manifest.
const Format = "reckon-model"

// ManifestName is the manifest's name inside the zip file.
const ManifestName = "manifest.json"

// maxEntry bounds what one entry of a model file may decompress to, so
// that a hostile file cannot exhaust memory.
const maxEntry = 1 << 32

// manifest is manifest.json; docs/model-format.md documents it.
type manifest struct {
	Format        string       `json:"format"`
	FormatVersion int          `json:"format_version"`
	ReckonVersion string       `json:"reckon_version"`
	Lineage       []string     `json:"lineage"`
	FittedOn      []Source     `json:"fitted_on"`
	InputSchema   []Field      `json:"input_schema"`
	IDColumns     []string     `json:"id_columns"`
	Steps         []stepJSON   `json:"steps"`
	PCA           *pcaJSON     `json:"pca,omitempty"`
	UMAP          *umapJSON    `json:"umap,omitempty"`
	HDBSCAN       *hdbJSON     `json:"hdbscan,omitempty"`
	Tree          *treeJSON    `json:"tree,omitempty"`
	Explain       *explainJSON `json:"explain,omitempty"`
}

// arrayRef names an .npy entry and the shape the manifest expects of it.
type arrayRef struct {
	File  string `json:"file"`
	Shape []int  `json:"shape"`
}

type stepJSON struct {
	Op      string     `json:"op"`
	Columns []string   `json:"columns"`
	Fills   []any      `json:"fills,omitempty"`
	Mean    *arrayRef  `json:"mean,omitempty"`
	Scale   *arrayRef  `json:"scale,omitempty"`
	Levels  [][]string `json:"levels,omitempty"`
}

// umapParams are umap.Settings under umap-learn's names.
type umapParams struct {
	NNeighbors         int      `json:"n_neighbors"`
	NComponents        int      `json:"n_components"`
	MinDist            *float64 `json:"min_dist"`
	Spread             float64  `json:"spread"`
	Metric             string   `json:"metric"`
	NEpochs            int      `json:"n_epochs"`
	LearningRate       float64  `json:"learning_rate"`
	Init               string   `json:"init"`
	NegativeSampleRate int      `json:"negative_sample_rate"`
	RepulsionStrength  float64  `json:"repulsion_strength"`
	LocalConnectivity  float64  `json:"local_connectivity"`
	SetOpMixRatio      *float64 `json:"set_op_mix_ratio"`
	A                  float64  `json:"a"`
	B                  float64  `json:"b"`
	Seed               uint64   `json:"seed"`
}

// pcaJSON is a fitted PCA under scikit-learn's names.
type pcaJSON struct {
	Whiten            bool     `json:"whiten"`
	Mean              arrayRef `json:"mean_"`
	Components        arrayRef `json:"components_"`
	ExplainedVariance arrayRef `json:"explained_variance_"`
}

type umapJSON struct {
	Params    umapParams `json:"params"`
	Train     arrayRef   `json:"train"`
	Embedding arrayRef   `json:"embedding"`
}

// hdbParams are hdbscan.Options under hdbscan's names.
type hdbParams struct {
	MinClusterSize          int     `json:"min_cluster_size"`
	MinSamples              int     `json:"min_samples"`
	ClusterSelectionMethod  string  `json:"cluster_selection_method"`
	ClusterSelectionEpsilon float64 `json:"cluster_selection_epsilon"`
	AllowSingleCluster      bool    `json:"allow_single_cluster"`
	Alpha                   float64 `json:"alpha"`
	Metric                  string  `json:"metric"`
}

type hdbJSON struct {
	Params hdbParams         `json:"params"`
	Points arrayRef          `json:"points"`
	Names  map[string]string `json:"names"`
}

// treeJSON is a recursive clustering: the rows it was fitted to and its
// split nodes, parents first.
type treeJSON struct {
	Train arrayRef          `json:"train"`
	Names map[string]string `json:"names"`
	Nodes []treeNodeJSON    `json:"nodes"`
}

type treeNodeJSON struct {
	Label     string     `json:"label"`
	Rows      arrayRef   `json:"rows"`
	UMAP      umapParams `json:"umap"`
	Embedding arrayRef   `json:"embedding"`
	HDBSCAN   hdbParams  `json:"hdbscan"`
}

type explainJSON struct {
	Features    []string        `json:"features"`
	Classifiers []classifierRef `json:"classifiers"`
}

type classifierRef struct {
	Label string `json:"label"`
	File  string `json:"file"`
}

func umapParamsOf(s umap.Settings) umapParams {
	return umapParams{
		NNeighbors: s.NNeighbors, NComponents: s.NComponents, MinDist: s.MinDist, Spread: s.Spread,
		Metric: string(s.Metric), NEpochs: s.NEpochs, LearningRate: s.LearningRate, Init: string(s.Init),
		NegativeSampleRate: s.NegativeSampleRate, RepulsionStrength: s.RepulsionStrength,
		LocalConnectivity: s.LocalConnectivity, SetOpMixRatio: s.SetOpMixRatio, A: s.A, B: s.B, Seed: s.Seed,
	}
}

func (u umapParams) settings() umap.Settings {
	return umap.Settings{
		NNeighbors: u.NNeighbors, NComponents: u.NComponents, MinDist: u.MinDist,
		Spread: u.Spread, Metric: knn.Metric(u.Metric), NEpochs: u.NEpochs,
		LearningRate: u.LearningRate, Init: umap.Init(u.Init), NegativeSampleRate: u.NegativeSampleRate,
		RepulsionStrength: u.RepulsionStrength, LocalConnectivity: u.LocalConnectivity,
		SetOpMixRatio: u.SetOpMixRatio, A: u.A, B: u.B, Seed: u.Seed,
	}
}

func hdbParamsOf(o hdbscan.Options) hdbParams {
	return hdbParams{
		MinClusterSize: o.MinClusterSize, MinSamples: o.MinSamples, ClusterSelectionMethod: string(o.ClusterSelectionMethod),
		ClusterSelectionEpsilon: o.ClusterSelectionEpsilon, AllowSingleCluster: o.AllowSingleCluster, Alpha: o.Alpha, Metric: string(o.Metric),
	}
}

func (h hdbParams) options() hdbscan.Options {
	return hdbscan.Options{
		Selection: hdbscan.Selection{
			MinClusterSize: h.MinClusterSize, ClusterSelectionMethod: hdbscan.SelectionMethod(h.ClusterSelectionMethod),
			ClusterSelectionEpsilon: h.ClusterSelectionEpsilon, AllowSingleCluster: h.AllowSingleCluster,
		},
		MinSamples: h.MinSamples, Alpha: h.Alpha, Metric: hdbscan.Metric(h.Metric),
	}
}

// Save writes the pipeline as a model file: a zip holding manifest.json,
// the arrays as .npy and the classifiers in XGBoost's JSON format.
func (p *Pipeline) Save(w io.Writer) error {
	if p.Clusters == nil && p.Tree == nil {
		return errors.New("pipeline: nothing to save: the pipeline has no clustering")
	}
	z := zip.NewWriter(w)
	put := func(name string, write func(io.Writer) error) error {
		// No modification time: the same model is the same bytes.
		fw, err := z.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Deflate})
		if err != nil {
			return err
		}
		return write(fw)
	}
	array := func(name string, v []float64, shape ...int) (*arrayRef, error) {
		ref := &arrayRef{File: "arrays/" + name + ".npy", Shape: shape}
		return ref, put(ref.File, func(w io.Writer) error { return WriteNPY(w, v, shape...) })
	}
	dense := func(name string, m *mat.Dense) (arrayRef, error) {
		r, c := m.Dims()
		ref, err := array(name, denseValues(m), r, c)
		return *ref, err
	}
	m := manifest{
		Format: Format, ReckonVersion: p.ReckonVersion,
		Lineage: p.Lineage, FittedOn: p.FittedOn, InputSchema: p.Schema, IDColumns: p.IDs,
		Steps: []stepJSON{}, FormatVersion: 1,
	}
	for i, s := range p.Steps {
		sj := stepJSON{Op: s.Op, Columns: s.Columns, Fills: s.Fills, Levels: s.Levels}
		if s.Op == "standardize" {
			var err error
			if sj.Mean, err = array(fmt.Sprintf("step%d_mean", i), s.Mean, len(s.Mean)); err != nil {
				return err
			}
			if sj.Scale, err = array(fmt.Sprintf("step%d_scale", i), s.Scale, len(s.Scale)); err != nil {
				return err
			}
		}
		m.Steps = append(m.Steps, sj)
	}
	if pm := p.PCA; pm != nil {
		k, d := pm.Components.Dims()
		pj := &pcaJSON{Whiten: pm.Whiten}
		var err error
		if pj.Components, err = dense("pca_components", pm.Components); err != nil {
			return err
		}
		ref, err := array("pca_mean", pm.Mean, d)
		if err != nil {
			return err
		}
		pj.Mean = *ref
		if ref, err = array("pca_explained_variance", pm.ExplainedVariance, k); err != nil {
			return err
		}
		pj.ExplainedVariance = *ref
		m.PCA = pj
	}
	if u := p.UMAP; u != nil {
		uj := &umapJSON{Params: umapParamsOf(u.Settings)}
		var err error
		if uj.Train, err = dense("umap_train", u.Train); err != nil {
			return err
		}
		if uj.Embedding, err = dense("umap_embedding", u.Embedding); err != nil {
			return err
		}
		m.UMAP = uj
	}
	if c := p.Clusters; c != nil {
		hj := &hdbJSON{Params: hdbParamsOf(c.Options), Names: c.Names}
		if hj.Names == nil {
			hj.Names = map[string]string{}
		}
		if p.UMAP != nil && mat.Equal(c.Points, p.UMAP.Embedding) {
			hj.Points = m.UMAP.Embedding // the embedding is what was clustered: store it once
		} else {
			var err error
			if hj.Points, err = dense("hdbscan_points", c.Points); err != nil {
				return err
			}
		}
		m.HDBSCAN = hj
	}
	if t := p.Tree; t != nil {
		m.FormatVersion = 2
		tj := &treeJSON{Names: t.Names, Nodes: []treeNodeJSON{}}
		if tj.Names == nil {
			tj.Names = map[string]string{}
		}
		var err error
		if p.UMAP != nil && mat.Equal(t.Train, p.UMAP.Embedding) {
			tj.Train = m.UMAP.Embedding
		} else if tj.Train, err = dense("tree_train", t.Train); err != nil {
			return err
		}
		for i, n := range t.Nodes {
			nj := treeNodeJSON{Label: n.Label, UMAP: umapParamsOf(n.UMAP), HDBSCAN: hdbParamsOf(n.Options)}
			nj.Rows = arrayRef{File: fmt.Sprintf("arrays/tree%d_rows.npy", i), Shape: []int{len(n.Rows)}}
			if err := put(nj.Rows.File, func(w io.Writer) error { return WriteNPYInts(w, n.Rows, len(n.Rows)) }); err != nil {
				return err
			}
			if nj.Embedding, err = dense(fmt.Sprintf("tree%d_embedding", i), n.Embedding); err != nil {
				return err
			}
			tj.Nodes = append(tj.Nodes, nj)
		}
		m.Tree = tj
	}
	if e := p.Explain; e != nil {
		ej := &explainJSON{Features: e.Features, Classifiers: []classifierRef{}}
		for k, label := range e.Labels {
			ref := classifierRef{Label: label, File: "classifiers/" + explain.ModelFile(label)}
			if err := put(ref.File, e.Models[k].WriteXGBoostJSON); err != nil {
				return err
			}
			ej.Classifiers = append(ej.Classifiers, ref)
		}
		m.Explain = ej
	}
	b, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return fmt.Errorf("pipeline: %w", err)
	}
	if err := put(ManifestName, func(w io.Writer) error { _, err := w.Write(append(b, '\n')); return err }); err != nil {
		return err
	}
	return z.Close()
}

func denseValues(m *mat.Dense) []float64 {
	r, c := m.Dims()
	v := make([]float64, 0, r*c)
	for i := range r {
		v = append(v, m.RawRowView(i)...)
	}
	return v
}

// Open loads the model file at path.
func Open(path string) (*Pipeline, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	p, err := Load(f, st.Size())
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return p, nil
}

// Load reads a model file of size bytes. It only reads data: nothing in
// the file is executed. A file of a newer format version, a truncated
// file and a manifest that does not match its arrays are each refused
// with an error saying so. The loaded pipeline rebuilds its UMAP model and
// condensed tree when first used (Restore).
func Load(r io.ReaderAt, size int64) (*Pipeline, error) {
	z, err := zip.NewReader(r, size)
	if err != nil {
		return nil, fmt.Errorf("not a Reckon model file, or a truncated one: %w", err)
	}
	files := map[string]*zip.File{}
	for _, f := range z.File {
		files[f.Name] = f
	}
	read := func(name string) ([]byte, error) {
		f, ok := files[name]
		if !ok {
			return nil, fmt.Errorf("the model file has no %s", name)
		}
		// Deflate expands at most about 1,032 times: a larger claim is a
		// damaged or hostile file, refused before anything is allocated.
		if f.UncompressedSize64 > maxEntry || f.UncompressedSize64 > 1100*f.CompressedSize64+1024 {
			return nil, fmt.Errorf("%s claims %d bytes, more than a model entry of its compressed size may hold: the file is damaged", name, f.UncompressedSize64)
		}
		rc, err := f.Open()
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		defer rc.Close()
		b, err := io.ReadAll(io.LimitReader(rc, int64(f.UncompressedSize64)+1))
		if err != nil {
			return nil, fmt.Errorf("%s is damaged or truncated: %w", name, err)
		}
		if uint64(len(b)) != f.UncompressedSize64 {
			return nil, fmt.Errorf("%s is damaged: its size is not the one the zip directory gives", name)
		}
		return b, nil
	}
	b, err := read(ManifestName)
	if err != nil {
		return nil, err
	}
	var m manifest
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, fmt.Errorf("%s is not valid JSON: %w", ManifestName, err)
	}
	switch {
	case m.Format != Format:
		return nil, fmt.Errorf("%s says format %q, not %q: this is not a Reckon model", ManifestName, m.Format, Format)
	case m.FormatVersion > FormatVersion:
		return nil, fmt.Errorf("the model file is format version %d, written by Reckon %s; this Reckon reads up to version %d: upgrade Reckon to load it", m.FormatVersion, m.ReckonVersion, FormatVersion)
	case m.FormatVersion < 1:
		return nil, fmt.Errorf("%s has no valid format_version", ManifestName)
	case (m.HDBSCAN == nil) == (m.Tree == nil):
		return nil, fmt.Errorf("%s must have one hdbscan or tree section, to assign clusters with", ManifestName)
	}
	array := func(ref arrayRef) ([]float64, error) {
		b, err := read(ref.File)
		if err != nil {
			return nil, err
		}
		v, shape, err := ReadNPY(bytes.NewReader(b), int64(len(b)))
		if err != nil {
			return nil, fmt.Errorf("%s: %w", ref.File, err)
		}
		if !slices.Equal(shape, ref.Shape) {
			return nil, fmt.Errorf("the manifest does not match its arrays: %s has shape %v, the manifest says %v", ref.File, shape, ref.Shape)
		}
		for _, x := range v {
			if math.IsNaN(x) || math.IsInf(x, 0) {
				return nil, fmt.Errorf("%s holds a NaN or infinite value", ref.File)
			}
		}
		return v, nil
	}
	dense := func(ref arrayRef, what string) (*mat.Dense, error) {
		if len(ref.Shape) != 2 || ref.Shape[0] < 1 || ref.Shape[1] < 1 {
			return nil, fmt.Errorf("the manifest gives %s the shape %v; it must be rows × columns", what, ref.Shape)
		}
		v, err := array(ref)
		if err != nil {
			return nil, err
		}
		return mat.NewDense(ref.Shape[0], ref.Shape[1], v), nil
	}
	p := &Pipeline{ReckonVersion: m.ReckonVersion, Lineage: m.Lineage, FittedOn: m.FittedOn, Schema: m.InputSchema, IDs: m.IDColumns}
	for i, sj := range m.Steps {
		s := Step{Op: sj.Op, Columns: sj.Columns, Levels: sj.Levels}
		switch sj.Op {
		case "select", "drop":
		case "impute":
			if len(sj.Fills) != len(sj.Columns) {
				return nil, fmt.Errorf("step %d (impute) has %d fill values for %d columns", i+1, len(sj.Fills), len(sj.Columns))
			}
			s.Fills = make([]any, len(sj.Fills))
			for k, v := range sj.Fills {
				switch v.(type) {
				case float64, string, bool:
					s.Fills[k] = v
				default:
					return nil, fmt.Errorf("step %d (impute): the fill value of column %q must be a number, text or a bool", i+1, sj.Columns[k])
				}
			}
		case "standardize":
			if sj.Mean == nil || sj.Scale == nil {
				return nil, fmt.Errorf("step %d (standardize) has no mean or scale array", i+1)
			}
			var err error
			if s.Mean, err = array(*sj.Mean); err != nil {
				return nil, err
			}
			if s.Scale, err = array(*sj.Scale); err != nil {
				return nil, err
			}
			if len(s.Mean) != len(sj.Columns) || len(s.Scale) != len(sj.Columns) {
				return nil, fmt.Errorf("the manifest does not match its arrays: step %d (standardize) has %d columns but %d means and %d scales", i+1, len(sj.Columns), len(s.Mean), len(s.Scale))
			}
		case "onehot":
			if len(sj.Levels) != len(sj.Columns) {
				return nil, fmt.Errorf("step %d (onehot) has levels for %d of its %d columns", i+1, len(sj.Levels), len(sj.Columns))
			}
		default:
			return nil, fmt.Errorf("step %d is %q, which this Reckon does not know", i+1, sj.Op)
		}
		p.Steps = append(p.Steps, s)
	}
	if pj := m.PCA; pj != nil {
		comp, err := dense(pj.Components, "pca's components")
		if err != nil {
			return nil, err
		}
		k, d := comp.Dims()
		if !slices.Equal(pj.Mean.Shape, []int{d}) || !slices.Equal(pj.ExplainedVariance.Shape, []int{k}) {
			return nil, fmt.Errorf("the manifest does not match its arrays: pca has %d × %d components but a mean of shape %v and variances of shape %v", k, d, pj.Mean.Shape, pj.ExplainedVariance.Shape)
		}
		pm := &pca.Model{Components: comp, Whiten: pj.Whiten}
		if pm.Mean, err = array(pj.Mean); err != nil {
			return nil, err
		}
		if pm.ExplainedVariance, err = array(pj.ExplainedVariance); err != nil {
			return nil, err
		}
		p.PCA = pm
	}
	if uj := m.UMAP; uj != nil {
		u := &UMAP{Settings: uj.Params.settings()}
		var err error
		if u.Train, err = dense(uj.Train, "umap's training rows"); err != nil {
			return nil, err
		}
		if u.Embedding, err = dense(uj.Embedding, "umap's embedding"); err != nil {
			return nil, err
		}
		if uj.Train.Shape[0] != uj.Embedding.Shape[0] {
			return nil, fmt.Errorf("the manifest does not match its arrays: umap has %d training rows but %d embedded", uj.Train.Shape[0], uj.Embedding.Shape[0])
		}
		p.UMAP = u
	}
	if hj := m.HDBSCAN; hj != nil {
		c := &Clusters{Names: hj.Names, Options: hj.Params.options()}
		var err error
		if c.Points, err = dense(hj.Points, "hdbscan's points"); err != nil {
			return nil, err
		}
		p.Clusters = c
	}
	if tj := m.Tree; tj != nil {
		t := &Tree{Names: tj.Names}
		var err error
		if t.Train, err = dense(tj.Train, "the tree's rows"); err != nil {
			return nil, err
		}
		seen := map[string]bool{}
		for i, nj := range tj.Nodes {
			if err := checkNodeLabel(i, nj.Label, seen); err != nil {
				return nil, err
			}
			n := &TreeNode{Label: nj.Label, UMAP: nj.UMAP.settings(), Options: nj.HDBSCAN.options()}
			rows, err := array(nj.Rows)
			if err != nil {
				return nil, err
			}
			if len(nj.Rows.Shape) != 1 {
				return nil, fmt.Errorf("the manifest gives the rows of tree node %d the shape %v; they must be a list", i, nj.Rows.Shape)
			}
			for _, r := range rows {
				if r != math.Trunc(r) || r < 0 || int(r) >= tj.Train.Shape[0] {
					return nil, fmt.Errorf("the manifest does not match its arrays: %s holds %v, not a row of the tree's %d", nj.Rows.File, r, tj.Train.Shape[0])
				}
				n.Rows = append(n.Rows, int(r))
			}
			if n.Embedding, err = dense(nj.Embedding, "a tree node's embedding"); err != nil {
				return nil, err
			}
			if nj.Embedding.Shape[0] != len(n.Rows) {
				return nil, fmt.Errorf("the manifest does not match its arrays: tree node %q has %d rows but %d embedded", nj.Label, len(n.Rows), nj.Embedding.Shape[0])
			}
			t.Nodes = append(t.Nodes, n)
		}
		if len(t.Nodes) == 0 {
			return nil, fmt.Errorf("%s has a tree without nodes", ManifestName)
		}
		p.Tree = t
	}
	if ej := m.Explain; ej != nil {
		e := &Explain{Features: ej.Features}
		for _, ref := range ej.Classifiers {
			b, err := read(ref.File)
			if err != nil {
				return nil, err
			}
			model, err := gbt.ReadXGBoostJSON(bytes.NewReader(b))
			if err != nil {
				return nil, fmt.Errorf("%s: %w", ref.File, err)
			}
			if model.NumFeatures != len(ej.Features) {
				return nil, fmt.Errorf("the manifest does not match its classifiers: %s reads %d features, the manifest lists %d", ref.File, model.NumFeatures, len(ej.Features))
			}
			e.Labels = append(e.Labels, ref.Label)
			e.Models = append(e.Models, model)
		}
		p.Explain = e
	}
	return p, nil
}

// Summary describes the pipeline in a few lines: what it was fitted on,
// its steps, its input schema and its clusters with their names.
func (p *Pipeline) Summary() string {
	var b strings.Builder
	version := 1
	if p.Tree != nil {
		version = 2
	}
	fmt.Fprintf(&b, "Reckon model (format %d, Reckon %s)\n", version, p.ReckonVersion)
	for _, s := range p.FittedOn {
		fmt.Fprintf(&b, "fitted on %s: %d rows, sha256 %s\n", s.Path, s.Rows, s.SHA256)
	}
	fmt.Fprintf(&b, "input: %s\n", p.SchemaText())
	if len(p.IDs) > 0 {
		fmt.Fprintf(&b, "ids passed through: %s\n", strings.Join(p.IDs, ", "))
	}
	var steps []string
	for _, s := range p.Steps {
		steps = append(steps, s.Op)
	}
	if p.PCA != nil {
		steps = append(steps, "pca")
	}
	if p.UMAP != nil {
		steps = append(steps, "umap")
	}
	if p.Tree != nil {
		steps = append(steps, "recurse")
	} else {
		steps = append(steps, "hdbscan")
	}
	if p.Explain != nil {
		steps = append(steps, "explain")
	}
	fmt.Fprintf(&b, "steps: %s\n", strings.Join(steps, " → "))
	var labels []string
	names := map[string]string{}
	if c := p.Clusters; c != nil && c.result != nil {
		for l := range c.result.NumClusters() {
			labels = append(labels, labelOf(l))
		}
		names = c.Names
	}
	if t := p.Tree; t != nil {
		labels, names = t.paths(), t.Names
	}
	for _, label := range labels {
		if name, ok := names[label]; ok {
			fmt.Fprintf(&b, "cluster %s: %s\n", label, name)
		} else {
			fmt.Fprintf(&b, "cluster %s\n", label)
		}
	}
	if len(p.Lineage) > 0 {
		fmt.Fprintf(&b, "lineage:\n  %s\n", strings.Join(p.Lineage, "\n  "))
	}
	return strings.TrimRight(b.String(), "\n")
}

// checkNodeLabel checks that the i-th node of a tree is labelled by a path
// whose parent came before it: the root "" first, then "3", "3.1".
func checkNodeLabel(i int, label string, seen map[string]bool) error {
	defer func() { seen[label] = true }()
	if i == 0 {
		if label != "" {
			return fmt.Errorf("the tree's first node is %q; it must be the top level, labelled \"\"", label)
		}
		return nil
	}
	parent, last := "", label
	if j := strings.LastIndexByte(label, '.'); j >= 0 {
		parent, last = label[:j], label[j+1:]
	}
	if k, err := strconv.Atoi(last); err != nil || k < 0 || strconv.Itoa(k) != last || seen[label] || !seen[parent] {
		return fmt.Errorf("tree node %d is labelled %q, which is not a new cluster of an earlier node", i+1, label)
	}
	return nil
}
