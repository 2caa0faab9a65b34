package kernel

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/uuid"
)

func signedFrames(t testing.TB, s *Codec, ids [][]byte, header, parent, metadata, content string) [][]byte {
	t.Helper()
	frames := append([][]byte{}, ids...)
	sig := s.sign([]byte(header), []byte(parent), []byte(metadata), []byte(content))
	return append(frames, delimiter, sig, []byte(header), []byte(parent), []byte(metadata), []byte(content))
}

const goodHeader = `{"msg_id":"1","session":"s","username":"u","date":"2026-01-01T00:00:00Z","msg_type":"kernel_info_request","version":"5.3"}`

func TestSignerKnownVector(t *testing.T) {
	// HMAC-SHA256 of "abc" under key "key", as Python's hmac module gives it.
	s, err := NewCodec("hmac-sha256", "key")
	if err != nil {
		t.Fatal(err)
	}
	got := string(s.sign([]byte("a"), []byte("bc")))
	want := "9c196e32dc0175f86f4b1cb89289d6619de6bee699e4c378e68309ed97a1a6ab"
	if got != want {
		t.Fatalf("sign = %s, want %s", got, want)
	}
}

func TestDecode(t *testing.T) {
	s, _ := NewCodec("hmac-sha256", "secret")
	other, _ := NewCodec("hmac-sha256", "other")
	unsigned, _ := NewCodec("hmac-sha256", "")
	ids := [][]byte{[]byte("client-1")}
	good := signedFrames(t, s, ids, goodHeader, "{}", "{}", `{"a":1}`)
	tests := []struct {
		name   string
		signer *Codec
		frames [][]byte
		want   error
	}{
		{"good", s, good, nil},
		{"good with buffers", s, append(append([][]byte{}, good...), []byte("buf")), nil},
		{"no identities", s, signedFrames(t, s, nil, goodHeader, "{}", "{}", "{}"), nil},
		{"wrong key", s, signedFrames(t, other, ids, goodHeader, "{}", "{}", "{}"), ErrBadSignature},
		{"missing signature", s, [][]byte{delimiter, nil, []byte(goodHeader), []byte("{}"), []byte("{}"), []byte("{}")}, ErrBadSignature},
		{"tampered content", s, func() [][]byte {
			f := signedFrames(t, s, ids, goodHeader, "{}", "{}", `{"a":1}`)
			f[len(f)-1] = []byte(`{"a":2}`)
			return f
		}(), ErrBadSignature},
		{"no delimiter", s, [][]byte{[]byte("x"), []byte(goodHeader)}, ErrNoDelimiter},
		{"empty", s, nil, ErrNoDelimiter},
		{"truncated", s, good[:len(good)-1], ErrTooFewFrames},
		{"header not JSON", unsigned, [][]byte{delimiter, nil, []byte("{nope"), []byte("{}"), []byte("{}"), []byte("{}")}, ErrBadJSON},
		{"header without msg_type", unsigned, [][]byte{delimiter, nil, []byte(`{"msg_id":"1"}`), []byte("{}"), []byte("{}"), []byte("{}")}, ErrBadJSON},
		{"content not an object", unsigned, [][]byte{delimiter, nil, []byte(goodHeader), []byte("{}"), []byte("{}"), []byte("[1]")}, ErrBadJSON},
		{"parent not JSON", unsigned, [][]byte{delimiter, nil, []byte(goodHeader), []byte("{"), []byte("{}"), []byte("{}")}, ErrBadJSON},
		{"unsigned accepts any signature", unsigned, [][]byte{delimiter, []byte("whatever"), []byte(goodHeader), []byte("{}"), []byte("{}"), []byte("{}")}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m, err := tc.signer.Decode(tc.frames)
			if tc.want == nil {
				if err != nil {
					t.Fatalf("decode: %v", err)
				}
				if m.Header.MsgType != "kernel_info_request" {
					t.Fatalf("msg_type = %q", m.Header.MsgType)
				}
				return
			}
			if !errors.Is(err, tc.want) {
				t.Fatalf("decode error = %v, want %v", err, tc.want)
			}
		})
	}
}

func TestEncodeDecodeRoundTrip(t *testing.T) {
	for _, scheme := range []string{"hmac-sha256", "hmac-sha512", "hmac-sha1"} {
		s, err := NewCodec(scheme, "k3y")
		if err != nil {
			t.Fatal(err)
		}
		in := &Message{
			Identities: [][]byte{[]byte("a"), []byte("b")},
			Header:     NewHeader("execute_reply", "sess"),
			Parent:     json.RawMessage(goodHeader),
			Content:    json.RawMessage(`{"status":"ok"}`),
			Buffers:    [][]byte{[]byte{0, 1, 2}},
		}
		frames, err := s.Encode(in)
		if err != nil {
			t.Fatal(err)
		}
		out, err := s.Decode(frames)
		if err != nil {
			t.Fatalf("%s: %v", scheme, err)
		}
		if out.Header != in.Header || string(out.Content) != string(in.Content) || string(out.Metadata) != "{}" ||
			len(out.Identities) != 2 || !bytes.Equal(out.Buffers[0], in.Buffers[0]) {
			t.Fatalf("%s: round trip changed the message: %+v", scheme, out)
		}
	}
}

func TestNewSignerRejectsUnknownSchemes(t *testing.T) {
	for _, scheme := range []string{"md5", "hmac-md5", "sha256", ""} {
		if _, err := NewCodec(scheme, "k"); err == nil {
			t.Errorf("NewCodec(%q) accepted it", scheme)
		}
	}
}

func TestNewHeaderIDIsAUUID(t *testing.T) {
	id := NewHeader("status", "s").MsgID
	u, err := uuid.Parse(id)
	if err != nil || u.Version() != 4 || len(id) != 36 {
		t.Fatalf("msg_id %q is not a version 4 UUID in canonical form (%v)", id, err)
	}
	if NewHeader("status", "s").MsgID == id {
		t.Fatal("two ids are equal")
	}
}

func TestReadConnectionFile(t *testing.T) {
	dir := t.TempDir()
	write := func(content string) string {
		p := filepath.Join(dir, "c.json")
		if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	good := `{"shell_port":1,"iopub_port":2,"stdin_port":3,"control_port":4,"hb_port":5,"ip":"127.0.0.1","key":"k","transport":"tcp","signature_scheme":"hmac-sha256"}`
	ci, err := ReadConnectionFile(write(good))
	if err != nil {
		t.Fatal(err)
	}
	if ci.Endpoint(ci.ShellPort) != "guarded-tcp://127.0.0.1:1" {
		t.Fatalf("endpoint = %s", ci.Endpoint(ci.ShellPort))
	}
	for name, bad := range map[string]string{
		"not json":   `{"shell_port":`,
		"bad scheme": strings.Replace(good, "hmac-sha256", "rot13", 1),
		"bad port":   strings.Replace(good, `"hb_port":5`, `"hb_port":0`, 1),
		"transport":  strings.Replace(good, `"tcp"`, `"udp"`, 1),
	} {
		if _, err := ReadConnectionFile(write(bad)); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	if _, err := ReadConnectionFile(filepath.Join(dir, "missing.json")); err == nil {
		t.Error("a missing file was accepted")
	}
}
