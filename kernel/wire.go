package kernel

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash"
	"os"
	"strings"
	"time"

	"github.com/google/uuid"
)

// ProtocolVersion is the version of the messaging spec the kernel speaks.
const ProtocolVersion = "5.3"

// delimiter separates the routing identities from the signed message parts.
var delimiter = []byte("<IDS|MSG>")

// Header is a message header as the spec defines it.
type Header struct {
	MsgID    string `json:"msg_id"`
	Session  string `json:"session"`
	Username string `json:"username"`
	Date     string `json:"date"`
	MsgType  string `json:"msg_type"`
	Version  string `json:"version"`
}

// Message is one decoded Jupyter message. Parent and Metadata are kept raw
// so that they travel back to the client byte for byte.
type Message struct {
	Identities [][]byte
	Header     Header
	Parent     json.RawMessage
	Metadata   json.RawMessage
	Content    json.RawMessage
	Buffers    [][]byte
}

// MaxHeaderBytes bounds a message's header. A Jupyter header is six short
// strings, a few hundred bytes; the kernel echoes a request's header as
// the parent_header of its reply and of every iopub message the request
// causes, so a larger one is refused rather than repeated (ipykernel sets
// no bound).
const MaxHeaderBytes = 64 << 10

// Errors of the wire format; decode wraps them with detail.
var (
	ErrHeaderTooLarge = errors.New("header too large")
	ErrNoDelimiter    = errors.New("no <IDS|MSG> delimiter")
	ErrTooFewFrames   = errors.New("too few frames after the delimiter")
	ErrBadSignature   = errors.New("bad signature")
	ErrBadJSON        = errors.New("invalid JSON")
)

// Codec signs, verifies, encodes and decodes messages with the connection's
// key. A nil hash constructor means an empty key: messages go unsigned and
// any signature is accepted, as the spec says.
type Codec struct {
	newHash func() hash.Hash
	key     []byte
}

// NewCodec returns a codec for a signature scheme ("hmac-sha256") and key.
func NewCodec(scheme, key string) (*Codec, error) {
	algo, ok := strings.CutPrefix(scheme, "hmac-")
	if !ok {
		return nil, fmt.Errorf("signature scheme %q is not hmac-<algorithm>", scheme)
	}
	var h func() hash.Hash
	switch algo {
	case "sha256":
		h = sha256.New
	case "sha512":
		h = sha512.New
	case "sha1":
		h = sha1.New
	default:
		return nil, fmt.Errorf("signature scheme %q: unsupported algorithm (want sha256, sha512 or sha1)", scheme)
	}
	if key == "" {
		return &Codec{}, nil
	}
	return &Codec{newHash: h, key: []byte(key)}, nil
}

// sign returns the hex HMAC of the four signed parts, or "" when unsigned.
func (s *Codec) sign(parts ...[]byte) []byte {
	if s.newHash == nil {
		return nil
	}
	mac := hmac.New(s.newHash, s.key)
	for _, p := range parts {
		mac.Write(p)
	}
	sum := mac.Sum(nil)
	out := make([]byte, hex.EncodedLen(len(sum)))
	hex.Encode(out, sum)
	return out
}

// Decode parses the frames of a message received on a ROUTER socket (or,
// for a client, on a DEALER or SUB socket) and checks its signature.
func (s *Codec) Decode(frames [][]byte) (*Message, error) {
	d := -1
	for i, f := range frames {
		if bytes.Equal(f, delimiter) {
			d = i
			break
		}
	}
	if d < 0 {
		return nil, ErrNoDelimiter
	}
	rest := frames[d+1:]
	if len(rest) < 5 {
		return nil, fmt.Errorf("%w: %d, want at least 5 (signature, header, parent, metadata, content)", ErrTooFewFrames, len(rest))
	}
	if s.newHash != nil {
		want := s.sign(rest[1], rest[2], rest[3], rest[4])
		if !hmac.Equal(want, rest[0]) {
			return nil, ErrBadSignature
		}
	}
	if len(rest[1]) > MaxHeaderBytes {
		return nil, fmt.Errorf("%w: %d bytes, over the limit of %d", ErrHeaderTooLarge, len(rest[1]), MaxHeaderBytes)
	}
	m := &Message{Identities: frames[:d], Buffers: rest[5:]}
	if err := json.Unmarshal(rest[1], &m.Header); err != nil {
		return nil, fmt.Errorf("%w in header: %v", ErrBadJSON, err)
	}
	if m.Header.MsgType == "" {
		return nil, fmt.Errorf("%w: header has no msg_type", ErrBadJSON)
	}
	for _, part := range []struct {
		name string
		raw  []byte
		dst  *json.RawMessage
	}{{"parent_header", rest[2], &m.Parent}, {"metadata", rest[3], &m.Metadata}, {"content", rest[4], &m.Content}} {
		if !isJSONObject(part.raw) {
			return nil, fmt.Errorf("%w: %s is not a JSON object", ErrBadJSON, part.name)
		}
		*part.dst = json.RawMessage(part.raw)
	}
	return m, nil
}

func isJSONObject(b []byte) bool {
	b = bytes.TrimSpace(b)
	return len(b) >= 2 && b[0] == '{' && json.Valid(b)
}

// Encode turns a message into signed frames ready for a socket.
func (s *Codec) Encode(m *Message) ([][]byte, error) {
	header, err := json.Marshal(m.Header)
	if err != nil {
		return nil, fmt.Errorf("encoding header: %w", err)
	}
	parent, metadata, content := orEmpty(m.Parent), orEmpty(m.Metadata), orEmpty(m.Content)
	frames := make([][]byte, 0, len(m.Identities)+6+len(m.Buffers))
	frames = append(frames, m.Identities...)
	frames = append(frames, delimiter, s.sign(header, parent, metadata, content), header, parent, metadata, content)
	return append(frames, m.Buffers...), nil
}

func orEmpty(b json.RawMessage) []byte {
	if len(b) == 0 {
		return []byte("{}")
	}
	return b
}

// NewHeader makes a header for a new message of the given type, with a
// random (version 4) UUID as its msg_id.
func NewHeader(msgType, session string) Header {
	return Header{
		MsgID:    uuid.NewString(),
		Session:  session,
		Username: username,
		Date:     time.Now().UTC().Format("2006-01-02T15:04:05.000000Z"),
		MsgType:  msgType,
		Version:  ProtocolVersion,
	}
}

// username is who the kernel's messages say sent them: the user running
// it, as jupyter_client's Session says ($USER, or "username" without one).
var username = func() string {
	if u := os.Getenv("USER"); u != "" {
		return u
	}
	return "username"
}()
