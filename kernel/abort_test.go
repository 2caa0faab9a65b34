package kernel_test

import (
	"context"
	"encoding/json"
	"fmt"
	"log"
	"testing"
	"time"

	"github.com/go-zeromq/zmq4"
	"github.com/reckon-dev/reckon/internal/jupytertest"
	"github.com/reckon-dev/reckon/kernel"
)

// dealer is the barest client there is: one DEALER socket on the shell
// port that sends requests and reads replies, with nothing in between, so
// that the next request leaves the moment a reply arrives.
type dealer struct {
	t     *testing.T
	sock  zmq4.Socket
	codec *kernel.Codec
}

// startWith runs a kernel with opts and connects a bare DEALER to its
// shell socket.
func startWith(t *testing.T, opts kernel.Options) *dealer {
	t.Helper()
	ci, err := jupytertest.FreeConnection("abort-key")
	if err != nil {
		t.Fatal(err)
	}
	if opts.Log == nil {
		opts.Log = log.New(testWriter{t}, "kernel: ", 0)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		if _, err := kernel.Run(ctx, ci, fakeInterp{}, opts); err != nil {
			t.Error(err)
		}
	}()
	codec, _ := kernel.NewCodec(ci.SignatureScheme, ci.Key)
	d := &dealer{t: t, sock: zmq4.NewDealer(context.Background(), zmq4.WithID(zmq4.SocketIdentity("raw-dealer"))), codec: codec}
	t.Cleanup(func() {
		d.sock.Close()
		cancel()
		<-done
	})
	if err := d.sock.Dial(ci.Endpoint(ci.ShellPort)); err != nil {
		t.Fatal(err)
	}
	return d
}

// send sends an execute_request with stop_on_error set and returns its id.
func (d *dealer) send(code string) string {
	d.t.Helper()
	content, _ := json.Marshal(map[string]any{"code": code, "silent": false, "store_history": true, "user_expressions": map[string]any{}, "allow_stdin": false, "stop_on_error": true})
	m := &kernel.Message{Header: kernel.NewHeader("execute_request", "raw"), Content: content}
	frames, err := d.codec.Encode(m)
	if err != nil {
		d.t.Fatal(err)
	}
	if err := d.sock.Send(zmq4.NewMsgFrom(frames...)); err != nil {
		d.t.Fatal(err)
	}
	return m.Header.MsgID
}

// reply reads the next reply and checks that it answers id.
func (d *dealer) reply(id string) map[string]any {
	d.t.Helper()
	raw, err := d.sock.Recv()
	if err != nil {
		d.t.Fatal(err)
	}
	m, err := d.codec.Decode(raw.Frames)
	if err != nil {
		d.t.Fatal(err)
	}
	if got := jupytertest.ParentID(m); got != id {
		d.t.Fatalf("a reply to %s arrived while waiting for %s", got, id)
	}
	return jupytertest.Content(m)
}

// TestRunAllAbortsEveryRequestSentBeforeTheError is JupyterLab's Run All:
// three cells sent at once, the first failing at once. The two behind it
// were sent before anyone could know of the error, so neither may run,
// however far they got towards the kernel when the first one failed.
func TestRunAllAbortsEveryRequestSentBeforeTheError(t *testing.T) {
	d := startWith(t, kernel.Options{})
	const trials = 50
	aborted := 0
	for i := 0; i < trials; i++ {
		ids := []string{d.send("fail first"), d.send("value second"), d.send("value third")}
		var names []any
		for _, id := range ids {
			names = append(names, d.reply(id)["ename"])
		}
		if names[0] == "ValueError" && names[1] == "ExecutionAborted" && names[2] == "ExecutionAborted" {
			aborted++
		} else {
			t.Logf("trial %d: replies %v", i, names)
		}
	}
	if aborted != trials {
		t.Errorf("Run All aborted the cells behind a failed one in %d of %d trials", aborted, trials)
	}
}

// TestRequestSentAfterTheErrorReplyRuns sends a good cell the instant the
// error reply of a failed one arrives: the client has seen the error, so
// the cell is a new request and must run. The abort window is kept short
// (it does not change the outcome: the window closes before the error
// reply goes out) so that a thousand trials take seconds.
func TestRequestSentAfterTheErrorReplyRuns(t *testing.T) {
	d := startWith(t, kernel.Options{StopOnErrorTimeout: time.Millisecond})
	const trials = 1000
	ran := 0
	for i := 0; i < trials; i++ {
		fail := d.send("fail bad")
		if c := d.reply(fail); c["ename"] != "ValueError" {
			t.Fatalf("trial %d: the failing cell replied %v", i, c)
		}
		good := d.send(fmt.Sprintf("value %d", i))
		if c := d.reply(good); c["status"] == "ok" {
			ran++
		} else if i < 10 || ran < i-10 {
			t.Logf("trial %d: the cell sent after the error reply replied %v", i, c)
		}
	}
	if ran != trials {
		t.Errorf("%d of %d cells sent after an error reply ran; every one must", ran, trials)
	}
}

// TestOnlyExecutionsAreAborted: requests of other kinds that arrive in a
// failed cell's abort window are answered as usual, in arrival order.
func TestOnlyExecutionsAreAborted(t *testing.T) {
	r := start(t)
	fail, _ := r.c.Send("shell", "execute_request", map[string]any{"code": "fail x", "stop_on_error": true})
	info, _ := r.c.Send("shell", "kernel_info_request", map[string]any{})
	next, _ := r.c.Send("shell", "execute_request", map[string]any{"code": "value 1", "stop_on_error": true})
	want := map[string]string{fail: "ValueError", info: "", next: "ExecutionAborted"}
	for _, id := range []string{fail, info, next} {
		reply, err := r.c.Reply("shell", id, timeout)
		if err != nil {
			t.Fatal(err)
		}
		c := jupytertest.Content(reply)
		if got, _ := c["ename"].(string); got != want[id] {
			t.Errorf("%s replied %v", reply.Header.MsgType, c)
		}
		if id == info && c["status"] != "ok" {
			t.Errorf("kernel_info in the abort window replied %v", c)
		}
	}
}
