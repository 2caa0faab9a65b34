//go:build !unix

package frame

import "time"

// cpuTime is not measured here; benchmarks then report zero.
func cpuTime() time.Duration { return 0 }
