// Package vegalite builds the interactive twins of Reckon's plots: Vega-Lite
// specs that JupyterLab draws in place of the PNG, with tooltips, pan and
// zoom, a legend that highlights a cluster when clicked, and, for explore,
// a slider that recolours the points by one of several clusterings.
//
// A spec goes into a bundle under MIME, application/vnd.vegalite.v4+json,
// beside the PNG and the text: JupyterLab 3.6 draws Vega-Lite 3 and 4 only
// and JupyterLab 4 draws 4 and 5, so the specs use only what both versions
// compile (the v4 "selection" syntax, which Vega-Lite 5 still reads), and
// testdata/compile.mjs checks that with the vega-lite 4 and 5 packages.
// Readers that do not run JavaScript (GitHub, nbconvert's HTML, untrusted
// notebooks) show the PNG.
//
// Points travel compactly: one data row holding a column array per field,
// spread into rows by a flatten transform, numbers rounded to a thousandth
// of their range (what the eye can tell apart on a 700-pixel plot), labels
// as indexes into a list the spec looks up. A 70,000-point embedding with
// clusters, probabilities, an id and five tooltip columns takes about 4 MB;
// BenchmarkScatterBytes measures the cost per 10,000 points. Above
// MaxPoints the spec carries a seeded sample and its title says so.
package vegalite
