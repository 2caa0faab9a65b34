//go:build race

package kernel_test

// raceEnabled says whether the tests run under the race detector, which
// makes a test that builds a quarter of a gigabyte too slow and too large.
const raceEnabled = true
