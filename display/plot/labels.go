package plot

import (
	"slices"
	"strconv"
	"strings"
)

// IsNoise reports whether a label names noise: "-1" (hdbscan's label),
// "noise", or a recursive path ending in one of them ("3.noise", "3.-1").
// Noise is drawn in light grey, underneath the clusters, and takes no
// palette colour.
func IsNoise(label string) bool {
	last := label
	if i := strings.LastIndexByte(label, '.'); i >= 0 {
		last = label[i+1:]
	}
	return last == "noise" || last == "-1" || label == "-1"
}

// compareNatural orders labels as a person reads them: runs of digits
// compare as numbers, so "2" < "10" and "3.2" < "3.10"; everything else
// compares byte by byte.
func compareNatural(a, b string) int {
	for a != "" && b != "" {
		da, db := isDigit(a[0]), isDigit(b[0])
		if da && db {
			ra, rb := digitRun(a), digitRun(b)
			na, nb := strings.TrimLeft(a[:ra], "0"), strings.TrimLeft(b[:rb], "0")
			if c := len(na) - len(nb); c != 0 {
				return sign(c)
			}
			if c := strings.Compare(na, nb); c != 0 {
				return c
			}
			// Equal numbers: the one written with fewer leading zeros first.
			if c := ra - rb; c != 0 {
				return sign(c)
			}
			a, b = a[ra:], b[rb:]
			continue
		}
		if a[0] != b[0] {
			if a[0] < b[0] {
				return -1
			}
			return 1
		}
		a, b = a[1:], b[1:]
	}
	return sign(len(a) - len(b))
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func digitRun(s string) int {
	i := 0
	for i < len(s) && isDigit(s[i]) {
		i++
	}
	return i
}

func sign(x int) int {
	switch {
	case x < 0:
		return -1
	case x > 0:
		return 1
	}
	return 0
}

// categories is the set of distinct labels of a categorical colouring.
type categories struct {
	names  []string // non-noise labels in natural order; names[i] gets Category(i)
	index  map[string]int
	counts []int // points per name
	noise  int   // points with a noise label
	// noiseNames are the distinct noise labels, in natural order.
	noiseNames []string
}

func newCategories(labels []string) categories {
	c := categories{index: map[string]int{}}
	seenNoise := map[string]bool{}
	for _, l := range labels {
		if IsNoise(l) {
			c.noise++
			if !seenNoise[l] {
				seenNoise[l] = true
				c.noiseNames = append(c.noiseNames, l)
			}
			continue
		}
		if _, ok := c.index[l]; !ok {
			c.index[l] = -1
			c.names = append(c.names, l)
		}
	}
	slices.SortFunc(c.names, compareNatural)
	slices.SortFunc(c.noiseNames, compareNatural)
	for i, n := range c.names {
		c.index[n] = i
	}
	c.counts = make([]int, len(c.names))
	for _, l := range labels {
		if i, ok := c.index[l]; ok {
			c.counts[i]++
		}
	}
	return c
}

// integerRange reports whether the names are the consecutive integers
// lo..hi, the usual labels of a flat clustering.
func (c categories) integerRange() (lo, hi int, ok bool) {
	if len(c.names) == 0 {
		return 0, 0, false
	}
	for i, n := range c.names {
		v, err := strconv.Atoi(n)
		if err != nil || strconv.Itoa(v) != n {
			return 0, 0, false
		}
		if i == 0 {
			lo = v
		} else if v != lo+i {
			return 0, 0, false
		}
	}
	return lo, lo + len(c.names) - 1, true
}

// looksLikeClusters reports whether the labels are cluster labels (numbers,
// recursive paths, or noise) rather than the values of a categorical column.
func (c categories) looksLikeClusters() bool {
	if c.noise > 0 {
		return true
	}
	for _, n := range c.names {
		for _, part := range strings.Split(n, ".") {
			if _, err := strconv.Atoi(part); err != nil {
				return false
			}
		}
	}
	return true
}
