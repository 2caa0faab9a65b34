package par

import (
	"context"
	"runtime"
	"sync/atomic"
	"testing"
)

func TestForCoversEveryIndexOnceWithFixedChunks(t *testing.T) {
	for _, tc := range []struct{ n, size, procs int }{
		{0, 4, 1}, {1, 4, 4}, {10, 3, 1}, {10, 3, 4}, {1000, 7, 2}, {5, 0, 2},
	} {
		prev := runtime.GOMAXPROCS(tc.procs)
		seen := make([]int32, tc.n)
		var bad atomic.Bool
		err := For(context.Background(), tc.n, tc.size, func(c, lo, hi int) {
			size := max(tc.size, 1)
			if lo != c*size || hi != min((c+1)*size, tc.n) {
				bad.Store(true)
			}
			for i := lo; i < hi; i++ {
				atomic.AddInt32(&seen[i], 1)
			}
		})
		runtime.GOMAXPROCS(prev)
		if err != nil {
			t.Fatalf("%+v: %v", tc, err)
		}
		if bad.Load() {
			t.Fatalf("%+v: chunk bounds depend on scheduling", tc)
		}
		for i, s := range seen {
			if s != 1 {
				t.Fatalf("%+v: index %d visited %d times", tc, i, s)
			}
		}
	}
}

func TestForStopsWhenCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	var calls atomic.Int32
	err := For(ctx, 1000, 1, func(c, lo, hi int) {
		if calls.Add(1) == 3 {
			cancel()
		}
	})
	if err != context.Canceled {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	if n := calls.Load(); n >= 1000 {
		t.Fatalf("ran all %d chunks after cancel", n)
	}
}

func TestForCarriesAWorkerPanicToTheCaller(t *testing.T) {
	prev := runtime.GOMAXPROCS(4)
	defer runtime.GOMAXPROCS(prev)
	defer func() {
		if recover() == nil {
			t.Fatal("the panic in a worker did not reach the caller")
		}
	}()
	_ = For(context.Background(), 100, 1, func(c, lo, hi int) {
		if c == 42 {
			panic("boom")
		}
	})
}
