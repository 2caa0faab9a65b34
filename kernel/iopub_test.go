package kernel_test

import (
	"context"
	"log"
	"strings"
	"sync"
	"testing"

	"github.com/go-zeromq/zmq4"
	"github.com/reckon-dev/reckon/internal/jupytertest"
	"github.com/reckon-dev/reckon/kernel"
)

// lines collects a kernel's log lines.
type lines struct {
	mu sync.Mutex
	l  []string
}

func (w *lines) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.l = append(w.l, strings.TrimRight(string(p), "\n"))
	return len(p), nil
}

func (w *lines) matching(s string) []string {
	w.mu.Lock()
	defer w.mu.Unlock()
	var got []string
	for _, l := range w.l {
		if strings.Contains(l, s) {
			got = append(got, l)
		}
	}
	return got
}

// TestAStalledSubscriberStallsNobodyElse connects a SUB socket that never
// reads (a suspended `jupyter console --existing`) beside a client that
// reads everything. 2,000 cells of 8 KB displays, 16 MB and 8,000
// messages, far beyond what the stalled one's TCP buffers and its queue of
// 1,000 messages hold: the reading client must still receive every message
// of every cell, and the kernel must say, once, that it drops messages
// for the stalled one.
func TestAStalledSubscriberStallsNobodyElse(t *testing.T) {
	ci, err := jupytertest.FreeConnection("stall-key")
	if err != nil {
		t.Fatal(err)
	}
	logged := &lines{}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		kernel.Run(ctx, ci, fakeInterp{}, kernel.Options{Log: log.New(logged, "", 0)})
	}()
	c, err := jupytertest.Dial(ci)
	if err != nil {
		t.Fatal(err)
	}
	stalled := zmq4.NewSub(context.Background())
	t.Cleanup(func() {
		c.Close()
		stalled.Close()
		cancel()
		<-done
	})
	if err := c.WaitReady(timeout); err != nil {
		t.Fatal(err)
	}
	if err := stalled.Dial(ci.Endpoint(ci.IOPubPort)); err != nil {
		t.Fatal(err)
	}
	if err := stalled.SetOption(zmq4.OptionSubscribe, ""); err != nil {
		t.Fatal(err)
	}
	const cells, size = 2000, 8 << 10
	for i := 0; i < cells; i++ {
		_, types, contents := execute(t, c, "blob 8192")
		if strings.Join(types, " ") != "status execute_input display_data status" {
			t.Fatalf("cell %d: iopub %v", i, types)
		}
		if got := contents[2]["data"].(map[string]any)["text/plain"].(string); len(got) != size {
			t.Fatalf("cell %d: a display of %d bytes, want %d", i, len(got), size)
		}
	}
	if got := logged.matching("not reading"); len(got) != 1 {
		t.Errorf("the kernel logged %d lines about the stalled subscriber, want 1: %q", len(got), got)
	}
}
