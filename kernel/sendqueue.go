package kernel

import (
	"context"
	"log"
	"net"
	"sync"
	"time"
)

// A PUB socket in zmq4 writes each message to its subscribers in turn,
// blocking on each: one subscriber that stops reading (a suspended
// `jupyter console --existing`) stops iopub for every other one once its
// TCP buffers are full. ZeroMQ's own PUB queues for each subscriber and
// drops that subscriber's messages past its high-water mark. The kernel's
// iopub listener does the same below the socket: every connection it
// accepts writes from a bounded queue of its own, on its own goroutine.
const (
	// subscriberHWM is ZeroMQ's default ZMQ_SNDHWM, in messages.
	subscriberHWM = 1000
	// subscriberBytes bounds the bytes queued for one subscriber, so that
	// a thousand large plots cannot pile up a gigabyte for a client that
	// is not reading. A message that finds the queue empty is always
	// taken, whatever its size (up to maxMessage).
	subscriberBytes = 128 << 20
	// lingerFor is how long closing a connection waits for its queue to
	// drain: long enough for the last status and shutdown_reply to leave.
	lingerFor = 200 * time.Millisecond
)

type queueKey struct{}

// queueSetting is what withSubscriberQueues puts in a socket's context.
type queueSetting struct {
	hwm, bytes int
	log        *log.Logger
}

// withSubscriberQueues returns a context for a socket whose listener gives
// each connection a bounded send queue, logging to logger when it drops.
func withSubscriberQueues(ctx context.Context, logger *log.Logger) context.Context {
	return context.WithValue(ctx, queueKey{}, &queueSetting{hwm: subscriberHWM, bytes: subscriberBytes, log: logger})
}

// sendQueue holds what is to be written to one connection, written in
// order by its own goroutine.
type sendQueue struct {
	conn net.Conn
	set  queueSetting

	mu       sync.Mutex
	cond     *sync.Cond
	units    []queued
	messages int // data messages in units
	bytes    int
	closed   bool
	err      error // the first write error; later pushes return it
	dropped  int   // messages dropped in the current episode
	done     chan struct{}
}

type queued struct {
	b       []byte
	message bool
}

func newSendQueue(conn net.Conn, set queueSetting) *sendQueue {
	q := &sendQueue{conn: conn, set: set, done: make(chan struct{})}
	q.cond = sync.NewCond(&q.mu)
	go q.run()
	return q
}

// push queues b, a complete message (message) or a piece of the handshake.
// A message that finds the queue at its high-water mark is dropped, and
// the first drop of an episode is logged.
func (q *sendQueue) push(b []byte, message bool) error {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.err != nil {
		return q.err
	}
	if q.closed {
		return net.ErrClosed
	}
	if message && q.messages > 0 && (q.messages >= q.set.hwm || q.bytes+len(b) > q.set.bytes) {
		if q.dropped == 0 && q.set.log != nil {
			q.set.log.Printf("iopub: subscriber %s is not reading; dropping its messages while %d (%d bytes) wait for it",
				q.conn.RemoteAddr(), q.messages, q.bytes)
		}
		q.dropped++
		return nil
	}
	q.units = append(q.units, queued{b, message})
	q.bytes += len(b)
	if message {
		q.messages++
	}
	q.cond.Signal()
	return nil
}

func (q *sendQueue) run() {
	defer close(q.done)
	for {
		q.mu.Lock()
		for len(q.units) == 0 && !q.closed {
			q.cond.Wait()
		}
		if len(q.units) == 0 {
			q.mu.Unlock()
			return
		}
		u := q.units[0]
		q.units[0] = queued{}
		q.units = q.units[1:]
		q.mu.Unlock()

		_, err := q.conn.Write(u.b)

		q.mu.Lock()
		q.bytes -= len(u.b)
		if u.message {
			q.messages--
		}
		if q.dropped > 0 && q.messages == 0 && q.set.log != nil {
			q.set.log.Printf("iopub: subscriber %s is reading again; %d messages were dropped for it", q.conn.RemoteAddr(), q.dropped)
			q.dropped = 0
		}
		if err != nil {
			q.err = err
			q.units, q.messages, q.bytes = nil, 0, 0
			q.mu.Unlock()
			return
		}
		q.mu.Unlock()
	}
}

// close stops taking messages and waits up to linger for the queue to
// drain; the caller then closes the connection, which ends a write that
// is still blocked.
func (q *sendQueue) close(linger time.Duration) {
	q.mu.Lock()
	q.closed = true
	q.cond.Signal()
	q.mu.Unlock()
	t := time.NewTimer(linger)
	defer t.Stop()
	select {
	case <-q.done:
	case <-t.C:
	}
}
