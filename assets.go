// Package reckon holds what the repository root contributes to the binary:
// the kernelspec template that `reckon install` fills in.
package reckon

import _ "embed"

// KernelSpec is the repository's kernel.json, the template of the installed
// kernelspec; its argv[0] is replaced by the path of the installed binary.
//
//go:embed kernel.json
var KernelSpec []byte

//go:generate go test -run TestREADMELanguageReference -update .
