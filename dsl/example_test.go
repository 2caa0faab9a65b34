package dsl_test

import (
	"context"
	"fmt"

	"github.com/reckon-dev/reckon/dsl"
	"github.com/reckon-dev/reckon/kernel"
)

// printer shows a cell's outputs as text.
type printer struct{}

func (printer) Stream(name, text string)           { fmt.Print(text) }
func (printer) Display(b kernel.Bundle, id string) { fmt.Println(b.Data["text/plain"]) }
func (printer) Update(b kernel.Bundle, id string)  {}
func (printer) Clear(wait bool)                    {}

func ExampleSession_Run() {
	s := dsl.NewSession(dsl.NewRegistry(), dsl.Options{QuietProgress: true})
	res, err := s.Run(context.Background(), `sizes = [3, 1, 4]
print("clusters:", sizes)
sizes[0] * 10`, printer{})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(res.Value)

	// A mistake names its place and the nearest known name; the variables
	// assigned before it survive.
	_, err = s.Run(context.Background(), "x = 1\nprnt(sizes)", printer{})
	fmt.Print(err.(*dsl.Error).Report("cell"))
	v, _ := s.Get("x")
	fmt.Println("x is still", v)
	// Output:
	// clusters: [3, 1, 4]
	// 30
	// NameError: cell:2:1: unknown command `prnt` — did you mean `print`?
	//     prnt(sizes)
	//     ^
	// x is still 1
}

func ExampleInterpreter_Complete() {
	in := &dsl.Interpreter{Session: dsl.NewSession(dsl.NewRegistry(), dsl.Options{})}
	c := in.Complete("umap(X, n_nei", 13)
	fmt.Println(c.Matches, c.Start, c.End)
	// Output: [n_neighbors=] 8 13
}

// Every value remembers how it was made; lineage writes the commands that
// make it again, seeds explicit, and NewScript does the same from Go.
func ExampleNewScript() {
	s := dsl.NewSession(dsl.NewRegistry(), dsl.Options{QuietProgress: true})
	_, err := s.Run(context.Background(), `tracks = load_demo("tracks")
few = sample(drop(tracks, "track_id"), 100, seed=3)
X = standardize(impute(few, strategy="mean"))`, printer{})
	if err != nil {
		fmt.Println(err)
		return
	}
	l, _ := s.Lineage("X")
	fmt.Println(dsl.NewScript(dsl.ScriptOptions{}, l))
	fmt.Println(l.Args[0].Value.Op, "made the data of", l.Op)
	// Output:
	// # tracks.csv (built into Reckon): 1,300 rows, 87,127 bytes, sha256 8d2fe2b1c0fd963af518c73b780d79ec3c9f497e9cd8d8ee539d9d49044ee003
	// tracks = load_demo("tracks")
	// few = sample(drop(tracks, "track_id"), n=100, seed=3)
	// X = standardize(impute(few, strategy="mean"))
	// impute made the data of standardize
}

// The cell `reckon run NB.ipynb -p n=500 -p name=tracks -p scaled=true`
// injects: each value as the literal the language reads.
func ExampleParameterSource() {
	src, err := dsl.ParameterSource([]string{"n=500", "name=tracks", "scaled=true"})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Print(src)
	// Output:
	// # Parameters
	// n = 500
	// name = "tracks"
	// scaled = true
}
