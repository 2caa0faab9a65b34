// Package xgbtest runs the reference implementation, XGBoost from Python,
// for tests and benchmarks that check this module's boosting and TreeSHAP
// against it, the way net/http/httptest serves tests of net/http.
//
// It uses /usr/bin/python3 with Debian's python3-xgboost (1.7) and numpy.
// Where they are missing, Require skips the test, or fails it when the
// environment variable CI is set, so that CI cannot pass without the
// comparison.
package xgbtest

import (
	"encoding/binary"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"gonum.org/v1/gonum/mat"

	"github.com/reckon-dev/reckon/internal/pyref"
)

// Require skips tb unless Python can import xgboost and numpy; with CI
// set it fails tb instead.
func Require(tb testing.TB) {
	tb.Helper()
	pyref.Require(tb, "python3-xgboost", "xgboost", "numpy")
}

// Run runs a Python script with arguments and returns its standard output;
// it fails tb, showing the standard error, when the script fails.
func Run(tb testing.TB, script string, args ...string) []byte {
	tb.Helper()
	Require(tb)
	return pyref.Run(tb, script, nil, args...)
}

// WriteMatrix writes X to path as little-endian float32, row after row,
// which is how XGBoost sees the data (NaN stays NaN: a missing value).
func WriteMatrix(tb testing.TB, path string, X *mat.Dense) {
	tb.Helper()
	r, c := X.Dims()
	buf := make([]byte, 4*r*c)
	for i := 0; i < r; i++ {
		for j, v := range X.RawRowView(i) {
			binary.LittleEndian.PutUint32(buf[4*(i*c+j):], math.Float32bits(float32(v)))
		}
	}
	if err := os.WriteFile(path, buf, 0o644); err != nil {
		tb.Fatal(err)
	}
}

// WriteVector writes v to path as little-endian float32.
func WriteVector(tb testing.TB, path string, v []float64) {
	tb.Helper()
	WriteMatrix(tb, path, mat.NewDense(1, len(v), append([]float64(nil), v...)))
}

func readRaw(tb testing.TB, path string) []byte {
	tb.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

// ReadFloat32s reads a file of little-endian float32 values.
func ReadFloat32s(tb testing.TB, path string) []float32 {
	tb.Helper()
	b := readRaw(tb, path)
	out := make([]float32, len(b)/4)
	for i := range out {
		out[i] = math.Float32frombits(binary.LittleEndian.Uint32(b[4*i:]))
	}
	return out
}

// ReadInt32s reads a file of little-endian int32 values.
func ReadInt32s(tb testing.TB, path string) []int32 {
	tb.Helper()
	b := readRaw(tb, path)
	out := make([]int32, len(b)/4)
	for i := range out {
		out[i] = int32(binary.LittleEndian.Uint32(b[4*i:]))
	}
	return out
}

const predictScript = `
import sys, numpy as np, xgboost as xgb
model, data, rows, cols, out = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
X = np.fromfile(data, dtype="<f4").reshape(rows, cols)
b = xgb.Booster()
b.load_model(model)
d = xgb.DMatrix(X, missing=np.nan, feature_names=b.feature_names)
b.predict(d, output_margin=True).astype("<f4").tofile(out + ".margin")
b.predict(d).astype("<f4").tofile(out + ".prob")
b.predict(d, pred_leaf=True).astype("<i4").tofile(out + ".leaf")
b.predict(d, pred_contribs=True).astype("<f4").tofile(out + ".contribs")
`

// Predictions are what XGBoost computes for a model and a matrix.
type Predictions struct {
	Margin, Prob []float32
	// Leaves[i*trees+t] is the node index of the leaf row i reaches in
	// tree t.
	Leaves []int32
	// Contribs holds pred_contribs: one row per input row, one column per
	// feature and the bias (expected value) last.
	Contribs []float32
}

// Predict loads the XGBoost JSON model at modelPath into XGBoost and
// predicts X with it: margins, probabilities, leaves and SHAP values.
func Predict(tb testing.TB, modelPath string, X *mat.Dense) Predictions {
	tb.Helper()
	Require(tb)
	dir := tb.TempDir()
	data := filepath.Join(dir, "x.f32")
	WriteMatrix(tb, data, X)
	r, c := X.Dims()
	out := filepath.Join(dir, "pred")
	Run(tb, predictScript, modelPath, data, strconv.Itoa(r), strconv.Itoa(c), out)
	return Predictions{
		Margin:   ReadFloat32s(tb, out+".margin"),
		Prob:     ReadFloat32s(tb, out+".prob"),
		Leaves:   ReadInt32s(tb, out+".leaf"),
		Contribs: ReadFloat32s(tb, out+".contribs"),
	}
}

const trainScript = `
import sys, json, time, numpy as np, xgboost as xgb
data, labels, rows, cols, params, rounds, model = sys.argv[1:8]
rows, cols, rounds = int(rows), int(cols), int(rounds)
X = np.fromfile(data, dtype="<f4").reshape(rows, cols)
y = np.fromfile(labels, dtype="<f4")
times = []
for i, extra in enumerate(json.loads(params)):
    p = {"objective": "binary:logistic", "tree_method": "hist"}
    p.update(extra)
    t0 = time.perf_counter()
    d = xgb.DMatrix(X, label=y, missing=np.nan)
    t1 = time.perf_counter()
    b = xgb.train(p, d, rounds)
    t2 = time.perf_counter()
    b.save_model(model % i)
    times.append({"dmatrix": t1 - t0, "train": t2 - t1})
print(json.dumps(times))
`

// Trained describes a model XGBoost trained.
type Trained struct {
	Path string // the model in XGBoost's JSON format
	// DMatrix and Train are the wall times of building the DMatrix and of
	// xgb.train.
	DMatrix, Train time.Duration
}

// Train trains XGBoost's hist method (binary:logistic) for rounds rounds
// on X and y, once for each set of extra parameters (XGBoost's names), in
// one Python process, and saves the models as JSON in a temporary
// directory.
func Train(tb testing.TB, X *mat.Dense, y []float64, rounds int, params ...map[string]any) []Trained {
	tb.Helper()
	Require(tb)
	dir := tb.TempDir()
	data, labels := filepath.Join(dir, "x.f32"), filepath.Join(dir, "y.f32")
	WriteMatrix(tb, data, X)
	WriteVector(tb, labels, y)
	js, err := json.Marshal(params)
	if err != nil {
		tb.Fatal(err)
	}
	r, c := X.Dims()
	model := filepath.Join(dir, "model%d.json")
	out := Run(tb, trainScript, data, labels, strconv.Itoa(r), strconv.Itoa(c), string(js), strconv.Itoa(rounds), model)
	var times []struct{ DMatrix, Train float64 }
	if err := json.Unmarshal(out, &times); err != nil || len(times) != len(params) {
		tb.Fatalf("reading the training times %q: %v", out, err)
	}
	sec := func(s float64) time.Duration { return time.Duration(s * float64(time.Second)) }
	trained := make([]Trained, len(params))
	for i, t := range times {
		trained[i] = Trained{Path: fmt.Sprintf(model, i), DMatrix: sec(t.DMatrix), Train: sec(t.Train)}
	}
	return trained
}
