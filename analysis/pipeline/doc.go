// Package pipeline applies a fitted clustering to new rows, and saves and
// loads it as a model file.
//
// A Pipeline is what a session learned on its way from a raw table to its
// clusters: the table transforms with the statistics they learned
// (select/drop, impute's fill values, standardize's means and scales,
// onehot's categories), the UMAP model, the HDBSCAN clustering (for
// approximate_predict) and the per-cluster classifiers of explain. Assign
// runs new rows through it with those statistics, never the new rows' own,
// and gives each row its cluster, the cluster's name, the membership
// probability and the three features with the largest SHAP values under
// its cluster's classifier.
//
// Save writes the model file, a zip of manifest.json, arrays in numpy's
// .npy format and classifiers in XGBoost's JSON format
// (docs/model-format.md). Load reads it back, executing nothing from the
// file; the UMAP model's neighbour index and HDBSCAN's condensed tree are
// recomputed from the stored arrays, deterministically, so a loaded model
// assigns the same bytes as the model it was saved from.
package pipeline
