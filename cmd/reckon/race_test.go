//go:build race

package main

// raceEnabled makes the tests build the kernel binary with the race
// detector when they themselves run with it, so that the kernel's own
// goroutines are checked too.
const raceEnabled = true
