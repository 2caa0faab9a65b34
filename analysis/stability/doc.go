// Package stability measures whether clusters are real: it re-runs a
// clustering (optionally with its UMAP embedding) several times, each time
// with the rows in another order and another seed, and compares the runs
// with the adjusted Rand index and adjusted mutual information, and each
// cluster of the first run with its best match in every other run (Jaccard
// recovery). Clusters that come back run after run are the ones to show
// stakeholders; clusters that dissolve are artefacts of one seed.
package stability
