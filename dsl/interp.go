package dsl

import (
	"context"
	"fmt"
	"strings"

	"github.com/reckon-dev/reckon/kernel"
)

// Version is the version of the language and of Reckon.
const Version = "0.1.0"

// Interpreter serves a Session to the kernel: it implements
// kernel.Interpreter.
type Interpreter struct {
	Session *Session
}

var _ kernel.Interpreter = (*Interpreter)(nil)

// Execute runs a cell and reports its value and any help pages it asked for.
func (in *Interpreter) Execute(ctx context.Context, code string, out kernel.Output) (kernel.Result, error) {
	res, err := in.Session.Run(ctx, code, out)
	var r kernel.Result
	for _, p := range res.Pages {
		r.Payload = append(r.Payload, kernel.Page{Bundle: kernel.Bundle(Bundle(p))})
	}
	if err != nil {
		return r, toKernelError(err)
	}
	if res.Value != nil {
		b := kernel.Bundle(Bundle(res.Value))
		r.Value = &b
	}
	return r, nil
}

// toKernelError turns a located *Error into what the protocol reports: the
// kind as ename, and a traceback that shows the message and the line.
func toKernelError(err error) *kernel.Error {
	e, ok := err.(*Error)
	if !ok {
		msg := userMessage(err, "")
		return &kernel.Error{Name: CommandError, Value: msg, Traceback: []string{msg}}
	}
	tb := []string{fmt.Sprintf("%s: %s", e.Kind, e.Msg)}
	if e.Pos.Line > 0 {
		tb = append(tb, fmt.Sprintf("  at %s:", e.Pos))
		tb = append(tb, e.Context()...)
	}
	return &kernel.Error{Name: e.Kind, Value: e.Error(), Traceback: strings.Split(strings.Join(tb, "\n"), "\n")}
}

// IsComplete says whether code can run as it is: "incomplete" while a
// bracket is open or a line ends with a backslash, "invalid" when it cannot
// parse, "complete" otherwise.
func (in *Interpreter) IsComplete(code string) (status, indent string) {
	_, lx, err := parse(code)
	if lx != nil && lx.incomplete {
		return "incomplete", "    "
	}
	if err != nil {
		return "invalid", ""
	}
	return "complete", ""
}

// Info describes Reckon for kernel_info_reply. The syntax is close enough to
// Python's (comments, strings, numbers, calls, keyword arguments) that
// Python highlighting reads well.
func (in *Interpreter) Info() kernel.Info {
	return kernel.Info{
		Implementation:        "reckon",
		ImplementationVersion: Version,
		Language: kernel.LanguageInfo{
			Name:           "reckon",
			Version:        Version,
			MIMEType:       "text/x-reckon",
			FileExtension:  ".reckon",
			PygmentsLexer:  "python",
			CodeMirrorMode: "python",
		},
		Banner: "Reckon " + Version + " — explainable clustering, in Go.\nhelp() lists the commands; ?name documents one.",
		HelpLinks: []kernel.HelpLink{
			{Text: "UMAP parameters (umap-learn)", URL: "https://umap-learn.readthedocs.io/en/latest/parameters.html"},
			{Text: "HDBSCAN parameters (hdbscan)", URL: "https://hdbscan.readthedocs.io/en/latest/parameter_selection.html"},
			{Text: "XGBoost parameters", URL: "https://xgboost.readthedocs.io/en/stable/parameter.html"},
			{Text: "SHAP", URL: "https://shap.readthedocs.io/"},
		},
	}
}
