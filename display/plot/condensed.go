package plot

import (
	"errors"
	"fmt"
	"image/color"
	"math"
	"slices"
	"strconv"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/reckon-dev/reckon/display"
)

// CondensedEdge is one row of an HDBSCAN condensed tree, as the hdbscan
// library's condensed_tree_ array holds it: Child (a point when its id is
// below the number of points, else a cluster) leaves Parent at Lambda =
// 1/distance, carrying ChildSize points. Its fields match
// analysis/hdbscan's CondensedEdge, so one converts to the other.
type CondensedEdge struct {
	Parent    int
	Child     int
	Lambda    float64
	ChildSize int
}

// CondensedTreeOptions annotates a condensed tree plot. The zero value
// is the hdbscan library's look.
type CondensedTreeOptions struct {
	// Format is PNG (the zero value) or SVG, which adds a vector form.
	Format Format
	// Title is drawn above the plot; empty means none.
	Title string
	// Width and Height are the displayed size in CSS pixels; default 720
	// by 540.
	Width, Height int
}

// maxBarsPerIcicle caps the rectangles drawn per cluster, as hdbscan's
// max_rectangles_per_icicle (default 20) does: a cluster of thousands of
// points would otherwise be thousands of slivers.
const maxBarsPerIcicle = 20

// CondensedTree draws the condensed tree as hdbscan's
// condensed_tree_.plot(select_clusters=True, label_clusters=True) does: an
// icicle per cluster whose width is the number of points still in it as λ
// grows downwards (the axis is inverted), coloured by that number through
// viridis, with a horizontal line at each split. The clusters in selected
// (the ids of the flat clustering, in label order as hdbscan assigns
// them) are circled, each in its palette colour (see Category) and
// labelled with its cluster number, so that they match a Scatter coloured
// by the same labels.
//
// Infinite λ values (points that coincide) are drawn at 10% beyond the
// largest finite λ.
func CondensedTree(tree []CondensedEdge, selected []int, opts CondensedTreeOptions) (display.Bundle, error) {
	if err := checkSize(opts.Width, opts.Height); err != nil {
		return display.Bundle{}, fmt.Errorf("plot: condensed tree: %w", err)
	}
	ct, err := layoutCondensed(tree, selected)
	if err != nil {
		return display.Bundle{}, err
	}
	opts.Width, opts.Height = orDefault(opts.Width, 720), orDefault(opts.Height, 540)
	fig := figure{width: opts.Width, height: opts.Height, points: len(ct.bars), draw: func(c draw.Canvas) { ct.draw(c, opts) }}
	return fig.bundle(ct.alt(opts.Title), opts.Format)
}

// icicleBar is one rectangle of the plot, in data coordinates: x is the
// position along the leaves (scaled by the number of points), y is λ.
type icicleBar struct {
	cluster       int
	center, width float64
	top, bottom   float64 // λ where the bar starts and ends; top < bottom
}

type condensedLayout struct {
	n        int // points under the root
	clusters []int
	root     int
	leaves   []int
	x, y     map[int]float64 // leaf-order position and birth λ per cluster
	size     map[int]int     // points per cluster at birth
	death    map[int]float64 // largest λ of the cluster's rows
	bars     []icicleBar
	lines    [][2]vg.Point // split lines, in data coordinates (X: x, Y: λ)
	selected []int
	lamCap   float64 // where infinite λ is drawn
	infinite int     // rows with infinite λ
	maxWidth float64
}

func layoutCondensed(tree []CondensedEdge, selected []int) (*condensedLayout, error) {
	if len(tree) == 0 {
		return nil, errors.New("plot: condensed tree: the tree has no rows")
	}
	t := &condensedLayout{
		x: map[int]float64{}, y: map[int]float64{}, size: map[int]int{}, death: map[int]float64{},
	}
	rows := map[int][]int{}     // cluster -> its rows, in input order
	parentOf := map[int]int{}   // cluster -> parent cluster
	isCluster := map[int]bool{} // parents and children of size > 1
	lamMax := 0.0
	for i, e := range tree {
		switch {
		case math.IsNaN(e.Lambda) || e.Lambda < 0:
			return nil, fmt.Errorf("plot: condensed tree: row %d has λ %v; λ must be 0 or more", i, e.Lambda)
		case e.ChildSize < 1:
			return nil, fmt.Errorf("plot: condensed tree: row %d has child size %d; it must be at least 1", i, e.ChildSize)
		case e.Parent == e.Child:
			return nil, fmt.Errorf("plot: condensed tree: row %d makes %d its own parent", i, e.Parent)
		}
		if math.IsInf(e.Lambda, 1) {
			t.infinite++
		} else {
			lamMax = math.Max(lamMax, e.Lambda)
		}
		rows[e.Parent] = append(rows[e.Parent], i)
		isCluster[e.Parent] = true
		if e.ChildSize > 1 {
			if p, dup := parentOf[e.Child]; dup {
				return nil, fmt.Errorf("plot: condensed tree: cluster %d has two parents, %d and %d", e.Child, p, e.Parent)
			}
			parentOf[e.Child] = e.Parent
			isCluster[e.Child] = true
		}
	}
	for c := range isCluster {
		t.clusters = append(t.clusters, c)
	}
	slices.Sort(t.clusters)
	var roots []int
	for _, c := range t.clusters {
		if _, ok := parentOf[c]; !ok {
			roots = append(roots, c)
		}
	}
	if len(roots) != 1 {
		return nil, fmt.Errorf("plot: condensed tree: the tree has %d roots (%s); it must have one", len(roots), joinInts(roots, 5))
	}
	t.root = roots[0]
	t.lamCap = 1
	if lamMax > 0 {
		t.lamCap = 1.1 * lamMax
	}
	lam := func(i int) float64 {
		if math.IsInf(tree[i].Lambda, 1) {
			return t.lamCap
		}
		return tree[i].Lambda
	}

	// Children clusters in input order, as hdbscan's depth-first leaf
	// order takes them.
	kids := map[int][]int{}
	for _, c := range t.clusters {
		for _, i := range rows[c] {
			if tree[i].ChildSize > 1 {
				kids[c] = append(kids[c], tree[i].Child)
			}
		}
	}
	// Iterative depth-first traversal: leaves in order, then a post-order
	// pass for the positions of inner clusters.
	var post []int
	visited := map[int]bool{}
	type frame struct {
		c    int
		next int
	}
	stack := []frame{{c: t.root}}
	visited[t.root] = true
	for len(stack) > 0 {
		f := &stack[len(stack)-1]
		if f.next == 0 && len(kids[f.c]) == 0 {
			t.leaves = append(t.leaves, f.c)
		}
		if f.next < len(kids[f.c]) {
			k := kids[f.c][f.next]
			f.next++
			if visited[k] {
				return nil, fmt.Errorf("plot: condensed tree: cluster %d is reached twice; the tree has a cycle", k)
			}
			visited[k] = true
			stack = append(stack, frame{c: k})
			continue
		}
		post = append(post, f.c)
		stack = stack[:len(stack)-1]
	}
	if len(visited) != len(t.clusters) {
		for _, c := range t.clusters {
			if !visited[c] {
				return nil, fmt.Errorf("plot: condensed tree: cluster %d is not connected to the root %d", c, t.root)
			}
		}
	}
	for i, l := range t.leaves {
		t.x[l] = float64(i)
	}
	for _, c := range post {
		if ks := kids[c]; len(ks) > 0 {
			sum := 0.0
			for _, k := range ks {
				sum += t.x[k]
			}
			t.x[c] = sum / float64(len(ks))
		}
	}
	t.y[t.root] = 0
	for _, c := range t.clusters {
		for _, i := range rows[c] {
			if tree[i].ChildSize > 1 {
				t.y[tree[i].Child] = lam(i)
			}
		}
	}
	for _, c := range t.clusters {
		s := 0
		d := t.y[c]
		for _, i := range rows[c] {
			s += tree[i].ChildSize
			d = math.Max(d, lam(i))
		}
		if len(rows[c]) == 0 { // a cluster with no rows of its own
			for _, i := range rows[parentOf[c]] {
				if tree[i].Child == c {
					s = tree[i].ChildSize
				}
			}
		}
		t.size[c], t.death[c] = s, d
	}
	t.n = t.size[t.root]
	scale := float64(t.n)

	for _, c := range t.clusters {
		t.icicle(c, rows[c], tree, lam, scale)
	}
	for _, c := range t.clusters {
		for _, k := range kids[c] {
			sgn := 0.0
			switch {
			case t.x[k] > t.x[c]:
				sgn = 1
			case t.x[k] < t.x[c]:
				sgn = -1
			}
			t.lines = append(t.lines, [2]vg.Point{
				{X: vg.Length(t.x[c] * scale), Y: vg.Length(t.y[k])},
				{X: vg.Length(t.x[k]*scale + sgn*float64(t.size[k])/2), Y: vg.Length(t.y[k])},
			})
		}
	}
	for _, b := range t.bars {
		t.maxWidth = math.Max(t.maxWidth, b.width)
	}

	seen := map[int]bool{}
	for _, s := range selected {
		if !isCluster[s] {
			return nil, fmt.Errorf("plot: condensed tree: selected cluster %d is not a cluster of the tree", s)
		}
		if seen[s] {
			return nil, fmt.Errorf("plot: condensed tree: cluster %d is selected twice", s)
		}
		seen[s] = true
	}
	t.selected = slices.Clone(selected)
	slices.Sort(t.selected)
	return t, nil
}

// icicle adds the bars of cluster c: its width steps down as points leave
// it, in at most maxBarsPerIcicle steps, each as wide as the cluster was
// where the step began.
func (t *condensedLayout) icicle(c int, rows []int, tree []CondensedEdge, lam func(int) float64, scale float64) {
	if len(rows) == 0 {
		return
	}
	order := slices.Clone(rows)
	slices.SortStableFunc(order, func(a, b int) int {
		return cmpFloat(lam(a), lam(b))
	})
	end := lam(order[len(order)-1])
	last := 0 // points still in at the death λ
	for _, i := range order {
		if lam(i) == end {
			last += tree[i].ChildSize
		}
	}
	step := float64(t.size[c]-last) / maxBarsPerIcicle
	center := t.x[c] * scale
	size := t.size[c]
	start, startSize := t.y[c], size
	for k := 0; k < len(order); {
		l := lam(order[k])
		leaving := 0
		j := k
		for ; j < len(order) && lam(order[j]) == l; j++ {
			leaving += tree[order[j]].ChildSize
		}
		k = j
		size -= leaving
		if l <= start { // points leaving where the cluster is born
			startSize = size
			continue
		}
		// A bar ends where the width has dropped by more than a step
		// since it began, or where the cluster ends; it is drawn as wide as
		// it began, which is exact when every drop ends a bar.
		if float64(startSize-size) > step || l == end {
			t.bars = append(t.bars, icicleBar{cluster: c, center: center, width: float64(startSize), top: start, bottom: l})
			start, startSize = l, size
		}
	}
}

func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func joinInts(v []int, max int) string {
	s := make([]string, 0, len(v))
	for _, x := range v {
		s = append(s, strconv.Itoa(x))
	}
	return listNames(s, max)
}

// ellipse returns the outline hdbscan draws around a selected cluster:
// centred on its bounds, twice as wide and 1.2 times as tall, with a floor
// on the height so that a short-lived cluster is still circled visibly.
func (t *condensedLayout) ellipse(c int, minHeight float64) (cx, cy, rx, ry float64) {
	w := float64(t.size[c])
	h := math.Max(t.death[c]-t.y[c], minHeight)
	return t.x[c] * float64(t.n), (t.y[c] + t.death[c]) / 2, w, 0.6 * h
}

func (t *condensedLayout) minEllipseHeight() float64 {
	return 0.02 * t.lamCap / 1.1
}

func (t *condensedLayout) draw(c draw.Canvas, opts CondensedTreeOptions) {
	p := newPlot(opts.Title, "", "λ value")
	p.HideX()
	p.Y.Scale = plot.InvertedScale{Normalizer: plot.LinearScale{}}
	p.Add(&rects{bars: t.bars, color: func(b icicleBar) color.NRGBA { return viridis.At(b.width / t.maxWidth) }})
	p.Add(&segments{lines: t.lines, style: draw.LineStyle{Color: black, Width: vg.Points(1)}})
	el := &ellipses{}
	for i, s := range t.selected {
		cx, cy, rx, ry := t.ellipse(s, t.minEllipseHeight())
		el.add(cx, cy, rx, ry, Category(i), strconv.Itoa(i))
	}
	p.Add(el)
	cb := colorBar{cmap: viridis, lo: 0, hi: t.maxWidth, label: "Number of points"}
	main := c
	main.Max.X -= cb.width()
	p.Draw(main)
	dc := p.DataCanvas(main)
	rest := c
	rest.Min.X = main.Max.X
	cb.draw(rest, dc.Min.Y, dc.Max.Y)
}

func (t *condensedLayout) alt(title string) string {
	var b strings.Builder
	if title != "" {
		b.WriteString(title + ": ")
	}
	fmt.Fprintf(&b, "Condensed tree of %s points: %d %s in the hierarchy (%d %s), λ from 0 to %s.",
		count(t.n), len(t.clusters), noun(len(t.clusters), "cluster", "clusters"),
		len(t.leaves), noun(len(t.leaves), "leaf", "leaves"), num(t.lamCap/1.1))
	if t.infinite > 0 {
		fmt.Fprintf(&b, " %s %s at infinite λ (duplicate points), drawn at %s.", count(t.infinite), noun(t.infinite, "row leaves", "rows leave"), num(t.lamCap))
	}
	if len(t.selected) == 0 {
		b.WriteString(" No cluster is selected.")
		return b.String()
	}
	fmt.Fprintf(&b, " %d selected %s, circled:", len(t.selected), noun(len(t.selected), "cluster", "clusters"))
	const maxListed = 10
	for i, s := range t.selected {
		if i == maxListed {
			fmt.Fprintf(&b, "; and %d more", len(t.selected)-maxListed)
			break
		}
		sep := ";"
		if i == 0 {
			sep = ""
		}
		fmt.Fprintf(&b, "%s %d (%s points, λ %s to %s)", sep, i, count(t.size[s]), num(t.y[s]), num(t.death[s]))
	}
	b.WriteString(".")
	return b.String()
}

// rects is a plotter of filled rectangles in data coordinates.
type rects struct {
	bars  []icicleBar
	color func(icicleBar) color.NRGBA
}

func (r *rects) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	for _, b := range r.bars {
		x0, x1 := trX(b.center-b.width/2), trX(b.center+b.width/2)
		// Reach a little past the bottom edge, under the next bar of the
		// icicle, so that anti-aliasing leaves no pale seam between them.
		y0, y1 := trY(b.top), trY(b.bottom)-seamOverlap
		c.FillPolygon(r.color(b), []vg.Point{{X: x0, Y: y0}, {X: x1, Y: y0}, {X: x1, Y: y1}, {X: x0, Y: y1}})
	}
}

func (r *rects) DataRange() (xmin, xmax, ymin, ymax float64) {
	xmin, ymin = math.Inf(1), math.Inf(1)
	xmax, ymax = math.Inf(-1), math.Inf(-1)
	for _, b := range r.bars {
		xmin, xmax = math.Min(xmin, b.center-b.width/2), math.Max(xmax, b.center+b.width/2)
		ymin, ymax = math.Min(ymin, b.top), math.Max(ymax, b.bottom)
	}
	return xmin, xmax, ymin, ymax
}

const seamOverlap = vg.Length(0.75) // points

// segments is a plotter of straight lines in data coordinates (vg.Point
// holds the data x and y).
type segments struct {
	lines [][2]vg.Point
	style draw.LineStyle
}

func (s *segments) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	for _, l := range s.lines {
		c.StrokeLine2(s.style, trX(float64(l[0].X)), trY(float64(l[0].Y)), trX(float64(l[1].X)), trY(float64(l[1].Y)))
	}
}

// ellipses outlines selected clusters and writes their numbers under
// them.
type ellipses struct {
	cx, cy, rx, ry []float64
	colors         []color.NRGBA
	labels         []string
}

func (e *ellipses) add(cx, cy, rx, ry float64, c color.NRGBA, label string) {
	e.cx, e.cy, e.rx, e.ry = append(e.cx, cx), append(e.cy, cy), append(e.rx, rx), append(e.ry, ry)
	e.colors, e.labels = append(e.colors, c), append(e.labels, label)
}

func (e *ellipses) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	const segs = 96
	for i := range e.cx {
		pts := make([]vg.Point, 0, segs+1)
		for k := 0; k <= segs; k++ {
			a := 2 * math.Pi * float64(k) / segs
			pts = append(pts, vg.Point{X: trX(e.cx[i] + e.rx[i]*math.Cos(a)), Y: trY(e.cy[i] + e.ry[i]*math.Sin(a))})
		}
		c.StrokeLines(draw.LineStyle{Color: e.colors[i], Width: vg.Points(2)}, pts)
		sty := textStyle(boldFont, 10, e.colors[i], text.XCenter, text.YTop)
		haloText(c, sty, vg.Point{X: trX(e.cx[i]), Y: trY(e.cy[i]+e.ry[i]) - vg.Points(2)}, e.labels[i])
	}
}

// DataRange makes room for the outlines and the labels under them.
func (e *ellipses) DataRange() (xmin, xmax, ymin, ymax float64) {
	xmin, ymin = math.Inf(1), math.Inf(1)
	xmax, ymax = math.Inf(-1), math.Inf(-1)
	for i := range e.cx {
		xmin, xmax = math.Min(xmin, e.cx[i]-e.rx[i]), math.Max(xmax, e.cx[i]+e.rx[i])
		ymin, ymax = math.Min(ymin, e.cy[i]-e.ry[i]), math.Max(ymax, e.cy[i]+e.ry[i])
	}
	return xmin, xmax, ymin, ymax
}

// GlyphBoxes reserves the room of each label below its ellipse.
func (e *ellipses) GlyphBoxes(p *plot.Plot) []plot.GlyphBox {
	var boxes []plot.GlyphBox
	for i := range e.cx {
		sty := textStyle(boldFont, 10, e.colors[i], text.XCenter, text.YTop)
		r := sty.Rectangle(e.labels[i])
		r = r.Add(vg.Point{Y: -vg.Points(2)})
		boxes = append(boxes, plot.GlyphBox{X: p.X.Norm(e.cx[i]), Y: p.Y.Norm(e.cy[i] + e.ry[i]), Rectangle: r})
	}
	return boxes
}
