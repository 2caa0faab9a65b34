// Package explain is the numeric core of the explain command: for every
// cluster of a clustering it trains a gradient-boosted classifier that
// tells the cluster's members from the other rows, on the original
// features, measures by stratified cross-validation how well it does
// (the ROC AUC: how separable, hence how explainable, the cluster is),
// and explains its members with TreeSHAP, so that each feature gets a
// weight (its mean absolute SHAP value) and a direction (whether high or
// low values push rows into the cluster).
//
// Clusters are named by labels, one per row, that are dot-separated paths:
// a flat clustering labels rows "0", "1", ... and "noise" (FlatLabels
// converts HDBSCAN's integers), a recursive one "3", "3.1", "3.1.0",
// "3.noise". Every prefix of a path is a cluster, so a row labelled "3.1"
// is a member of both "3" and "3.1". Noise is contrasted with the
// clusters but not explained unless asked. A cluster can be told apart
// from its siblings (the other rows of its parent) or from the whole data.
//
// Features are numbers, NaN for a missing value (the trees learn where
// missing values go, as XGBoost's do). Categorical columns must be encoded
// before, one-hot or as codes (which the trees then treat as ordered). A
// constant feature is never split on: its SHAP values are zero, its
// direction undefined (0).
//
// The results export for use elsewhere: the SHAP values as CSV, and each
// cluster's model in XGBoost's JSON format.
package explain
