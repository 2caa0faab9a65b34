package kernel

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log"
	"os"
	"runtime/debug"
	"strings"
	"sync"
	"time"

	"github.com/go-zeromq/zmq4"
	"github.com/google/uuid"
)

// defaultStopOnErrorTimeout is Options.StopOnErrorTimeout's default: long
// enough for the rest of a Run All sent together with a failing cell to
// arrive, short enough that nobody waits for an error.
const defaultStopOnErrorTimeout = 100 * time.Millisecond

// Options configure a kernel; the zero value logs to stderr.
type Options struct {
	// Log receives one line per dropped message or internal failure; nil
	// means standard error, with a "kernel: " prefix.
	Log *log.Logger
	// Interrupts, when set, interrupts the running cell on every value it
	// delivers, as an interrupt_request does: the command line feeds it
	// SIGINT, which a terminal's Ctrl-C sends to the whole process group.
	Interrupts <-chan os.Signal
	// StopOnErrorTimeout is how long, after a cell fails with
	// stop_on_error, requests still arriving are aborted (ipykernel's
	// stop_on_error_timeout); zero means 100 ms.
	StopOnErrorTimeout time.Duration
}

// server serves one Interpreter over the sockets of one connection file.
type server struct {
	conn    ConnectionInfo
	interp  Interpreter
	codec   *Codec
	session string
	log     *log.Logger

	shell, control, stdin, iopub, hb zmq4.Socket
	pub                              *publisher

	shellQueue         chan *Message
	stopOnErrorTimeout time.Duration
	limit              sizeLimit

	// Touched only by the shell goroutine.
	execCount int
	held      []*Message // requests that arrived in an abort window
	history   history

	mu          sync.Mutex
	cancelCell  context.CancelFunc
	interrupted bool

	stop     context.CancelCauseFunc
	stopOnce sync.Once
	restart  bool
}

// Run binds the sockets described by conn and serves interp until a
// shutdown_request arrives or ctx is done. It reports whether the client
// asked for a restart.
func Run(ctx context.Context, conn ConnectionInfo, interp Interpreter, opts Options) (restart bool, err error) {
	s, err := NewCodec(conn.SignatureScheme, conn.Key)
	if err != nil {
		return false, err
	}
	logger := opts.Log
	if logger == nil {
		logger = log.New(os.Stderr, "kernel: ", log.LstdFlags)
	}
	ctx, stop := context.WithCancelCause(ctx)
	defer stop(nil)
	k := &server{conn: conn, interp: interp, codec: s, session: uuid.NewString(), log: logger, stop: stop,
		shellQueue: make(chan *Message, 1024), stopOnErrorTimeout: opts.StopOnErrorTimeout, limit: sendLimit}
	if k.stopOnErrorTimeout <= 0 {
		k.stopOnErrorTimeout = defaultStopOnErrorTimeout
	}

	// The sockets get their own background context so that closing them,
	// not ctx, ends them: a reply in flight at shutdown still goes out.
	bg := context.Background()
	sec := zmq4.WithSecurity(safeNull{})
	k.shell = zmq4.NewRouter(bg, sec, zmq4.WithID(zmq4.SocketIdentity("shell")))
	k.control = zmq4.NewRouter(bg, sec, zmq4.WithID(zmq4.SocketIdentity("control")))
	k.stdin = zmq4.NewRouter(bg, sec, zmq4.WithID(zmq4.SocketIdentity("stdin")))
	k.iopub = zmq4.NewPub(withSubscriberQueues(bg, logger), sec)
	k.hb = zmq4.NewRep(bg, sec)
	sockets := []struct {
		name string
		sock zmq4.Socket
		port int
	}{{"shell", k.shell, conn.ShellPort}, {"control", k.control, conn.ControlPort}, {"stdin", k.stdin, conn.StdinPort}, {"iopub", k.iopub, conn.IOPubPort}, {"hb", k.hb, conn.HBPort}}
	defer func() {
		for _, s := range sockets {
			s.sock.Close()
		}
	}()
	for _, s := range sockets {
		if err := s.sock.Listen(conn.Endpoint(s.port)); err != nil {
			return false, fmt.Errorf("binding the %s socket to %s: %w", s.name, conn.Endpoint(s.port), err)
		}
	}
	k.pub = newPublisher(k.iopub, k.codec, k.session, k.limit, logger)
	defer k.pub.close()
	k.pub.publish("status", nil, map[string]any{"execution_state": "starting"})

	var wg sync.WaitGroup
	wg.Add(1)
	go func() { defer wg.Done(); k.heartbeat() }()
	go k.receive(ctx, "shell", k.shell, k.shellQueue)
	controlQueue := make(chan *Message, 64)
	go k.receive(ctx, "control", k.control, controlQueue)
	go k.receive(ctx, "stdin", k.stdin, nil)
	wg.Add(2)
	go func() {
		defer wg.Done()
		for {
			select {
			case <-ctx.Done():
				return
			case m := <-controlQueue:
				k.serve(k.control, m, k.handleControl)
			}
		}
	}()
	go func() {
		defer wg.Done()
		k.serveShell(ctx)
	}()
	if opts.Interrupts != nil {
		go func() {
			for {
				select {
				case <-ctx.Done():
					return
				case <-opts.Interrupts:
					k.cancelRunningCell(true)
				}
			}
		}()
	}

	<-ctx.Done()
	k.cancelRunningCell(false)
	// Closing the heartbeat socket is what ends its loop.
	k.hb.Close()
	wg.Wait()
	k.pub.flush()
	// zmq4's PUB socket sends from a queue of its own; give it a moment to
	// deliver the last idle status and shutdown_reply before the sockets
	// close under it.
	time.Sleep(50 * time.Millisecond)
	return k.restart, nil
}

// receive reads a ROUTER socket and queues every well-formed message. What
// cannot be decoded is dropped with a line in the log: a kernel must keep
// serving whatever bytes arrive.
func (k *server) receive(ctx context.Context, name string, sock zmq4.Socket, queue chan<- *Message) {
	for {
		raw, err := sock.Recv()
		if err != nil {
			if ctx.Err() != nil || errors.Is(err, context.Canceled) || errors.Is(err, io.EOF) {
				return
			}
			k.log.Printf("%s: receive: %v", name, err)
			continue
		}
		m, err := k.codec.Decode(raw.Frames)
		if err != nil {
			k.log.Printf("%s: dropped a message of %d frames: %v", name, len(raw.Frames), err)
			continue
		}
		if queue == nil {
			continue
		}
		select {
		case queue <- m:
		case <-ctx.Done():
			return
		}
	}
}

func (k *server) heartbeat() {
	for {
		msg, err := k.hb.Recv()
		if err != nil {
			return
		}
		if err := k.hb.Send(msg); err != nil {
			return
		}
	}
}

// serveShell handles shell requests one at a time, in arrival order.
func (k *server) serveShell(ctx context.Context) {
	for {
		select {
		case <-ctx.Done():
			return
		case m := <-k.shellQueue:
			k.serve(k.shell, m, func(m *Message) { k.handleShell(ctx, m) })
			// What arrived while a failed cell's abort window was open
			// is served now, in arrival order, its executions aborted.
			held := k.held
			k.held = nil
			for _, m := range held {
				if m.Header.MsgType == "execute_request" {
					k.serve(k.shell, m, k.abort)
				} else {
					k.serve(k.shell, m, func(m *Message) { k.handleShell(ctx, m) })
				}
			}
		}
	}
}

// holdArrivals runs a failed cell's abort window, before its error reply
// goes out: it takes every request that has reached the shell socket, and
// every one that arrives within the grace period, into k.held, to be
// answered after the reply. Any request sent by a client that saw the
// reply therefore arrives after the window closed, and runs; and a Run All
// whose later cells were still on their way when the first one failed
// loses them all, as ipykernel's stop_on_error_timeout intends.
func (k *server) holdArrivals(ctx context.Context) {
	grace := time.NewTimer(k.stopOnErrorTimeout)
	defer grace.Stop()
	for {
		select {
		case m := <-k.shellQueue:
			k.held = append(k.held, m)
		case <-ctx.Done():
			return
		case <-grace.C:
			for {
				select {
				case m := <-k.shellQueue:
					k.held = append(k.held, m)
				default:
					return
				}
			}
		}
	}
}

// abort answers an execute request held behind a failed one with an
// error, without running it, as stop_on_error asks.
func (k *server) abort(m *Message) {
	const msg = "not run: an earlier cell failed and stop_on_error is set"
	k.reply(k.shell, m, "execute_reply", map[string]any{
		"status":          "error",
		"execution_count": k.execCount,
		"ename":           "ExecutionAborted",
		"evalue":          msg,
		"traceback":       []string{"ExecutionAborted: " + msg},
	})
}

// serve wraps the handling of one request in busy and idle status messages
// and keeps a panicking handler from taking the kernel down.
func (k *server) serve(sock zmq4.Socket, m *Message, handle func(*Message)) {
	parent := k.parentOf(m)
	k.pub.publish("status", parent, map[string]any{"execution_state": "busy"})
	func() {
		defer func() {
			if p := recover(); p != nil {
				k.log.Printf("%s: handler panicked: %v\n%s", m.Header.MsgType, p, debug.Stack())
			}
		}()
		handle(m)
	}()
	k.pub.publish("status", parent, map[string]any{"execution_state": "idle"})
}

func (k *server) parentOf(m *Message) json.RawMessage {
	b, err := json.Marshal(m.Header)
	if err != nil {
		return nil
	}
	return b
}

// reply sends a reply to m on sock, to the identities m came from. A reply
// over the size limit is not sent; an error reply of the same type says
// why in its place.
func (k *server) reply(sock zmq4.Socket, m *Message, msgType string, content any) {
	frames, err := k.encodeReply(m, msgType, content)
	if errors.Is(err, ErrMessageTooLarge) {
		k.log.Printf("%s: not sending it: %v", msgType, err)
		e := outputTooLarge("the "+msgType, err)
		replacement := map[string]any{"status": "error", "ename": e.Name, "evalue": e.Value, "traceback": e.Traceback}
		if c, ok := content.(map[string]any); ok && c["execution_count"] != nil {
			replacement["execution_count"] = c["execution_count"]
		}
		frames, err = k.encodeReply(m, msgType, replacement)
	}
	if err != nil {
		k.log.Printf("%s: %v", msgType, err)
		return
	}
	if err := sock.Send(zmq4.NewMsgFrom(frames...)); err != nil {
		k.log.Printf("%s: sending the reply: %v", msgType, err)
	}
}

func (k *server) encodeReply(m *Message, msgType string, content any) ([][]byte, error) {
	c, err := json.Marshal(content)
	if err != nil {
		return nil, fmt.Errorf("cannot encode the reply: %w", err)
	}
	frames, err := k.codec.Encode(&Message{
		Identities: m.Identities,
		Header:     NewHeader(msgType, k.session),
		Parent:     k.parentOf(m),
		Metadata:   json.RawMessage("{}"),
		Content:    c,
	})
	if err != nil {
		return nil, err
	}
	return frames, k.limit.check(frames)
}

// outputTooLarge is the error a user sees for what was too large to send.
func outputTooLarge(what string, err error) *Error {
	v := fmt.Sprintf("%s was not sent: %s. Show a part of it instead.", what, tooLargeDetail(err))
	return &Error{Name: "OutputTooLarge", Value: v, Traceback: []string{"OutputTooLarge: " + v}}
}

// replyBadRequest answers a request whose content could not be read.
func (k *server) replyBadRequest(sock zmq4.Socket, m *Message, err error) {
	k.log.Printf("%s: bad content: %v", m.Header.MsgType, err)
	k.reply(sock, m, replyType(m.Header.MsgType), map[string]any{
		"status":    "error",
		"ename":     "BadRequest",
		"evalue":    err.Error(),
		"traceback": []string{"BadRequest: " + err.Error()},
	})
}

func replyType(requestType string) string {
	return strings.TrimSuffix(requestType, "_request") + "_reply"
}

// handleShell answers one shell request.
func (k *server) handleShell(ctx context.Context, m *Message) {
	switch m.Header.MsgType {
	case "execute_request":
		k.execute(ctx, m)
	case "kernel_info_request":
		k.reply(k.shell, m, "kernel_info_reply", k.kernelInfo())
	case "complete_request":
		k.complete(m)
	case "inspect_request":
		k.inspect(m)
	case "is_complete_request":
		k.isComplete(m)
	case "history_request":
		var r historyRequest
		if err := json.Unmarshal(m.Content, &r); err != nil {
			k.replyBadRequest(k.shell, m, err)
			return
		}
		k.reply(k.shell, m, "history_reply", map[string]any{"status": "ok", "history": k.history.query(r)})
	case "comm_info_request":
		k.reply(k.shell, m, "comm_info_reply", map[string]any{"status": "ok", "comms": map[string]any{}})
	case "comm_open":
		// No comm targets exist, so every comm is closed at once, as
		// ipykernel does for a target it does not know.
		var c struct {
			CommID     string `json:"comm_id"`
			TargetName string `json:"target_name"`
		}
		if err := json.Unmarshal(m.Content, &c); err != nil || c.CommID == "" {
			k.log.Printf("comm_open: no comm_id: %v", err)
			return
		}
		k.log.Printf("comm_open: no target named %q", c.TargetName)
		k.pub.publish("comm_close", k.parentOf(m), map[string]any{"comm_id": c.CommID, "data": map[string]any{}})
	case "comm_msg", "comm_close":
		// Comms are closed as soon as they open; late messages are moot.
	case "connect_request":
		k.reply(k.shell, m, "connect_reply", map[string]any{
			"status": "ok", "shell_port": k.conn.ShellPort, "iopub_port": k.conn.IOPubPort,
			"stdin_port": k.conn.StdinPort, "hb_port": k.conn.HBPort, "control_port": k.conn.ControlPort,
		})
	case "shutdown_request":
		k.shutdown(k.shell, m)
	default:
		k.log.Printf("shell: unknown message type %q", m.Header.MsgType)
	}
}

func (k *server) handleControl(m *Message) {
	switch m.Header.MsgType {
	case "interrupt_request":
		k.cancelRunningCell(true)
		k.reply(k.control, m, "interrupt_reply", map[string]any{"status": "ok"})
	case "shutdown_request":
		k.shutdown(k.control, m)
	case "kernel_info_request":
		k.reply(k.control, m, "kernel_info_reply", k.kernelInfo())
	default:
		k.log.Printf("control: unknown message type %q", m.Header.MsgType)
	}
}

// cancelRunningCell cancels the context of the running cell, if any; an
// interrupt marks the cell so that it ends with a KeyboardInterrupt.
func (k *server) cancelRunningCell(interrupt bool) {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.cancelCell != nil {
		k.interrupted = k.interrupted || interrupt
		k.cancelCell()
	}
}

func (k *server) shutdown(sock zmq4.Socket, m *Message) {
	var c struct {
		Restart bool `json:"restart"`
	}
	if err := json.Unmarshal(m.Content, &c); err != nil {
		k.replyBadRequest(sock, m, err)
		return
	}
	content := map[string]any{"status": "ok", "restart": c.Restart}
	k.reply(sock, m, "shutdown_reply", content)
	k.pub.publish("shutdown_reply", k.parentOf(m), content)
	k.stopOnce.Do(func() {
		k.restart = c.Restart
		k.stop(errors.New("a shutdown_request"))
	})
}

func (k *server) kernelInfo() map[string]any {
	info := k.interp.Info()
	links := info.HelpLinks
	if links == nil {
		links = []HelpLink{}
	}
	return map[string]any{
		"status":                 "ok",
		"protocol_version":       ProtocolVersion,
		"implementation":         info.Implementation,
		"implementation_version": info.ImplementationVersion,
		"language_info":          info.Language,
		"banner":                 info.Banner,
		"help_links":             links,
		"debugger":               false,
	}
}

type executeRequest struct {
	Code         string `json:"code"`
	Silent       bool   `json:"silent"`
	StoreHistory *bool  `json:"store_history"`
	StopOnError  *bool  `json:"stop_on_error"`
	// UserExpressions are acknowledged with an empty result: the language
	// has no side-effect-free evaluation to run them with.
	UserExpressions map[string]string `json:"user_expressions"`
}

// execute runs one cell. When it fails with stop_on_error, the requests
// that arrive before its reply goes out are held, to be aborted.
func (k *server) execute(ctx context.Context, m *Message) {
	var req executeRequest
	if err := json.Unmarshal(m.Content, &req); err != nil {
		k.replyBadRequest(k.shell, m, err)
		return
	}
	store := req.StoreHistory == nil || *req.StoreHistory
	if req.Silent {
		store = false
	}
	stopOnError := req.StopOnError == nil || *req.StopOnError
	if store {
		k.execCount++
	}
	count := k.execCount
	parent := k.parentOf(m)
	if !req.Silent {
		k.pub.publish("execute_input", parent, map[string]any{"code": req.Code, "execution_count": count})
	}

	cellCtx, cancel := context.WithCancel(ctx)
	k.mu.Lock()
	k.cancelCell, k.interrupted = cancel, false
	k.mu.Unlock()
	out := &cellOutput{pub: k.pub, parent: parent, silent: req.Silent}
	res, err := k.run(cellCtx, req.Code, out)
	k.mu.Lock()
	interrupted := k.interrupted
	k.cancelCell, k.interrupted = nil, false
	k.mu.Unlock()
	cancel()
	switch {
	case interrupted:
		err = &Error{Name: "KeyboardInterrupt", Value: "the cell was interrupted (interrupt_request); variables defined before it are kept",
			Traceback: []string{"KeyboardInterrupt: the cell was interrupted; variables defined before it are kept"}}
	case err != nil && ctx.Err() != nil:
		// The kernel is stopping (SIGTERM, shutdown_request): that, not
		// the user, ended the cell, whatever the interpreter called it.
		v := fmt.Sprintf("the kernel is shutting down (%v); the cell was stopped", context.Cause(ctx))
		err = &Error{Name: "KernelShutdown", Value: v, Traceback: []string{"KernelShutdown: " + v}}
	}

	if err == nil && res.Value != nil && !req.Silent {
		perr := k.pub.publishChecked("execute_result", parent, map[string]any{
			"execution_count": count, "data": res.Value.Data, "metadata": orEmptyMap(res.Value.Metadata),
		})
		if errors.Is(perr, ErrMessageTooLarge) {
			err = outputTooLarge("the cell's value", perr)
		}
	}
	if err != nil {
		e := asError(err)
		if !req.Silent {
			k.pub.publish("error", parent, map[string]any{"ename": e.Name, "evalue": e.Value, "traceback": e.Traceback})
		}
		if store {
			k.history.add(count, req.Code, nil)
		}
		if stopOnError && !req.Silent {
			k.holdArrivals(ctx)
		}
		k.reply(k.shell, m, "execute_reply", map[string]any{
			"status": "error", "execution_count": count,
			"ename": e.Name, "evalue": e.Value, "traceback": e.Traceback,
		})
		return
	}

	var output *string
	if res.Value != nil {
		if text, ok := res.Value.Data["text/plain"].(string); ok {
			output = &text
		}
	}
	if store {
		k.history.add(count, req.Code, output)
	}
	payload := make([]map[string]any, len(res.Payload))
	for i, p := range res.Payload {
		payload[i] = p.content()
	}
	userExpressions := map[string]any{}
	k.reply(k.shell, m, "execute_reply", map[string]any{
		"status": "ok", "execution_count": count, "payload": payload, "user_expressions": userExpressions,
	})
}

// run calls the interpreter, turning a panic into an error whose traceback
// is the stack, so that no cell can take the kernel down.
func (k *server) run(ctx context.Context, code string, out Output) (Result, error) {
	return recovered(ctx, k.interp, code, out)
}

// Execute runs one cell with in as the kernel runs it, for tools that run
// cells without a kernel (`reckon run` on a notebook): a panic becomes an
// InternalError whose traceback is the stack, and any error becomes the
// *Error an execute_reply would report.
func Execute(ctx context.Context, in Interpreter, code string, out Output) (Result, *Error) {
	res, err := recovered(ctx, in, code, out)
	if err != nil {
		return res, asError(err)
	}
	return res, nil
}

func recovered(ctx context.Context, in Interpreter, code string, out Output) (res Result, err error) {
	defer func() {
		if p := recover(); p != nil {
			stack := strings.Split(strings.TrimRight(string(debug.Stack()), "\n"), "\n")
			err = &Error{
				Name:      "InternalError",
				Value:     fmt.Sprintf("the kernel hit a bug and recovered: %v", p),
				Traceback: append([]string{fmt.Sprintf("InternalError: the kernel hit a bug and recovered: %v", p), "Your variables are kept. Please report this with the stack below:"}, stack...),
			}
		}
	}()
	return in.Execute(ctx, code, out)
}

func asError(err error) *Error {
	var e *Error
	if errors.As(err, &e) {
		if len(e.Traceback) == 0 {
			c := *e
			c.Traceback = []string{e.Error()}
			return &c
		}
		return e
	}
	return &Error{Name: "Error", Value: err.Error(), Traceback: strings.Split(err.Error(), "\n")}
}

func orEmptyMap(m map[string]any) map[string]any {
	if m == nil {
		return map[string]any{}
	}
	return m
}

// cellOutput publishes a cell's outputs with the execute request as parent.
type cellOutput struct {
	pub    *publisher
	parent json.RawMessage
	silent bool
}

func (o *cellOutput) Stream(name, text string) {
	if o.silent || text == "" {
		return
	}
	if name != "stderr" {
		name = "stdout"
	}
	o.pub.stream(o.parent, name, text)
}

func (o *cellOutput) Display(b Bundle, id string) {
	if o.silent {
		return
	}
	o.pub.publish("display_data", o.parent, displayContent(b, id))
}

func (o *cellOutput) Update(b Bundle, id string) {
	if o.silent || id == "" {
		return
	}
	o.pub.update(o.parent, id, displayContent(b, id))
}

func (o *cellOutput) Clear(wait bool) {
	if o.silent {
		return
	}
	o.pub.publish("clear_output", o.parent, map[string]any{"wait": wait})
}

func displayContent(b Bundle, id string) map[string]any {
	c := map[string]any{"data": b.Data, "metadata": orEmptyMap(b.Metadata), "transient": map[string]any{}}
	if id != "" {
		c["transient"] = map[string]any{"display_id": id}
	}
	return c
}

type completeRequest struct {
	Code      string `json:"code"`
	CursorPos int    `json:"cursor_pos"`
}

func (k *server) complete(m *Message) {
	var r completeRequest
	if err := json.Unmarshal(m.Content, &r); err != nil {
		k.replyBadRequest(k.shell, m, err)
		return
	}
	c := k.interp.Complete(r.Code, clampCursor(r.Code, r.CursorPos))
	matches := c.Matches
	if matches == nil {
		matches = []string{}
	}
	k.reply(k.shell, m, "complete_reply", map[string]any{
		"status": "ok", "matches": matches, "cursor_start": c.Start, "cursor_end": c.End, "metadata": orEmptyMap(c.Metadata),
	})
}

func (k *server) inspect(m *Message) {
	var r struct {
		Code        string `json:"code"`
		CursorPos   int    `json:"cursor_pos"`
		DetailLevel int    `json:"detail_level"`
	}
	if err := json.Unmarshal(m.Content, &r); err != nil {
		k.replyBadRequest(k.shell, m, err)
		return
	}
	b, found := k.interp.Inspect(r.Code, clampCursor(r.Code, r.CursorPos), r.DetailLevel)
	data := b.Data
	if data == nil || !found {
		data = map[string]any{}
	}
	k.reply(k.shell, m, "inspect_reply", map[string]any{"status": "ok", "found": found, "data": data, "metadata": orEmptyMap(b.Metadata)})
}

func (k *server) isComplete(m *Message) {
	var r struct {
		Code string `json:"code"`
	}
	if err := json.Unmarshal(m.Content, &r); err != nil {
		k.replyBadRequest(k.shell, m, err)
		return
	}
	status, indent := k.interp.IsComplete(r.Code)
	content := map[string]any{"status": status}
	if status == "incomplete" {
		content["indent"] = indent
	}
	k.reply(k.shell, m, "is_complete_reply", content)
}

// clampCursor keeps a client's cursor within the code's code points.
func clampCursor(code string, pos int) int {
	n := len([]rune(code))
	if pos < 0 || pos > n {
		return n
	}
	return pos
}
