package kernel_test

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"

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

func ExampleInstallSpec() {
	dir, err := os.MkdirTemp("", "kernels")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer os.RemoveAll(dir)
	installed, err := kernel.InstallSpec(dir, kernel.Spec{
		Name:       "mylang",
		Template:   []byte(`{"argv": ["mylang", "kernel", "{connection_file}"], "display_name": "My language", "language": "mylang"}`),
		Executable: "/usr/local/bin/mylang",
		Files:      map[string][]byte{"logo-64x64.png": nil},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	entries, _ := os.ReadDir(installed)
	for _, e := range entries {
		fmt.Println(filepath.Base(installed), e.Name())
	}
	removed, err := kernel.UninstallSpec(dir, "mylang")
	fmt.Println(removed == installed, err)
	// Output:
	// mylang kernel.json
	// mylang logo-64x64.png
	// true <nil>
}
