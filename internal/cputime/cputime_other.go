//go:build !unix

package cputime

import "time"

// Used is 0 on systems without getrusage.
func Used() time.Duration { return 0 }
