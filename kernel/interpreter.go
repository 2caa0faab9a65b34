package kernel

import "context"

// Bundle is a MIME bundle: data keyed by MIME type ("text/plain" always),
// with optional per-type metadata.
type Bundle struct {
	Data     map[string]any
	Metadata map[string]any
}

// Output is where a running cell sends what it shows. The kernel publishes
// each call on iopub with the cell's request as parent; a silent request
// discards them.
//
// A bundle handed to Display or Update, or returned as a Result's Value or
// in a Page, belongs to the kernel from then on: the kernel encodes it
// later, on its publishing goroutine, so the caller must not change its
// maps or what they hold afterwards; make a new bundle instead.
type Output interface {
	// Stream writes text to "stdout" or "stderr".
	Stream(name, text string)
	// Display shows a bundle; a non-empty id lets later Updates replace it.
	Display(b Bundle, id string)
	// Update replaces what an earlier Display with the same id showed.
	Update(b Bundle, id string)
	// Clear clears the cell's output, when the next output arrives if wait.
	Clear(wait bool)
}

// Result is what a successful execution returns: the value of the cell, if
// it has one, and payloads such as a page of help for the pager.
type Result struct {
	Value   *Bundle
	Payload []Payload
}

// Payload is an instruction to the frontend carried by execute_reply. Page
// is the one kind the kernel sends.
type Payload interface {
	// content is the payload as the protocol spells it, with its "source".
	content() map[string]any
}

// Page is the "page" payload: a bundle the frontend shows in its pager
// (JupyterLab shows it below the cell), scrolled to line Start.
type Page struct {
	Bundle Bundle
	Start  int
}

func (p Page) content() map[string]any {
	return map[string]any{"source": "page", "data": p.Bundle.Data, "start": p.Start}
}

// Error is an execution error as the protocol reports it. An Interpreter
// returns one (or wraps one) to choose the name and traceback the user sees;
// any other error is reported with its message.
type Error struct {
	Name      string
	Value     string
	Traceback []string
}

func (e *Error) Error() string { return e.Name + ": " + e.Value }

// Completion answers a complete_request; Start and End are offsets in
// Unicode code points into the code, like the request's cursor_pos.
type Completion struct {
	Matches    []string
	Start, End int
	Metadata   map[string]any
}

// LanguageInfo describes the language for kernel_info_reply.
type LanguageInfo struct {
	Name              string `json:"name"`
	Version           string `json:"version"`
	MIMEType          string `json:"mimetype"`
	FileExtension     string `json:"file_extension"`
	PygmentsLexer     string `json:"pygments_lexer,omitempty"`
	CodeMirrorMode    any    `json:"codemirror_mode,omitempty"`
	NBConvertExporter string `json:"nbconvert_exporter,omitempty"`
}

// HelpLink is a link shown in the frontend's help menu.
type HelpLink struct {
	Text string `json:"text"`
	URL  string `json:"url"`
}

// Info is what kernel_info_reply says about the kernel and its language.
type Info struct {
	Implementation        string
	ImplementationVersion string
	Language              LanguageInfo
	Banner                string
	HelpLinks             []HelpLink
}

// Interpreter is the language behind the kernel. Execute runs one cell; the
// others answer editor requests and must not block on a running cell, since
// they are only called between executions.
type Interpreter interface {
	// Execute runs code, sending what it shows to out. It must return
	// promptly once ctx is cancelled (the user pressed interrupt).
	Execute(ctx context.Context, code string, out Output) (Result, error)
	// Complete proposes completions at cursor (a code point offset).
	Complete(code string, cursor int) Completion
	// Inspect documents what is at cursor; detail is 0 or 1.
	Inspect(code string, cursor, detail int) (b Bundle, found bool)
	// IsComplete says whether code is "complete", "incomplete" (with the
	// indent for the next line), "invalid" or "unknown".
	IsComplete(code string) (status, indent string)
	// Info describes the implementation and language.
	Info() Info
}
