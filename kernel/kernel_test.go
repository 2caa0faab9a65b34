package kernel_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/reckon-dev/reckon/internal/jupytertest"
	"github.com/reckon-dev/reckon/kernel"
)

// fakeInterp is a tiny language for protocol tests: each cell is one
// command and an argument.
type fakeInterp struct{}

func (fakeInterp) Execute(ctx context.Context, code string, out kernel.Output) (kernel.Result, error) {
	cmd, arg, _ := strings.Cut(code, " ")
	switch cmd {
	case "print":
		out.Stream("stdout", arg)
	case "value":
		return kernel.Result{Value: &kernel.Bundle{Data: map[string]any{"text/plain": arg}}}, nil
	case "display":
		out.Display(kernel.Bundle{Data: map[string]any{"text/plain": arg}}, "d1")
		out.Update(kernel.Bundle{Data: map[string]any{"text/plain": arg + "!"}}, "d1")
	case "clear":
		out.Clear(true)
	case "fail":
		return kernel.Result{}, &kernel.Error{Name: "ValueError", Value: arg, Traceback: []string{"ValueError: " + arg}}
	case "plainfail":
		return kernel.Result{}, errors.New(arg)
	case "panic":
		var s []int
		_ = s[len(arg)]
	case "sleep", "sleepfail":
		d, _ := time.ParseDuration(arg)
		select {
		case <-time.After(d):
		case <-ctx.Done():
			// As the DSL does: any cancellation reads as an interrupt
			// to the language; the kernel knows better.
			return kernel.Result{}, &kernel.Error{Name: "KeyboardInterrupt", Value: "interrupted"}
		}
		if cmd == "sleepfail" {
			return kernel.Result{}, &kernel.Error{Name: "ValueError", Value: "failed after " + arg}
		}
	case "spam":
		// Updates as fast as a busy computation would send them.
		n, _ := strconv.Atoi(arg)
		out.Display(kernel.Bundle{Data: map[string]any{"text/plain": "0"}}, "bar")
		for i := 1; i <= n; i++ {
			out.Update(kernel.Bundle{Data: map[string]any{"text/plain": strconv.Itoa(i)}}, "bar")
			if i%10 == 0 {
				time.Sleep(time.Millisecond)
			}
		}
	case "chatter":
		n, _ := strconv.Atoi(arg)
		for i := 0; i < n; i++ {
			out.Stream("stdout", strconv.Itoa(i)+"\n")
		}
	case "blob":
		n, _ := strconv.Atoi(arg)
		out.Display(kernel.Bundle{Data: map[string]any{"text/plain": strings.Repeat("x", n)}}, "")
	case "bigvalue":
		n, _ := strconv.Atoi(arg)
		return kernel.Result{Value: &kernel.Bundle{Data: map[string]any{"text/plain": strings.Repeat("v", n)}}}, nil
	case "bigpage":
		n, _ := strconv.Atoi(arg)
		return kernel.Result{Payload: []kernel.Payload{kernel.Page{Bundle: kernel.Bundle{Data: map[string]any{"text/plain": strings.Repeat("p", n)}}}}}, nil
	case "page":
		return kernel.Result{Payload: []kernel.Payload{kernel.Page{Bundle: kernel.Bundle{Data: map[string]any{"text/plain": arg}}, Start: 2}}}, nil
	}
	return kernel.Result{}, nil
}

func (fakeInterp) Complete(code string, cursor int) kernel.Completion {
	return kernel.Completion{Matches: []string{"print"}, Start: 0, End: cursor}
}

func (fakeInterp) Inspect(code string, cursor, detail int) (kernel.Bundle, bool) {
	return kernel.Bundle{Data: map[string]any{"text/plain": fmt.Sprintf("doc %d", detail)}}, true
}

func (fakeInterp) IsComplete(code string) (string, string) {
	if strings.HasSuffix(code, "(") {
		return "incomplete", "  "
	}
	return "complete", ""
}

func (fakeInterp) Info() kernel.Info {
	return kernel.Info{Implementation: "fake", Language: kernel.LanguageInfo{Name: "fake", FileExtension: ".fake"}}
}

type running struct {
	c       *jupytertest.Client
	ci      kernel.ConnectionInfo
	stop    context.CancelCauseFunc // ends the kernel's context
	done    chan struct{}
	restart bool
	err     error
}

// start runs a kernel in-process and connects a client to it.
func start(t *testing.T) *running {
	t.Helper()
	return startLogged(t, testWriter{t})
}

// startLogged is start with the kernel's log going to w.
func startLogged(t *testing.T, w io.Writer) *running {
	t.Helper()
	ci, err := jupytertest.FreeConnection("secret-key")
	if err != nil {
		t.Fatal(err)
	}
	r := &running{ci: ci, done: make(chan struct{})}
	ctx, cancel := context.WithCancelCause(context.Background())
	r.stop = cancel
	go func() {
		defer close(r.done)
		r.restart, r.err = kernel.Run(ctx, ci, fakeInterp{}, kernel.Options{Log: log.New(w, "kernel: ", 0)})
	}()
	c, err := jupytertest.Dial(ci)
	if err != nil {
		cancel(nil)
		t.Fatal(err)
	}
	r.c = c
	t.Cleanup(func() {
		c.Close()
		cancel(nil)
		<-r.done
	})
	if err := c.WaitReady(10 * time.Second); err != nil {
		t.Fatal(err)
	}
	return r
}

type testWriter struct{ t *testing.T }

var logMu sync.Mutex

func (w testWriter) Write(p []byte) (int, error) {
	logMu.Lock()
	defer logMu.Unlock()
	w.t.Log(strings.TrimRight(string(p), "\n"))
	return len(p), nil
}

const timeout = 10 * time.Second

func execute(t *testing.T, c *jupytertest.Client, code string) (map[string]any, []string, []map[string]any) {
	t.Helper()
	reply, msgs, err := c.Execute(code, timeout)
	if err != nil {
		t.Fatalf("execute %q: %v", code, err)
	}
	contents := make([]map[string]any, len(msgs))
	for i, m := range msgs {
		contents[i] = jupytertest.Content(m)
	}
	return jupytertest.Content(reply), jupytertest.Types(msgs), contents
}

func TestExecuteMessageFlow(t *testing.T) {
	r := start(t)
	tests := []struct {
		code   string
		status string
		types  string
		count  float64
	}{
		{"print hello", "ok", "status execute_input stream status", 1},
		{"value 42", "ok", "status execute_input execute_result status", 2},
		{"display x", "ok", "status execute_input display_data update_display_data status", 3},
		{"clear", "ok", "status execute_input clear_output status", 4},
		{"fail bad", "error", "status execute_input error status", 5},
		{"plainfail oops", "error", "status execute_input error status", 6},
	}
	for _, tc := range tests {
		reply, types, contents := execute(t, r.c, tc.code)
		if reply["status"] != tc.status || reply["execution_count"] != tc.count {
			t.Errorf("%q: reply %v, want status %s and count %v", tc.code, reply, tc.status, tc.count)
		}
		if got := strings.Join(types, " "); got != tc.types {
			t.Errorf("%q: iopub %s, want %s", tc.code, got, tc.types)
		}
		if contents[0]["execution_state"] != "busy" {
			t.Errorf("%q: first status is %v", tc.code, contents[0])
		}
		if tc.status == "error" {
			tb, _ := reply["traceback"].([]any)
			if reply["ename"] == "" || len(tb) == 0 {
				t.Errorf("%q: error reply lacks ename or traceback: %v", tc.code, reply)
			}
		}
	}
	_, _, contents := execute(t, r.c, "value 42")
	if got := contents[2]["data"].(map[string]any)["text/plain"]; got != "42" || contents[2]["execution_count"] != 7.0 {
		t.Errorf("execute_result = %v", contents[2])
	}
}

func TestSilentAndStoreHistory(t *testing.T) {
	r := start(t)
	execute(t, r.c, "print a")
	for _, req := range []map[string]any{
		{"code": "print b", "silent": true},
		{"code": "print c", "store_history": false},
	} {
		id, err := r.c.Send("shell", "execute_request", req)
		if err != nil {
			t.Fatal(err)
		}
		reply, err := r.c.Reply("shell", id, timeout)
		if err != nil {
			t.Fatal(err)
		}
		msgs, err := r.c.IOPub(id, timeout)
		if err != nil {
			t.Fatal(err)
		}
		if c := jupytertest.Content(reply)["execution_count"]; c != 1.0 {
			t.Errorf("%v: execution_count %v, want 1 (unchanged)", req, c)
		}
		types := strings.Join(jupytertest.Types(msgs), " ")
		if req["silent"] == true && types != "status status" {
			t.Errorf("silent request published %s", types)
		}
		if req["silent"] == nil && types != "status execute_input stream status" {
			t.Errorf("store_history=false request published %s", types)
		}
	}
	reply, _, _ := execute(t, r.c, "print d")
	if reply["execution_count"] != 2.0 {
		t.Errorf("execution_count after silent and unstored requests = %v, want 2", reply["execution_count"])
	}
}

func TestInterruptEndsTheCellAndTheKernelServesOn(t *testing.T) {
	r := start(t)
	id, err := r.c.Send("shell", "execute_request", map[string]any{"code": "sleep 60s"})
	if err != nil {
		t.Fatal(err)
	}
	time.Sleep(200 * time.Millisecond)
	sent := time.Now()
	iid, err := r.c.Send("control", "interrupt_request", map[string]any{})
	if err != nil {
		t.Fatal(err)
	}
	if ir, err := r.c.Reply("control", iid, time.Second); err != nil || jupytertest.Content(ir)["status"] != "ok" {
		t.Fatalf("interrupt_reply: %v %v", err, ir)
	}
	reply, err := r.c.Reply("shell", id, time.Second)
	if err != nil {
		t.Fatalf("the interrupted cell did not end within a second: %v", err)
	}
	if took := time.Since(sent); took > time.Second {
		t.Errorf("the cell ended %s after the interrupt", took)
	}
	c := jupytertest.Content(reply)
	if c["status"] != "error" || c["ename"] != "KeyboardInterrupt" {
		t.Errorf("interrupted cell replied %v", c)
	}
	rep, _, _ := execute(t, r.c, "value after")
	if rep["status"] != "ok" {
		t.Errorf("the cell after an interrupt replied %v", rep)
	}
}

func TestStopOnErrorAbortsQueuedExecutions(t *testing.T) {
	r := start(t)
	var ids []string
	for _, code := range []string{"sleepfail 300ms", "print second", "print third"} {
		id, err := r.c.Send("shell", "execute_request", map[string]any{"code": code, "stop_on_error": true})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
	}
	for i, id := range ids {
		reply, err := r.c.Reply("shell", id, timeout)
		if err != nil {
			t.Fatal(err)
		}
		c := jupytertest.Content(reply)
		if c["status"] != "error" {
			t.Errorf("request %d replied %v, want an error", i, c)
		}
		if i > 0 && c["ename"] != "ExecutionAborted" {
			t.Errorf("request %d: ename %v, want ExecutionAborted", i, c["ename"])
		}
		msgs, err := r.c.IOPub(id, timeout)
		if err != nil {
			t.Fatal(err)
		}
		if i > 0 {
			if got := strings.Join(jupytertest.Types(msgs), " "); got != "status status" {
				t.Errorf("aborted request %d published %s; it must not run", i, got)
			}
		}
	}
	if rep, _, _ := execute(t, r.c, "print later"); rep["status"] != "ok" {
		t.Errorf("a request sent after the abort replied %v", rep)
	}
	// Without stop_on_error the queue runs on.
	ids = ids[:0]
	for _, code := range []string{"sleepfail 200ms", "print runs"} {
		id, _ := r.c.Send("shell", "execute_request", map[string]any{"code": code, "stop_on_error": false})
		ids = append(ids, id)
	}
	reply, err := r.c.Reply("shell", ids[1], timeout)
	if err != nil || jupytertest.Content(reply)["status"] != "ok" {
		t.Errorf("with stop_on_error false the next cell replied %v %v", err, reply)
	}
}

func TestInterpreterPanicIsAnErrorReply(t *testing.T) {
	r := start(t)
	reply, types, _ := execute(t, r.c, "panic x")
	if reply["status"] != "error" || reply["ename"] != "InternalError" {
		t.Fatalf("panic replied %v", reply)
	}
	tb := fmt.Sprint(reply["traceback"])
	if !strings.Contains(tb, "goroutine") || !strings.Contains(tb, "index out of range") {
		t.Errorf("traceback lacks the stack: %s", tb)
	}
	if strings.Join(types, " ") != "status execute_input error status" {
		t.Errorf("iopub: %v", types)
	}
	if rep, _, _ := execute(t, r.c, "value ok"); rep["status"] != "ok" {
		t.Errorf("after a panic: %v", rep)
	}
}

func TestDisplayUpdatesAreThrottledAndTheLastOneArrives(t *testing.T) {
	r := start(t)
	start := time.Now()
	_, types, contents := execute(t, r.c, "spam 3000")
	took := time.Since(start)
	updates := 0
	var last any
	for i, ty := range types {
		if ty == "update_display_data" {
			updates++
			last = contents[i]["data"].(map[string]any)["text/plain"]
			if contents[i]["transient"].(map[string]any)["display_id"] != "bar" {
				t.Errorf("update without its display_id: %v", contents[i])
			}
		}
	}
	// At most about ten a second, plus the final state.
	if limit := int(took/(100*time.Millisecond)) + 2; updates > limit {
		t.Errorf("%d updates in %s; the throttle allows %d", updates, took, limit)
	}
	if last != "3000" {
		t.Errorf("the last update shows %v, want the final state 3000", last)
	}
}

func TestStreamTextIsCoalescedButComplete(t *testing.T) {
	r := start(t)
	_, types, contents := execute(t, r.c, "chatter 5000")
	var b strings.Builder
	streams := 0
	for i, ty := range types {
		if ty == "stream" {
			streams++
			b.WriteString(contents[i]["text"].(string))
		}
	}
	var want strings.Builder
	for i := 0; i < 5000; i++ {
		want.WriteString(strconv.Itoa(i) + "\n")
	}
	if b.String() != want.String() {
		t.Errorf("the stream text differs from what was written (%d vs %d bytes)", b.Len(), want.Len())
	}
	if streams > 50 {
		t.Errorf("%d stream messages for 5000 writes: not coalesced", streams)
	}
}

func TestBadMessagesAreDroppedOnEverySocket(t *testing.T) {
	r := start(t)
	other, _ := kernel.NewCodec("hmac-sha256", "wrong-key")
	badSig, _ := other.Encode(&kernel.Message{Header: kernel.NewHeader("kernel_info_request", "x")})
	good, _ := r.c.Codec.Encode(&kernel.Message{Header: kernel.NewHeader("kernel_info_request", "x")})
	bad := map[string][][]byte{
		"wrong signature": badSig,
		"truncated":       good[:4],
		"no delimiter":    {[]byte("hello"), []byte("world")},
		"garbage JSON":    {[]byte("<IDS|MSG>"), []byte(""), []byte("{{{"), []byte("{}"), []byte("{}"), []byte("{}")},
		"empty":           {[]byte{}},
	}
	for _, ch := range []string{"shell", "control", "stdin"} {
		for name, frames := range bad {
			if err := r.c.SendRaw(ch, frames); err != nil {
				t.Fatalf("%s %s: %v", ch, name, err)
			}
		}
	}
	// Raw bytes that are not ZeroMQ at all, on every port, iopub and
	// heartbeat included.
	for _, port := range []int{r.ci.ShellPort, r.ci.ControlPort, r.ci.StdinPort, r.ci.IOPubPort, r.ci.HBPort} {
		conn, err := net.Dial("tcp", fmt.Sprintf("127.0.0.1:%d", port))
		if err != nil {
			t.Fatal(err)
		}
		conn.Write([]byte("GET / HTTP/1.1\r\n\r\n\xff\x00\x01garbage"))
		conn.Close()
	}
	for _, ch := range []string{"shell", "control"} {
		id, err := r.c.Send(ch, "kernel_info_request", map[string]any{})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := r.c.Reply(ch, id, timeout); err != nil {
			t.Errorf("after bad input the kernel does not answer on %s: %v", ch, err)
		}
	}
	if err := r.c.Heartbeat(timeout); err != nil {
		t.Errorf("heartbeat after bad input: %v", err)
	}
	// A request with well-formed JSON of the wrong shape gets an error reply.
	id, _ := r.c.Send("shell", "execute_request", map[string]any{"code": 42})
	if rep, err := r.c.Reply("shell", id, timeout); err != nil || jupytertest.Content(rep)["status"] != "error" {
		t.Errorf("execute_request with a numeric code: %v %v", err, rep)
	}
}

func TestHeartbeatAndControlDuringALongCell(t *testing.T) {
	r := start(t)
	id, _ := r.c.Send("shell", "execute_request", map[string]any{"code": "sleep 2s"})
	time.Sleep(100 * time.Millisecond)
	for i := 0; i < 3; i++ {
		start := time.Now()
		if err := r.c.Heartbeat(time.Second); err != nil {
			t.Fatalf("heartbeat during a running cell: %v", err)
		}
		if took := time.Since(start); took > 500*time.Millisecond {
			t.Errorf("heartbeat took %s", took)
		}
	}
	kid, _ := r.c.Send("control", "kernel_info_request", map[string]any{})
	if _, err := r.c.Reply("control", kid, time.Second); err != nil {
		t.Errorf("kernel_info on control while a cell runs: %v", err)
	}
	if _, err := r.c.Reply("shell", id, timeout); err != nil {
		t.Fatal(err)
	}
}

func TestShellRequests(t *testing.T) {
	r := start(t)
	ask := func(msgType string, content map[string]any) map[string]any {
		t.Helper()
		id, err := r.c.Send("shell", msgType, content)
		if err != nil {
			t.Fatal(err)
		}
		rep, err := r.c.Reply("shell", id, timeout)
		if err != nil {
			t.Fatal(err)
		}
		if want := strings.TrimSuffix(msgType, "_request") + "_reply"; rep.Header.MsgType != want {
			t.Fatalf("%s answered with %s", msgType, rep.Header.MsgType)
		}
		return jupytertest.Content(rep)
	}
	info := ask("kernel_info_request", map[string]any{})
	if info["protocol_version"] != "5.3" || info["implementation"] != "fake" {
		t.Errorf("kernel_info: %v", info)
	}
	if c := ask("complete_request", map[string]any{"code": "pr", "cursor_pos": 2}); fmt.Sprint(c["matches"]) != "[print]" || c["cursor_end"] != 2.0 {
		t.Errorf("complete: %v", c)
	}
	if c := ask("complete_request", map[string]any{"code": "pr", "cursor_pos": 99}); c["cursor_end"] != 2.0 {
		t.Errorf("a cursor past the end is not clamped: %v", c)
	}
	if c := ask("inspect_request", map[string]any{"code": "x", "cursor_pos": 1, "detail_level": 1}); c["found"] != true || fmt.Sprint(c["data"]) != "map[text/plain:doc 1]" {
		t.Errorf("inspect: %v", c)
	}
	if c := ask("is_complete_request", map[string]any{"code": "f("}); c["status"] != "incomplete" || c["indent"] != "  " {
		t.Errorf("is_complete: %v", c)
	}
	if c := ask("is_complete_request", map[string]any{"code": "f()"}); c["status"] != "complete" {
		t.Errorf("is_complete: %v", c)
	}
	if c := ask("comm_info_request", map[string]any{}); fmt.Sprint(c["comms"]) != "map[]" {
		t.Errorf("comm_info: %v", c)
	}
	if c := ask("connect_request", map[string]any{}); c["shell_port"] != float64(r.ci.ShellPort) {
		t.Errorf("connect: %v", c)
	}
	execute(t, r.c, "page hello")
	reply, _, _ := execute(t, r.c, "page hello")
	if p := fmt.Sprint(reply["payload"]); p != "[map[data:map[text/plain:hello] source:page start:2]]" {
		t.Errorf("payload: %s", p)
	}
}

func TestCommOpenForAnUnknownTargetIsClosed(t *testing.T) {
	r := start(t)
	id, _ := r.c.Send("shell", "comm_open", map[string]any{"comm_id": "c1", "target_name": "nothing", "data": map[string]any{}})
	msgs, err := r.c.IOPub(id, timeout)
	if err != nil {
		t.Fatal(err)
	}
	types := jupytertest.Types(msgs)
	if strings.Join(types, " ") != "status comm_close status" || jupytertest.Content(msgs[1])["comm_id"] != "c1" {
		t.Errorf("comm_open answered with %v", types)
	}
}

func TestHistory(t *testing.T) {
	r := start(t)
	for _, code := range []string{"value 1", "value 2", "print x", "value 1"} {
		execute(t, r.c, code)
	}
	hist := func(req map[string]any) []any {
		t.Helper()
		id, _ := r.c.Send("shell", "history_request", req)
		rep, err := r.c.Reply("shell", id, timeout)
		if err != nil {
			t.Fatal(err)
		}
		h, _ := jupytertest.Content(rep)["history"].([]any)
		return h
	}
	if h := hist(map[string]any{"hist_access_type": "tail", "n": 2, "output": false, "raw": true}); fmt.Sprint(h) != "[[1 3 print x] [1 4 value 1]]" {
		t.Errorf("tail: %v", h)
	}
	if h := hist(map[string]any{"hist_access_type": "tail", "n": 1, "output": true, "raw": true}); fmt.Sprint(h) != "[[1 4 [value 1 1]]]" {
		t.Errorf("tail with output: %v", h)
	}
	if h := hist(map[string]any{"hist_access_type": "range", "session": 1, "start": 2, "stop": 3, "output": false, "raw": true}); fmt.Sprint(h) != "[[1 2 value 2]]" {
		t.Errorf("range: %v", h)
	}
	if h := hist(map[string]any{"hist_access_type": "range", "session": 0, "start": 2, "stop": 3, "output": false, "raw": true}); fmt.Sprint(h) != "[[1 2 value 2]]" {
		t.Errorf("range in session 0 (the current one): %v", h)
	}
	if h := hist(map[string]any{"hist_access_type": "search", "pattern": "value*", "output": false, "raw": true}); len(h) != 3 {
		t.Errorf("search: %v", h)
	}
	if h := hist(map[string]any{"hist_access_type": "search", "pattern": "value*", "unique": true, "output": false, "raw": true}); fmt.Sprint(h) != "[[1 2 value 2] [1 4 value 1]]" {
		t.Errorf("unique search: %v", h)
	}
	if h := hist(map[string]any{"hist_access_type": "search", "pattern": "value*", "n": 1, "output": false, "raw": true}); fmt.Sprint(h) != "[[1 4 value 1]]" {
		t.Errorf("search with n: %v", h)
	}
}

func TestShutdown(t *testing.T) {
	for _, tc := range []struct {
		channel string
		restart bool
	}{{"control", false}, {"control", true}, {"shell", false}} {
		r := start(t)
		id, _ := r.c.Send(tc.channel, "shutdown_request", map[string]any{"restart": tc.restart})
		rep, err := r.c.Reply(tc.channel, id, timeout)
		if err != nil {
			t.Fatal(err)
		}
		if c := jupytertest.Content(rep); c["status"] != "ok" || c["restart"] != tc.restart {
			t.Errorf("shutdown_reply: %v", c)
		}
		select {
		case <-r.done:
		case <-time.After(5 * time.Second):
			t.Fatalf("the kernel did not stop after shutdown_request on %s", tc.channel)
		}
		if r.err != nil || r.restart != tc.restart {
			t.Errorf("Run returned restart=%v err=%v", r.restart, r.err)
		}
	}
}

// TestOversizedFrameClosesTheConnectionNotTheKernel speaks valid ZMTP up to
// a frame header announcing 2^62 bytes: zmq4 alone would allocate it and
// crash; the guarded transport drops that connection instead.
func TestOversizedFrameClosesTheConnectionNotTheKernel(t *testing.T) {
	r := start(t)
	speak(t, r, "\x05READY\x0bSocket-Type\x00\x00\x00\x06DEALER", []byte{0x02, 0x40, 0, 0, 0, 0, 0, 0, 0})
	id, _ := r.c.Send("shell", "kernel_info_request", map[string]any{})
	if _, err := r.c.Reply("shell", id, timeout); err != nil {
		t.Fatalf("the kernel stopped answering: %v", err)
	}
}

// TestMalformedHandshakeClosesTheConnectionNotTheKernel sends READY
// commands whose metadata lies about its lengths, which zmq4's own parser
// would slice past and panic on.
func TestMalformedHandshakeClosesTheConnectionNotTheKernel(t *testing.T) {
	r := start(t)
	for _, ready := range []string{
		"\x05READY\x0bSocket-Type",                       // no value length
		"\x05READY\x0bSocket-Type\x00\x00\x00\x09DEALER", // value too long
		"\x05READY\xffSocket-Type",                       // name too long
		"\x05READY\x0bSocket-Type\x00\x00\x00\x03PUB",    // incompatible peer
		"\x09READY", // command name too long
	} {
		speak(t, r, ready, nil)
	}
	id, _ := r.c.Send("shell", "kernel_info_request", map[string]any{})
	if _, err := r.c.Reply("shell", id, timeout); err != nil {
		t.Fatalf("the kernel stopped answering: %v", err)
	}
}

// speak opens raw TCP connections to the kernel's ROUTER ports, exchanges
// ZMTP 3 greetings, sends a READY command with the given body and then the
// extra bytes.
func speak(t *testing.T, r *running, ready string, extra []byte) {
	t.Helper()
	for _, port := range []int{r.ci.ShellPort, r.ci.ControlPort, r.ci.StdinPort} {
		conn, err := net.Dial("tcp", fmt.Sprintf("127.0.0.1:%d", port))
		if err != nil {
			t.Fatal(err)
		}
		greeting := make([]byte, 64)
		greeting[0], greeting[9], greeting[10] = 0xff, 0x7f, 3
		copy(greeting[12:], "NULL")
		conn.Write(greeting)
		io.ReadFull(conn, make([]byte, 64))
		conn.Write(append([]byte{0x04, byte(len(ready))}, ready...))
		if extra != nil {
			conn.Write(extra)
		}
		time.Sleep(50 * time.Millisecond)
		conn.Close()
	}
	id, _ := r.c.Send("shell", "kernel_info_request", map[string]any{})
	if _, err := r.c.Reply("shell", id, timeout); err != nil {
		t.Fatalf("the kernel stopped answering: %v", err)
	}
}

// TestShutdownEndsTheRunningCellWithoutCallingItAnInterrupt stops the
// kernel while a cell runs, by ending its context as SIGTERM does for
// `reckon kernel`, or by a shutdown_request on control: the kernel stops,
// and the cell's reply says the kernel shut down and why, not that the
// user interrupted it.
func TestShutdownEndsTheRunningCellWithoutCallingItAnInterrupt(t *testing.T) {
	for _, tc := range []struct {
		name string
		stop func(r *running)
		why  string
	}{
		{"SIGTERM", func(r *running) { r.stop(errors.New("terminated signal received")) }, "(terminated signal received)"},
		{"shutdown_request", func(r *running) { r.c.Send("control", "shutdown_request", map[string]any{"restart": false}) }, "(a shutdown_request)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := start(t)
			id, err := r.c.Send("shell", "execute_request", map[string]any{"code": "sleep 60s"})
			if err != nil {
				t.Fatal(err)
			}
			// The cell is running once its execute_input is out.
			if err := waitFor(r.c, id, "execute_input"); err != nil {
				t.Fatal(err)
			}
			tc.stop(r)
			<-r.done
			if r.err != nil {
				t.Fatalf("Run: %v", r.err)
			}
			reply, err := r.c.Reply("shell", id, timeout)
			if err != nil {
				t.Fatalf("the running cell got no reply: %v", err)
			}
			c := jupytertest.Content(reply)
			if c["status"] != "error" || c["ename"] != "KernelShutdown" || !strings.Contains(fmt.Sprint(c["evalue"]), tc.why) {
				t.Errorf("the cell running at shutdown replied %v", c)
			}
		})
	}
}

// waitFor waits until the iopub messages of request id include one of
// msgType.
func waitFor(c *jupytertest.Client, id, msgType string) error {
	deadline := time.Now().Add(timeout)
	for time.Now().Before(deadline) {
		msgs, _ := c.IOPub(id, 10*time.Millisecond)
		for _, m := range msgs {
			if m.Header.MsgType == msgType {
				return nil
			}
		}
	}
	return fmt.Errorf("no %s for %s", msgType, id)
}
