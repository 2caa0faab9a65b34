package profile_test

import (
	"context"
	"fmt"

	"github.com/reckon-dev/reckon/analysis/frame"
	"github.com/reckon-dev/reckon/analysis/profile"
)

func Example() {
	id, _ := frame.NewCategorical("track_id", []string{"t1", "t2", "t3", "t4", "t5", "t6"}, nil)
	genre, _ := frame.NewCategorical("genre", []string{"classical", "classical", "jazz", "rock", "rock", "rock"}, nil)
	energy := frame.NewNumeric("energy", []float64{0.1, 0.2, 0.3, 0.8, 0.9, 0.7})
	f, _ := frame.New(id, genre, energy)

	r, err := profile.Profile(context.Background(), f, []string{"0", "0", "0", "1", "1", "1"}, profile.Settings{})
	if err != nil {
		panic(err)
	}
	fmt.Println("skipped:", r.Skipped)
	for _, c := range r.Clusters {
		fmt.Println(c.Line(r.Rows, profile.LineOptions{Noun: "tracks"}))
	}
	// Output:
	// skipped: [track_id]
	// 0 · 3 tracks (50%) · low energy (0.20 vs 0.80) · 67% classical (vs 33%), 33% jazz (vs 17%)
	// 1 · 3 tracks (50%) · high energy (0.80 vs 0.20) · 100% rock (vs 50%)
}
