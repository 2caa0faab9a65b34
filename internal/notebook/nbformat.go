package notebook

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
)

// Notebook is an nbformat 4 notebook.
type Notebook struct {
	Cells    []*Cell
	Metadata map[string]any
	// Format and Minor are nbformat and nbformat_minor.
	Format, Minor int
	extra         map[string]json.RawMessage
}

// Cell is one cell. Outputs and ExecutionCount belong to code cells.
type Cell struct {
	ID       string
	Type     string // "code", "markdown" or "raw"
	Source   string
	Metadata map[string]any
	// ExecutionCount is nil until the cell has run.
	ExecutionCount *int
	Outputs        []Output
	extra          map[string]json.RawMessage
}

// Output is one output of a code cell, in nbformat's shape: output_type,
// then the fields of that type ("name" and "text" for a stream; "data",
// "metadata" and, for an execute_result, "execution_count"; "ename",
// "evalue" and "traceback" for an error).
type Output map[string]any

// Type is the output's output_type.
func (o Output) Type() string { s, _ := o["output_type"].(string); return s }

// Text is a stream's text, or an output's text/plain.
func (o Output) Text() string {
	if o.Type() == "stream" {
		return joinLines(o["text"])
	}
	data, _ := o["data"].(map[string]any)
	return joinLines(data["text/plain"])
}

// Tags lists the cell's metadata tags.
func (c *Cell) Tags() []string {
	raw, _ := c.Metadata["tags"].([]any)
	var tags []string
	for _, t := range raw {
		if s, ok := t.(string); ok {
			tags = append(tags, s)
		}
	}
	return tags
}

// HasTag reports whether the cell carries tag.
func (c *Cell) HasTag(tag string) bool {
	for _, t := range c.Tags() {
		if t == tag {
			return true
		}
	}
	return false
}

// Read parses a notebook. Errors say what is wrong and where: "cell 3:
// ...". Only nbformat 4 is read; older notebooks need `jupyter nbconvert
// --to notebook` first, which upgrades them.
func Read(data []byte) (*Notebook, error) {
	var top map[string]json.RawMessage
	if err := json.Unmarshal(data, &top); err != nil {
		return nil, fmt.Errorf("not a notebook: %w", err)
	}
	nb := &Notebook{extra: map[string]json.RawMessage{}}
	if err := field(top, "nbformat", &nb.Format, true); err != nil {
		return nil, err
	}
	if nb.Format != 4 {
		return nil, fmt.Errorf("nbformat %d is not supported (only 4; `jupyter nbconvert --to notebook` upgrades older notebooks)", nb.Format)
	}
	if err := field(top, "nbformat_minor", &nb.Minor, false); err != nil {
		return nil, err
	}
	if err := field(top, "metadata", &nb.Metadata, false); err != nil {
		return nil, err
	}
	var cells []map[string]json.RawMessage
	if err := field(top, "cells", &cells, true); err != nil {
		return nil, err
	}
	for k, v := range top {
		nb.extra[k] = v
	}
	for i, raw := range cells {
		c, err := readCell(raw)
		if err != nil {
			return nil, fmt.Errorf("cell %d: %w", i, err)
		}
		nb.Cells = append(nb.Cells, c)
	}
	if nb.Metadata == nil {
		nb.Metadata = map[string]any{}
	}
	return nb, nil
}

// field moves key out of m into dst.
func field(m map[string]json.RawMessage, key string, dst any, required bool) error {
	raw, ok := m[key]
	if !ok {
		if required {
			return fmt.Errorf("the notebook has no %q", key)
		}
		return nil
	}
	delete(m, key)
	if string(raw) == "null" && !required {
		return nil
	}
	if err := json.Unmarshal(raw, dst); err != nil {
		return fmt.Errorf("%q is not what nbformat 4 says it is: %w", key, err)
	}
	return nil
}

func readCell(raw map[string]json.RawMessage) (*Cell, error) {
	if raw == nil {
		return nil, fmt.Errorf("a cell must be an object")
	}
	c := &Cell{extra: map[string]json.RawMessage{}}
	if err := field(raw, "cell_type", &c.Type, true); err != nil {
		return nil, err
	}
	switch c.Type {
	case "code", "markdown", "raw":
	default:
		return nil, fmt.Errorf("unknown cell_type %q (code, markdown or raw)", c.Type)
	}
	if err := field(raw, "id", &c.ID, false); err != nil {
		return nil, err
	}
	var source any
	if err := field(raw, "source", &source, false); err != nil {
		return nil, err
	}
	if !isText(source) {
		return nil, fmt.Errorf("source must be a string or a list of strings")
	}
	c.Source = joinLines(source)
	if err := field(raw, "metadata", &c.Metadata, false); err != nil {
		return nil, err
	}
	if c.Metadata == nil {
		c.Metadata = map[string]any{}
	}
	if c.Type == "code" {
		if err := field(raw, "execution_count", &c.ExecutionCount, false); err != nil {
			return nil, err
		}
		var outs []map[string]any
		if err := field(raw, "outputs", &outs, false); err != nil {
			return nil, err
		}
		for j, o := range outs {
			if _, ok := o["output_type"].(string); !ok {
				return nil, fmt.Errorf("output %d has no output_type", j)
			}
			c.Outputs = append(c.Outputs, joinMultiline(Output(o)))
		}
	}
	c.extra = raw
	return c, nil
}

func isText(v any) bool {
	switch x := v.(type) {
	case nil, string:
		return true
	case []any:
		for _, s := range x {
			if _, ok := s.(string); !ok {
				return false
			}
		}
		return true
	}
	return false
}

// joinLines reads nbformat's multi-line string: a string or a list of lines.
func joinLines(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case []any:
		var b strings.Builder
		for _, s := range x {
			if s, ok := s.(string); ok {
				b.WriteString(s)
			}
		}
		return b.String()
	}
	return ""
}

// splitLines writes a multi-line string as nbformat does: a list of lines,
// each keeping its newline.
func splitLines(s string) []string {
	lines := strings.SplitAfter(s, "\n")
	if lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1]
	}
	if lines == nil {
		return []string{}
	}
	return lines
}

// splitMIME is whether nbformat stores a MIME type's string as lines:
// text types, JavaScript and SVG; not base64 images or JSON.
func splitMIME(mime string) bool {
	return strings.HasPrefix(mime, "text/") || mime == "application/javascript" || mime == "image/svg+xml"
}

// joinMultiline turns an output's line lists into strings, so that code
// working on outputs sees one string per text.
func joinMultiline(o Output) Output {
	if o.Type() == "stream" {
		o["text"] = joinLines(o["text"])
	}
	if data, ok := o["data"].(map[string]any); ok {
		for mime, v := range data {
			if splitMIME(mime) && isText(v) {
				data[mime] = joinLines(v)
			}
		}
	}
	if tb, ok := o["traceback"].([]any); ok {
		lines := make([]string, 0, len(tb))
		for _, l := range tb {
			if s, ok := l.(string); ok {
				lines = append(lines, s)
			}
		}
		o["traceback"] = lines
	}
	return o
}

// splitMultiline is joinMultiline's inverse, for writing.
func splitMultiline(o Output) map[string]any {
	w := make(map[string]any, len(o))
	for k, v := range o {
		w[k] = v
	}
	if s, ok := w["text"].(string); ok && o.Type() == "stream" {
		w["text"] = splitLines(s)
	}
	if data, ok := w["data"].(map[string]any); ok {
		split := make(map[string]any, len(data))
		for mime, v := range data {
			if s, ok := v.(string); ok && splitMIME(mime) {
				v = splitLines(s)
			}
			split[mime] = v
		}
		w["data"] = split
	}
	return w
}

// Write renders the notebook as nbformat writes it.
func (nb *Notebook) Write() ([]byte, error) {
	top := map[string]any{}
	for k, v := range nb.extra {
		top[k] = v
	}
	top["nbformat"] = nb.Format
	top["nbformat_minor"] = nb.Minor
	top["metadata"] = orEmpty(nb.Metadata)
	cells := make([]any, len(nb.Cells))
	for i, c := range nb.Cells {
		m := map[string]any{}
		for k, v := range c.extra {
			m[k] = v
		}
		m["cell_type"] = c.Type
		m["metadata"] = orEmpty(c.Metadata)
		m["source"] = splitLines(c.Source)
		if c.ID != "" {
			m["id"] = c.ID
		}
		if c.Type == "code" {
			m["execution_count"] = c.ExecutionCount
			outs := make([]any, len(c.Outputs))
			for j, o := range c.Outputs {
				outs[j] = splitMultiline(o)
			}
			m["outputs"] = outs
		}
		cells[i] = m
	}
	top["cells"] = cells
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", " ")
	if err := enc.Encode(top); err != nil {
		return nil, fmt.Errorf("writing the notebook: %w", err)
	}
	// json.Encoder indents a json.RawMessage kept from the input too, so
	// the whole file has one layout.
	return buf.Bytes(), nil
}

func orEmpty(m map[string]any) map[string]any {
	if m == nil {
		return map[string]any{}
	}
	return m
}
