// Package display turns results into MIME bundles, the currency of Jupyter
// outputs. Every bundle carries text/plain, so that a notebook read in a
// terminal, on GitHub or through nbconvert still says something; richer
// forms (HTML tables, PNG and SVG plots, progress bars) are added where they
// help. The package renders; it does not compute and it does not send.
package display
