package kernel

import (
	"encoding/json"
	"errors"
	"fmt"
	"log"
	"time"

	"github.com/go-zeromq/zmq4"
)

// flushEvery is how long stream text and display updates wait to be
// coalesced. Ten flushes a second keep a progress display lively while
// staying far below what zmq4's PUB socket can queue per subscriber.
const flushEvery = 100 * time.Millisecond

// pubKind says how the publisher may merge a message with its neighbours.
type pubKind int

const (
	plain         pubKind = iota // sent in order, after whatever is pending
	streamText                   // appended to pending text of the same stream and parent
	displayUpdate                // replaces a pending update of the same display
)

type pubItem struct {
	kind    pubKind
	msgType string
	parent  json.RawMessage
	content map[string]any
	key     string        // stream name or display id
	sync    chan struct{} // when set, closed once everything before it is sent
	result  chan error    // when set, receives the outcome of sending it
}

// publisher owns the iopub socket. Every message goes through its one
// goroutine, so iopub order is the order of publish calls, and stream text
// and display updates are coalesced without ever losing the last of them.
type publisher struct {
	sock    sender
	codec   *Codec
	session string
	limit   sizeLimit
	log     *log.Logger
	in      chan pubItem
	done    chan struct{}
}

// sender is the part of a ZeroMQ socket the publisher uses.
type sender interface {
	Send(zmq4.Msg) error
}

func newPublisher(sock sender, s *Codec, session string, limit sizeLimit, logger *log.Logger) *publisher {
	p := &publisher{sock: sock, codec: s, session: session, limit: limit, log: logger, in: make(chan pubItem, 256), done: make(chan struct{})}
	go p.run()
	return p
}

func (p *publisher) publish(msgType string, parent json.RawMessage, content map[string]any) {
	p.in <- pubItem{kind: plain, msgType: msgType, parent: parent, content: content}
}

// publishChecked publishes like publish and returns once the message is
// sent, with an error wrapping ErrMessageTooLarge if it was too large to
// send: the caller then tells the user, where publish would have sent a
// notice on stderr in its place.
func (p *publisher) publishChecked(msgType string, parent json.RawMessage, content map[string]any) error {
	c := make(chan error, 1)
	p.in <- pubItem{kind: plain, msgType: msgType, parent: parent, content: content, result: c}
	return <-c
}

func (p *publisher) stream(parent json.RawMessage, name, text string) {
	p.in <- pubItem{kind: streamText, msgType: "stream", parent: parent, key: name, content: map[string]any{"name": name, "text": text}}
}

func (p *publisher) update(parent json.RawMessage, id string, content map[string]any) {
	p.in <- pubItem{kind: displayUpdate, msgType: "update_display_data", parent: parent, key: id, content: content}
}

// flush returns once everything published before it has been sent.
func (p *publisher) flush() {
	c := make(chan struct{})
	p.in <- pubItem{sync: c}
	<-c
}

// close sends what is pending and stops the goroutine.
func (p *publisher) close() {
	close(p.in)
	<-p.done
}

func (p *publisher) run() {
	defer close(p.done)
	var (
		pending []*pubItem
		timer   *time.Timer
		tick    <-chan time.Time
	)
	sendPending := func() {
		for _, it := range pending {
			p.send(it)
		}
		pending = pending[:0]
		if timer != nil {
			timer.Stop()
			timer, tick = nil, nil
		}
	}
	for {
		select {
		case it, ok := <-p.in:
			if !ok {
				sendPending()
				return
			}
			switch {
			case it.sync != nil:
				sendPending()
				close(it.sync)
			case it.kind == plain:
				sendPending()
				err := p.send(&it)
				if it.result != nil {
					it.result <- err
				}
			default:
				if merge(pending, &it) {
					continue
				}
				pending = append(pending, &it)
				if timer == nil {
					timer = time.NewTimer(flushEvery)
					tick = timer.C
				}
			}
		case <-tick:
			timer, tick = nil, nil
			sendPending()
		}
	}
}

// merge folds it into a pending item it may join: text onto the same stream
// of the same cell, an update onto the pending update of the same display.
func merge(pending []*pubItem, it *pubItem) bool {
	for i := len(pending) - 1; i >= 0; i-- {
		q := pending[i]
		if q.kind != it.kind || q.key != it.key || string(q.parent) != string(it.parent) {
			continue
		}
		if it.kind == streamText {
			// Only the newest pending item may grow, or text would jump
			// ahead of an update that came between.
			if i != len(pending)-1 {
				return false
			}
			q.content["text"] = q.content["text"].(string) + it.content["text"].(string)
			return true
		}
		q.content = it.content
		return true
	}
	return false
}

// send encodes and sends it. A message over the size limit is not sent;
// unless its publisher asked for the outcome, a notice on stderr takes its
// place, so that the user learns what is missing.
func (p *publisher) send(it *pubItem) error {
	frames, err := p.encode(it.msgType, it.parent, it.content)
	if err == nil {
		err = p.limit.check(frames)
	}
	if err != nil {
		p.log.Printf("iopub: not sending %s: %v", it.msgType, err)
		if it.result != nil || !errors.Is(err, ErrMessageTooLarge) {
			return err
		}
		text := fmt.Sprintf("Output too large: a %s message was not sent: %s.\n", it.msgType, tooLargeDetail(err))
		if frames, err = p.encode("stream", it.parent, map[string]any{"name": "stderr", "text": text}); err != nil {
			return err
		}
	}
	if err := p.sock.Send(zmq4.NewMsgFrom(frames...)); err != nil {
		p.log.Printf("iopub: sending %s: %v", it.msgType, err)
		return err
	}
	return nil
}

func (p *publisher) encode(msgType string, parent json.RawMessage, content map[string]any) ([][]byte, error) {
	c, err := json.Marshal(content)
	if err != nil {
		return nil, fmt.Errorf("cannot encode the content: %w", err)
	}
	return p.codec.Encode(&Message{
		Identities: [][]byte{[]byte("kernel." + p.session + "." + msgType)},
		Header:     NewHeader(msgType, p.session),
		Parent:     parent,
		Metadata:   json.RawMessage("{}"),
		Content:    c,
	})
}
