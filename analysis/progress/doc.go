// Package progress is the one callback type through which every long
// computation in analysis reports how far it has come. The analysis packages
// call it from whatever goroutine does the work, often many times a second;
// the caller (the DSL) turns the calls into a progress display and throttles
// what it sends, so the reporting side stays a plain function call.
package progress
