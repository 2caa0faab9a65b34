package hdbscan

import (
	"fmt"
	"math"

	"github.com/reckon-dev/reckon/analysis/progress"
)

// Metric names the distance between rows.
type Metric string

// The supported metrics; each is also accepted by its hdbscan name.
const (
	Euclidean Metric = "euclidean"
	Manhattan Metric = "manhattan"
	Chebyshev Metric = "chebyshev"
)

// SelectionMethod names how flat clusters are read off the condensed tree.
type SelectionMethod string

// The cluster selection methods of hdbscan.
const (
	// EOM selects the clusters of greatest excess of mass (stability).
	EOM SelectionMethod = "eom"
	// Leaf selects the leaves of the condensed tree: the most fine-grained,
	// homogeneous clusters.
	Leaf SelectionMethod = "leaf"
)

// Selection holds the parameters that read flat clusters off the hierarchy.
// Recluster changes them without recomputing the spanning tree. The zero
// value means hdbscan's defaults.
type Selection struct {
	// MinClusterSize is min_cluster_size: the smallest group of points that
	// counts as a cluster; smaller groups splitting off a cluster are points
	// falling out of it. Default 5; it must be at least 2.
	MinClusterSize int

	// ClusterSelectionMethod is cluster_selection_method: "eom" (default)
	// or "leaf".
	ClusterSelectionMethod SelectionMethod

	// ClusterSelectionEpsilon is cluster_selection_epsilon: clusters that
	// split off at a mutual-reachability distance below it are merged back
	// into their parent (Malzer and Baum's hybrid of DBSCAN and HDBSCAN).
	// Default 0.0, which disables the merging.
	ClusterSelectionEpsilon float64

	// AllowSingleCluster is allow_single_cluster: let the root of the tree,
	// that is all the data, be the one cluster selected. Default false.
	// With a single root cluster only the points at least as dense as the
	// root's densest direct member (or, with an epsilon, those joining
	// within that epsilon) are labelled; the rest are noise, as in hdbscan.
	AllowSingleCluster bool
}

// Options configures Fit. The zero value means hdbscan's defaults.
type Options struct {
	Selection

	// MinSamples is min_samples: a point's core distance is the distance
	// to its MinSamples-th nearest other row. hdbscan's documentation says
	// the count includes the point itself, but its code (for every
	// algorithm, since the off-by-one fixes of 2020) counts MinSamples
	// neighbours besides the point; we do what the code does, so that
	// results match. Default: MinClusterSize.
	// Values of at least the number of rows are clipped to rows-1, as
	// hdbscan does.
	MinSamples int

	// Alpha is alpha: raw distances are divided by it before they are
	// compared with core distances (robust single linkage). Default 1.0.
	Alpha float64

	// Metric is metric: "euclidean" (default), "manhattan" or "chebyshev".
	Metric Metric

	// Progress, when set, receives the phases "core distances",
	// "spanning tree" and "clusters".
	Progress progress.Func
}

func (s Selection) withDefaults() (Selection, error) {
	if s.MinClusterSize == 0 {
		s.MinClusterSize = 5
	}
	if s.MinClusterSize < 2 {
		return s, fmt.Errorf("hdbscan: min_cluster_size %d must be at least 2", s.MinClusterSize)
	}
	switch s.ClusterSelectionMethod {
	case "":
		s.ClusterSelectionMethod = EOM
	case EOM, Leaf:
	default:
		return s, fmt.Errorf("hdbscan: cluster_selection_method %q must be %q or %q", s.ClusterSelectionMethod, EOM, Leaf)
	}
	if e := s.ClusterSelectionEpsilon; e < 0 || math.IsNaN(e) || math.IsInf(e, 0) {
		return s, fmt.Errorf("hdbscan: cluster_selection_epsilon %v must be a finite number of at least 0", e)
	}
	return s, nil
}

func (o Options) withDefaults() (Options, error) {
	sel, err := o.Selection.withDefaults()
	if err != nil {
		return o, err
	}
	o.Selection = sel
	if o.MinSamples < 0 {
		return o, fmt.Errorf("hdbscan: min_samples %d must be positive", o.MinSamples)
	}
	if o.MinSamples == 0 {
		o.MinSamples = o.MinClusterSize
	}
	if o.Alpha == 0 {
		o.Alpha = 1
	}
	if a := o.Alpha; a < 0 || math.IsNaN(a) || math.IsInf(a, 0) {
		return o, fmt.Errorf("hdbscan: alpha %v must be a positive finite number", a)
	}
	switch o.Metric {
	case "":
		o.Metric = Euclidean
	case Euclidean, Manhattan, Chebyshev:
	case "l2":
		o.Metric = Euclidean
	case "l1", "cityblock":
		o.Metric = Manhattan
	case "infinity":
		o.Metric = Chebyshev
	default:
		return o, fmt.Errorf("hdbscan: metric %q is not supported; use %q, %q or %q", o.Metric, Euclidean, Manhattan, Chebyshev)
	}
	return o, nil
}
