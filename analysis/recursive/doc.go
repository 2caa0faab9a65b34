// Package recursive is the zoom of the method Spotify published in 2023:
// embed the data with UMAP and cluster the embedding with HDBSCAN, then,
// inside every cluster, embed and cluster its own rows again — a fresh UMAP
// of the original features, so the structure within a cluster is not
// squeezed by the rest of the data — down to a chosen depth. Labels are
// paths: "3", "3.1", "3.2", with each level's noise as "3.noise". A branch
// stops, and says why, at the depth limit, when it has too few rows, or
// when HDBSCAN finds fewer than two sub-clusters in it. Independent
// branches run concurrently; every node draws its randomness from a seed
// derived from the run's seed and its label, so the tree does not depend on
// GOMAXPROCS or on the order in which branches finish.
package recursive
