package gbt

import (
	"context"
	"fmt"
	"math"
	"runtime"
	"slices"

	"gonum.org/v1/gonum/mat"

	"github.com/reckon-dev/reckon/analysis/internal/par"
)

// maxMaxBin keeps a bin number plus the missing-value slot within a uint16.
const maxMaxBin = 65534

// blockSlots is the number of histogram slots a feature block aims for:
// 32768 slots of 16 bytes fill 512 KiB, which stays in a core's L2 cache
// while the rows of a node stream through. Larger blocks mean fewer visits
// per row, smaller ones more parallel tasks and fewer cache misses.
const blockSlots = 32768

// Dataset is a feature matrix cut into quantile bins once, so that many
// models (the folds of a cross-validation, one model per cluster) can be
// trained on it, or on subsets of its rows, without binning it again.
//
// Every value is first rounded to float32, as XGBoost stores it. Feature f
// then has Bins(f) bins: bin b holds the values v with cut[b-1] <= v <
// cut[b], and a split after bin b sends x < cut[b] to the left. A missing
// value (NaN) has a slot of its own after the last bin.
//
// Rows are stored sparsely, feature block by feature block: each row keeps
// only the features whose slot differs from that feature's most frequent
// slot, whose histogram counts are recovered by subtraction from the node
// totals. On data with a dominant value (zeros in images, one-hot columns,
// missing values) this skips most of the work.
type Dataset struct {
	n, d    int
	maxBin  int
	cuts    [][]float32 // per feature, ascending; the last one lies above every value
	minVals []float32   // per feature, below every value
	nbins   []int       // len(cuts[f]); slot nbins[f] is "missing"
	defSlot []uint16    // per feature, the slot stored implicitly
	stride  int         // slots per feature in a histogram: max nbins + 1
	block   int         // features per block
	off     [][]uint32  // per block, n+1 offsets into codes
	codes   [][]uint16  // per block, j*stride+slot for each stored entry
}

// NewDataset bins X (rows are observations, NaN is a missing value) into at
// most maxBin quantile bins per feature; maxBin 0 means 256.
func NewDataset(ctx context.Context, X *mat.Dense, maxBin int) (*Dataset, error) {
	if maxBin == 0 {
		maxBin = 256
	}
	if maxBin < 2 || maxBin > maxMaxBin {
		return nil, fmt.Errorf("gbt: max_bin %d must be between 2 and %d", maxBin, maxMaxBin)
	}
	if X == nil {
		return nil, fmt.Errorf("gbt: the feature matrix is missing")
	}
	n, d := X.Dims()
	if n == 0 || d == 0 {
		return nil, fmt.Errorf("gbt: the feature matrix is empty (%d rows, %d columns)", n, d)
	}
	if uint64(n) >= math.MaxUint32/2 {
		return nil, fmt.Errorf("gbt: %d rows are more than this implementation indexes", n)
	}
	ds := &Dataset{
		n: n, d: d, maxBin: maxBin,
		cuts:    make([][]float32, d),
		minVals: make([]float32, d),
		nbins:   make([]int, d),
		defSlot: make([]uint16, d),
	}
	raw := X.RawMatrix()

	// Pass 1, over groups of features: copy the group's columns out of the
	// row-major matrix (row by row, so memory is read in order), cut each
	// feature into bins and record every row's slot.
	slots := make([][]uint16, d)
	group := max(1, min(64, d/(4*runtime.GOMAXPROCS(0))))
	badRow := make([]int, d)
	for f := range badRow {
		badRow[f] = -1
	}
	err := par.For(ctx, d, group, func(_, f0, f1 int) {
		w := f1 - f0
		cols := make([]float32, w*n)
		for r := 0; r < n; r++ {
			for j, v := range raw.Data[r*raw.Stride+f0 : r*raw.Stride+f1] {
				if math.IsInf(v, 0) || math.Abs(v) > math.MaxFloat32 {
					if badRow[f0+j] < 0 {
						badRow[f0+j] = r
					}
					v = math.NaN()
				}
				cols[j*n+r] = float32(v)
			}
		}
		vals := make([]float32, 0, n)
		for j := 0; j < w; j++ {
			f, col := f0+j, cols[j*n:(j+1)*n]
			vals = vals[:0]
			for _, v := range col {
				if v == v {
					vals = append(vals, v)
				}
			}
			cuts, minVal := quantileCuts(vals, maxBin)
			ds.cuts[f], ds.minVals[f], ds.nbins[f] = cuts, minVal, len(cuts)
			miss := uint16(len(cuts))
			counts := make([]int, len(cuts)+1)
			sl := make([]uint16, n)
			for r, v := range col {
				s := miss
				if v == v {
					s = uint16(binOf(cuts, v))
				}
				sl[r] = s
				counts[s]++
			}
			ds.defSlot[f] = uint16(argmax(counts))
			slots[f] = sl
		}
	})
	if err != nil {
		return nil, fmt.Errorf("gbt: binning stopped: %w", err)
	}
	for f, r := range badRow {
		if r >= 0 {
			return nil, fmt.Errorf("gbt: row %d, column %d holds %v; features must be finite (NaN marks a missing value)", r, f, raw.Data[r*raw.Stride+f])
		}
	}

	// Pass 2, over feature blocks: the sparse rows of each block.
	ds.stride = slices.Max(ds.nbins) + 1
	ds.block = max(1, min(d, blockSlots/ds.stride))
	nblocks := (d + ds.block - 1) / ds.block
	ds.off = make([][]uint32, nblocks)
	ds.codes = make([][]uint16, nblocks)
	err = par.For(ctx, nblocks, 1, func(b, _, _ int) {
		f0, f1 := b*ds.block, min((b+1)*ds.block, d)
		off := make([]uint32, n+1)
		total := 0
		for r := 0; r < n; r++ {
			for f := f0; f < f1; f++ {
				if slots[f][r] != ds.defSlot[f] {
					total++
				}
			}
			off[r+1] = uint32(total)
		}
		codes := make([]uint16, total)
		k := 0
		for r := 0; r < n; r++ {
			for f := f0; f < f1; f++ {
				if s := slots[f][r]; s != ds.defSlot[f] {
					codes[k] = uint16((f-f0)*ds.stride) + s
					k++
				}
			}
		}
		ds.off[b], ds.codes[b] = off, codes
	})
	if err != nil {
		return nil, fmt.Errorf("gbt: binning stopped: %w", err)
	}
	return ds, nil
}

// Rows is the number of rows.
func (ds *Dataset) Rows() int { return ds.n }

// Features is the number of features (columns).
func (ds *Dataset) Features() int { return ds.d }

// MaxBin is the max_bin the dataset was binned with.
func (ds *Dataset) MaxBin() int { return ds.maxBin }

// Bins returns the number of bins of feature f.
func (ds *Dataset) Bins(f int) int { return ds.nbins[f] }

// Cuts returns the upper bounds of feature f's bins (shared; do not
// modify): bin b holds the values v with Cuts[b-1] <= v < Cuts[b].
func (ds *Dataset) Cuts(f int) []float32 { return ds.cuts[f] }

// binOf is the number of cuts at or below v: the bin of v.
func binOf(cuts []float32, v float32) int {
	i, j := 0, len(cuts)
	for i < j {
		h := int(uint(i+j) >> 1)
		if cuts[h] <= v {
			i = h + 1
		} else {
			j = h
		}
	}
	if i == len(cuts) {
		// Only values above the training range land here (never while
		// binning); they belong to the last bin.
		i--
	}
	return i
}

func argmax(xs []int) int {
	best := 0
	for i, x := range xs {
		if x > xs[best] {
			best = i
		}
	}
	return best
}

// quantileCuts returns the bin upper bounds of one feature's non-missing
// values, as XGBoost's hist method lays them out: when there are at most
// maxBin distinct values every one gets its own bin; otherwise the cut
// points are the values at maxBin-1 evenly spaced ranks (XGBoost sketches
// the same quantiles approximately; here they are exact). The last cut lies
// above the largest value, and minVal below the smallest, both by
// |v| + 1e-5 as in XGBoost.
func quantileCuts(vals []float32, maxBin int) (cuts []float32, minVal float32) {
	if len(vals) == 0 {
		return []float32{1e-5}, -1e-5
	}
	slices.Sort(vals)
	lo, hi := vals[0], vals[len(vals)-1]
	distinct := 1
	for i := 1; i < len(vals) && distinct <= maxBin; i++ {
		if vals[i] != vals[i-1] {
			distinct++
		}
	}
	if distinct <= maxBin {
		cuts = make([]float32, 0, distinct)
		for i := 1; i < len(vals); i++ {
			if vals[i] != vals[i-1] {
				cuts = append(cuts, vals[i])
			}
		}
	} else {
		cuts = make([]float32, 0, maxBin)
		last := lo
		n := len(vals) - 1
		for k := 1; k < maxBin-1; k++ {
			v := vals[int(uint64(k)*uint64(n)/uint64(maxBin-1))]
			if v > last {
				cuts = append(cuts, v)
				last = v
			}
		}
		if hi > last {
			cuts = append(cuts, hi)
		}
	}
	cuts = append(cuts, hi+(abs32(hi)+1e-5))
	return cuts, lo - (abs32(lo) + 1e-5)
}

func abs32(v float32) float32 {
	if v < 0 {
		return -v
	}
	return v
}
