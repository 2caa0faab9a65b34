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
// clusters, probabilities, an id and five tooltip columns takes about 4 MB
// (5.5 MB with its PNG, BenchmarkPlotNotebookBytes in dsl);
// BenchmarkScatterBytes measures the cost per 10,000 points. Above
// MaxPoints the spec carries a seeded sample and its title says so.
//
// The standalone report (display/report) stays static, with the PNGs: it
// is for people who do not open notebooks, and is mailed and printed to
// PDF, where a script draws nothing. Inlining Vega 5.30 (515 KB
// minified), Vega-Lite (268 KB for 4.17, 250 KB for 5.21) and vega-embed 6 (61 KB)
// would add about 0.8 MB of vendored scripts to every report and to the
// binary that embeds them, and the data of a 70,000-point scatter 4 MB
// more, where its PNG takes 0.5 MB.
package vegalite
