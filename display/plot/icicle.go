package plot

import (
	"errors"
	"fmt"
	"image/color"
	"slices"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/reckon-dev/reckon/display"
)

// IcicleNode is one node of a recursive clustering tree.
type IcicleNode struct {
	// Label is the node's path label: "3", "3.1", "3.noise" (noise nodes,
	// see IsNoise, are drawn grey); a root standing for all the data may
	// be labelled "all" or "".
	Label string
	// Parent is the index of the parent node in the slice, or -1 for a
	// node at the top.
	Parent int
	// Size is the number of rows in the node. The children of a node may
	// hold fewer rows than it (a branch that was not split further has no
	// children at all) but never more.
	Size int
}

// IcicleOptions shapes an icicle plot.
type IcicleOptions struct {
	// Format is PNG (the zero value) or SVG, which adds a vector form.
	Format Format
	// Title is drawn above the plot; empty means none.
	Title string
	// Width and Height are the displayed size in CSS pixels; default 900
	// wide and 90 pixels a level plus 80.
	Width, Height int
}

// Icicle draws a recursive clustering as an icicle: a band per depth from
// the top down, each node a box as wide as its share of the rows, under
// its parent, children in natural label order with noise last. The
// clusters of the first split take the palette colours of Category in
// label order, so that they match a Scatter of the same labels; their
// descendants take lighter shades of their colour. Boxes wide enough for
// it show the node's label and size.
func Icicle(nodes []IcicleNode, opts IcicleOptions) (display.Bundle, error) {
	if err := checkSize(opts.Width, opts.Height); err != nil {
		return display.Bundle{}, fmt.Errorf("plot: icicle: %w", err)
	}
	ic, err := layoutIcicle(nodes)
	if err != nil {
		return display.Bundle{}, err
	}
	w := orDefault(opts.Width, 900)
	h := orDefault(opts.Height, 90*ic.levels+80)
	fig := figure{width: w, height: h, points: len(nodes), draw: func(c draw.Canvas) { ic.draw(c, opts.Title) }}
	return fig.bundle(ic.alt(opts.Title), opts.Format)
}

type icicleLayout struct {
	nodes  []IcicleNode
	depth  []int
	x0     []float64
	colors []color.NRGBA
	kids   [][]int
	roots  []int
	total  int
	levels int
}

func layoutIcicle(nodes []IcicleNode) (*icicleLayout, error) {
	if len(nodes) == 0 {
		return nil, errors.New("plot: icicle: the tree has no nodes")
	}
	n := len(nodes)
	ic := &icicleLayout{nodes: nodes, depth: make([]int, n), x0: make([]float64, n), colors: make([]color.NRGBA, n), kids: make([][]int, n)}
	for i, nd := range nodes {
		switch {
		case nd.Parent < -1 || nd.Parent >= n:
			return nil, fmt.Errorf("plot: icicle: node %d (%q) has parent %d, outside the %d nodes", i, nd.Label, nd.Parent, n)
		case nd.Parent == i:
			return nil, fmt.Errorf("plot: icicle: node %d (%q) is its own parent", i, nd.Label)
		case nd.Size < 0:
			return nil, fmt.Errorf("plot: icicle: node %d (%q) has %d rows", i, nd.Label, nd.Size)
		}
		if nd.Parent < 0 {
			ic.roots = append(ic.roots, i)
		} else {
			ic.kids[nd.Parent] = append(ic.kids[nd.Parent], i)
		}
	}
	if len(ic.roots) == 0 {
		return nil, errors.New("plot: icicle: no node is at the top (parent -1); the parent links form a cycle")
	}
	byLabel := func(a, b int) int {
		na, nb := IsNoise(nodes[a].Label), IsNoise(nodes[b].Label)
		switch {
		case na && !nb:
			return 1
		case nb && !na:
			return -1
		}
		return compareNatural(nodes[a].Label, nodes[b].Label)
	}
	slices.SortStableFunc(ic.roots, byLabel)
	for i := range ic.kids {
		slices.SortStableFunc(ic.kids[i], byLabel)
		sum := 0
		for _, k := range ic.kids[i] {
			sum += nodes[k].Size
		}
		if sum > nodes[i].Size {
			return nil, fmt.Errorf("plot: icicle: the children of node %d (%q) hold %s rows but it has only %s", i, nodes[i].Label, count(sum), count(nodes[i].Size))
		}
	}
	// Place nodes top down; a node not reached from a top node sits on a
	// cycle of parent links.
	placed := make([]bool, n)
	queue := slices.Clone(ic.roots)
	x := 0.0
	for _, r := range ic.roots {
		ic.x0[r] = x
		x += float64(nodes[r].Size)
		placed[r] = true
	}
	ic.total = int(x)
	if ic.total == 0 {
		return nil, errors.New("plot: icicle: the tree holds no rows")
	}
	for len(queue) > 0 {
		i := queue[0]
		queue = queue[1:]
		cx := ic.x0[i]
		for _, k := range ic.kids[i] {
			ic.x0[k] = cx
			ic.depth[k] = ic.depth[i] + 1
			cx += float64(nodes[k].Size)
			placed[k] = true
			queue = append(queue, k)
		}
		ic.levels = max(ic.levels, ic.depth[i]+1)
	}
	for i, ok := range placed {
		if !ok {
			return nil, fmt.Errorf("plot: icicle: node %d (%q) is not below any top node; the parent links form a cycle", i, nodes[i].Label)
		}
	}
	ic.colorize()
	return ic, nil
}

// colorize gives the first split's clusters the palette colours and their
// descendants lighter shades, alternating between siblings so that
// neighbouring boxes stay apart. With a single top node (all the data) the
// first split is its children; with several top nodes, they are.
func (ic *icicleLayout) colorize() {
	firstSplit := ic.roots
	neutral := rgb(0x8c9cad)
	if len(ic.roots) == 1 {
		ic.colors[ic.roots[0]] = neutral
		firstSplit = ic.kids[ic.roots[0]]
	}
	var paint func(i int, base color.NRGBA, level, sibling int)
	paint = func(i int, base color.NRGBA, level, sibling int) {
		c := base
		if IsNoise(ic.nodes[i].Label) {
			c = noiseGrey
		} else if level > 0 {
			t := min(0.7, 0.3*float64(level)+0.12*float64(sibling%2))
			c = mix(base, white, t)
		}
		ic.colors[i] = c
		sib := 0
		for _, k := range ic.kids[i] {
			paint(k, base, level+1, sib)
			if !IsNoise(ic.nodes[k].Label) {
				sib++
			}
		}
	}
	k := 0
	for _, i := range firstSplit {
		base := noiseGrey
		if !IsNoise(ic.nodes[i].Label) {
			base = Category(k)
			k++
		}
		paint(i, base, 0, 0)
	}
}

func (ic *icicleLayout) draw(c draw.Canvas, title string) {
	p := newPlot(title, "rows", "depth")
	p.Y.Scale = plot.InvertedScale{Normalizer: plot.LinearScale{}}
	ticks := make([]plot.Tick, ic.levels)
	for d := range ticks {
		ticks[d] = plot.Tick{Value: float64(d) + 0.5, Label: fmt.Sprint(d)}
	}
	p.Y.Tick.Marker = plot.ConstantTicks(ticks)
	p.Y.Tick.Length = 0
	p.Y.Width = 0
	p.Add(&icicleBoxes{ic})
	p.X.Min, p.X.Max = 0, float64(ic.total)
	p.Y.Min, p.Y.Max = 0, float64(ic.levels)
	p.X.Padding, p.Y.Padding = 0, 0
	p.Draw(c)
}

type icicleBoxes struct{ ic *icicleLayout }

func (b *icicleBoxes) Plot(c draw.Canvas, p *plot.Plot) {
	ic := b.ic
	trX, trY := p.Transforms(&c)
	border := draw.LineStyle{Color: white, Width: vg.Points(1)}
	name := textStyle(boldFont, 10, black, text.XCenter, text.YCenter)
	size := textStyle(sansFont, 9, black, text.XCenter, text.YCenter)
	for i, nd := range ic.nodes {
		if nd.Size == 0 {
			continue
		}
		x0, x1 := trX(ic.x0[i]), trX(ic.x0[i]+float64(nd.Size))
		y0, y1 := trY(float64(ic.depth[i])), trY(float64(ic.depth[i]+1))
		box := []vg.Point{{X: x0, Y: y0}, {X: x1, Y: y0}, {X: x1, Y: y1}, {X: x0, Y: y1}}
		c.FillPolygon(ic.colors[i], box)
		c.StrokeLines(border, append(box, box[0]))
		label := nd.Label
		if label == "" {
			label = "all"
		}
		ink := black
		if luminance(ic.colors[i]) < 0.45 {
			ink = white
		}
		name.Color, size.Color = ink, ink
		w := x1 - x0
		pad := vg.Points(6)
		cx, cy := (x0+x1)/2, (y0+y1)/2
		sz := count(nd.Size)
		switch {
		case name.Width(label)+pad < w && size.Width(sz)+pad < w:
			c.FillText(name, vg.Point{X: cx, Y: cy + vg.Points(6)}, label)
			c.FillText(size, vg.Point{X: cx, Y: cy - vg.Points(6)}, sz)
		case name.Width(label)+pad < w:
			c.FillText(name, vg.Point{X: cx, Y: cy}, label)
		}
	}
}

// luminance is the relative luminance of an sRGB colour, roughly, to pick
// black or white text over it.
func luminance(c color.NRGBA) float64 {
	return (0.2126*float64(c.R) + 0.7152*float64(c.G) + 0.0722*float64(c.B)) / 255
}

func (ic *icicleLayout) alt(title string) string {
	var b strings.Builder
	if title != "" {
		b.WriteString(title + ": ")
	}
	fmt.Fprintf(&b, "Icicle of a recursive clustering of %s rows, %d %s deep.", count(ic.total), ic.levels, noun(ic.levels, "level", "levels"))
	for d := range ic.levels {
		var at []int
		noise := 0
		for i := range ic.nodes {
			if ic.depth[i] != d {
				continue
			}
			if IsNoise(ic.nodes[i].Label) {
				noise += ic.nodes[i].Size
			} else {
				at = append(at, i)
			}
		}
		slices.SortStableFunc(at, func(a, c int) int { return ic.nodes[c].Size - ic.nodes[a].Size })
		fmt.Fprintf(&b, " Depth %d: %d %s", d, len(at), noun(len(at), "node", "nodes"))
		if noise > 0 {
			fmt.Fprintf(&b, " and %s rows of noise", count(noise))
		}
		parts := make([]string, 0, 8)
		for _, i := range at[:min(8, len(at))] {
			label := ic.nodes[i].Label
			if label == "" {
				label = "all"
			}
			parts = append(parts, fmt.Sprintf("%s (%s)", label, count(ic.nodes[i].Size)))
		}
		if len(parts) > 0 {
			b.WriteString(", largest " + strings.Join(parts, ", "))
			if len(at) > len(parts) {
				fmt.Fprintf(&b, " and %d more", len(at)-len(parts))
			}
		}
		b.WriteString(".")
	}
	return b.String()
}
