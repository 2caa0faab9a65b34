package main

import (
	"sort"
	"testing"
	"time"
)

// BenchmarkExecuteRoundTrip measures what a user feels on every cell: the
// time from sending a trivial execute_request to the real binary over
// loopback ZeroMQ until its idle status arrives on iopub. It reports the
// median and the 90th percentile besides the mean.
//
//	go test -run XXX -bench ExecuteRoundTrip ./cmd/reckon/
func BenchmarkExecuteRoundTrip(b *testing.B) {
	k := startKernel(b)
	c := k.c
	// Warm up: the first cells pay for connection set-up.
	for i := 0; i < 20; i++ {
		if _, _, err := c.Execute("1", 10*time.Second); err != nil {
			b.Fatal(err)
		}
	}
	times := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		start := time.Now()
		id, err := c.Send("shell", "execute_request", map[string]any{"code": "1", "silent": false, "store_history": true})
		if err != nil {
			b.Fatal(err)
		}
		if _, err := c.IOPub(id, 10*time.Second); err != nil {
			b.Fatal(err)
		}
		times = append(times, time.Since(start))
	}
	b.StopTimer()
	sort.Slice(times, func(i, j int) bool { return times[i] < times[j] })
	b.ReportMetric(float64(times[len(times)/2].Microseconds())/1000, "median-ms")
	b.ReportMetric(float64(times[len(times)*9/10].Microseconds())/1000, "p90-ms")
}
