// Package distance holds the squared euclidean distance that HDBSCAN,
// k-means and UMAP's layout all measure with, so that the three agree to
// the bit on the same rows.
package distance
