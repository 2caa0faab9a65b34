package dsl

import (
	"strings"
	"testing"
)

func TestARI(t *testing.T) {
	s, _ := dataSession(t)
	for src, want := range map[string]string{
		`ari(tracks.genre, tracks.genre)`:           "1",
		`ari(tracks.genre, tracks["energy level"])`: "1",        // the same partition, renamed
		`ari(tracks.genre, tracks.acoustic)`:        "0.444444", // scikit-learn's adjusted_rand_score
	} {
		res, _, err := run(t, s, src)
		if err != nil {
			t.Fatalf("%s: %v", src, err)
		}
		if got := res.Value.String(); !strings.HasPrefix(got, want) {
			t.Errorf("%s = %s, want %s", src, got, want)
		}
	}
	if _, _, err := run(t, s, `ari(tracks.genre, [1, 1, 1, 1, 1, 1])`); err == nil || !strings.Contains(err.Error(), "must be a clusters, tree or column") {
		t.Errorf("a list: %v", err)
	}
}

// Noise counts as a label unless ignore_noise leaves its rows out, and
// says how many rows were compared.
func TestARIWithNoise(t *testing.T) {
	s, _ := blobSession(t)
	res, rec, err := run(t, s, `cl = hdbscan(pts, min_cluster_size=5)
ari(cl, cl, ignore_noise=true)`)
	if err != nil {
		t.Fatal(err)
	}
	if res.Value.String() != "1" || rec.stdout.String() != "ARI over the 300 of 303 rows that neither side calls noise\n" {
		t.Errorf("ari of a clustering with itself = %s (%q)", res.Value, rec.stdout.String())
	}
	if _, _, err := run(t, s, `ari(cl, load_demo().genre)`); err == nil || !strings.Contains(err.Error(), "both must label the same rows") {
		t.Errorf("mismatched rows: %v", err)
	}
}

func TestShapImage(t *testing.T) {
	s := NewSession(NewRegistry(), Options{QuietProgress: true})
	res, _, err := run(t, s, `digits = load_demo("mnist", n=300)
X = drop(digits, "label")
why = explain(digits.label, on=X, n_estimators=5, max_depth=3, folds=2, seed=1)
shap_image(why, cluster="0")`)
	if err != nil {
		t.Fatal(err)
	}
	b := Bundle(res.Value)
	if _, ok := b.Data["image/png"]; !ok || !strings.Contains(b.Plain(), "Cluster 0: mean SHAP per pixel, ") || !strings.Contains(b.Plain(), "28 × 28 pixel grid") {
		t.Errorf("shap_image: %s", b.Plain())
	}
	for src, want := range map[string]string{
		`shap_image(why, cluster="1", shape=[28, 27])`:   "shape [28, 27] holds 756 pixels but the explanation has 784 features",
		`shap_image(why, cluster="1", shape=[784])`:      "shape must be [rows, columns]",
		`shap_image(why, cluster="1", shape=[7, 1e300])`: "two whole numbers from 1 to 784",
		`shap_image(why, cluster="12")`:                  "no cluster \"12\" was explained",
		`shap_image(explain(digits.label, on=select(X, "pixel0", "pixel1", "pixel2"), n_estimators=2), cluster="1")`: "3 features, which is not a square",
	} {
		if _, _, err := run(t, s, src); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: error %v, want %q", src, err, want)
		}
	}
}
