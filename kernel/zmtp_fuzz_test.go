package kernel

import (
	"io"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/go-zeromq/zmq4"
)

// FuzzZMTPServer plays arbitrary bytes, as a client would send them, into
// the kernel's side of a ZeroMQ connection: the guarded transport, the
// defensive handshake and zmq4's frame reader. Whatever arrives, opening
// the connection and reading messages must fail or succeed, never panic.
func FuzzZMTPServer(f *testing.F) {
	greeting := string([]byte{0xff, 0, 0, 0, 0, 0, 0, 0, 0, 0x7f, 3, 0}) + "NULL" + string(make([]byte, 48))
	ready := "\x05READY\x0bSocket-Type\x00\x00\x00\x06DEALER\x08Identity\x00\x00\x00\x02id"
	cmd := func(body string) string { return "\x04" + string(rune(len(body))) + body }
	for _, seed := range []string{
		greeting + cmd(ready) + "\x01\x00\x00\x09<IDS|MSG>",
		greeting + cmd(ready) + "\x02\x40\x00\x00\x00\x00\x00\x00\x00",
		greeting + cmd("\x05READY\x0bSocket-Type"),
		greeting + cmd("\x09READY"),
		greeting + cmd("\x04PING\x00\x01"),
		// An identity over ZMTP's 255 bytes, in a long command frame.
		greeting + "\x06\x00\x00\x00\x00\x00\x00\x01\x55" + "\x05READY\x0bSocket-Type\x00\x00\x00\x06DEALER\x08Identity\x00\x00\x01\x2c" + strings.Repeat("i", 300),
		greeting,
		"GET / HTTP/1.1\r\n\r\n",
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		server, client := net.Pipe()
		defer server.Close()
		go func() {
			defer client.Close()
			go io.Copy(io.Discard, client)
			client.SetWriteDeadline(time.Now().Add(time.Second))
			client.Write(data)
		}()
		server.SetDeadline(time.Now().Add(2 * time.Second))
		conn, err := zmq4.Open(newGuardConn(server), safeNull{}, zmq4.Router, zmq4.SocketIdentity("shell"), true, nil)
		if err != nil {
			return
		}
		for i := 0; i < 16; i++ {
			if _, err := conn.RecvMsg(); err != nil {
				return
			}
		}
	})
}
