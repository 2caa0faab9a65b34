package kernel

import (
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/go-zeromq/zmq4"
)

func frame(flags byte, body []byte) []byte {
	if len(body) > 255 {
		h := make([]byte, 9)
		h[0] = flags | flagLong
		binary.BigEndian.PutUint64(h[1:], uint64(len(body)))
		return append(h, body...)
	}
	return append([]byte{flags, byte(len(body))}, body...)
}

func TestZMTPScanner(t *testing.T) {
	greeting := make([]byte, greetingLen)
	long := make([]byte, 300)
	huge := []byte{flagLong, 0x40, 0, 0, 0, 0, 0, 0, 0} // 2^62 bytes
	tests := []struct {
		name     string
		chunks   [][]byte
		complete []bool
		fail     bool
	}{
		{"greeting alone completes", [][]byte{greeting}, []bool{true}, false},
		{"greeting in pieces", [][]byte{greeting[:10], greeting[10:]}, []bool{false, true}, false},
		{"command", [][]byte{greeting, frame(flagCommand, []byte("\x05READY"))}, []bool{true, true}, false},
		{"message of three frames written frame by frame", [][]byte{greeting, frame(flagMore, []byte("id")), frame(flagMore, nil), frame(0, long)}, []bool{true, false, false, true}, false},
		{"header and body written apart", [][]byte{greeting, {0, 3}, []byte("abc")}, []bool{true, false, true}, false},
		{"two messages in one write", [][]byte{greeting, append(frame(0, []byte("a")), frame(0, []byte("b"))...)}, []bool{true, true}, false},
		{"a message then a partial one", [][]byte{greeting, append(frame(0, []byte("a")), 0)}, []bool{true, false}, false},
		{"oversized frame", [][]byte{greeting, huge}, []bool{true, false}, true},
		{"oversized length split across reads", [][]byte{greeting, huge[:4], huge[4:]}, []bool{true, false, false}, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var s zmtpScanner
			var err error
			for i, c := range tc.chunks {
				var complete bool
				complete, err = s.scan(c)
				if err != nil {
					if !tc.fail || i != len(tc.chunks)-1 {
						t.Fatalf("chunk %d: %v", i, err)
					}
					break
				}
				if complete != tc.complete[i] {
					t.Errorf("chunk %d: complete = %v, want %v", i, complete, tc.complete[i])
				}
			}
			if tc.fail && err == nil {
				t.Fatal("an oversized frame was accepted")
			}
			if tc.fail {
				if _, again := s.scan([]byte{0}); again == nil {
					t.Error("the scanner forgot its failure")
				}
			}
		})
	}
}

func TestZMTPScannerLimitsWholeMessages(t *testing.T) {
	var s zmtpScanner
	s.scan(make([]byte, greetingLen))
	// Frames just under the frame limit add up past the message limit.
	h := []byte{flagLong | flagMore, 0, 0, 0, 0, 0, 0, 0, 0}
	binary.BigEndian.PutUint64(h[1:], maxFrame)
	var err error
	for i := 0; i < 3 && err == nil; i++ {
		if _, err = s.scan(h); err == nil {
			s.body = 0 // skip the body without allocating it
			s.endFrame()
		}
	}
	if err == nil {
		t.Fatal("a message larger than maxMessage was accepted")
	}
}

// TestWriteSideScannerHasNoLimit: what the kernel writes is bounded before
// it reaches a socket (sizeLimit.check), so the scanner that follows its
// writes must never fail, or one refused message would fail every later
// write on that connection.
func TestWriteSideScannerHasNoLimit(t *testing.T) {
	s := zmtpScanner{unlimited: true}
	s.scan(make([]byte, greetingLen))
	huge := []byte{flagLong, 0x40, 0, 0, 0, 0, 0, 0, 0}
	if _, err := s.scan(huge); err != nil {
		t.Fatalf("the write-side scanner refused a length: %v", err)
	}
}

func TestSizeLimit(t *testing.T) {
	l := sizeLimit{frame: 10, message: 15}
	for _, tc := range []struct {
		frames [][]byte
		err    string
	}{
		{[][]byte{make([]byte, 10), make([]byte, 5)}, ""},
		{[][]byte{make([]byte, 11)}, "message too large: one part is 11 bytes, over the limit of 10 bytes"},
		{[][]byte{make([]byte, 10), make([]byte, 6)}, "message too large: it is 16 bytes, over the limit of 15 bytes"},
	} {
		err := l.check(tc.frames)
		if tc.err == "" && err != nil || tc.err != "" && (err == nil || err.Error() != tc.err || !errors.Is(err, ErrMessageTooLarge)) {
			t.Errorf("check(%d frames) = %v, want %q", len(tc.frames), err, tc.err)
		}
	}
}

// TestHandshakeRefusesALongIdentity: a ROUTER echoes its peer's identity
// in every reply, so one longer than ZMTP's 255 bytes is refused.
func TestHandshakeRefusesALongIdentity(t *testing.T) {
	for _, n := range []int{255, 256, 1 << 20} {
		server, client := net.Pipe()
		go io.Copy(io.Discard, client)
		go func() {
			greeting := make([]byte, greetingLen)
			greeting[0], greeting[9], greeting[10] = 0xff, 0x7f, 3
			copy(greeting[12:], "NULL")
			ready := []byte("\x05READY\x0bSocket-Type\x00\x00\x00\x06DEALER\x08Identity")
			ready = binary.BigEndian.AppendUint32(ready, uint32(n))
			ready = append(ready, bytes.Repeat([]byte("i"), n)...)
			client.Write(append(greeting, frame(flagCommand, ready)...))
		}()
		server.SetDeadline(time.Now().Add(10 * time.Second))
		_, err := zmq4.Open(newGuardConn(server), safeNull{}, zmq4.Router, zmq4.SocketIdentity("shell"), true, nil)
		server.Close()
		client.Close()
		if n <= 255 && err != nil || n > 255 && (err == nil || !strings.Contains(err.Error(), "ZMTP allows 255")) {
			t.Errorf("an identity of %d bytes: %v", n, err)
		}
	}
}
