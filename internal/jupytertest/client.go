package jupytertest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/go-zeromq/zmq4"
	"github.com/reckon-dev/reckon/kernel"
)

// FreeConnection returns connection info for a kernel on loopback, with
// ports that were free a moment ago and the given key.
func FreeConnection(key string) (kernel.ConnectionInfo, error) {
	ports := make([]int, 5)
	var ls []net.Listener
	defer func() {
		for _, l := range ls {
			l.Close()
		}
	}()
	for i := range ports {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return kernel.ConnectionInfo{}, err
		}
		ls = append(ls, l)
		ports[i] = l.Addr().(*net.TCPAddr).Port
	}
	return kernel.ConnectionInfo{
		Transport: "tcp", IP: "127.0.0.1", Key: key, SignatureScheme: "hmac-sha256",
		ShellPort: ports[0], ControlPort: ports[1], StdinPort: ports[2], IOPubPort: ports[3], HBPort: ports[4],
	}, nil
}

// WriteConnectionFile writes ci as a connection file in dir.
func WriteConnectionFile(dir string, ci kernel.ConnectionInfo) (string, error) {
	b, err := json.Marshal(ci)
	if err != nil {
		return "", err
	}
	p := filepath.Join(dir, "connection.json")
	return p, os.WriteFile(p, b, 0o600)
}

// Client is a connected Jupyter client.
type Client struct {
	Codec   *kernel.Codec
	Session string

	socks map[string]zmq4.Socket // shell, control, stdin, iopub, hb

	mu   sync.Mutex
	cond *sync.Cond
	// Messages by channel and parent msg_id, so that waiting for one
	// request's messages costs the same however long the session ran.
	byParent map[string]map[string][]*kernel.Message
	closed   bool
}

// Dial connects to the kernel described by ci.
func Dial(ci kernel.ConnectionInfo) (*Client, error) {
	codec, err := kernel.NewCodec(ci.SignatureScheme, ci.Key)
	if err != nil {
		return nil, err
	}
	c := &Client{Codec: codec, Session: fmt.Sprintf("client-%d", time.Now().UnixNano()), socks: map[string]zmq4.Socket{}, byParent: map[string]map[string][]*kernel.Message{}}
	c.cond = sync.NewCond(&c.mu)
	ctx := context.Background()
	id := zmq4.SocketIdentity(c.Session)
	c.socks["shell"] = zmq4.NewDealer(ctx, zmq4.WithID(id))
	c.socks["control"] = zmq4.NewDealer(ctx, zmq4.WithID(id))
	c.socks["stdin"] = zmq4.NewDealer(ctx, zmq4.WithID(id))
	c.socks["iopub"] = zmq4.NewSub(ctx)
	c.socks["hb"] = zmq4.NewReq(ctx)
	ports := map[string]int{"shell": ci.ShellPort, "control": ci.ControlPort, "stdin": ci.StdinPort, "iopub": ci.IOPubPort, "hb": ci.HBPort}
	for name, s := range c.socks {
		if err := s.Dial(ci.Endpoint(ports[name])); err != nil {
			c.Close()
			return nil, fmt.Errorf("dialing %s: %w", name, err)
		}
	}
	if err := c.socks["iopub"].SetOption(zmq4.OptionSubscribe, ""); err != nil {
		c.Close()
		return nil, err
	}
	for _, name := range []string{"shell", "control", "stdin", "iopub"} {
		go c.read(name)
	}
	return c, nil
}

func (c *Client) read(name string) {
	for {
		raw, err := c.socks[name].Recv()
		if err != nil {
			return
		}
		m, err := c.Codec.Decode(raw.Frames)
		if err != nil {
			continue
		}
		parent := ParentID(m)
		c.mu.Lock()
		if c.byParent[name] == nil {
			c.byParent[name] = map[string][]*kernel.Message{}
		}
		c.byParent[name][parent] = append(c.byParent[name][parent], m)
		c.cond.Broadcast()
		c.mu.Unlock()
	}
}

// Close disconnects.
func (c *Client) Close() {
	c.mu.Lock()
	c.closed = true
	c.cond.Broadcast()
	c.mu.Unlock()
	for _, s := range c.socks {
		s.Close()
	}
}

// Send sends a request on a channel ("shell", "control", "stdin") and
// returns its msg_id.
func (c *Client) Send(channel, msgType string, content any) (string, error) {
	b, err := json.Marshal(content)
	if err != nil {
		return "", err
	}
	m := &kernel.Message{Header: kernel.NewHeader(msgType, c.Session), Parent: json.RawMessage("{}"), Metadata: json.RawMessage("{}"), Content: b}
	frames, err := c.Codec.Encode(m)
	if err != nil {
		return "", err
	}
	return m.Header.MsgID, c.SendRaw(channel, frames)
}

// SendRaw sends frames as they are: for garbage, truncated or wrongly
// signed messages.
func (c *Client) SendRaw(channel string, frames [][]byte) error {
	return c.socks[channel].Send(zmq4.NewMsgFrom(frames...))
}

var errTimeout = errors.New("jupytertest: timed out")

// wait blocks until pick finds what it looks for in the client's received
// messages or timeout passes. pick runs with c.mu held.
func (c *Client) wait(timeout time.Duration, pick func() bool) error {
	deadline := time.Now().Add(timeout)
	timer := time.AfterFunc(timeout, func() {
		c.mu.Lock()
		c.cond.Broadcast()
		c.mu.Unlock()
	})
	defer timer.Stop()
	c.mu.Lock()
	defer c.mu.Unlock()
	for !pick() {
		if c.closed || time.Now().After(deadline) {
			return errTimeout
		}
		c.cond.Wait()
	}
	return nil
}

// Reply waits for the reply to msgID on channel.
func (c *Client) Reply(channel, msgID string, timeout time.Duration) (*kernel.Message, error) {
	var found *kernel.Message
	err := c.wait(timeout, func() bool {
		if msgs := c.byParent[channel][msgID]; len(msgs) > 0 {
			found = msgs[0]
			return true
		}
		return false
	})
	if err != nil {
		return nil, fmt.Errorf("no %s reply to %s: %w", channel, msgID, err)
	}
	return found, nil
}

// IOPub waits until the kernel published status idle for msgID and returns
// every iopub message of that request, in order, status messages included.
func (c *Client) IOPub(msgID string, timeout time.Duration) ([]*kernel.Message, error) {
	var got []*kernel.Message
	err := c.wait(timeout, func() bool {
		got = append(got[:0], c.byParent["iopub"][msgID]...)
		for _, m := range got {
			if m.Header.MsgType == "status" && Content(m)["execution_state"] == "idle" {
				return true
			}
		}
		return false
	})
	if err != nil {
		return got, fmt.Errorf("no idle status for %s: %w", msgID, err)
	}
	return got, nil
}

// Execute runs code and returns the execute_reply and the request's iopub
// messages up to idle.
func (c *Client) Execute(code string, timeout time.Duration) (*kernel.Message, []*kernel.Message, error) {
	id, err := c.Send("shell", "execute_request", map[string]any{"code": code, "silent": false, "store_history": true, "user_expressions": map[string]any{}, "allow_stdin": false, "stop_on_error": true})
	if err != nil {
		return nil, nil, err
	}
	reply, err := c.Reply("shell", id, timeout)
	if err != nil {
		return nil, nil, err
	}
	msgs, err := c.IOPub(id, timeout)
	return reply, msgs, err
}

// WaitReady does what jupyter_client's wait_for_ready does: it sends
// kernel_info requests until one is answered and iopub is seen to work.
func (c *Client) WaitReady(timeout time.Duration) error {
	deadline := time.Now().Add(timeout)
	for time.Now().Before(deadline) {
		id, err := c.Send("shell", "kernel_info_request", map[string]any{})
		if err != nil {
			return err
		}
		if _, err := c.Reply("shell", id, time.Second); err != nil {
			continue
		}
		if _, err := c.IOPub(id, 500*time.Millisecond); err == nil {
			return nil
		}
	}
	return fmt.Errorf("the kernel was not ready within %s", timeout)
}

// Heartbeat sends a ping on the heartbeat socket and waits for its echo.
func (c *Client) Heartbeat(timeout time.Duration) error {
	done := make(chan error, 1)
	go func() {
		ping := []byte(fmt.Sprintf("ping-%d", time.Now().UnixNano()))
		if err := c.socks["hb"].Send(zmq4.NewMsg(ping)); err != nil {
			done <- err
			return
		}
		m, err := c.socks["hb"].Recv()
		if err == nil && string(m.Bytes()) != string(ping) {
			err = fmt.Errorf("heartbeat echoed %q, want %q", m.Bytes(), ping)
		}
		done <- err
	}()
	select {
	case err := <-done:
		return err
	case <-time.After(timeout):
		return fmt.Errorf("no heartbeat within %s: %w", timeout, errTimeout)
	}
}

// ParentID is the msg_id of a message's parent.
func ParentID(m *kernel.Message) string {
	var h struct {
		MsgID string `json:"msg_id"`
	}
	_ = json.Unmarshal(m.Parent, &h)
	return h.MsgID
}

// Content decodes a message's content.
func Content(m *kernel.Message) map[string]any {
	var c map[string]any
	_ = json.Unmarshal(m.Content, &c)
	return c
}

// Types lists the msg_types of messages, for assertions and failure output.
func Types(msgs []*kernel.Message) []string {
	t := make([]string, len(msgs))
	for i, m := range msgs {
		t[i] = m.Header.MsgType
	}
	return t
}
