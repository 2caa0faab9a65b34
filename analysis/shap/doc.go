// Package shap computes exact SHAP values of gradient-boosted trees: how
// much each feature moved one row's prediction away from the model's
// expected output.
//
// The values are those of path-dependent TreeSHAP (Lundberg, Erion and
// Lee, "Consistent individualized feature attribution for tree
// ensembles", 2018), which XGBoost's predict(pred_contribs=True) also
// computes: the value of a set of known features is the tree's expected
// output when the other features are integrated out along the tree's own
// training covers. They are exact Shapley values of that game, so for
// every row the values plus the expected value add up to the model's
// margin (log-odds) output, a feature no tree splits on gets zero, and two
// features that always agree share their credit.
//
// Rather than walking every path for every row (Lundberg's algorithm,
// O(L D²) per tree and row), each leaf's contributions are tabulated once
// per model for every pattern of which of its path's D features the row
// agrees with (2^D patterns, the idea of FastTreeSHAP v2 by Yang, 2022);
// a row then costs one pass over the tree and D multiply-adds per leaf.
// Trees too deep for the tables fall back to Lundberg's recursion. All
// arithmetic is float64, and rows are explained in parallel.
package shap
