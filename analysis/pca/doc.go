// Package pca is principal component analysis as scikit-learn's PCA does
// it: the data are centred, their singular value decomposition gives the
// principal axes (components), and each axis reports the variance it
// explains and that variance's share of the total. Small problems take
// gonum's full SVD; large ones take a randomized SVD (Halko, Martinsson and
// Tropp 2011, as in scikit-learn's randomized solver): a Gaussian sketch
// with oversampling, a few power iterations to sharpen it, and an exact SVD
// of the small projected matrix. The products with the data dominate the
// cost, so they run on register-blocked assembly kernels over all cores in
// fixed chunks, which keeps a seeded fit identical for any GOMAXPROCS. A
// fitted Model projects new rows onto the same axes. StreamScores is the
// lean variant UMAP starts from: it reads float32 rows one at a time and
// gives their scores without holding the data as a matrix.
package pca
