package par

import (
	"context"
	"fmt"
	"runtime"
	"runtime/debug"
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
// already started run to their end. A panic in fn is carried to the caller's
// goroutine, where a recover can catch it, instead of killing the process.
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
	var (
		next     atomic.Int64
		wg       sync.WaitGroup
		panicMu  sync.Mutex
		panicked any
	)
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() {
				if p := recover(); p != nil {
					panicMu.Lock()
					if panicked == nil {
						panicked = fmt.Sprintf("%v\n\n%s", p, debug.Stack())
					}
					panicMu.Unlock()
					// Stop the other workers from taking more chunks.
					next.Store(int64(chunks))
				}
			}()
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
	if panicked != nil {
		panic(panicked)
	}
	return ctx.Err()
}
