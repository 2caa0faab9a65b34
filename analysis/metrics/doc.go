// Package metrics scores embeddings and clusterings, so that a user can say
// how good a result is and how much to trust it.
//
// For clusterings: AdjustedRandIndex and AdjustedMutualInfo compare two
// labellings of the same rows (a run against another run, or against known
// classes), both 1 for identical partitions and about 0 for unrelated ones;
// Silhouette scores how well a labelling separates the rows of a matrix;
// JaccardRecovery tells, for every cluster of a reference labelling, how
// well another labelling recovers it (the per-cluster stability that
// Hennig's bootstrap reports). For embeddings: Trustworthiness measures how
// far an embedding keeps neighbourhoods, KNNAccuracy how well its
// neighbours predict known classes, and ROCAUC scores a classifier.
//
// The values are scikit-learn's (adjusted_rand_score,
// adjusted_mutual_info_score with arithmetic normalisation and the exact
// expected mutual information, silhouette_score, trustworthiness,
// roc_auc_score) and the tests check them against it. In cluster labels -1
// means noise. AdjustedRandIndex, AdjustedMutualInfo and Silhouette treat it
// as scikit-learn does, as one more label: noise counts as a cluster of its
// own. Drop the noise rows first to score only the clusters.
// JaccardRecovery ignores noise as a cluster on either side.
package metrics
