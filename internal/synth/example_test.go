package synth_test

import (
	"context"
	"fmt"
	"os"

	"github.com/reckon-dev/reckon/internal/synth"
)

// A small planted table, written as CSV: the group and sub-group of every
// row, then its features.
func ExampleGenerate() {
	t, err := synth.Generate(context.Background(), synth.Settings{Rows: 3, Features: 3, Groups: 2, SplitGroups: 1, Seed: 7})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(t.SubGroupNames)
	if err := t.WriteCSV(context.Background(), os.Stdout); err != nil {
		fmt.Println(err)
	}
	// Output:
	// [noise g1.a g1.b g2]
	// group,subgroup,energy,danceability,acousticness
	// g2,g2,-419.54,-0.25353,4.0798
	// g2,g2,-347.87,-0.56893,4.2715
	// g2,g2,-479.16,-0.40727,4.8589
}
