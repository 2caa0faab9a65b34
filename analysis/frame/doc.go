// Package frame holds tables of data as typed columns: numeric (float64,
// NaN for missing), categorical (strings coded against their distinct
// levels) and boolean. Read streams a CSV or TSV file into a Frame the way
// pandas' read_csv does with its defaults (the same missing-value markers,
// quoting rules and per-column type inference), without ever holding the
// file's text, and reports a malformed file by file, line and column. It
// reads within bounded memory whatever the input (a record holds at most
// MaxRecordBytes, a column's storage grows with its rows), stops at once
// when its context is cancelled, and refuses input that is not UTF-8 text
// without echoing it. ReadParquet streams a Parquet file's row groups into
// the same columns, and WriteParquet writes files that pandas, Spark and
// BigQuery read. A missing value is never a text: a category spelled
// NA is written and read in quotes, and shown as "NA" (Column.Label). A
// Frame is immutable; its operations return new frames: choosing columns
// and rows (Select, Drop, Filter, Head, Sample, Take), preparing features
// (Standardize, Categorical, OneHot, Impute) and summarising them
// (Describe, with pandas' figures). Dense hands the numbers to the numeric packages as a
// gonum matrix, and refuses missing values and categorical columns with a
// message that says which of Impute, OneHot or Drop would fix them.
package frame
