// Package gbt trains gradient-boosted decision trees for binary
// classification the way XGBoost's "hist" method does, with its parameter
// names and defaults, and exports them in XGBoost's JSON model format.
//
// Training follows XGBoost 1.7 (objective binary:logistic): every feature
// is cut once into at most max_bin quantile bins (every distinct value its
// own bin when there are fewer), each round fits one tree depth-wise to the
// second-order expansion of the log-loss, a split's loss change is
// G_L²/(H_L+λ) + G_R²/(H_R+λ) - G²/(H+λ) (as in XGBoost's code: the paper's
// ½ and γ enter through min_split_loss) and a leaf's weight is -G/(H+λ)
// times the learning rate. Each node tries the bins of every feature with
// missing values sent right and, when it has missing values, sent left,
// and keeps the direction that gains more. Only the smaller child of a
// split has its histogram built from its rows; the larger one's is the
// parent's minus it. When every feature has fewer distinct values than
// max_bin, both see the same bins, and the tests check that the trees are
// then XGBoost's own, split for split.
//
// Two choices differ from XGBoost and make the work parallel without
// making it nondeterministic. Gradients are summed as 64-bit fixed-point
// integers (scaled per round so that no sum can overflow, with a
// resolution near 1e-18 of the total), so histograms come out the same in
// any order of summation and subtraction is exact; the trees depend on the
// seed and the data only, never on GOMAXPROCS. And rows are stored
// sparsely by feature block, skipping each feature's most frequent bin,
// and are moved along with every split, so that building a histogram
// reads memory in order.
//
// A Model predicts margins (log-odds) and probabilities, and its Trees
// carry the covers that TreeSHAP (package shap) needs. WriteXGBoostJSON
// writes a file that XGBoost's Booster.load_model reads and predicts from
// exactly as this package does; ReadXGBoostJSON reads XGBoost's own.
package gbt
