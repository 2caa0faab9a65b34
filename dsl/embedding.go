package dsl

import (
	"context"
	"fmt"
	"html"

	"gonum.org/v1/gonum/mat"

	"github.com/reckon-dev/reckon/analysis/frame"
	"github.com/reckon-dev/reckon/analysis/pca"
	"github.com/reckon-dev/reckon/analysis/umap"
	"github.com/reckon-dev/reckon/display"
)

// Embedding is data reduced to a few coordinates by pca or umap: a table of
// its coordinates (PC1, PC2, ...), what made it, and the fitted model, so
// that new rows can be placed in it with transform.
type Embedding struct {
	*Table
	// Method names what made it: "pca", "umap".
	Method string
	// Note says what it is in a line or two (sizes, explained variance,
	// fallbacks taken).
	Note string
	// Place embeds new rows of the original features; nil when the method
	// cannot.
	Place func(ctx context.Context, x *mat.Dense) (*mat.Dense, error)
	// Features is the number of columns of the data it was fitted to.
	Features int
	// UMAP and PCA are the fitted model of an embedding umap or pca
	// made, for save.
	UMAP *umap.Model
	PCA  *pca.Model
}

// NewEmbedding makes an embedding of the rows of x, naming its columns
// prefix1, prefix2, ...
func NewEmbedding(x *mat.Dense, prefix, method, note string) (*Embedding, error) {
	_, k := x.Dims()
	cols := make([]*frame.Column, k)
	for j := 0; j < k; j++ {
		cols[j] = frame.NewNumeric(fmt.Sprintf("%s%d", prefix, j+1), mat.Col(nil, j, x))
	}
	f, err := frame.New(cols...)
	if err != nil {
		return nil, err
	}
	t := NewTable(f)
	// The coordinates are already a matrix: keep it rather than copy.
	t.once.Do(func() { t.dense = x })
	return &Embedding{Table: t, Method: method, Note: note}, nil
}

func (e *Embedding) Type() string { return "embedding" }

func (e *Embedding) String() string { return e.Note + "\n" + e.Table.String() }

// Display shows the note above the first coordinates.
func (e *Embedding) Display() display.Bundle {
	b := e.Table.Display()
	b.Data["text/plain"] = e.String()
	b.Data["text/html"] = "<p>" + html.EscapeString(e.Note) + "</p>" + b.Data["text/html"].(string)
	return b
}
