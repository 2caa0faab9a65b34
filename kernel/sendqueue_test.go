package kernel

import (
	"io"
	"log"
	"net"
	"strings"
	"testing"
	"time"
)

// logLines receives a logger's lines, one a write.
type logLines chan string

func (c logLines) Write(p []byte) (int, error) {
	c <- string(p)
	return len(p), nil
}

// TestSendQueueDropsPastItsMarkAndLogsOncePerEpisode fills the queue of a
// connection nobody reads, then reads it dry, twice: each episode of
// dropping is logged once when it starts and once when it ends, what was
// queued arrives whole and in order, and handshake pieces are never
// dropped.
func TestSendQueueDropsPastItsMarkAndLogsOncePerEpisode(t *testing.T) {
	server, client := net.Pipe()
	defer client.Close()
	logged := make(logLines, 100)
	q := newSendQueue(server, queueSetting{hwm: 3, bytes: 1 << 20, log: log.New(logged, "", 0)})
	defer func() { q.close(time.Second); server.Close() }()

	for episode := 0; episode < 2; episode++ {
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
		if n := len(logged); n != 1 {
			t.Fatalf("episode %d: %d lines logged while dropping, want 1", episode, n)
		}
		if l := <-logged; !strings.Contains(l, "is not reading") {
			t.Errorf("episode %d: logged %q when dropping began", episode, l)
		}
		got := make([]byte, 4)
		if _, err := io.ReadFull(client, got); err != nil {
			t.Fatal(err)
		}
		if string(got) != "abc!" {
			t.Errorf("episode %d: the reader got %q, want the three queued messages and the command", episode, got)
		}
		// Once the writer has written the last unit, the episode ends.
		if l := <-logged; !strings.Contains(l, "reading again; 7 messages were dropped") {
			t.Errorf("episode %d: logged %q when dropping ended", episode, l)
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
