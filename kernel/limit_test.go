package kernel_test

import (
	"strings"
	"testing"

	"github.com/reckon-dev/reckon/internal/jupytertest"
	"github.com/reckon-dev/reckon/kernel"
)

// TestAMessageOverTheLimitFailsAloneAndSaysSo sends outputs over the size
// limit (lowered here to 64 KiB a part) on iopub and on shell: each is
// refused on its own, the user is told "output too large", and the
// connection goes on carrying everything after it.
func TestAMessageOverTheLimitFailsAloneAndSaysSo(t *testing.T) {
	defer kernel.SetSendLimit(64<<10, 128<<10)()
	r := start(t)
	tests := []struct {
		code, status, types, says string
	}{
		{"blob 100000", "ok", "status execute_input stream status", "Output too large: a display_data message was not sent: one part is 97.7 KiB, over the limit of 64.0 KiB."},
		{"bigvalue 100000", "error", "status execute_input error status", "OutputTooLarge: the cell's value was not sent: one part is 97.7 KiB, over the limit of 64.0 KiB."},
		{"bigpage 100000", "error", "status execute_input status", "OutputTooLarge: the execute_reply was not sent"},
		{"blob 1000", "ok", "status execute_input display_data status", ""},
	}
	for _, tc := range tests {
		for i := 0; i < 2; i++ {
			reply, types, contents := execute(t, r.c, tc.code)
			if reply["status"] != tc.status || strings.Join(types, " ") != tc.types {
				t.Errorf("%q: reply %s with iopub %v, want %s with %s", tc.code, reply["status"], types, tc.status, tc.types)
			}
			var said strings.Builder
			for _, c := range append(contents, reply) {
				said.WriteString(texts(c["text"]) + texts(c["traceback"]))
			}
			if !strings.Contains(said.String(), tc.says) {
				t.Errorf("%q: the user is told %q, want %q", tc.code, said.String(), tc.says)
			}
		}
	}
}

// texts joins the text a message content field holds, string or list.
func texts(v any) string {
	switch v := v.(type) {
	case string:
		return v
	case []any:
		var b strings.Builder
		for _, s := range v {
			b.WriteString(texts(s) + "\n")
		}
		return b.String()
	}
	return ""
}

// TestADisplayOverTheRealLimitIsRefusedAlone shows 257 MiB, just over the
// real limit of 256 MiB a part: the display alone is refused and output
// keeps flowing. (Before, the transport failed that write and every later
// one, and the client heard no more iopub until it reconnected.)
func TestADisplayOverTheRealLimitIsRefusedAlone(t *testing.T) {
	if testing.Short() || raceEnabled {
		t.Skip("builds a 257 MiB message: too slow under -race or -short; TestAMessageOverTheLimitFailsAloneAndSaysSo checks the same with a lower limit")
	}
	r := start(t)
	reply, types, contents := execute(t, r.c, "blob 269484032")
	if reply["status"] != "ok" || strings.Join(types, " ") != "status execute_input stream status" ||
		!strings.Contains(texts(contents[2]["text"]), "Output too large: a display_data message was not sent: one part is 257.0 MiB, over the limit of 256.0 MiB.") {
		t.Errorf("a 257 MiB display: reply %v, iopub %v %v", reply["status"], types, contents[2])
	}
	if _, types, _ := execute(t, r.c, "blob 10"); strings.Join(types, " ") != "status execute_input display_data status" {
		t.Errorf("after it: iopub %v", types)
	}
}

// TestAnOversizedHeaderIsRefusedNotEchoed sends requests whose headers
// carry a long username. The kernel echoes a request's header in its reply
// and in every iopub message the request causes; one over MaxHeaderBytes
// is dropped with a line in the log, one under it is served as usual.
func TestAnOversizedHeaderIsRefusedNotEchoed(t *testing.T) {
	logged := &lines{}
	r := startLogged(t, logged)
	send := func(user string) string {
		t.Helper()
		h := kernel.NewHeader("execute_request", r.c.Session)
		h.Username = user
		frames, err := r.c.Codec.Encode(&kernel.Message{Header: h, Content: []byte(`{"code": "print hi"}`)})
		if err != nil {
			t.Fatal(err)
		}
		if err := r.c.SendRaw("shell", frames); err != nil {
			t.Fatal(err)
		}
		return h.MsgID
	}
	big := send(strings.Repeat("u", kernel.MaxHeaderBytes))
	fits := send(strings.Repeat("u", kernel.MaxHeaderBytes-1000))
	// Shell requests are answered in order: once the second is answered,
	// the first would have been.
	reply, err := r.c.Reply("shell", fits, timeout)
	if err != nil {
		t.Fatal(err)
	}
	if jupytertest.Content(reply)["status"] != "ok" {
		t.Errorf("a request with a header under the limit replied %v", jupytertest.Content(reply))
	}
	if got, _ := r.c.Reply("shell", big, 0); got != nil {
		t.Errorf("a request with a %d-byte header was answered", kernel.MaxHeaderBytes+100)
	}
	if got := logged.matching("header too large"); len(got) != 1 {
		t.Errorf("log lines about the header: %q, want 1", got)
	}
}
