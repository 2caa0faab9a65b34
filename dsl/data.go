package dsl

import (
	"bufio"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/reckon-dev/reckon/analysis/frame"
	"github.com/reckon-dev/reckon/analysis/pca"
	"github.com/reckon-dev/reckon/display"
	"github.com/reckon-dev/reckon/display/plot"
	"github.com/reckon-dev/reckon/display/vegalite"
)

// registerData adds the commands that load, look at, clean and reduce
// tables.
func registerData(r *Registry) {
	r.Register(
		&Command{
			Name: "load", Group: "data",
			Summary: "Read a CSV, TSV or Parquet file into a table.",
			Doc:     "The first row names the columns. Column types (numeric, categorical, boolean) are inferred; empty fields and NA, NaN, null and the like are missing values, but in quotes (\"NA\") they are text. Files ending in .tsv or .tab are read as tab-separated. Files ending in .parquet are read as Parquet (what pandas, Spark and BigQuery write): integers, floats and decimals become numeric columns, strings (dictionary-encoded or not) categorical, booleans boolean, and nulls missing values; nested columns (lists, maps, structs), dates and timestamps are refused with an error naming the column. Relative paths are relative to the notebook's folder. A text line may hold at most 16 MiB; a file that is not UTF-8 text is refused.",
			Params: []Param{
				{Name: "path", Type: Str, Doc: "the file to read"},
				{Name: "sep", Type: Str, Default: None, Doc: "the field separator; none means a tab for .tsv files and a comma otherwise (text files only)"},
				{Name: "categorical", Type: ListT, Default: None, Doc: "columns to read as categories, as written, even when they hold numbers (codes such as 1 to 10, or 007); pandas' dtype={\"col\": \"category\"}"},
			},
			Returns:  "table",
			Examples: []string{`tracks = load("examples/data/tracks.csv")`, `t = load("examples/data/tracks.csv", sep=",")`, `codes = load("examples/data/tracks.csv", categorical=["speechiness"])`, `t = load("examples/data/tracks.parquet")`},
			Run: func(ctx context.Context, c *Call) (Value, error) {
				if isParquetPath(c.Str("path")) {
					if !c.IsNone("sep") {
						return nil, c.Errorf("sep", "sep applies to text files; a Parquet file has no separator")
					}
					return tableResult(frame.ReadParquet(ctx, c.Str("path"), frame.ParquetOptions{Progress: c.Progress()}))
				}
				opts := frame.ReadOptions{Progress: c.Progress()}
				if !c.IsNone("categorical") {
					opts.Types = map[string]frame.Kind{}
					for _, v := range c.List("categorical") {
						if !ColumnName.Accepts(v) {
							return nil, c.Errorf("categorical", "categorical must list column names, not %s", describeValue(v))
						}
						opts.Types[columnName(v)] = frame.Categorical
					}
				}
				if !c.IsNone("sep") {
					sep := []rune(c.Str("sep"))
					if len(sep) != 1 {
						return nil, c.Errorf("sep", "sep must be a single character, not %q", c.Str("sep"))
					}
					opts.Sep = sep[0]
				}
				// The file is hashed for the table's lineage while it is read.
				stamped := make(chan error, 1)
				go func() { stamped <- c.StampFile(ctx, c.Str("path")) }()
				f, err := frame.Read(ctx, c.Str("path"), opts)
				if serr := <-stamped; err == nil && serr != nil {
					err = serr
				}
				if err != nil {
					return nil, err
				}
				c.file.Rows = f.NumRows()
				return NewTable(f), nil
			},
		},
		&Command{
			Name: "describe", Group: "data",
			Summary:  "Summarise every column: type, count, missing, mean, spread and quartiles, or the commonest values.",
			Doc:      "The figures are those of pandas' describe(): the standard deviation with n-1, quartiles by linear interpolation.",
			Params:   []Param{{Name: "data", Type: TabularT, Doc: "the table"}},
			Returns:  "listing",
			Examples: []string{`describe(tracks)`, `export(describe(tracks), to="summary.csv")`},
			Run: func(ctx context.Context, c *Call) (Value, error) {
				sums, err := tableOf(c, "data").Describe(ctx)
				if err != nil {
					return nil, err
				}
				t := display.Table{
					Columns: []string{"column", "type", "count", "missing", "mean", "std", "min", "25%", "50%", "75%", "max", "top values"},
					Numeric: []bool{false, false, true, true, true, true, true, true, true, true, true, false},
				}
				var raw [][]string
				for _, s := range sums {
					row := []string{s.Name, s.Kind.String(), thousands(s.Count), thousands(s.Missing)}
					rawRow := []string{s.Name, s.Kind.String(), strconv.Itoa(s.Count), strconv.Itoa(s.Missing)}
					if s.Kind == frame.Numeric {
						for _, v := range []float64{s.Mean, s.Std, s.Min, s.Q25, s.Median, s.Q75, s.Max} {
							row = append(row, formatShort(v))
							rawRow = append(rawRow, csvNumber(v))
						}
						row = append(row, "")
					} else {
						row = append(row, "", "", "", "", "", "", "")
						rawRow = append(rawRow, "", "", "", "", "", "", "")
						tops := make([]string, len(s.Top))
						for i, lc := range s.Top {
							tops[i] = fmt.Sprintf("%s (%s)", frame.LevelLabel(lc.Level), thousands(lc.Count))
						}
						top := strings.Join(tops, ", ")
						if s.Unique > len(s.Top) {
							top += fmt.Sprintf(" … %d distinct", s.Unique)
						}
						row = append(row, top)
					}
					t.Rows = append(t.Rows, row)
					raw = append(raw, append(rawRow, row[len(row)-1]))
				}
				t.Note = count(tableOf(c, "data").NumRows(), "row")
				return Listing{Table: t, Raw: raw}, nil
			},
		},
		&Command{
			Name: "select", Group: "data",
			Summary: "Keep only the named columns, in the order given.",
			Doc:     "A column is named by a string or given as itself (t.energy). A name that is not a column is an error that suggests the nearest one.",
			Params: []Param{
				{Name: "data", Type: TabularT, Doc: "the table"},
				{Name: "columns", Type: ColumnName, Variadic: true, Doc: "the columns to keep"},
			},
			Returns:  "table",
			Examples: []string{`select(tracks, "energy", "tempo")`},
			Run: func(ctx context.Context, c *Call) (Value, error) {
				if len(c.List("columns")) == 0 {
					return nil, c.Errorf("columns", "select needs the names of the columns to keep")
				}
				f, err := tableOf(c, "data").Select(columnNames(c.List("columns"))...)
				return tableResult(f, err)
			},
		},
		&Command{
			Name: "drop", Group: "data",
			Summary: "Remove the named columns.",
			Doc:     "A column is named by a string or given as itself (t.genre). Dropping a name that is not a column is an error, so that a typo is not silently ignored.",
			Params: []Param{
				{Name: "data", Type: TabularT, Doc: "the table"},
				{Name: "columns", Type: ColumnName, Variadic: true, Doc: "the columns to remove"},
			},
			Returns:  "table",
			Examples: []string{`X = drop(tracks, "track_id", "genre")`},
			Run: func(ctx context.Context, c *Call) (Value, error) {
				f, err := tableOf(c, "data").Drop(columnNames(c.List("columns"))...)
				return tableResult(f, err)
			},
		},
		&Command{
			Name: "where", Group: "data",
			Summary: "Keep the rows that meet a condition.",
			Doc:     "The condition is a comparison of a column, as where(t, t.energy > 0.5) or where(t, t.genre == [\"rock\", \"pop\"]), or spelled out as where(t, \"energy\", \">\", 0.5). A missing value meets no condition except !=, as in pandas.",
			Params: []Param{
				{Name: "data", Type: TabularT, Doc: "the table"},
				{Name: "condition", Type: OneOf(TypeOf("condition"), ColumnName), Doc: "a comparison such as t.energy > 0.5, or a column name"},
				{Name: "op", Type: Str, Default: None, Choices: []string{"==", "!=", "<", "<=", ">", ">=", "in"}, Doc: "the comparison, when condition is a column name"},
				{Name: "value", Type: Any, Default: None, Doc: "what to compare with, when condition is a column name; a list for in"},
			},
			Returns:  "table",
			Examples: []string{`loud = where(tracks, tracks.loudness > -5)`, `where(tracks, "genre", "in", ["rock", "pop"])`},
			Run: func(ctx context.Context, c *Call) (Value, error) {
				f := tableOf(c, "data")
				if cond, ok := c.Value("condition").(*Condition); ok {
					if !c.IsNone("op") || !c.IsNone("value") {
						return nil, c.Errorf("op", "give either a condition such as t.energy > 0.5, or a column name with op and value, not both")
					}
					return tableResult(f.Filter(cond.Column, cond.Op, cond.Value))
				}
				if c.IsNone("op") || c.IsNone("value") {
					return nil, c.Errorf("condition", "with a column name, where needs op and value too, as where(t, \"energy\", \">\", 0.5); or write the condition itself: where(t, t.energy > 0.5)")
				}
				op, err := frame.ParseOp(c.Str("op"))
				if err != nil {
					return nil, c.Errorf("op", "%v", err)
				}
				v, err := goValue(c.Value("value"))
				if err != nil {
					return nil, c.Errorf("value", "%v", err)
				}
				return tableResult(f.Filter(columnName(c.Value("condition")), op, v))
			},
		},
		&Command{
			Name: "sample", Group: "data",
			Summary: "Draw rows at random, without replacement.",
			Doc:     "Like pandas' DataFrame.sample(n, random_state=seed), though the rows drawn are not pandas': the same seed draws the same rows. n cannot exceed the number of rows.",
			Params: []Param{
				{Name: "data", Type: TabularT, Doc: "the table"},
				{Name: "n", Type: Int, Doc: "how many rows to draw"},
				seedParam,
			},
			Returns:  "table",
			Examples: []string{`small = sample(tracks, 100, seed=1)`},
			Run: func(ctx context.Context, c *Call) (Value, error) {
				n, err := positive(c, "n", 0)
				if err != nil {
					return nil, err
				}
				seed, err := seedOf(c)
				if err != nil {
					return nil, err
				}
				return tableResult(tableOf(c, "data").Sample(n, seed))
			},
		},
		&Command{
			Name: "head", Group: "data",
			Summary: "The first rows of a table.",
			Doc:     "As pandas' head: n rows from the top, or all of them when the table has fewer.",
			Params: []Param{
				{Name: "data", Type: TabularT, Doc: "the table"},
				{Name: "n", Type: Int, Default: Number(5), Doc: "how many rows"},
			},
			Returns:  "table",
			Examples: []string{`head(tracks)`, `head(tracks, 20)`},
			Run: func(ctx context.Context, c *Call) (Value, error) {
				n, err := positive(c, "n", 0)
				if err != nil {
					return nil, err
				}
				return tableResult(tableOf(c, "data").Head(n))
			},
		},
		&Command{
			Name: "standardize", Group: "data",
			Summary: "Scale numeric columns to mean 0 and standard deviation 1 (z-scores).",
			Doc:     "As scikit-learn's StandardScaler: the standard deviation divides by n. A constant column becomes all zeros; missing values stay missing.",
			Params: []Param{
				{Name: "data", Type: TabularT, Doc: "the table"},
				{Name: "columns", Type: ColumnName, Variadic: true, Doc: "the columns to scale; none named means every numeric column"},
			},
			Returns:  "table",
			Examples: []string{`X = standardize(drop(tracks, "track_id", "genre"))`},
			Run: func(ctx context.Context, c *Call) (Value, error) {
				return tableResult(tableOf(c, "data").Standardize(columnNames(c.List("columns"))...))
			},
		},
		&Command{
			Name: "onehot", Group: "data",
			Summary: "Replace categorical columns by one true/false column per value (genre_rock, genre_pop, ...).",
			Doc:     "As pandas' get_dummies: the values in sorted order, numbers by value; a missing value is false in every column. Numbers used as codes are encoded once made categorical, with categorical(data, \"col\") or load(..., categorical=[\"col\"]).",
			Params: []Param{
				{Name: "data", Type: TabularT, Doc: "the table"},
				{Name: "columns", Type: ColumnName, Variadic: true, Doc: "the columns to encode; none named means every categorical column"},
			},
			Returns:  "table",
			Examples: []string{`onehot(tracks, "genre")`},
			Run: func(ctx context.Context, c *Call) (Value, error) {
				return tableResult(tableOf(c, "data").OneHot(columnNames(c.List("columns"))...))
			},
		},
		&Command{
			Name: "categorical", Group: "data",
			Summary: "Make columns categorical, so that numbers used as codes (a grade 1 to 10) can be one-hot encoded.",
			Doc:     "As pandas' astype(\"category\"): a numeric column's distinct values become its categories, in increasing order and written as whole numbers where they are (\"3\", \"2.5\"); a boolean column's become \"false\" and \"true\". Missing values stay missing. To read such columns as categories in the first place, use load(..., categorical=[...]).",
			Params: []Param{
				{Name: "data", Type: TabularT, Doc: "the table"},
				{Name: "columns", Type: ColumnName, Variadic: true, Doc: "the columns to make categorical"},
			},
			Returns:  "table",
			Examples: []string{`categorical(tracks, "speechiness")`, `onehot(categorical(tracks, "speechiness"), "speechiness")`},
			Run: func(ctx context.Context, c *Call) (Value, error) {
				if len(c.List("columns")) == 0 {
					return nil, c.Errorf("columns", "categorical needs the names of the columns to make categorical")
				}
				return tableResult(tableOf(c, "data").Categorical(columnNames(c.List("columns"))...))
			},
		},
		&Command{
			Name: "impute", Group: "data",
			Summary: "Fill in missing values, as scikit-learn's SimpleImputer.",
			Doc:     "As scikit-learn's SimpleImputer: median and mean fill numeric columns with the statistic of the values present; most_frequent fills with the commonest value; constant fills with fill_value.",
			Params: []Param{
				{Name: "data", Type: TabularT, Doc: "the table"},
				{Name: "columns", Type: ColumnName, Variadic: true, Doc: "the columns to fill; none named means every column the strategy applies to"},
				{Name: "strategy", Type: Str, Default: String("median"), Choices: []string{"median", "mean", "most_frequent", "constant"}, Doc: "how to fill: median and mean for numeric columns, most_frequent and constant for any"},
				{Name: "fill_value", Type: Any, Default: None, Doc: "the value for strategy=\"constant\"; none means 0, \"missing_value\" or false by column type"},
			},
			Returns:  "table",
			Examples: []string{`impute(tracks)`, `impute(tracks, "genre", strategy="constant", fill_value="unknown")`},
			Run: func(ctx context.Context, c *Call) (Value, error) {
				opts, err := imputeOptions(c)
				if err != nil {
					return nil, err
				}
				return tableResult(tableOf(c, "data").Impute(opts))
			},
		},
		&Command{
			Name: "pca", Group: "embed",
			Summary: "Principal component analysis: the directions of largest variance, as scikit-learn's PCA.",
			Doc:     "The data are centred (not scaled: standardize first when columns have different units). Small data use the exact SVD; large data the randomized SVD of Halko et al. The result is an embedding to plot, cluster, feed to umap or export; transform(result, new_data) projects new rows.",
			Params: []Param{
				{Name: "data", Type: DataT, Doc: "the data, every column numeric"},
				{Name: "n_components", Type: Int, Default: Number(2), Doc: "how many components to keep"},
				{Name: "whiten", Type: Boolean, Default: Bool(false), Doc: "scale each component to unit variance"},
				{Name: "svd_solver", Type: Str, Default: String("auto"), Choices: []string{"auto", "full", "randomized"}, Doc: "auto: exact for small data, randomized for large"},
				seedParam,
			},
			Returns:  "embedding",
			Examples: []string{`p = pca(X, n_components=5, seed=0)`, `plot(p, color=tracks.genre)`},
			Run: func(ctx context.Context, c *Call) (Value, error) {
				x, err := c.Value("data").(Matrixer).Matrix()
				if err != nil {
					return nil, err
				}
				rows, cols := x.Dims()
				k, err := between(c, "n_components", 1, min(rows, cols), fmt.Sprintf("PCA keeps no more components than the data have rows or columns (%s × %s)", thousands(rows), thousands(cols)))
				if err != nil {
					return nil, err
				}
				seed, err := seedOf(c)
				if err != nil {
					return nil, err
				}
				model, y, err := pca.FitTransform(ctx, x, pca.Settings{NComponents: k, Whiten: c.Bool("whiten"), Solver: pca.Solver(c.Str("svd_solver")), Seed: seed, Progress: c.Progress()})
				if err != nil {
					return nil, err
				}
				n, d := x.Dims()
				parts := make([]string, 0, 3)
				total := 0.0
				for j, r := range model.ExplainedVarianceRatio {
					total += r
					if j < 3 {
						parts = append(parts, fmt.Sprintf("PC%d %.1f%%", j+1, 100*r))
					}
				}
				note := fmt.Sprintf("PCA of %s × %s (%s SVD): %s of the variance; %d components explain %.1f%%",
					thousands(n), thousands(d), model.Solver, strings.Join(parts, ", "), k, 100*total)
				e, err := NewEmbedding(y, "PC", "pca", note)
				if err != nil {
					return nil, err
				}
				e.Features = d
				e.PCA = model
				e.Place = model.Transform
				return e, nil
			},
		},
		&Command{
			Name: "transform", Group: "embed",
			Summary: "Place new rows in an existing embedding, as scikit-learn's and umap-learn's transform.",
			Doc:     "The new rows are placed by what the embedding learned from its own data: PCA's mean and components, UMAP's neighbours among the fitted rows; a row equal to a fitted row keeps its fitted position. The new rows must have the columns the embedding was made from, in the same order.",
			Params: []Param{
				{Name: "model", Type: TypeOf("embedding"), Doc: "the embedding pca or umap returned"},
				{Name: "data", Type: DataT, Doc: "new rows with the same columns as the data the embedding was made from"},
			},
			Returns:  "embedding",
			Examples: []string{`new_emb = transform(emb, sample(X, 10, seed=2))`},
			Run: func(ctx context.Context, c *Call) (Value, error) {
				e := c.Value("model").(*Embedding)
				if e.Place == nil {
					return nil, c.Errorf("model", "this embedding (%s) cannot place new rows", e.Method)
				}
				x, err := c.Value("data").(Matrixer).Matrix()
				if err != nil {
					return nil, err
				}
				if _, d := x.Dims(); d != e.Features {
					return nil, c.Errorf("data", "the new data have %s, but the embedding was made from %d", count(d, "column"), e.Features)
				}
				y, err := e.Place(ctx, x)
				if err != nil {
					return nil, err
				}
				n, _ := y.Dims()
				prefix := strings.TrimRight(e.data.Names()[0], "0123456789")
				out, err := NewEmbedding(y, prefix, e.Method, fmt.Sprintf("%s placed in the %s embedding", count(n, "row"), e.Method))
				if err != nil {
					return nil, err
				}
				out.Place, out.Features = e.Place, e.Features
				return out, nil
			},
		},
		&Command{
			Name: "export", Group: "report",
			Summary: "Write a value to a file: tables, embeddings, clusters, trees and SHAP values as CSV or Parquet, every summary table (describe, clusters, sweep, stability, vars) as CSV.",
			Doc:     "Tables, embeddings, clusters (label, name when named, probability, outlier score per row), trees (the label at each level) and an explanation's SHAP values are written as CSV or, for a file ending in .parquet, as Parquet (snappy-compressed, missing values as nulls, whole-number columns as 64-bit integers, categories as dictionary-encoded strings), which pandas.read_parquet, Spark and BigQuery read; format=\"csv\" or format=\"parquet\" overrides the extension. Table-like results (describe, clusters, sweep, stability, vars) are written as CSV. An explanation with format=\"xgboost\" writes one XGBoost JSON model per cluster into a folder, with models.json mapping labels to files. The file is written whole or not at all.",
			Params: []Param{
				{Name: "value", Type: Any, Doc: "what to write"},
				{Name: "to", Type: Str, Doc: "the file (or, for formats that write several files, the folder)"},
				{Name: "format", Type: Str, Default: None, Doc: "the file format; none chooses by the value and the file's extension"},
			},
			Examples: []string{`export(emb, to="embedding.csv")`, `export(cl, to="clusters.parquet")`, `export(describe(tracks), to="summary.csv")`},
			Run: func(ctx context.Context, c *Call) (Value, error) {
				ex, ok := c.Value("value").(Exporter)
				if !ok {
					return nil, c.Errorf("value", "%s cannot be exported", describeValue(c.Value("value")))
				}
				format := ""
				if !c.IsNone("format") {
					format = c.Str("format")
				}
				what, err := ex.Export(ctx, c.Str("to"), format)
				if err != nil {
					return nil, err
				}
				c.Out.Stream("stdout", what+"\n")
				return None, nil
			},
		},
		&Command{
			Name: "plot", Group: "plot",
			Summary: "Scatter plot of an embedding, coloured by a column, a list or clusters.",
			Doc:     "Categories get a legend (noise in light grey), numbers a colour bar. The plot is a PNG at twice the displayed pixels with a text description for readers without images; format=\"svg\" adds a vector form.",
			Params: []Param{
				{Name: "data", Type: OneOf(DataT, TypeOf("tree")), Doc: "an embedding, a table of two numeric columns, or a tree from recurse (drawn as an icicle)"},
				{Name: "color", Type: Any, Default: None, Doc: "what colours the points: a column (t.genre), a list with a value per point, or clusters"},
				{Name: "title", Type: Str, Default: None, Doc: "the plot's title"},
				tooltipParam,
				formatParam,
			},
			Returns:  "plot",
			Examples: []string{`plot(emb, color=tracks.genre)`, `plot(emb, color=cl)`, `plot(emb, color=cl, tooltip=["genre", "energy"])`, `plot(emb, color=cl, format="svg")`},
			Run:      runPlot,
		},
	)
}

// tableResult wraps what a frame operation returns.
func tableResult(f *frame.Frame, err error) (Value, error) {
	if err != nil {
		return nil, err
	}
	return NewTable(f), nil
}

// Exporter is a value that can be written to files.
type Exporter interface {
	// Export writes the value to path in format ("" to choose) and says
	// what it wrote.
	Export(ctx context.Context, path, format string) (string, error)
}

// Export writes the table as CSV, or as Parquet for a .parquet path.
func (t *Table) Export(ctx context.Context, path, format string) (string, error) {
	format, err := tableFormat(path, format, "a table")
	if err != nil {
		return "", err
	}
	write := t.data.WriteCSV
	if format == "parquet" {
		write = t.data.WriteParquet
	}
	if err := writeFileAtomic(path, write); err != nil {
		return "", err
	}
	return fmt.Sprintf("wrote %s to %s", t.Size(), path), nil
}

// csvNumber writes a number for a CSV file in full, and a missing one as
// an empty field, as pandas' to_csv does.
func csvNumber(v float64) string {
	if math.IsNaN(v) {
		return ""
	}
	return strconv.FormatFloat(v, 'g', -1, 64)
}

// exportGrid writes a table-like value (describe's summary, clusters(),
// a sweep) as CSV: the header, then rows; what names the value in the
// message ("the summary").
func exportGrid(path, format, what string, header []string, rows [][]string) (string, error) {
	if format != "" && format != "csv" {
		return "", fmt.Errorf("%s is exported as csv, not %q", what, format)
	}
	err := writeFileAtomic(path, func(w io.Writer) error {
		cw := csv.NewWriter(w)
		if err := cw.Write(header); err != nil {
			return err
		}
		if err := cw.WriteAll(rows); err != nil {
			return err
		}
		return cw.Error()
	})
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("wrote %s of %s × %s to %s", what, count(len(rows), "row"), count(len(header), "column"), path), nil
}

// writeFileAtomic writes a file through a temporary one beside it, so that
// a failed export never leaves half a file under the name asked for.
func writeFileAtomic(path string, write func(w io.Writer) error) error {
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".*")
	if err != nil {
		return fmt.Errorf("cannot write %s: %w", path, pathless(err))
	}
	defer os.Remove(tmp.Name())
	// CreateTemp makes the file private; a written file is for sharing.
	if err := tmp.Chmod(0o644); err != nil {
		tmp.Close()
		return fmt.Errorf("export: %w", err)
	}
	w := bufio.NewWriterSize(tmp, 1<<20)
	err = write(w)
	if err == nil {
		err = w.Flush()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), path)
	}
	if err != nil {
		return fmt.Errorf("cannot write %s: %w", path, pathless(err))
	}
	return nil
}

// pathless drops the operation and the path from a file system error,
// which name the temporary file rather than the one the user asked for.
func pathless(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	var le *os.LinkError
	if errors.As(err, &le) {
		return le.Err
	}
	return err
}

// Colorer is a value that can colour the points of a plot: exactly one of
// labels (categories) and values (numbers) is set, alpha optionally.
type Colorer interface {
	Colors() (labels []string, values []float64, alpha []float64, name string)
}

// Colors of a column: categories for categorical and boolean columns,
// numbers for numeric ones. Missing values are NA, apart from any
// category (frame.Column.Label).
func (c *Column) Colors() ([]string, []float64, []float64, string) {
	n := c.Data.Len()
	if c.Data.Kind() == frame.Numeric {
		return nil, c.Data.Float64s(), nil, c.Data.Name()
	}
	labels := make([]string, n)
	for i := range labels {
		labels[i] = c.Data.Label(i)
	}
	return labels, nil, nil, c.Data.Name()
}

// colorBy colours a scatter plot's points by col, with the names of named
// clusters.
func colorBy(opts *plot.ScatterOptions, col Colorer) {
	opts.Labels, opts.Values, opts.Alpha, opts.ColorName = col.Colors()
	if named, ok := col.(Named); ok && len(named.ClusterNames()) > 0 {
		names := named.ClusterNames()
		opts.Names = map[string]string{}
		for _, l := range opts.Labels {
			opts.Names[l] = names.forRow(l)
		}
	}
}

// PlotValue is a finished plot.
type PlotValue struct{ Bundle display.Bundle }

func (PlotValue) Type() string              { return "plot" }
func (p PlotValue) String() string          { return p.Bundle.Plain() }
func (p PlotValue) Display() display.Bundle { return p.Bundle }

func runPlot(ctx context.Context, c *Call) (Value, error) {
	if t, ok := c.Value("data").(*Tree); ok {
		if !c.IsNone("color") {
			return nil, c.Errorf("color", "a tree is drawn as an icicle, coloured by its clusters; color applies to embeddings")
		}
		if !c.IsNone("tooltip") {
			return nil, c.Errorf("tooltip", "a tree is drawn as an icicle; tooltip applies to embeddings")
		}
		b, err := t.icicle(plotFormat(c))
		if err != nil {
			return nil, err
		}
		return PlotValue{b}, nil
	}
	opts := plot.ScatterOptions{Format: plotFormat(c)}
	if t, ok := c.Value("data").(Tabular); ok {
		names := t.Frame().Names()
		// An embedding of more dimensions shows its first two.
		if _, isEmb := t.(*Embedding); len(names) != 2 && !(isEmb && len(names) > 2) {
			return nil, c.Errorf("data", "plot draws two coordinates, and these data have %d columns; reduce them with pca or umap first", len(names))
		}
		opts.XLabel, opts.YLabel = names[0], names[1]
	}
	x, err := c.Value("data").(Matrixer).Matrix()
	if err != nil {
		return nil, err
	}
	n, _ := x.Dims()
	if !c.IsNone("title") {
		opts.Title = c.Str("title")
	}
	switch col := c.Value("color").(type) {
	case NoneValue:
	case Colorer:
		colorBy(&opts, col)
	case List:
		for _, v := range col {
			switch v := v.(type) {
			case Number:
				if opts.Labels != nil {
					return nil, c.Errorf("color", "a colour list must hold only numbers or only strings")
				}
				opts.Values = append(opts.Values, float64(v))
			case String:
				if opts.Values != nil {
					return nil, c.Errorf("color", "a colour list must hold only numbers or only strings")
				}
				opts.Labels = append(opts.Labels, string(v))
			default:
				return nil, c.Errorf("color", "a colour list holds numbers or strings, not %s", describeValue(v))
			}
		}
	default:
		return nil, c.Errorf("color", "color must be a column, a list or clusters, not %s", describeValue(col))
	}
	if k := max(len(opts.Labels), len(opts.Values)); k > 0 && k != n {
		return nil, c.Errorf("color", "color has %s values but the data have %s points", thousands(k), thousands(n))
	}
	xs, ys := make([]float64, n), make([]float64, n)
	for i := 0; i < n; i++ {
		xs[i], ys[i] = x.At(i, 0), x.At(i, 1)
	}
	tables := sourceTables(c, "data", n, c.Value("color"))
	tips, err := tooltipColumns(c, tables, n)
	if err != nil {
		return nil, err
	}
	b, err := plot.Scatter(xs, ys, opts)
	if err != nil {
		return nil, err
	}
	spec, err := vegalite.Scatter(xs, ys, vegalite.ScatterOptions{
		Title: opts.Title, XLabel: opts.XLabel, YLabel: opts.YLabel,
		Labels: opts.Labels, Names: opts.Names, Values: opts.Values, ColorName: opts.ColorName,
		Probabilities: opts.Alpha, ID: idColumn(tables), Tooltip: tips,
	})
	if err != nil {
		return nil, err
	}
	return PlotValue{vegalite.Attach(b, spec)}, nil
}

// imputeOptions are the options of a call of impute.
func imputeOptions(c *Call) (frame.ImputeOptions, error) {
	opts := frame.ImputeOptions{Strategy: frame.Strategy(c.Str("strategy")), Columns: columnNames(c.List("columns"))}
	if !c.IsNone("fill_value") {
		v, err := goValue(c.Value("fill_value"))
		if err != nil {
			return opts, c.Errorf("fill_value", "%v", err)
		}
		opts.FillValue = v
	}
	return opts, nil
}
