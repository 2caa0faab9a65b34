// Package cputime reads the processor time the process has used, which
// benchmarks report beside wall time: on a shared machine wall time
// measures the neighbours too, processor time mostly the work itself.
package cputime
