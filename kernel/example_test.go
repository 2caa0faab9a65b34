package kernel_test

import (
	"encoding/json"
	"fmt"

	"github.com/reckon-dev/reckon/kernel"
)

func ExampleCodec() {
	codec, err := kernel.NewCodec("hmac-sha256", "secret")
	if err != nil {
		fmt.Println(err)
		return
	}
	frames, err := codec.Encode(&kernel.Message{
		Identities: [][]byte{[]byte("client")},
		Header:     kernel.NewHeader("kernel_info_request", "session-1"),
		Content:    json.RawMessage(`{}`),
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	m, err := codec.Decode(frames)
	fmt.Println(m.Header.MsgType, string(m.Identities[0]), err)

	// A message signed with another key is refused.
	other, _ := kernel.NewCodec("hmac-sha256", "other")
	_, err = other.Decode(frames)
	fmt.Println(err)
	// Output:
	// kernel_info_request client <nil>
	// bad signature
}
