package kernel

import (
	"bytes"
	"io"
	"log"
	"net"
	"strings"
	"sync"
	"testing"
	"time"
)

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func (s *syncBuffer) Reset() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.b.Reset()
}

// TestSendQueueDropsPastItsMarkAndLogsOncePerEpisode fills the queue of a
// connection nobody reads, then reads it dry, twice: each episode of
// dropping is logged once when it starts and once when it ends, what was
// queued arrives whole and in order, and handshake pieces are never
// dropped.
func TestSendQueueDropsPastItsMarkAndLogsOncePerEpisode(t *testing.T) {
	server, client := net.Pipe()
	defer client.Close()
	logged := &syncBuffer{}
	q := newSendQueue(server, queueSetting{hwm: 3, bytes: 1 << 20, log: log.New(logged, "", 0)})
	defer func() { q.close(time.Second); server.Close() }()

	for episode := 0; episode < 2; episode++ {
		logged.Reset()
		// Nobody reads: the writer blocks on the first unit, the queue
		// holds three messages, and the rest are dropped.
		for i := 0; i < 10; i++ {
			if err := q.push([]byte{byte('a' + i)}, true); err != nil {
				t.Fatal(err)
			}
		}
		if err := q.push([]byte("!"), false); err != nil {
			t.Fatal(err)
		}
		if n := strings.Count(logged.String(), "is not reading"); n != 1 {
			t.Fatalf("episode %d: %d lines about dropping, want 1:\n%s", episode, n, logged.String())
		}
		got := make([]byte, 4)
		if _, err := io.ReadFull(client, got); err != nil {
			t.Fatal(err)
		}
		if string(got) != "abc!" {
			t.Errorf("episode %d: the reader got %q, want the three queued messages and the command", episode, got)
		}
		// The queue is empty once the writer has written the last unit.
		deadline := time.Now().Add(10 * time.Second)
		for !strings.Contains(logged.String(), "reading again; 7 messages were dropped") {
			if time.Now().After(deadline) {
				t.Fatalf("episode %d: the end of dropping was not logged:\n%s", episode, logged.String())
			}
			time.Sleep(time.Millisecond)
		}
	}
}

// TestSendQueueBoundsBytes drops a message that would take the queue past
// its byte bound, but always takes one that finds the queue empty.
func TestSendQueueBoundsBytes(t *testing.T) {
	server, client := net.Pipe()
	defer client.Close()
	q := newSendQueue(server, queueSetting{hwm: 1000, bytes: 10})
	defer func() { q.close(time.Second); server.Close() }()
	for _, m := range []string{"big message", "small", "x"} {
		if err := q.push([]byte(m), true); err != nil {
			t.Fatal(err)
		}
	}
	got := make([]byte, len("big message"))
	if _, err := io.ReadFull(client, got); err != nil || string(got) != "big message" {
		t.Fatalf("read %q, %v", got, err)
	}
	q.close(time.Second)
	server.Close()
	rest, _ := io.ReadAll(client)
	if string(rest) != "" {
		t.Errorf("after the first message the reader got %q; both later ones were over the byte bound", rest)
	}
}
