// Package umap embeds rows in a few dimensions by UMAP (McInnes, Healy and
// Melville 2018), following umap-learn: its parameters, its defaults and its
// steps, so that a umap-learn user gets what they expect.
//
// Fit finds each row's nearest neighbours (package knn), turns them into a
// fuzzy graph (each point's distances rescaled so that its nearest
// neighbour is at distance zero and its memberships sum to log2(k), then a
// fuzzy union of the local views), places the points by the leading
// eigenvectors of the graph's normalised Laplacian (a thick-restart Lanczos
// solver written here; PCA, or random placement without data, when the
// graph is disconnected or the solver fails, which Model.InitNote reports),
// and optimises the layout by stochastic gradient descent with negative
// sampling on the curve 1 / (1 + a d^2b), a and b fitted to min_dist and
// spread (1.577 and 0.895 by default). Transform places new rows into a
// fitted embedding the way umap-learn's transform does.
//
// umap-learn runs its optimisation single-threaded when seeded, because its
// parallel version races. Here a seeded run uses every core and still gives
// the same embedding bit for bit for any GOMAXPROCS: points are numbered
// along a Hilbert curve through their initial layout and cut into a fixed
// number of chunks; a goroutine moves only its chunk's points, in place and
// in umap-learn's order, reads the other chunks from a snapshot taken at
// the start of each epoch, and files the moves it owes them to be applied
// in a fixed order after the epoch (see layout.go). On MNIST this keeps
// umap-learn's quality (trustworthiness 0.955 at k=15 on the first 5,000 of
// 70,000 digits, 10-NN accuracy 0.968) at a fraction of its time.
//
// FitIndex reuses the neighbours of a knn.Index, so that a session that
// keeps indexes by knn.KeyOf can change min_dist, n_epochs or the seed
// without searching again; FitGraph embeds a neighbour graph alone.
package umap
