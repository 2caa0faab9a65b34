package profile

import (
	"fmt"
	"math"
	"strings"
)

// LineOptions shape a cluster's line; the zero value gives the defaults.
type LineOptions struct {
	// Noun counts the rows: "tracks"; default "rows".
	Noun string
	// Name is the cluster's name, written after its label; "" for none.
	Name string
	// MaxNumeric is the most numeric columns named; default 3.
	MaxNumeric int
	// MinEffect is the smallest |Cohen's d| worth naming; default 0.5,
	// a medium difference.
	MinEffect float64
	// MaxCategorical is the most categorical values named; default 2.
	MaxCategorical int
	// MinShare is the smallest share of the cluster a value must hold to
	// be named, and MinLift how many times its overall share; defaults
	// 0.25 and 1.2.
	MinShare, MinLift float64
	// Extra parts are appended, each after a " · ".
	Extra []string
}

func (o LineOptions) withDefaults() LineOptions {
	if o.Noun == "" {
		o.Noun = "rows"
	}
	if o.MaxNumeric == 0 {
		o.MaxNumeric = 3
	}
	if o.MinEffect == 0 {
		o.MinEffect = 0.5
	}
	if o.MaxCategorical == 0 {
		o.MaxCategorical = 2
	}
	if o.MinShare == 0 {
		o.MinShare = 0.25
	}
	if o.MinLift == 0 {
		o.MinLift = 1.2
	}
	return o
}

// Traits returns the numeric differences and categorical values the line
// names: those the options deem large enough, the largest first.
func (c *Cluster) Traits(o LineOptions) ([]Numeric, []Category) {
	o = o.withDefaults()
	var nums []Numeric
	for _, n := range c.Numeric {
		if len(nums) < o.MaxNumeric && math.Abs(n.D) >= o.MinEffect {
			nums = append(nums, n)
		}
	}
	var cats []Category
	for _, k := range c.Categorical {
		if len(cats) < o.MaxCategorical && k.Share >= o.MinShare && k.Share >= o.MinLift*k.Overall {
			cats = append(cats, k)
		}
	}
	return nums, cats
}

// Line describes the cluster in one line of plain words:
//
//	3 (ambient) · 240 tracks (18%) · high instrumentalness (0.82 vs 0.31) · 91% classical (vs 17%)
//
// where rows is the size of the whole table.
func (c *Cluster) Line(rows int, o LineOptions) string {
	o = o.withDefaults()
	head := c.Label
	if o.Name != "" {
		head += " (" + o.Name + ")"
	}
	parts := []string{head, fmt.Sprintf("%s %s (%s)", thousands(c.Size), o.Noun, Percent(float64(c.Size)/float64(max(rows, 1))))}
	nums, cats := c.Traits(o)
	if len(nums) > 0 {
		words := make([]string, len(nums))
		for i, n := range nums {
			words[i] = n.Words()
		}
		parts = append(parts, strings.Join(words, ", "))
	}
	if len(cats) > 0 {
		words := make([]string, len(cats))
		for i, k := range cats {
			words[i] = k.Words()
		}
		parts = append(parts, strings.Join(words, ", "))
	}
	if len(nums) == 0 && len(cats) == 0 {
		parts = append(parts, "nothing stands out")
	}
	return strings.Join(append(parts, o.Extra...), " · ")
}

// Words says the difference: "high energy (0.82 vs 0.31)".
func (n Numeric) Words() string {
	dir := "high"
	if n.D < 0 {
		dir = "low"
	}
	return fmt.Sprintf("%s %s (%s)", dir, n.Column, n.Means())
}

// Means writes the two means to the same number of decimals, chosen by
// the larger: two below 10, one below 100, none above: "92 vs 124".
func (n Numeric) Means() string {
	a := max(math.Abs(n.Mean), math.Abs(n.RestMean))
	decimals := 2
	switch {
	case a >= 100 || math.IsInf(a, 0) || math.IsNaN(a):
		decimals = 0
	case a >= 10:
		decimals = 1
	}
	return fmt.Sprintf("%.*f vs %.*f", decimals, n.Mean, decimals, n.RestMean)
}

// Words says the share: "91% classical (vs 17%)".
func (k Category) Words() string {
	return fmt.Sprintf("%s %s (vs %s)", Percent(k.Share), k.Value, Percent(k.Overall))
}

// Percent writes a share as a whole percentage, keeping a small non-zero
// share from reading as 0%.
func Percent(share float64) string {
	p := 100 * share
	if p > 0 && p < 0.5 {
		return "<1%"
	}
	return fmt.Sprintf("%.0f%%", p)
}

// thousands writes n with commas: 1,300.
func thousands(n int) string {
	s := fmt.Sprint(n)
	for i := len(s) - 3; i > 0 && s[i-1] != '-'; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}
