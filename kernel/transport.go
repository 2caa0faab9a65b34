package kernel

import (
	"bufio"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"sync"

	"github.com/go-zeromq/zmq4"
	"github.com/go-zeromq/zmq4/transport"
)

// The kernel binds its sockets through guarded transports rather than
// zmq4's own tcp and ipc ones, and shakes hands with safeNull below. zmq4 trusts the length in a frame header and
// allocates it before reading, so a few crafted bytes on any port (a frame
// claiming 2^62 bytes) would crash the process from a goroutine no recover
// reaches; and it writes every frame header and body with a syscall of its
// own, a dozen TCP segments per Jupyter message. A guarded connection reads
// the ZMTP stream as it passes, closing any connection that announces a
// frame or message larger than the limits below, and gathers the frames of
// a message into a single write.
const (
	guardedTCP = "guarded-tcp"
	guardedIPC = "guarded-ipc"

	// maxFrame and maxMessage bound what a peer may announce. Jupyter
	// messages are JSON plus optional binary buffers; a quarter of a
	// gigabyte in one frame is far beyond any this kernel exchanges.
	maxFrame   = 256 << 20
	maxMessage = 512 << 20

	// greetingLen is the fixed size of a ZMTP 3 greeting.
	greetingLen = 64
)

func init() {
	for name, network := range map[string]string{guardedTCP: "tcp", guardedIPC: "unix"} {
		if err := zmq4.RegisterTransport(name, guarded{inner: transport.New(network)}); err != nil {
			panic(err)
		}
	}
}

// sizeLimit bounds a message the kernel sends: no frame over frame bytes,
// no message over message bytes. Its peers may read with the same limits
// the guarded transport reads with, so the kernel holds itself to them.
type sizeLimit struct{ frame, message int }

// sendLimit is the limit every kernel takes when it starts; tests lower it.
var sendLimit = sizeLimit{maxFrame, maxMessage}

// ErrMessageTooLarge is returned for a message the kernel will not send
// because it is over the size limit.
var ErrMessageTooLarge = errors.New("message too large")

// tooLarge is ErrMessageTooLarge with what was too large.
type tooLarge struct{ detail string }

func (e *tooLarge) Error() string        { return ErrMessageTooLarge.Error() + ": " + e.detail }
func (e *tooLarge) Is(target error) bool { return target == ErrMessageTooLarge }

// check returns a *tooLarge error when frames are over the limit.
func (l sizeLimit) check(frames [][]byte) error {
	total := 0
	for _, f := range frames {
		if len(f) > l.frame {
			return &tooLarge{fmt.Sprintf("one part is %s, over the limit of %s", byteSize(len(f)), byteSize(l.frame))}
		}
		total += len(f)
	}
	if total > l.message {
		return &tooLarge{fmt.Sprintf("it is %s, over the limit of %s", byteSize(total), byteSize(l.message))}
	}
	return nil
}

// tooLargeDetail says what was too large in err, a *tooLarge.
func tooLargeDetail(err error) string {
	var e *tooLarge
	if errors.As(err, &e) {
		return e.detail
	}
	return err.Error()
}

// byteSize writes n bytes for people: "300.0 MiB".
func byteSize(n int) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d bytes", n)
}

// ErrOversized closes a connection whose peer announced a frame or message
// beyond the kernel's limits.
var ErrOversized = errors.New("peer announced an oversized ZeroMQ frame")

type guarded struct{ inner transport.Transport }

func (g guarded) Dial(ctx context.Context, d transport.Dialer, addr string) (net.Conn, error) {
	c, err := g.inner.Dial(ctx, d, addr)
	if err != nil {
		return nil, err
	}
	return newGuardConn(c), nil
}

// Listen listens on addr; when ctx carries a queue setting (see
// withSubscriberQueues), every connection it accepts sends through a
// bounded queue of its own.
func (g guarded) Listen(ctx context.Context, addr string) (net.Listener, error) {
	l, err := g.inner.Listen(ctx, addr)
	if err != nil {
		return nil, err
	}
	q, _ := ctx.Value(queueKey{}).(*queueSetting)
	return guardListener{l, q}, nil
}

func (g guarded) Addr(ep string) (string, error) { return g.inner.Addr(ep) }

type guardListener struct {
	net.Listener
	queue *queueSetting
}

func (l guardListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	g := newGuardConn(c)
	if l.queue != nil {
		g.q = newSendQueue(c, *l.queue)
	}
	return g, nil
}

type guardConn struct {
	net.Conn
	r  *bufio.Reader
	in zmtpScanner

	wmu  sync.Mutex
	wbuf []byte
	out  zmtpScanner
	q    *sendQueue // nil: writes go straight to the connection
}

func newGuardConn(c net.Conn) *guardConn {
	return &guardConn{Conn: c, r: bufio.NewReaderSize(c, 64<<10), out: zmtpScanner{unlimited: true}}
}

// Read passes the stream on until it announces too much; the read that
// would complete an oversized length fails instead, so zmq4 closes the
// connection before it allocates anything.
func (g *guardConn) Read(p []byte) (int, error) {
	n, err := g.r.Read(p)
	if _, serr := g.in.scan(p[:n]); serr != nil {
		return 0, fmt.Errorf("%w from %s: %v", ErrOversized, g.RemoteAddr(), serr)
	}
	return n, err
}

// Write sends the greeting as it comes and holds frames until the last
// frame of a message (or a command) is complete, then writes them at once,
// or hands them to the connection's queue.
func (g *guardConn) Write(p []byte) (int, error) {
	g.wmu.Lock()
	defer g.wmu.Unlock()
	inGreeting := g.out.greeted < greetingLen
	complete, _ := g.out.scan(p) // an unlimited scanner never fails
	if g.q != nil {
		g.wbuf = append(g.wbuf, p...)
		if !complete {
			return len(p), nil
		}
		// Greeting and commands are part of the handshake: never dropped.
		err := g.q.push(g.wbuf, !inGreeting && g.out.lastWasMessage)
		g.wbuf = nil
		if err != nil {
			return 0, err
		}
		return len(p), nil
	}
	if inGreeting && len(g.wbuf) == 0 {
		return g.Conn.Write(p)
	}
	g.wbuf = append(g.wbuf, p...)
	if !complete {
		return len(p), nil
	}
	_, err := g.Conn.Write(g.wbuf)
	g.wbuf = g.wbuf[:0]
	if err != nil {
		return 0, err
	}
	return len(p), nil
}

// Close closes the connection; a queued one first sends what it holds,
// waiting at most lingerFor, as ZeroMQ's ZMQ_LINGER does.
func (g *guardConn) Close() error {
	if g.q != nil {
		g.q.close(lingerFor)
	}
	return g.Conn.Close()
}

// zmtpScanner follows a ZMTP 3 byte stream: the greeting, then frames of a
// flags byte, a one- or eight-byte length and a body.
type zmtpScanner struct {
	// unlimited scanners follow what the kernel writes: its peers set
	// their own limits, and a message the kernel refuses to send is
	// refused before it reaches a socket (see checkSize).
	unlimited      bool
	lastWasMessage bool // the last complete unit was a message, not a command

	greeted  int    // greeting bytes seen
	state    int    // what the next byte is
	sizeLeft int    // length bytes still to read
	size     uint64 // length being read
	body     uint64 // body bytes still to pass
	flags    byte
	message  uint64 // bytes in the current message so far
	failed   error
}

const (
	scanFlags = iota
	scanSize
	scanBody
)

const (
	flagMore    = 0x01
	flagLong    = 0x02
	flagCommand = 0x04
)

// scan advances over b. It reports whether b ended a message (its last
// frame, or a command, complete and at the end of b) and fails once an
// announced length passes the limits.
func (s *zmtpScanner) scan(b []byte) (complete bool, err error) {
	if s.failed != nil {
		return false, s.failed
	}
	for len(b) > 0 {
		complete = false
		if s.greeted < greetingLen {
			k := min(len(b), greetingLen-s.greeted)
			s.greeted += k
			b = b[k:]
			complete = s.greeted == greetingLen
			continue
		}
		switch s.state {
		case scanFlags:
			s.flags = b[0]
			b = b[1:]
			s.size = 0
			s.sizeLeft = 1
			if s.flags&flagLong != 0 {
				s.sizeLeft = 8
			}
			s.state = scanSize
		case scanSize:
			s.size = s.size<<8 | uint64(b[0])
			b = b[1:]
			s.sizeLeft--
			if s.sizeLeft > 0 {
				continue
			}
			if !s.unlimited && (s.size > maxFrame || s.message+s.size > maxMessage) {
				s.failed = fmt.Errorf("a frame of %d bytes in a message of %d", s.size, s.message+s.size)
				return false, s.failed
			}
			s.body = s.size
			s.state = scanBody
			if s.body == 0 {
				complete = s.endFrame()
			}
		case scanBody:
			k := uint64(len(b))
			if k > s.body {
				k = s.body
			}
			s.body -= k
			b = b[k:]
			if s.body == 0 {
				complete = s.endFrame()
			}
		}
	}
	return complete, nil
}

// endFrame moves past a frame's body and reports whether it ended a message.
func (s *zmtpScanner) endFrame() bool {
	s.state = scanFlags
	if s.flags&flagCommand != 0 {
		s.lastWasMessage = false
		return true
	}
	s.message += s.size
	if s.flags&flagMore != 0 {
		return false
	}
	s.message = 0
	s.lastWasMessage = true
	return true
}

// safeNull is ZMTP's NULL security mechanism, as zmq4 implements it, but
// reading the peer's READY metadata defensively: zmq4's own parser slices
// past the end of a truncated property, and its socket type check panics
// on a type it does not know, both in the goroutine that accepts
// connections, where no recover can catch them.
type safeNull struct{}

func (safeNull) Type() zmq4.SecurityType { return zmq4.NullSecurity }

func (safeNull) Handshake(conn *zmq4.Conn, server bool) error {
	raw, err := conn.Meta.MarshalZMTP()
	if err != nil {
		return fmt.Errorf("marshalling metadata: %w", err)
	}
	if err := conn.SendCmd(zmq4.CmdReady, raw); err != nil {
		return fmt.Errorf("sending READY: %w", err)
	}
	cmd, err := conn.RecvCmd()
	if err != nil {
		return fmt.Errorf("receiving READY: %w", err)
	}
	if cmd.Name != zmq4.CmdReady {
		return zmq4.ErrBadCmd
	}
	props, err := parseMetadata(cmd.Body)
	if err != nil {
		return err
	}
	// zmq4 panics on a socket type it does not know, so only known ones
	// may reach its compatibility check.
	switch peer := zmq4.SocketType(props["Socket-Type"]); peer {
	case zmq4.Pair, zmq4.Pub, zmq4.Sub, zmq4.Req, zmq4.Rep, zmq4.Dealer, zmq4.Router, zmq4.Pull, zmq4.Push, zmq4.XPub, zmq4.XSub:
	default:
		return fmt.Errorf("peer announced the unknown socket type %q", peer)
	}
	// ZMTP 3.0 allows routing ids of up to 255 bytes; a ROUTER socket
	// echoes the id in every reply to the peer.
	if id := props["Identity"]; len(id) > 255 {
		return fmt.Errorf("peer announced an identity of %d bytes; ZMTP allows 255", len(id))
	}
	for k, v := range props {
		conn.Peer.Meta[k] = v
	}
	return nil
}

func (safeNull) Encrypt(w io.Writer, data []byte) (int, error) { return w.Write(data) }
func (safeNull) Decrypt(w io.Writer, data []byte) (int, error) { return w.Write(data) }

// parseMetadata reads ZMTP properties: a one-byte name length, the name, a
// four-byte value length and the value, repeated. The two names zmq4 reads
// are stored in the spelling it looks them up by, whatever their case.
func parseMetadata(b []byte) (map[string]string, error) {
	props := map[string]string{}
	for len(b) > 0 {
		klen := int(b[0])
		if len(b) < 1+klen+4 {
			return nil, fmt.Errorf("truncated metadata property")
		}
		name := string(b[1 : 1+klen])
		vlen := binary.BigEndian.Uint32(b[1+klen : 1+klen+4])
		b = b[1+klen+4:]
		if uint64(vlen) > uint64(len(b)) {
			return nil, fmt.Errorf("metadata property %q announces %d bytes, %d remain", name, vlen, len(b))
		}
		switch strings.ToLower(name) {
		case "socket-type":
			name = "Socket-Type"
		case "identity":
			name = "Identity"
		}
		props[name] = string(b[:vlen])
		b = b[vlen:]
	}
	return props, nil
}
