// Package report writes the standalone report of a clustering for people
// who do not open notebooks: one HTML file that holds everything it shows.
// Images are PNG data URIs, the stylesheet is inline, and nothing is
// fetched from anywhere, so the file opens offline, can be mailed, and
// prints to a clean PDF (a print stylesheet keeps each cluster's card on
// one page where it fits).
//
// The report reads top to bottom as a stakeholder would: a summary of the
// data and of what was done, the pictures of the clusters, a card per
// cluster (its name, size, description in words, how stable and how
// explainable it is, what drives it, and example rows), and a method
// section with every command, parameter, seed and input file hash needed
// to reproduce it.
//
// The package knows nothing of the language: the caller fills a Report
// with plain values and display bundles.
package report
