// Package dsl is Reckon's analysis language: a cell is a few lines of
// assignments and calls, such as
//
//	tracks = load("tracks.csv")
//	emb    = umap(standardize(tracks), n_neighbors=15, seed=7)
//	hdbscan(emb, min_cluster_size=40)
//
// The lexer and parser locate every mistake by line and column; the
// evaluator runs statements in order against a Session whose variables
// survive any failing cell; and every command is declared once in a
// Registry, with its parameters, types, defaults and documentation, from
// which calls are checked and help(), completion, inspection and
// is_complete are all derived. An Interpreter serves a Session to the
// Jupyter kernel; `reckon run` drives a Session directly.
//
// Every value the session evaluates gets a Lineage beside it: the command,
// its arguments (defaults included) and the lineage of each input, down to
// literals and the files read, stamped with their size and SHA-256.
// NewScript writes a lineage back as the commands that make the value
// again; lineage(x) shows that script, and the report's method section is
// built from it.
package dsl
