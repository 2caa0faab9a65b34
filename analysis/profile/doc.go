// Package profile describes clusters in the terms of the original table:
// for every cluster, what sets its rows apart from the rows it is
// compared with, column by column, numeric and categorical alike, whether
// or not the column was used for clustering.
//
// A numeric column is summarised by the cluster's mean beside the mean of
// the rest and by Cohen's d, the difference of the two means divided by
// their pooled standard deviation (each side's variance with n−1, pooled
// by degrees of freedom): 0.2 is a small difference, 0.5 a medium one,
// 0.8 a large one. A categorical (or boolean) column is summarised by the
// values over-represented in the cluster: each value's share among the
// cluster's rows beside its share among all the rows compared (the
// cluster and the rest together). Missing values are left out of both
// means and shares, as pandas' mean and value_counts leave them out: a
// missing value is never a category.
//
// Clusters are named by row labels that are dot-separated paths, as
// package explain reads them ("3", "3.1", "3.noise"). A top-level cluster
// is compared with every other row; by default a nested cluster such as
// "3.1" is compared with its siblings, the other rows of "3", because
// what it shares with them is what made "3" and is already said there
// (Settings.Against chooses the whole data instead). Noise is not
// profiled, but its rows count among the rest.
//
// Columns that identify rows rather than describe them are skipped: a
// categorical column whose every value differs, and a numeric column of
// whole numbers, none missing, every one different, that either count
// the rows (consecutive numbers) or sit in a column named like an id
// ("id", "track_id", "userId").
//
// Line renders a cluster as one line of plain words, for example
//
//	3 · 240 tracks (18%) · high instrumentalness (0.82 vs 0.31), low acousticness (0.05 vs 0.42) · 91% classical (vs 17%)
package profile
