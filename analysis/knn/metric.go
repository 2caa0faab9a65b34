package knn

import (
	"fmt"
	"math"
	"strings"
)

// Metric names a distance between rows.
type Metric string

// The supported metrics, named as in umap-learn and pynndescent.
const (
	// Euclidean is the straight-line distance sqrt(sum (x-y)^2).
	Euclidean Metric = "euclidean"
	// Cosine is 1 - x.y / (|x| |y|).
	Cosine Metric = "cosine"
	// Manhattan is sum |x-y| (also called l1, cityblock or taxicab).
	Manhattan Metric = "manhattan"
	// Correlation is 1 - Pearson correlation between the two rows, that is
	// the cosine distance of the rows after subtracting each row's mean.
	Correlation Metric = "correlation"
)

// Metrics lists the supported metrics.
var Metrics = []Metric{Euclidean, Cosine, Manhattan, Correlation}

// ParseMetric returns the metric a name denotes, accepting the aliases
// umap-learn accepts (l2, l1, cityblock, taxicab). The empty name means
// Euclidean.
func ParseMetric(name string) (Metric, error) {
	switch strings.ToLower(strings.TrimSpace(name)) {
	case "", "euclidean", "l2":
		return Euclidean, nil
	case "cosine":
		return Cosine, nil
	case "manhattan", "l1", "cityblock", "taxicab":
		return Manhattan, nil
	case "correlation":
		return Correlation, nil
	}
	return "", fmt.Errorf("knn: unknown metric %q; use one of euclidean, cosine, manhattan, correlation", name)
}

// resolve maps the zero Metric to Euclidean and rejects unknown names.
func (m Metric) resolve() (Metric, error) {
	if m == "" {
		return Euclidean, nil
	}
	for _, known := range Metrics {
		if m == known {
			return m, nil
		}
	}
	return ParseMetric(string(m))
}

// angular reports whether the metric only looks at directions, so that rows
// are stored normalised and random projection trees split by angle.
func (m Metric) angular() bool { return m == Cosine || m == Correlation }

// reduced returns the cheap, order-preserving stand-in for the distance that
// the search compares: squared Euclidean for Euclidean, 1 - x.y for the
// angular metrics (on normalised rows).
func (m Metric) reduced() func(a, b []float32) float32 {
	switch m {
	case Manhattan:
		return manhattan
	case Cosine, Correlation:
		return func(a, b []float32) float32 {
			d := 1 - dot(a, b)
			if d < 0 {
				// Rounding can push 1 - x.x of a unit row slightly below zero.
				return 0
			}
			return d
		}
	}
	return sqEuclidean
}

// true converts a reduced distance to the metric's distance.
func (m Metric) fromReduced(d float32) float32 {
	if m == Euclidean {
		return float32(math.Sqrt(float64(d)))
	}
	return d
}
