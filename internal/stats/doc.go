// Package stats holds the statistics that more than one layer computes,
// so that each is computed one way: quantiles as numpy computes them (for
// describe's quartiles, impute's medians and the SHAP plots' colour
// ranges) and Pearson's correlation (for the direction of a driver and
// the SHAP plots' choice of an interacting feature).
package stats
