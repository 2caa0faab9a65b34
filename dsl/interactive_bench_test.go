package dsl

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// BenchmarkPlotNotebookBytes measures what plot(emb, color=..., tooltip=...)
// of 70,000 tracks puts into a notebook: the whole bundle as JSON (PNG,
// Vega-Lite spec with a row id and five tooltip columns, text), per
// 10,000 points and in all, which must stay under 6 MB.
func BenchmarkPlotNotebookBytes(b *testing.B) {
	const n = 70_000
	rng := rand.New(rand.NewPCG(5, 5))
	var csv strings.Builder
	csv.WriteString("track_id,genre,energy,tempo,loudness,valence,acousticness\n")
	for i := range n {
		g := rng.IntN(6)
		fmt.Fprintf(&csv, "t%05d,%s,%.3f,%.1f,%.2f,%.3f,%.3f\n", i, []string{"rock", "pop", "jazz", "classical", "hip-hop", "electronic"}[g],
			float64(g)/6+rng.Float64()/6, 90+10*float64(g)+rng.NormFloat64()*5, -20+float64(g)*2+rng.NormFloat64(), rng.Float64(), rng.Float64())
	}
	path := filepath.Join(b.TempDir(), "tracks.csv")
	if err := os.WriteFile(path, []byte(csv.String()), 0o644); err != nil {
		b.Fatal(err)
	}
	s := NewSession(NewRegistry(), Options{QuietProgress: true})
	ctx := context.Background()
	if _, err := s.Run(ctx, `tracks = load("`+path+`")
emb = pca(standardize(drop(tracks, "track_id", "genre")), seed=1)`, &recorder{}); err != nil {
		b.Fatal(err)
	}
	src := `plot(emb, color=tracks.genre, tooltip=["energy", "tempo", "loudness", "valence", "acousticness"])`
	var size int
	for b.Loop() {
		res, err := s.Run(ctx, src, &recorder{})
		if err != nil {
			b.Fatal(err)
		}
		raw, err := json.Marshal(Bundle(res.Value).Data)
		if err != nil {
			b.Fatal(err)
		}
		size = len(raw)
	}
	if size >= 6<<20 {
		b.Fatalf("a 70,000-point plot puts %d bytes into the notebook; the limit is 6 MB", size)
	}
	b.ReportMetric(float64(size), "notebook-bytes")
	b.ReportMetric(float64(size)/n*10_000, "bytes/10k-points")
}
