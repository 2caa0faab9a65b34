package synth

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"math"
	"runtime"
	"strconv"
	"sync"

	"github.com/reckon-dev/reckon/internal/randseed"
)

// Settings describe a table. The zero value means the documented defaults:
// 1,000,000 rows, 20 features, 8 groups, sub-groups inside 3 of them, 2%
// background noise, seed 0.
type Settings struct {
	Rows     int // default 1,000,000
	Features int // default 20, at most len(FeatureNames)
	Groups   int // default 8
	// SplitGroups is how many groups (the first ones) mix two sub-groups;
	// default 3, and -1 for none.
	SplitGroups int
	// Noise is the share of background rows, in [0, 1); default 0.02, and
	// a negative value for none.
	Noise float64
	Seed  uint64
}

// FeatureNames name the features in the order they are made, in the style
// of the demo's audio features.
var FeatureNames = []string{
	"energy", "danceability", "acousticness", "instrumentalness", "valence",
	"tempo", "loudness", "speechiness", "duration_min", "liveness",
	"popularity", "key_clarity", "bass_level", "brightness", "dynamic_range",
	"vocal_pitch", "beat_strength", "skip_rate", "repeat_rate", "release_age",
}

// Noise is the group and sub-group of a background row.
const Noise = -1

// Table is a generated table: Rows × len(Names) values, row-major, and
// every row's planted group and sub-group (Noise for background rows;
// sub-groups are numbered across the table, a group without sub-groups
// being one).
type Table struct {
	Names    []string
	Rows     int
	X        []float64
	Group    []int
	SubGroup []int
	// SubGroupNames name the sub-groups, shifted by one so that
	// SubGroupNames[0] names background rows.
	SubGroupNames []string
}

// At is row i's value of feature j.
func (t *Table) At(i, j int) float64 { return t.X[i*len(t.Names)+j] }

const (
	blockRows = 4096
	// spread is the standard deviation of the group centres around the
	// origin, in within-group standard deviations: groups sit about 25
	// apart in 20 dimensions, far from each other.
	spread = 4
	// halfSplit is how far each of a group's two sub-groups sits from its
	// centre: 5 apart, two humps that an embedding of the group's own rows
	// splits (at 3.5 apart HDBSCAN finds them but cuts them badly), while
	// the other groups, 25 away, dwarf the gap in an embedding of all rows.
	halfSplit = 2.5
)

func (s Settings) withDefaults() (Settings, error) {
	if s.Rows == 0 {
		s.Rows = 1_000_000
	}
	if s.Features == 0 {
		s.Features = 20
	}
	if s.Groups == 0 {
		s.Groups = 8
	}
	switch {
	case s.SplitGroups == 0:
		s.SplitGroups = 3
	case s.SplitGroups < 0:
		s.SplitGroups = 0
	}
	switch {
	case s.Noise == 0:
		s.Noise = 0.02
	case s.Noise < 0:
		s.Noise = 0
	}
	switch {
	case s.Rows < 1:
		return s, fmt.Errorf("synth: rows must be at least 1, not %d", s.Rows)
	case s.Features < 2 || s.Features > len(FeatureNames):
		return s, fmt.Errorf("synth: features must be between 2 and %d, not %d", len(FeatureNames), s.Features)
	case s.Groups < 1:
		return s, fmt.Errorf("synth: groups must be at least 1, not %d", s.Groups)
	case s.SplitGroups > s.Groups:
		return s, fmt.Errorf("synth: %d groups cannot hold sub-groups inside %d of them", s.Groups, s.SplitGroups)
	case !(s.Noise < 1):
		return s, fmt.Errorf("synth: noise must be a share below 1, not %g", s.Noise)
	}
	return s, nil
}

// plan is what every row is drawn from: the groups' weights and centres,
// and each feature's unit and offset.
type plan struct {
	s       Settings
	cum     []float64   // cumulative group weights
	centres [][]float64 // by sub-group
	subOf   [][]int     // the sub-groups of every group
	lo, hi  []float64   // the box background rows are drawn in
	mean    []float64   // the offset and unit of every feature, so that
	unit    []float64   // standardize has something to do
}

func newPlan(s Settings) *plan {
	rng := randseed.New(s.Seed, 0)
	d := s.Features
	p := &plan{s: s, lo: make([]float64, d), hi: make([]float64, d), mean: make([]float64, d), unit: make([]float64, d)}
	for j := range d {
		// Units from 0.1 to 100 and offsets of a few units, so that
		// five significant digits keep a thousandth of a unit.
		p.unit[j] = math.Pow(10, rng.Float64()*3-1)
		p.mean[j] = p.unit[j] * 3 * rng.NormFloat64()
		p.lo[j], p.hi[j] = math.Inf(1), math.Inf(-1)
	}
	total := 0.0
	for g := range s.Groups {
		// Sizes vary twofold, as genres do.
		total += 1 + rng.Float64()
		p.cum = append(p.cum, total)
		centre := make([]float64, d)
		for j := range centre {
			centre[j] = spread * rng.NormFloat64()
		}
		if g >= s.SplitGroups {
			p.subOf = append(p.subOf, []int{len(p.centres)})
			p.centres = append(p.centres, centre)
			continue
		}
		dir := make([]float64, d)
		norm := 0.0
		for j := range dir {
			dir[j] = rng.NormFloat64()
			norm += dir[j] * dir[j]
		}
		norm = math.Sqrt(norm)
		subs := []int{}
		for _, sign := range []float64{-1, 1} {
			c := make([]float64, d)
			for j := range c {
				c[j] = centre[j] + sign*halfSplit*dir[j]/norm
			}
			subs = append(subs, len(p.centres))
			p.centres = append(p.centres, c)
		}
		p.subOf = append(p.subOf, subs)
	}
	for j := range p.cum {
		p.cum[j] /= total
	}
	for _, c := range p.centres {
		for j, v := range c {
			p.lo[j] = min(p.lo[j], v-3)
			p.hi[j] = max(p.hi[j], v+3)
		}
	}
	return p
}

// block fills rows [lo, hi) from the block's own stream.
func (p *plan) block(t *Table, b, lo, hi int) {
	rng := randseed.New(randseed.Mix(p.s.Seed, uint64(b)), 1)
	d := p.s.Features
	for i := lo; i < hi; i++ {
		row := t.X[i*d : (i+1)*d]
		if rng.Float64() < p.s.Noise {
			t.Group[i], t.SubGroup[i] = Noise, Noise
			for j := range row {
				row[j] = p.mean[j] + p.unit[j]*(p.lo[j]+rng.Float64()*(p.hi[j]-p.lo[j]))
			}
			continue
		}
		u := rng.Float64()
		g := 0
		for g < len(p.cum)-1 && u >= p.cum[g] {
			g++
		}
		subs := p.subOf[g]
		sub := subs[rng.IntN(len(subs))]
		t.Group[i], t.SubGroup[i] = g, sub
		for j, c := range p.centres[sub] {
			row[j] = p.mean[j] + p.unit[j]*(c+rng.NormFloat64())
		}
	}
}

// Generate makes the table s describes.
func Generate(ctx context.Context, s Settings) (*Table, error) {
	s, err := s.withDefaults()
	if err != nil {
		return nil, err
	}
	p := newPlan(s)
	t := &Table{
		Names: FeatureNames[:s.Features], Rows: s.Rows,
		X: make([]float64, s.Rows*s.Features), Group: make([]int, s.Rows), SubGroup: make([]int, s.Rows),
	}
	t.SubGroupNames = []string{GroupName(Noise)}
	for g, subs := range p.subOf {
		for k := range subs {
			name := GroupName(g)
			if len(subs) > 1 {
				name += "." + string(rune('a'+k))
			}
			t.SubGroupNames = append(t.SubGroupNames, name)
		}
	}
	blocks := (s.Rows + blockRows - 1) / blockRows
	next := make(chan int, blocks)
	for b := range blocks {
		next <- b
	}
	close(next)
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), blocks) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for b := range next {
				if ctx.Err() != nil {
					return
				}
				p.block(t, b, b*blockRows, min((b+1)*blockRows, s.Rows))
			}
		}()
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return t, nil
}

// GroupName is how a group is written: "g1" to "g8", and "noise".
func GroupName(g int) string {
	if g == Noise {
		return "noise"
	}
	return "g" + strconv.Itoa(g+1)
}

// digits is the significant digits files hold: enough for the planted
// structure, and a third of the bytes of full precision in CSV.
const digits = 5

// Written is row i's value of feature j as files hold it, rounded to five
// significant digits: the number a reader of WriteCSV's text parses.
func (t *Table) Written(i, j int) float64 {
	v, _ := strconv.ParseFloat(strconv.FormatFloat(t.At(i, j), 'g', digits, 64), 64)
	return v
}

// SubGroupName is how row i's sub-group is written: "g2.a" and "g2.b"
// inside a group that mixes two, the group's name otherwise.
func (t *Table) SubGroupName(i int) string { return t.SubGroupNames[t.SubGroup[i]+1] }

// WriteCSV writes the table with a header: group, subgroup (see
// SubGroupName), then the features, with five significant digits (see
// Written).
func (t *Table) WriteCSV(ctx context.Context, w io.Writer) error {
	bw := bufio.NewWriterSize(w, 1<<20)
	bw.WriteString("group,subgroup")
	for _, n := range t.Names {
		bw.WriteByte(',')
		bw.WriteString(n)
	}
	bw.WriteByte('\n')
	buf := make([]byte, 0, 512)
	d := len(t.Names)
	for i := range t.Rows {
		if i%blockRows == 0 && ctx.Err() != nil {
			return ctx.Err()
		}
		buf = append(buf[:0], GroupName(t.Group[i])...)
		buf = append(buf, ',')
		buf = append(buf, t.SubGroupName(i)...)
		for _, v := range t.X[i*d : (i+1)*d] {
			buf = append(buf, ',')
			buf = strconv.AppendFloat(buf, v, 'g', digits, 64)
		}
		buf = append(buf, '\n')
		if _, err := bw.Write(buf); err != nil {
			return fmt.Errorf("synth: writing the table: %w", err)
		}
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("synth: writing the table: %w", err)
	}
	return nil
}
