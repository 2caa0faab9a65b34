package stability

import (
	"context"
	"math/rand/v2"
	"reflect"
	"runtime"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/reckon-dev/reckon/analysis/hdbscan"
	"github.com/reckon-dev/reckon/analysis/umap"
)

func blobs() *mat.Dense {
	rng := rand.New(rand.NewPCG(1, 1))
	x := mat.NewDense(300, 3, nil)
	for i := 0; i < 300; i++ {
		for j := 0; j < 3; j++ {
			c := 0.0
			if j == i/100 {
				c = 20
			}
			x.Set(i, j, c+rng.NormFloat64())
		}
	}
	return x
}

var hdb = hdbscan.Options{Selection: hdbscan.Selection{MinClusterSize: 20}}

// HDBSCAN's partition does not depend on row order, so without an
// embedding every run agrees exactly, and the labels come back in the
// original order.
func TestRowOrderAloneChangesNothing(t *testing.T) {
	res, err := Run(context.Background(), blobs(), Settings{Runs: 4, HDBSCAN: hdb, Seed: 2})
	if err != nil {
		t.Fatal(err)
	}
	if res.ARI != (Summary{1, 1}) || res.AMI != (Summary{1, 1}) {
		t.Errorf("ARI %+v, AMI %+v, want exactly 1", res.ARI, res.AMI)
	}
	for i := 1; i < 4; i++ {
		if !reflect.DeepEqual(res.Labels[i], res.Labels[0]) {
			t.Fatalf("run %d's labels differ from run 1's", i+1)
		}
	}
	if len(res.Clusters) != 3 {
		t.Fatalf("%d clusters recovered, want 3", len(res.Clusters))
	}
	for _, c := range res.Clusters {
		if c.MeanJaccard != 1 || c.MinJaccard != 1 || c.Size < 90 {
			t.Errorf("cluster %+v", c)
		}
	}
}

func TestWithUMAPClearClustersAreStable(t *testing.T) {
	s := Settings{Runs: 3, HDBSCAN: hdb, UMAP: &umap.Settings{}, Seed: 5}
	var first *Result
	for _, procs := range []int{1, 4} {
		prev := runtime.GOMAXPROCS(procs)
		res, err := Run(context.Background(), blobs(), s)
		runtime.GOMAXPROCS(prev)
		if err != nil {
			t.Fatal(err)
		}
		if res.ARI.Min < 0.9 || res.AMI.Min < 0.9 {
			t.Errorf("three far apart blobs: ARI %+v, AMI %+v", res.ARI, res.AMI)
		}
		for _, c := range res.Clusters {
			if c.MinJaccard < 0.8 {
				t.Errorf("cluster %+v is not recovered", c)
			}
		}
		if first == nil {
			first = res
		} else if !reflect.DeepEqual(first, res) {
			t.Error("the result differs between GOMAXPROCS 1 and 4")
		}
	}
}

func TestBadInput(t *testing.T) {
	if _, err := Run(context.Background(), blobs(), Settings{Runs: 1}); err == nil {
		t.Error("one run was accepted")
	}
	if _, err := Run(context.Background(), nil, Settings{}); err == nil {
		t.Error("no data were accepted")
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Run(ctx, blobs(), Settings{UMAP: &umap.Settings{}}); err == nil {
		t.Error("a cancelled run returned no error")
	}
}
