package main

import (
	"fmt"
	"os"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/reckon-dev/reckon/internal/jupytertest"
	"github.com/reckon-dev/reckon/kernel"
)

// TestKernelEndToEnd drives the real binary over ZeroMQ as a notebook
// would: cells that print, show values and fail, an interrupted cell, bad
// messages, and a shutdown, with the session's variables kept throughout.
func TestKernelEndToEnd(t *testing.T) {
	k := startKernel(t)
	c := k.c
	exec := func(code string) (map[string]any, []*kernel.Message) {
		t.Helper()
		reply, msgs, err := c.Execute(code, 30*time.Second)
		if err != nil {
			t.Fatalf("%q: %v\nkernel stderr:\n%s", code, err, k.stderr.String())
		}
		return jupytertest.Content(reply), msgs
	}
	find := func(msgs []*kernel.Message, msgType string) map[string]any {
		for _, m := range msgs {
			if m.Header.MsgType == msgType {
				return jupytertest.Content(m)
			}
		}
		t.Fatalf("no %s among %v", msgType, jupytertest.Types(msgs))
		return nil
	}

	reply, msgs := exec("x = [1, 2, 3]\nprint(\"three items\")\nx")
	if reply["status"] != "ok" || reply["execution_count"] != 1.0 {
		t.Fatalf("reply %v", reply)
	}
	if got := find(msgs, "stream")["text"]; got != "three items\n" {
		t.Errorf("stream %q", got)
	}
	if got := find(msgs, "execute_result")["data"].(map[string]any)["text/plain"]; got != "[1, 2, 3]" {
		t.Errorf("execute_result %q", got)
	}

	reply, msgs = exec("y = umpa(x)")
	if reply["status"] != "error" || reply["ename"] != "NameError" {
		t.Fatalf("reply %v", reply)
	}
	tb := strings.Join(toStrings(find(msgs, "error")["traceback"]), "\n")
	for _, want := range []string{"unknown command `umpa`", "line 1, column 5", "y = umpa(x)", "    ^"} {
		if !strings.Contains(tb, want) {
			t.Errorf("traceback lacks %q:\n%s", want, tb)
		}
	}

	// A progress display updates in place and ends in its final state.
	_, msgs = exec("sleep(0.3, progress=true)")
	shown := find(msgs, "display_data")
	id := shown["transient"].(map[string]any)["display_id"]
	var last map[string]any
	for _, m := range msgs {
		if m.Header.MsgType == "update_display_data" {
			last = jupytertest.Content(m)
		}
	}
	if last == nil || last["transient"].(map[string]any)["display_id"] != id ||
		!strings.Contains(last["data"].(map[string]any)["text/plain"].(string), "done in") {
		t.Errorf("progress: shown %v, last update %v", shown, last)
	}

	// Interrupt a long cell: it ends within a second and x survives.
	id2, _ := c.Send("shell", "execute_request", map[string]any{"code": "z = 1\nsleep(600)\nz = 2", "stop_on_error": true})
	time.Sleep(300 * time.Millisecond)
	sent := time.Now()
	iid, _ := c.Send("control", "interrupt_request", map[string]any{})
	if _, err := c.Reply("control", iid, 5*time.Second); err != nil {
		t.Fatal(err)
	}
	r, err := c.Reply("shell", id2, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	if took := time.Since(sent); took > time.Second {
		t.Errorf("the interrupted cell ended %s after the interrupt", took)
	}
	if jupytertest.Content(r)["ename"] != "KeyboardInterrupt" {
		t.Errorf("interrupted cell replied %v", jupytertest.Content(r))
	}
	reply, msgs = exec("print(x, z)")
	if reply["status"] != "ok" || find(msgs, "stream")["text"] != "[1, 2, 3] 1\n" {
		t.Errorf("after the interrupt: %v %v", reply, jupytertest.Types(msgs))
	}

	// SIGINT, which Ctrl-C in the terminal running Jupyter sends to the
	// whole process group, interrupts the cell and leaves the kernel up.
	id3, _ := c.Send("shell", "execute_request", map[string]any{"code": "sleep(600)"})
	time.Sleep(300 * time.Millisecond)
	if err := k.cmd.Process.Signal(os.Interrupt); err != nil {
		t.Fatal(err)
	}
	if r, err := c.Reply("shell", id3, 5*time.Second); err != nil || jupytertest.Content(r)["ename"] != "KeyboardInterrupt" {
		t.Fatalf("after SIGINT: %v %v", err, r)
	}

	// stop_on_error: the queued cells behind a failing one are not run.
	var ids []string
	for _, code := range []string{"sleep(0.3)\nnope()", "w = 1", "w = 2"} {
		id, _ := c.Send("shell", "execute_request", map[string]any{"code": code, "stop_on_error": true})
		ids = append(ids, id)
	}
	for i, id := range ids {
		r, err := c.Reply("shell", id, 10*time.Second)
		if err != nil {
			t.Fatal(err)
		}
		if got := jupytertest.Content(r); got["status"] != "error" || i > 0 && got["ename"] != "ExecutionAborted" {
			t.Errorf("queued cell %d replied %v", i, got)
		}
	}
	reply, _ = exec("w")
	if reply["status"] != "error" || reply["ename"] != "NameError" {
		t.Errorf("an aborted cell ran: w exists (%v)", reply)
	}

	// Garbage on the shell and control sockets is dropped.
	c.SendRaw("shell", [][]byte{[]byte("<IDS|MSG>"), []byte("bad"), []byte("{}"), []byte("{}"), []byte("{}"), []byte("{}")})
	c.SendRaw("control", [][]byte{[]byte("junk")})
	reply, _ = exec("x")
	if reply["status"] != "ok" {
		t.Errorf("after garbage: %v", reply)
	}
	// The kernel's stderr reaches the test through a pipe, so the line may
	// arrive a little after the reply.
	for deadline := time.Now().Add(5 * time.Second); !strings.Contains(k.stderr.String(), "bad signature"); time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("the dropped message left no line on stderr:\n%s", k.stderr.String())
		}
	}

	sid, _ := c.Send("control", "shutdown_request", map[string]any{"restart": false})
	if _, err := c.Reply("control", sid, 5*time.Second); err != nil {
		t.Fatal(err)
	}
	k.waitExit(t, "shutdown_request")
}

// waitExit waits for the kernel process to exit cleanly after what.
func (k *kernelProcess) waitExit(t *testing.T, what string) {
	t.Helper()
	select {
	case err := <-k.done:
		if err != nil {
			t.Errorf("the kernel exited with %v after %s\n%s", err, what, k.stderr.String())
		}
		k.done <- err
	case <-time.After(30 * time.Second):
		t.Fatalf("the kernel did not exit after %s", what)
	}
}

// TestSIGTERMShutsTheKernelDown sends SIGTERM, as a process manager
// does, while a cell runs: the kernel exits cleanly, and the cell's reply
// says the kernel shut down, not KeyboardInterrupt, which would tell the
// user they pressed interrupt.
func TestSIGTERMShutsTheKernelDown(t *testing.T) {
	k := startKernel(t)
	id, err := k.c.Send("shell", "execute_request", map[string]any{"code": "sleep(600)", "stop_on_error": true})
	if err != nil {
		t.Fatal(err)
	}
	// The cell runs once its execute_input is out.
	for running, deadline := false, time.Now().Add(30*time.Second); !running; {
		if time.Now().After(deadline) {
			t.Fatalf("the cell did not start\n%s", k.stderr.String())
		}
		msgs, _ := k.c.IOPub(id, 10*time.Millisecond)
		for _, m := range msgs {
			running = running || m.Header.MsgType == "execute_input"
		}
	}
	if err := k.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	k.waitExit(t, "SIGTERM")
	r, err := k.c.Reply("shell", id, 5*time.Second)
	if err != nil {
		t.Fatalf("the running cell got no reply: %v", err)
	}
	if c := jupytertest.Content(r); c["ename"] != "KernelShutdown" || !strings.Contains(fmt.Sprint(c["evalue"]), "terminated") {
		t.Errorf("the cell running at SIGTERM replied %v", c)
	}
}

func toStrings(v any) []string {
	l, _ := v.([]any)
	s := make([]string, len(l))
	for i, x := range l {
		s[i] = fmt.Sprint(x)
	}
	return s
}
