package kernel

import (
	"bytes"
	"errors"
	"strings"
	"testing"
)

// FuzzDecode feeds arbitrary frames to the decoder: whatever arrives on a
// socket, decode must return a message or an error and never panic, and a
// message it accepts must survive re-encoding.
func FuzzDecode(f *testing.F) {
	s, _ := NewCodec("hmac-sha256", "fuzz")
	for _, frames := range [][][]byte{
		signedFrames(f, s, [][]byte{[]byte("id")}, goodHeader, "{}", "{}", `{"code":"1"}`),
		{delimiter, []byte("sig"), []byte("{}"), []byte("{}"), []byte("{}"), []byte("{}")},
		{[]byte("<IDS|MSG>")},
		{},
	} {
		f.Add(bytes.Join(frames, []byte{0}), true)
	}
	f.Add([]byte("\x00\x00<IDS|MSG>\x00\x00{\x00}"), false)
	bigHeader := `{"msg_id":"1","session":"s","username":"` + strings.Repeat("<", MaxHeaderBytes) + `","msg_type":"execute_request","version":"5.3"}`
	f.Add(bytes.Join([][]byte{delimiter, nil, []byte(bigHeader), []byte("{}"), []byte("{}"), []byte("{}")}, []byte{0}), false)
	f.Fuzz(func(t *testing.T, data []byte, signed bool) {
		frames := bytes.Split(data, []byte{0})
		dec := s
		if !signed {
			dec, _ = NewCodec("hmac-sha256", "")
		}
		m, err := dec.Decode(frames)
		if err != nil {
			return
		}
		out, err := dec.Encode(m)
		if err != nil {
			t.Fatalf("encode of a decoded message: %v", err)
		}
		// Re-encoding may escape a header's characters (json.Marshal
		// writes "<" as "\u003c"), so a header just under the limit can
		// come back over it; that is the only way re-decoding may fail.
		if _, err := dec.Decode(out); err != nil && !errors.Is(err, ErrHeaderTooLarge) {
			t.Fatalf("re-decoding an encoded message: %v", err)
		}
	})
}
