package dsl

import (
	"bytes"
	"context"
	"strconv"

	"github.com/reckon-dev/reckon/analysis/frame"
	"github.com/reckon-dev/reckon/examples/data"
)

// demoNames lists the data sets load_demo knows.
var demoNames = []string{"tracks", "mnist"}

func registerDemo(r *Registry) {
	r.Register(&Command{
		Name: "load_demo", Group: "data",
		Summary: "A demo table built into Reckon: the synthetic music tracks, or MNIST digits with their labels.",
		Doc: "Nothing is downloaded: both ship inside the binary.\n\n" +
			"\"tracks\": 1,300 synthetic tracks (examples/data/tracks.csv) with a track_id, a genre and nine audio features. " +
			"The truth planted in them: six genres drawn around profiles that differ in a few features each — " +
			"classical quiet (loudness about −22 dB against −7.5), calm, acoustic and long; hip-hop speechy (speechiness 0.30 against 0.06), slow, danceable and not instrumental; " +
			"electronic instrumental, fast and energetic; rock energetic, fast, loud and not acoustic; jazz acoustic, calmer and happier; pop not instrumental, happy, danceable and loud. " +
			"Jazz, rock and electronic each mix two sub-styles that differ mostly in tempo (electronic about 128 against 154 BPM, rock 129 against 147, jazz 128 against 111): " +
			"one cluster each in an embedding of all the tracks, two in an embedding of the genre alone, which recurse finds. About 1% of the tempos are missing.\n\n" +
			"\"mnist\": the first n digits of MNIST's 10,000 test digits, a row per digit: label (the digit, as a category) and pixel0 … pixel783, " +
			"the 28 × 28 pixels row by row from the top left, scaled from 0 (white) to 1 (black). drop(digits, \"label\") leaves the pixels for pca or umap; shap_image draws a cluster's SHAP values back on the 28 × 28 grid.",
		Params: []Param{
			{Name: "name", Type: Str, Default: String("tracks"), Choices: demoNames, Doc: "which data set"},
			{Name: "n", Type: Int, Default: None, Doc: "for mnist, how many digits (1 to 10,000); none means all"},
		},
		Returns: "table",
		Examples: []string{
			`tracks = load_demo("tracks")`,
			`digits = load_demo("mnist", n=2000)`,
			`X = drop(digits, "label")`,
		},
		Run: func(ctx context.Context, c *Call) (Value, error) {
			if c.Str("name") == "tracks" {
				if !c.IsNone("n") {
					return nil, c.Errorf("n", "n applies to mnist; the tracks table has its 1,300 rows (sample(tracks, n) draws fewer)")
				}
				f, err := frame.ReadFrom(ctx, bytes.NewReader(data.TracksCSV), "tracks.csv", frame.ReadOptions{})
				if err != nil {
					return nil, err
				}
				c.StampBytes("tracks.csv (built into Reckon)", data.TracksCSV)
				c.file.Rows = f.NumRows()
				return NewTable(f), nil
			}
			n := data.MNISTSize
			if !c.IsNone("n") {
				var err error
				if n, err = between(c, "n", 1, data.MNISTSize, "the built-in MNIST holds "+thousands(data.MNISTSize)+" digits"); err != nil {
					return nil, err
				}
			}
			labels, pixels, err := data.MNIST(n)
			if err != nil {
				return nil, err
			}
			c.StampBytes("mnist-10k.bin.bz2 (built into Reckon)", data.MNIST10k)
			c.file.Rows = n
			return tableResult(mnistFrame(labels, pixels))
		},
	})
}

// mnistFrame is the digits as a table: label, then one column per pixel.
func mnistFrame(labels, pixels []uint8) (*frame.Frame, error) {
	n, dim := len(labels), data.MNISTSide*data.MNISTSide
	names := make([]string, n)
	for i, l := range labels {
		names[i] = strconv.Itoa(int(l))
	}
	label, err := frame.NewCategorical("label", names, nil)
	if err != nil {
		return nil, err
	}
	cols := []*frame.Column{label}
	values := make([]float64, n*dim)
	for j := range dim {
		col := values[j*n : (j+1)*n]
		for i := range col {
			col[i] = float64(pixels[i*dim+j]) / 255
		}
		cols = append(cols, frame.NewNumeric("pixel"+strconv.Itoa(j), col))
	}
	return frame.New(cols...)
}
