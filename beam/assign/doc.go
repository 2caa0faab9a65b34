// Package assign applies a saved Reckon model to sharded files on Apache
// Beam: the same assignment as `reckon apply`, spread over a runner's
// workers.
//
// Fitting stays on one machine (UMAP and HDBSCAN are fitted in memory, on
// all rows or a sample); what scales out is labelling the rows that come
// after. Apply adds to a Beam pipeline:
//
//	pattern ─ fileio.MatchFiles ─ ReadMatches ─ Reshuffle
//	   └─ assign (model loaded once per DoFn instance, in Setup)
//	        ├─ labelled batches ─ key by shard ─ GroupByKey ─ PREFIX-SSSSS-of-NNNNN.csv
//	        ├─ per-cluster counts ─ SumPerKey (a CombinePerKey) ┐
//	        └─ bad rows (dead letters) ─────────────────────────┴─ PREFIX-summary.csv, PREFIX-errors.csv
//
// The unit of work is a whole input file, read with Reckon's own readers
// rather than textio: a CSV file has a header that every row needs, and a
// quoted field may hold a newline, so a line-based, byte-range split
// (textio's) would cut rows in two and lose the header; a Parquet file is
// read whole, as `reckon apply` and Beam's parquetio read it. Each file is
// then assigned by pipeline.Pipeline.Apply (CSV, TSV) or ApplyFrame
// (Parquet), the very code of `reckon apply`, in batches of the same
// size. That matters beyond reuse: UMAP's transform refines a batch's
// points together, so the same batches give the same bytes, and the
// labelled rows equal `reckon apply`'s on the same files.
//
// A batch of labelled rows is one Beam element (CSV text with its header),
// so Beam's cost per element is paid once per 8,192 rows, not per row.
// Batches are spread over the output shards by a hash of their file and
// position; each shard is written whole by one worker, so a retried shard
// rewrites the same file.
//
// A bad row (a wrong number of fields, a value that does not fit its
// column's type) never stops the job nor vanishes: it goes to the dead
// letters, with its file, line and what was wrong, and is counted in the
// reckon/bad_rows metric, as `reckon apply --on-error=skip` reports it.
// With Options.Stop the job fails at the first one instead, naming it. An
// input without a column the model needs fails the job: that is not a bad
// row but a wrong file.
//
// Every path (model, inputs, output prefix) goes through Beam's filesystem
// package, so gs:// (and s3:// where registered) work as local paths do.
package assign
