// Package plot draws Reckon's plots as Jupyter MIME bundles: the scatter of
// an embedding coloured by cluster or by a column, hdbscan's condensed tree,
// shap's beeswarm, bar, dependence and waterfall plots, an icicle of a
// recursive clustering, and the stacked panels of a parameter sweep. Each
// function takes plain Go values (slices and the small structs defined
// here, not analysis types) and returns a display.Bundle holding a PNG
// (base64, at twice the displayed size, with that size in the metadata as
// IPython gives it for retina images) and a text/plain description that
// says in words what the plot shows, for readers who cannot see it. That
// pair is what survives sharing: nbconvert's HTML export and an untrusted
// notebook in JupyterLab both show the PNG, where they would sanitize an
// SVG into an empty box. SVG comes only on request (Format: SVG), beside
// the PNG, and not for plots of more than MaxSVGPoints markers.
//
// The plots follow the libraries a Python user knows: hdbscan's
// condensed_tree_.plot and shap's summary, bar, dependence and waterfall
// plots keep their layout, colour maps and defaults. Clusters have one
// colour everywhere (Category: Tableau's palette without grey, extended
// without repeats), noise is light grey and drawn underneath, and numbers
// are coloured through viridis.
//
// Drawing is gonum/plot, except for the points themselves: on the PNG they
// are painted straight into the pixels as anti-aliased discs, which keeps
// a 70,000-point scatter well under a second where gonum's per-glyph
// vector drawing would take several times as long. The output is a pure
// function of the input: the same data give byte-identical PNG and SVG,
// whatever the goroutine, so notebooks diff cleanly. Bad input (nothing to
// plot, mismatched lengths, NaN coordinates, a broken tree) is an error
// that says what is wrong, never a panic.
package plot
