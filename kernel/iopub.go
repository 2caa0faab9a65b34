package kernel

import (
	"encoding/json"
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
}

// publisher owns the iopub socket. Every message goes through its one
// goroutine, so iopub order is the order of publish calls, and stream text
// and display updates are coalesced without ever losing the last of them.
type publisher struct {
	sock    sender
	codec   *Codec
	session string
	log     *log.Logger
	in      chan pubItem
	done    chan struct{}
}

// sender is the part of a ZeroMQ socket the publisher uses.
type sender interface {
	Send(zmq4.Msg) error
}

func newPublisher(sock sender, s *Codec, session string, logger *log.Logger) *publisher {
	p := &publisher{sock: sock, codec: s, session: session, log: logger, in: make(chan pubItem, 256), done: make(chan struct{})}
	go p.run()
	return p
}

func (p *publisher) publish(msgType string, parent json.RawMessage, content map[string]any) {
	p.in <- pubItem{kind: plain, msgType: msgType, parent: parent, content: content}
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
				p.send(&it)
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

func (p *publisher) send(it *pubItem) {
	content, err := json.Marshal(it.content)
	if err != nil {
		p.log.Printf("iopub: cannot encode %s content: %v", it.msgType, err)
		return
	}
	m := &Message{
		Identities: [][]byte{[]byte("kernel." + p.session + "." + it.msgType)},
		Header:     NewHeader(it.msgType, p.session),
		Parent:     it.parent,
		Metadata:   json.RawMessage("{}"),
		Content:    content,
	}
	frames, err := p.codec.Encode(m)
	if err != nil {
		p.log.Printf("iopub: %v", err)
		return
	}
	if err := p.sock.Send(zmq4.NewMsgFrom(frames...)); err != nil {
		p.log.Printf("iopub: sending %s: %v", it.msgType, err)
	}
}
