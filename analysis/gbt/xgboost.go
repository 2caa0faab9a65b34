package gbt

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"
	"strconv"
)

// The structures below mirror XGBoost's JSON model format (version 1.7,
// gbtree booster, binary:logistic objective).

type xgbFile struct {
	Learner xgbLearner `json:"learner"`
	Version []int      `json:"version"`
}

type xgbLearner struct {
	Attributes        map[string]string `json:"attributes"`
	FeatureNames      []string          `json:"feature_names"`
	FeatureTypes      []string          `json:"feature_types"`
	GradientBooster   xgbBooster        `json:"gradient_booster"`
	LearnerModelParam map[string]string `json:"learner_model_param"`
	Objective         xgbObjective      `json:"objective"`
}

type xgbBooster struct {
	Model xgbGBTree `json:"model"`
	Name  string    `json:"name"`
}

type xgbGBTree struct {
	GBTreeModelParam map[string]string `json:"gbtree_model_param"`
	TreeInfo         []int             `json:"tree_info"`
	Trees            []xgbTree         `json:"trees"`
}

type xgbObjective struct {
	Name         string            `json:"name"`
	RegLossParam map[string]string `json:"reg_loss_param"`
}

type xgbTree struct {
	BaseWeights        []xgbFloat        `json:"base_weights"`
	Categories         []int             `json:"categories"`
	CategoriesNodes    []int             `json:"categories_nodes"`
	CategoriesSegments []int             `json:"categories_segments"`
	CategoriesSizes    []int             `json:"categories_sizes"`
	DefaultLeft        []xgbBool         `json:"default_left"`
	ID                 int               `json:"id"`
	LeftChildren       []int             `json:"left_children"`
	LossChanges        []xgbFloat        `json:"loss_changes"`
	Parents            []int             `json:"parents"`
	RightChildren      []int             `json:"right_children"`
	SplitConditions    []xgbFloat        `json:"split_conditions"`
	SplitIndices       []int             `json:"split_indices"`
	SplitType          []int             `json:"split_type"`
	SumHessian         []xgbFloat        `json:"sum_hessian"`
	TreeParam          map[string]string `json:"tree_param"`
}

// xgbFloat is a float32 written the shortest way that reads back exactly,
// always with a decimal point or exponent: XGBoost's reader tells floats
// from integers by their spelling.
type xgbFloat float32

func (f xgbFloat) MarshalJSON() ([]byte, error) {
	v := float64(f)
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return nil, fmt.Errorf("gbt: cannot write %v to an XGBoost model", v)
	}
	b := strconv.AppendFloat(nil, v, 'g', -1, 32)
	for _, c := range b {
		if c == '.' || c == 'e' {
			return b, nil
		}
	}
	return append(b, '.', '0'), nil
}

func (f *xgbFloat) UnmarshalJSON(b []byte) error {
	v, err := strconv.ParseFloat(string(b), 32)
	if err != nil {
		return fmt.Errorf("gbt: %q is not a number", b)
	}
	*f = xgbFloat(v)
	return nil
}

// xgbBool is written as 0 or 1 (XGBoost 1.7) and read from either those
// or true and false (later versions).
type xgbBool bool

func (b xgbBool) MarshalJSON() ([]byte, error) {
	if b {
		return []byte("1"), nil
	}
	return []byte("0"), nil
}

func (b *xgbBool) UnmarshalJSON(s []byte) error {
	switch string(s) {
	case "1", "true":
		*b = true
	case "0", "false":
		*b = false
	default:
		return fmt.Errorf("gbt: %q is not a boolean", s)
	}
	return nil
}

// formatParam spells a number the way XGBoost stores parameters: as a
// string.
func formatParam(v float64) string { return strconv.FormatFloat(v, 'g', -1, 32) }

// WriteXGBoostJSON writes the model in XGBoost's JSON model format, which
// XGBoost (1.7 and later) loads with Booster.load_model and from which it
// predicts what PredictMargin does, up to XGBoost's float32 summation.
func (m *Model) WriteXGBoostJSON(w io.Writer) error {
	if err := m.Validate(); err != nil {
		return err
	}
	nf := strconv.Itoa(m.NumFeatures)
	f := xgbFile{
		Version: []int{1, 7, 0},
		Learner: xgbLearner{
			Attributes:   map[string]string{},
			FeatureNames: []string{},
			FeatureTypes: []string{},
			GradientBooster: xgbBooster{
				Name: "gbtree",
				Model: xgbGBTree{
					GBTreeModelParam: map[string]string{
						"num_parallel_tree": "1",
						"num_trees":         strconv.Itoa(len(m.Trees)),
						"size_leaf_vector":  "0",
					},
					TreeInfo: make([]int, len(m.Trees)),
					Trees:    make([]xgbTree, len(m.Trees)),
				},
			},
			LearnerModelParam: map[string]string{
				"base_score":         formatParam(m.BaseScore),
				"boost_from_average": "1",
				"num_class":          "0",
				"num_feature":        nf,
				"num_target":         "1",
			},
			Objective: xgbObjective{
				Name:         "binary:logistic",
				RegLossParam: map[string]string{"scale_pos_weight": "1"},
			},
		},
	}
	if len(m.FeatureNames) == m.NumFeatures {
		f.Learner.FeatureNames = m.FeatureNames
		f.Learner.FeatureTypes = make([]string, m.NumFeatures)
		for i := range f.Learner.FeatureTypes {
			f.Learner.FeatureTypes[i] = "float"
		}
	}
	for t, tree := range m.Trees {
		n := len(tree.Nodes)
		x := xgbTree{
			BaseWeights:        make([]xgbFloat, n),
			Categories:         []int{},
			CategoriesNodes:    []int{},
			CategoriesSegments: []int{},
			CategoriesSizes:    []int{},
			DefaultLeft:        make([]xgbBool, n),
			ID:                 t,
			LeftChildren:       make([]int, n),
			LossChanges:        make([]xgbFloat, n),
			Parents:            make([]int, n),
			RightChildren:      make([]int, n),
			SplitConditions:    make([]xgbFloat, n),
			SplitIndices:       make([]int, n),
			SplitType:          make([]int, n),
			SumHessian:         make([]xgbFloat, n),
			TreeParam: map[string]string{
				"num_deleted":      "0",
				"num_feature":      nf,
				"num_nodes":        strconv.Itoa(n),
				"size_leaf_vector": "0",
			},
		}
		x.Parents[0] = math.MaxInt32
		for i, nd := range tree.Nodes {
			x.BaseWeights[i] = xgbFloat(nd.Value)
			x.SumHessian[i] = xgbFloat(nd.Cover)
			x.LeftChildren[i], x.RightChildren[i] = int(nd.Left), int(nd.Right)
			if nd.IsLeaf() {
				x.SplitConditions[i] = xgbFloat(nd.Value)
				continue
			}
			x.Parents[nd.Left], x.Parents[nd.Right] = i, i
			x.SplitConditions[i] = xgbFloat(nd.Threshold)
			x.SplitIndices[i] = int(nd.Feature)
			x.DefaultLeft[i] = xgbBool(nd.DefaultLeft)
			x.LossChanges[i] = xgbFloat(nd.Gain)
		}
		f.Learner.GradientBooster.Model.Trees[t] = x
	}
	bw := bufio.NewWriter(w)
	if err := json.NewEncoder(bw).Encode(&f); err != nil {
		return fmt.Errorf("gbt: writing the XGBoost model: %w", err)
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("gbt: writing the XGBoost model: %w", err)
	}
	return nil
}

// SaveXGBoost writes the model to the file at path in XGBoost's JSON model
// format (see WriteXGBoostJSON); by XGBoost's convention the name should
// end in ".json".
func (m *Model) SaveXGBoost(path string) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("gbt: %w", err)
	}
	defer func() {
		if cerr := f.Close(); err == nil && cerr != nil {
			err = fmt.Errorf("gbt: %w", cerr)
		}
	}()
	return m.WriteXGBoostJSON(f)
}

// ReadXGBoostJSON reads a model in XGBoost's JSON model format, as
// Booster.save_model writes it. Only gbtree models of the binary:logistic
// objective with numerical splits are supported.
func ReadXGBoostJSON(r io.Reader) (*Model, error) {
	var f xgbFile
	if err := json.NewDecoder(r).Decode(&f); err != nil {
		return nil, fmt.Errorf("gbt: reading an XGBoost model: %w", err)
	}
	l := &f.Learner
	if l.Objective.Name != "binary:logistic" {
		return nil, fmt.Errorf("gbt: the XGBoost model's objective is %q; only binary:logistic is supported", l.Objective.Name)
	}
	if l.GradientBooster.Name != "gbtree" {
		return nil, fmt.Errorf("gbt: the XGBoost model's booster is %q; only gbtree is supported", l.GradientBooster.Name)
	}
	param := func(m map[string]string, key, def string) (float64, error) {
		s, ok := m[key]
		if !ok {
			s = def
		}
		v, err := strconv.ParseFloat(s, 64)
		if err != nil {
			return 0, fmt.Errorf("gbt: the XGBoost model's %s %q is not a number", key, s)
		}
		return v, nil
	}
	base, err := param(l.LearnerModelParam, "base_score", "0.5")
	if err != nil {
		return nil, err
	}
	nf, err := param(l.LearnerModelParam, "num_feature", "")
	if err != nil {
		return nil, err
	}
	nc, err := param(l.LearnerModelParam, "num_class", "0")
	if err != nil {
		return nil, err
	}
	if nc > 1 {
		return nil, fmt.Errorf("gbt: the XGBoost model has %v classes; only binary models are supported", nc)
	}
	npt, err := param(l.GradientBooster.Model.GBTreeModelParam, "num_parallel_tree", "1")
	if err != nil {
		return nil, err
	}
	if npt != 1 {
		return nil, fmt.Errorf("gbt: the XGBoost model grows %v trees per round; only 1 is supported", npt)
	}
	m := &Model{NumFeatures: int(nf), BaseScore: base}
	if len(l.FeatureNames) > 0 {
		m.FeatureNames = l.FeatureNames
	}
	for t, x := range l.GradientBooster.Model.Trees {
		n := len(x.LeftChildren)
		for name, k := range map[string]int{
			"right_children": len(x.RightChildren), "split_conditions": len(x.SplitConditions),
			"split_indices": len(x.SplitIndices), "default_left": len(x.DefaultLeft),
			"sum_hessian": len(x.SumHessian), "base_weights": len(x.BaseWeights),
		} {
			if k != n {
				return nil, fmt.Errorf("gbt: tree %d of the XGBoost model has %d left_children but %d %s", t, n, k, name)
			}
		}
		for i, st := range x.SplitType {
			if st != 0 && x.LeftChildren[i] >= 0 {
				return nil, fmt.Errorf("gbt: tree %d of the XGBoost model has a categorical split; only numerical splits are supported", t)
			}
		}
		tree := Tree{Nodes: make([]Node, n)}
		for i := range tree.Nodes {
			nd := Node{
				Left: int32(x.LeftChildren[i]), Right: int32(x.RightChildren[i]),
				Cover: float64(x.SumHessian[i]),
			}
			if nd.Left < 0 {
				nd.Left, nd.Right = -1, -1
				nd.Value = float32(x.SplitConditions[i])
			} else {
				nd.Feature = int32(x.SplitIndices[i])
				nd.Threshold = float32(x.SplitConditions[i])
				nd.DefaultLeft = bool(x.DefaultLeft[i])
				nd.Value = float32(x.BaseWeights[i])
				if i < len(x.LossChanges) {
					nd.Gain = float64(x.LossChanges[i])
				}
			}
			tree.Nodes[i] = nd
		}
		m.Trees = append(m.Trees, tree)
	}
	if err := m.Validate(); err != nil {
		return nil, fmt.Errorf("gbt: the XGBoost model is malformed: %w", err)
	}
	return m, nil
}
