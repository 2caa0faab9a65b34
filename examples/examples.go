// Package examples holds the example notebooks; the quickstart is built
// into the binary, for `reckon demo`.
package examples

import _ "embed"

// Quickstart is quickstart.ipynb: the whole method on the built-in tracks,
// ending with the report and the CSV exports, written to the notebook's
// folder.
//
//go:embed quickstart.ipynb
var Quickstart []byte
