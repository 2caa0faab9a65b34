package kernel

import (
	"bytes"
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
		if _, err := dec.Decode(out); err != nil {
			t.Fatalf("re-decoding an encoded message: %v", err)
		}
	})
}
