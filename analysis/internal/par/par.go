package par

import (
	"context"
	"runtime"
	"sync"
	"sync/atomic"
)

// Chunks returns the number of chunks of at most size items that cover n.
func Chunks(n, size int) int {
	if n <= 0 {
		return 0
	}
	if size < 1 {
		size = 1
	}
	return (n + size - 1) / size
}

// For calls fn(chunk, lo, hi) for every chunk [lo, hi) of at most size items
// covering [0, n), on up to GOMAXPROCS goroutines. Chunk c always covers
// [c*size, min((c+1)*size, n)), whatever the number of goroutines. It stops
// handing out chunks once ctx is done and then returns ctx.Err(); chunks
// already started run to their end.
func For(ctx context.Context, n, size int, fn func(chunk, lo, hi int)) error {
	if size < 1 {
		size = 1
	}
	chunks := Chunks(n, size)
	workers := min(runtime.GOMAXPROCS(0), chunks)
	if workers <= 1 {
		for c := 0; c < chunks; c++ {
			if err := ctx.Err(); err != nil {
				return err
			}
			fn(c, c*size, min((c+1)*size, n))
		}
		return ctx.Err()
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for ctx.Err() == nil {
				c := int(next.Add(1) - 1)
				if c >= chunks {
					return
				}
				fn(c, c*size, min((c+1)*size, n))
			}
		}()
	}
	wg.Wait()
	return ctx.Err()
}
