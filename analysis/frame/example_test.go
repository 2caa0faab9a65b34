package frame_test

import (
	"context"
	"fmt"
	"strings"

	"gonum.org/v1/gonum/mat"

	"github.com/reckon-dev/reckon/analysis/frame"
)

const tracksCSV = `track_id,genre,tempo,energy,live
1,rock,120,0.8,true
2,jazz,90,NA,false
3,rock,NA,0.5,false
4,"hip hop, old school",128,0.9,true
`

func load() *frame.Frame {
	t, err := frame.ReadFrom(context.Background(), strings.NewReader(tracksCSV), "tracks.csv", frame.ReadOptions{})
	if err != nil {
		panic(err)
	}
	return t
}

func ExampleReadFrom() {
	t, err := frame.ReadFrom(context.Background(), strings.NewReader(tracksCSV), "tracks.csv", frame.ReadOptions{})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, c := range t.Columns() {
		fmt.Printf("%-8s %-11s missing %d\n", c.Name(), c.Kind(), c.Missing())
	}
	// Output:
	// track_id numeric     missing 0
	// genre    categorical missing 0
	// tempo    numeric     missing 1
	// energy   numeric     missing 1
	// live     boolean     missing 0
}

func ExampleReadFrom_error() {
	_, err := frame.ReadFrom(context.Background(), strings.NewReader("a,b\n1,2\n3,x\n"), "data.csv", frame.ReadOptions{InferRows: 1})
	fmt.Println(err)
	// Output:
	// frame: data.csv:3: column 2 ("b"): "x" is not a number, though the column's first values made it numeric; correct the value, or read the column as categorical (ReadOptions.Types; load's categorical=[...])
}

func ExampleFrame_Describe() {
	s, err := load().Describe(context.Background())
	if err != nil {
		fmt.Println(err)
		return
	}
	tempo, genre := s[2], s[1]
	fmt.Printf("tempo: count %d, mean %.1f, std %.1f, min %g, median %g, max %g\n",
		tempo.Count, tempo.Mean, tempo.Std, tempo.Min, tempo.Median, tempo.Max)
	fmt.Printf("genre: %d distinct, top %q (%d)\n", genre.Unique, genre.Top[0].Level, genre.Top[0].Count)
	// Output:
	// tempo: count 3, mean 112.7, std 20.0, min 90, median 120, max 128
	// genre: 3 distinct, top "rock" (2)
}

func ExampleFrame_Filter() {
	fast, err := load().Filter("tempo", frame.Gt, 100)
	if err != nil {
		fmt.Println(err)
		return
	}
	genre, _ := fast.Column("genre")
	for i := 0; i < fast.NumRows(); i++ {
		fmt.Println(genre.Format(i))
	}
	// Output:
	// rock
	// hip hop, old school
}

func ExampleFrame_Column() {
	_, err := load().Column("gnre")
	fmt.Println(err)
	// Output:
	// frame: no column "gnre"; did you mean "genre"?
}

// Preparing a table for the numeric methods: drop the identifier, fill the
// gaps, encode the categories, scale the numbers.
func ExampleFrame_Dense() {
	t := load()
	if _, err := t.Dense(); err != nil {
		fmt.Println(err)
	}
	t, _ = t.Drop("track_id")
	t, _ = t.Impute(frame.ImputeOptions{Strategy: frame.Median})
	t, _ = t.OneHot("genre")
	t, _ = t.Standardize()
	fmt.Println(t.Names())
	x, err := t.Dense()
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%.2f\n", mat.Formatted(x))
	// Output:
	// frame: column "genre" is categorical; one-hot encode it with onehot, or drop it
	// [genre_hip hop, old school genre_jazz genre_rock tempo energy live]
	// ⎡ 0.00   0.00   1.00   0.38   0.33   1.00⎤
	// ⎢ 0.00   1.00   0.00  -1.69   0.33   0.00⎥
	// ⎢ 0.00   0.00   1.00   0.38  -1.67   0.00⎥
	// ⎣ 1.00   0.00   0.00   0.93   1.00   1.00⎦
}

// Integer codes become categories, which onehot then encodes in numeric
// order.
func ExampleFrame_Categorical() {
	t, err := frame.ReadFrom(context.Background(), strings.NewReader("id,grade\n1,10\n2,2\n3,NA\n4,2\n"), "grades.csv", frame.ReadOptions{})
	if err != nil {
		fmt.Println(err)
		return
	}
	_, err = t.OneHot("grade")
	fmt.Println(err)
	c, err := t.Categorical("grade")
	if err != nil {
		fmt.Println(err)
		return
	}
	h, err := c.OneHot("grade")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(h.Names())
	// Output:
	// frame: onehot: column "grade" is numeric, and onehot encodes categories; if its numbers are codes, make them categories first with categorical(data, "grade"), or load the file with categorical=["grade"] (pandas: astype("category"), get_dummies(columns=...))
	// [id grade_2 grade_10]
}

// A missing value and a text spelled NA look different in a table, and
// the text is quoted when written, so that it reads back as text.
func ExampleColumn_Label() {
	t, err := frame.ReadFrom(context.Background(), strings.NewReader("code\nNA\n\"NA\"\nUS\n"), "codes.csv", frame.ReadOptions{})
	if err != nil {
		fmt.Println(err)
		return
	}
	c, _ := t.Column("code")
	for i := 0; i < c.Len(); i++ {
		fmt.Println(c.Label(i))
	}
	var b strings.Builder
	if err := t.WriteCSV(&b); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Print(b.String())
	// Output:
	// NA
	// "NA"
	// US
	// code
	// NA
	// "NA"
	// US
}
