// Package kmeans partitions the rows of a matrix into k clusters by
// k-means, the baseline users compare density-based clustering with: it
// puts every row in some cluster, favours round clusters of similar spread,
// and needs k up front.
//
// It follows scikit-learn's KMeans (Lloyd's algorithm): greedy k-means++
// starts (each centre the best of 2+ln(k) draws proportional to squared
// distance), n_init runs keeping the one of least inertia, iterations until
// no label changes or the centres move less than tol times the mean feature
// variance, and empty clusters refilled with the rows farthest from their
// centres. Randomness comes only from Options.Seed, and the row sums are
// reduced in a fixed order, so a seed gives the same clustering for any
// GOMAXPROCS. The random draws are Go's, not NumPy's: a seed does not give
// the centres scikit-learn would pick, but from the same starting centres
// (Options.Init) the iterations are scikit-learn's.
package kmeans
