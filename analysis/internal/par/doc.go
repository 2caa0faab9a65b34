// Package par runs loops in parallel in a way that keeps results
// deterministic: the work is cut into chunks whose boundaries depend only on
// the problem size, never on GOMAXPROCS, so code that seeds a random stream
// per chunk or reduces per-chunk results in chunk order gets the same answer
// on one core or many.
package par
