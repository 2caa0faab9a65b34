package explain

import (
	"context"
	"testing"
)

// BenchmarkExplainBlobs explains 8 clusters of 5,000 rows with 20
// features with the default classifier (100 trees of depth 6) and 5
// folds: 48 models and 8 TreeSHAP runs.
func BenchmarkExplainBlobs(b *testing.B) {
	X, labels := blobs(5000, 8, 20, 1)
	lab := FlatLabels(labels)
	for b.Loop() {
		if _, err := Explain(context.Background(), X, nil, lab, Settings{}); err != nil {
			b.Fatal(err)
		}
	}
}
