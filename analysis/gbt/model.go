package gbt

import (
	"context"
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"

	"github.com/reckon-dev/reckon/analysis/internal/par"
)

// Node is one node of a regression tree. A leaf has Left == Right == -1.
type Node struct {
	// Left and Right are the indices of the children in Tree.Nodes; -1
	// for a leaf.
	Left, Right int32
	// Feature is the column the node splits on.
	Feature int32
	// Threshold: a row goes left when float32(x[Feature]) < Threshold.
	Threshold float32
	// DefaultLeft tells where a row whose x[Feature] is missing (NaN) goes.
	DefaultLeft bool
	// Value is a leaf's output, learning rate applied. An inner node holds
	// what XGBoost records as its base weight, -G/(H+lambda) without the
	// learning rate; nothing here uses it.
	Value float32
	// Cover is the sum of the hessians of the training rows that reached
	// the node (XGBoost's sum_hessian, "cover"); TreeSHAP weighs the
	// branches by it.
	Cover float64
	// Gain is the loss reduction of the split, 0 for a leaf.
	Gain float64
}

// IsLeaf reports whether the node is a leaf.
func (n *Node) IsLeaf() bool { return n.Left < 0 }

// Next returns the child a row with value v (NaN when missing) of the
// node's feature goes to.
func (n *Node) Next(v float64) int {
	if math.IsNaN(v) {
		if n.DefaultLeft {
			return int(n.Left)
		}
		return int(n.Right)
	}
	if float32(v) < n.Threshold {
		return int(n.Left)
	}
	return int(n.Right)
}

// Tree is a binary regression tree; Nodes[0] is the root.
type Tree struct {
	Nodes []Node
}

// Leaf returns the index of the leaf that row x (one value per feature,
// NaN when missing) falls into.
func (t *Tree) Leaf(x []float64) int {
	i := 0
	for {
		n := &t.Nodes[i]
		if n.Left < 0 {
			return i
		}
		i = n.Next(x[n.Feature])
	}
}

// Model is a boosted ensemble for binary classification (XGBoost's
// binary:logistic): the margin of a row is BaseMargin plus the sum over the
// trees of the value of the leaf the row falls into, and its probability
// of the positive class is the logistic sigmoid of the margin.
type Model struct {
	Trees       []Tree
	NumFeatures int
	// BaseScore is base_score, the probability every row starts from.
	BaseScore float64
	// FeatureNames, when it has NumFeatures entries, names the columns in
	// exported models.
	FeatureNames []string
}

// BaseMargin is BaseScore on the margin (log-odds) scale.
func (m *Model) BaseMargin() float64 {
	return math.Log(m.BaseScore / (1 - m.BaseScore))
}

// Validate checks that the model is well formed: a probability for
// BaseScore, trees without cycles or shared nodes, features in range,
// finite values and positive covers on every inner node. Models from Train and
// ReadXGBoostJSON always are; Validate guards hand-made ones.
func (m *Model) Validate() error {
	if m == nil {
		return fmt.Errorf("gbt: the model is missing")
	}
	if m.NumFeatures <= 0 {
		return fmt.Errorf("gbt: the model has %d features", m.NumFeatures)
	}
	if !(m.BaseScore > 0 && m.BaseScore < 1) {
		return fmt.Errorf("gbt: the model's base_score %v is not a probability strictly between 0 and 1", m.BaseScore)
	}
	if m.FeatureNames != nil && len(m.FeatureNames) != m.NumFeatures {
		return fmt.Errorf("gbt: the model names %d features but has %d", len(m.FeatureNames), m.NumFeatures)
	}
	for t := range m.Trees {
		if err := m.Trees[t].validate(m.NumFeatures); err != nil {
			return fmt.Errorf("gbt: tree %d %w", t, err)
		}
	}
	return nil
}

// validate checks the nodes reachable from the root: a tree without
// cycles or shared nodes, features in range, finite values and positive
// covers where TreeSHAP divides by them.
func (t *Tree) validate(numFeatures int) error {
	nodes := t.Nodes
	if len(nodes) == 0 {
		return fmt.Errorf("has no nodes")
	}
	seen := make([]bool, len(nodes))
	stack := []int32{0}
	seen[0] = true
	for len(stack) > 0 {
		i := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		n := &nodes[i]
		if math.IsNaN(float64(n.Value)) || math.IsInf(float64(n.Value), 0) {
			return fmt.Errorf("node %d has value %v", i, n.Value)
		}
		if (n.Left < 0) != (n.Right < 0) {
			return fmt.Errorf("node %d has one child only", i)
		}
		if n.Left < 0 {
			continue
		}
		if n.Feature < 0 || int(n.Feature) >= numFeatures {
			return fmt.Errorf("node %d splits on feature %d of %d", i, n.Feature, numFeatures)
		}
		if !(n.Cover > 0) {
			return fmt.Errorf("node %d has cover %v; inner nodes need a positive cover", i, n.Cover)
		}
		if math.IsNaN(float64(n.Threshold)) {
			return fmt.Errorf("node %d has threshold NaN", i)
		}
		for _, c := range []int32{n.Left, n.Right} {
			if int(c) >= len(nodes) || seen[c] {
				return fmt.Errorf("node %d has child %d, which is out of range or reached twice", i, c)
			}
			seen[c] = true
			stack = append(stack, c)
		}
	}
	return nil
}

// PredictMargin returns the margin (log-odds) of every row of X, summed in
// float64. XGBoost sums the same float32 leaf values in float32, so its
// output_margin differs from this by float32 rounding only.
func (m *Model) PredictMargin(ctx context.Context, X *mat.Dense) ([]float64, error) {
	if err := m.Validate(); err != nil {
		return nil, err
	}
	if X == nil {
		return nil, fmt.Errorf("gbt: the feature matrix is missing")
	}
	n, d := X.Dims()
	if d != m.NumFeatures {
		return nil, fmt.Errorf("gbt: the matrix has %d columns but the model was trained on %d features", d, m.NumFeatures)
	}
	out := make([]float64, n)
	base := m.BaseMargin()
	err := par.For(ctx, n, 256, func(_, lo, hi int) {
		for i := lo; i < hi; i++ {
			x := X.RawRowView(i)
			s := base
			for t := range m.Trees {
				tr := &m.Trees[t]
				s += float64(tr.Nodes[tr.Leaf(x)].Value)
			}
			out[i] = s
		}
	})
	if err != nil {
		return nil, fmt.Errorf("gbt: prediction stopped: %w", err)
	}
	return out, nil
}

// PredictProba returns every row's probability of the positive class.
func (m *Model) PredictProba(ctx context.Context, X *mat.Dense) ([]float64, error) {
	out, err := m.PredictMargin(ctx, X)
	if err != nil {
		return nil, err
	}
	for i, v := range out {
		out[i] = sigmoid(v)
	}
	return out, nil
}

func sigmoid(x float64) float64 { return 1 / (1 + math.Exp(-x)) }
