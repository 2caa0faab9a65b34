// Package knn finds the k nearest neighbours of every row of a dense
// matrix: the neighbour graph on which UMAP (and anything else that needs
// local structure) is built.
//
// Below ExactLimit rows it compares every pair; above, it runs
// nearest-neighbour descent as pynndescent does: a forest of random
// projection trees proposes rows that share a leaf as first neighbours, and
// descent iterations then introduce the neighbours of each row to each
// other until the graph stops improving. Settings carry umap-learn's
// choices (n_trees, n_iters, max_candidates 60), which reach a recall
// above 0.98 on MNIST. The result is a Graph in umap-learn's layout: each
// row lists itself first, then its neighbours by increasing distance. An
// Index keeps the rows so that new points can be searched against the
// graph, as umap-learn's transform needs.
//
// Distances are computed in float32 by kernels written in AVX2 assembly on
// amd64 (with a portable Go version elsewhere): the squared Euclidean,
// Manhattan and dot-product loops of 784-dimensional rows run about ten
// times faster than scalar Go. Rows are padded to a multiple of eight
// values; cosine and correlation rows are stored centred and normalised so
// that both reduce to one dot product.
//
// Work is split into fixed chunks whose boundaries do not depend on
// GOMAXPROCS, every random stream is derived from the seed and the piece of
// work it serves, and updates are applied in a fixed order, so the same
// seed gives the same graph bit for bit on any number of cores. Key hashes
// the data and the settings so that a session can keep graphs and reuse
// them when only later steps change.
package knn
