// Package hdbscan clusters the rows of a matrix with HDBSCAN*, following the
// scikit-learn-contrib hdbscan library exactly (with approx_min_span_tree
// off): same parameters, defaults and answers.
//
// A row's core distance is the distance to its min_samples-th nearest
// neighbour; the mutual-reachability distance of two rows is the largest of
// their core distances and their distance (divided by alpha). Fit builds
// the minimum spanning tree of that graph — by Borůvka's algorithm over a
// k-d tree in up to 60 dimensions, by Prim's algorithm above, both exact,
// with memory linear in the rows (no distance matrix; Borůvka also keeps
// each row's min_samples nearest neighbours when they fit in 128 MB) — and
// from it the single-linkage tree. Cutting that tree at every density
// lambda = 1/distance, and treating splits that shed fewer than
// min_cluster_size rows as rows falling out of a cluster, gives the
// condensed tree. Flat clusters are read off it by excess of mass (the
// most stable clusters) or as its leaves, optionally merged below
// cluster_selection_epsilon; rows in no selected cluster are noise (-1).
// Every row also gets a membership probability and a GLOSH outlier score.
//
// The hierarchy is kept on the Result: Recluster re-selects with another
// min_cluster_size, method or epsilon in milliseconds, and
// ApproximatePredict places new points in the clustering.
//
// Equal distances are broken by the rank of the rows in lexicographic order
// of their values, so the spanning tree is unique: the result does not
// depend on the order of the rows (unless rows are exact duplicates), on
// GOMAXPROCS, or on which spanning-tree algorithm ran. The library breaks
// such ties arbitrarily, so results can differ from it only where
// mutual-reachability distances tie exactly. Where the library's code
// departs from its documentation, this package follows the code: min_samples
// does not count the row itself, and prediction uses the library's own,
// different core distances (see ApproximatePredict). Alpha divides
// distances as documented (the library's Borůvka code divides squared
// distances by it, a bug not reproduced), and GLOSH scores compare a row
// with the densest point of its cluster's whole subtree, as the library
// does since its 2025 fix.
package hdbscan
