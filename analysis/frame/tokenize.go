package frame

import (
	"bufio"
	"bytes"
	"errors"
	"io"
)

// A batch is a run of records as the tokenizer found them: the unquoted
// text of every field, back to back, and where each field ends. Records
// are whole: a batch never splits one.
type batch struct {
	data  []byte
	ends  []int // end of each field in data, record after record
	lines []int // line on which each record starts
	err   error // what stopped the tokenizer after these records, if anything
	read  int64 // bytes of input read by the time the batch was full
}

func (b *batch) reset() {
	b.data, b.ends, b.lines, b.err = b.data[:0], b.ends[:0], b.lines[:0], nil
}

// field returns field i (counting across records) of the batch.
func (b *batch) field(i int) []byte {
	start := 0
	if i > 0 {
		start = b.ends[i-1]
	}
	return b.data[start:b.ends[i]]
}

// fieldLine returns the line on which field col of record rec starts: the
// record's first line plus the line breaks inside the quoted fields before
// it.
func (b *batch) fieldLine(rec, col, ncols int) int {
	line := b.lines[rec]
	for c := 0; c < col; c++ {
		line += bytes.Count(b.field(rec*ncols+c), []byte{'\n'})
	}
	return line
}

// errUnclosedQuote reports a quoted field that runs to the end of the input.
var errUnclosedQuote = errors.New("a quoted field is never closed")

// A tokenizer splits delimited text into records and fields as RFC 4180
// describes, and as leniently as pandas: a quote inside an unquoted field
// is an ordinary character, text after a closing quote joins the field,
// CRLF and LF both end lines, and blank lines are skipped. It copies field
// text into batches and allocates nothing per record.
type tokenizer struct {
	r     *bufio.Reader
	sep   byte
	line  int    // lines read so far
	long  []byte // a line longer than the reader's buffer
	first bool   // the next line is the first of the input
}

// newTokenizer reads through a buffer of size bytes; lines longer than it
// are still read whole.
func newTokenizer(r io.Reader, sep byte, size int) *tokenizer {
	return &tokenizer{r: bufio.NewReaderSize(r, size), sep: sep, first: true}
}

// readLine returns the next line with its line break normalised to "\n"
// (the last line may lack one), valid until the next call; at the end of
// the input it returns io.EOF and no text.
func (t *tokenizer) readLine() ([]byte, error) {
	line, err := t.r.ReadSlice('\n')
	if err == bufio.ErrBufferFull {
		t.long = append(t.long[:0], line...)
		for err == bufio.ErrBufferFull {
			line, err = t.r.ReadSlice('\n')
			t.long = append(t.long, line...)
		}
		line = t.long
	}
	if err != nil && (err != io.EOF || len(line) == 0) {
		return nil, err
	}
	t.line++
	if t.first {
		t.first = false
		line = bytes.TrimPrefix(line, []byte("\xef\xbb\xbf"))
	}
	n := len(line)
	switch {
	case n >= 2 && line[n-2] == '\r' && line[n-1] == '\n':
		line[n-2] = '\n'
		line = line[:n-1]
	case err == io.EOF && n >= 1 && line[n-1] == '\r':
		line = line[:n-1]
	}
	return line, nil
}

// next appends the next record to b and reports whether there was one. An
// error leaves b holding the records before it.
func (t *tokenizer) next(b *batch) (bool, error) {
	var line []byte
	for {
		l, err := t.readLine()
		if err == io.EOF {
			return false, nil
		}
		if err != nil {
			return false, err
		}
		if len(l) > 0 && !(len(l) == 1 && l[0] == '\n') {
			line = l
			break
		}
	}
	start, nfields, ndata := t.line, len(b.ends), len(b.data)
	for {
		if len(line) == 0 || line[0] != '"' {
			if i := bytes.IndexByte(line, t.sep); i >= 0 {
				b.data = append(b.data, line[:i]...)
				b.ends = append(b.ends, len(b.data))
				line = line[i+1:]
				continue
			}
			b.data = append(b.data, trimNewline(line)...)
			b.ends = append(b.ends, len(b.data))
			b.lines = append(b.lines, start)
			return true, nil
		}
		line = line[1:]
		for {
			i := bytes.IndexByte(line, '"')
			if i < 0 {
				b.data = append(b.data, line...)
				next, err := t.readLine()
				if err != nil {
					b.data, b.ends = b.data[:ndata], b.ends[:nfields]
					if err == io.EOF {
						return false, &lineError{line: start, err: errUnclosedQuote}
					}
					return false, err
				}
				line = next
				continue
			}
			b.data = append(b.data, line[:i]...)
			line = line[i+1:]
			if len(line) > 0 && line[0] == '"' {
				b.data = append(b.data, '"')
				line = line[1:]
				continue
			}
			break
		}
		if i := bytes.IndexByte(line, t.sep); i >= 0 {
			b.data = append(b.data, line[:i]...)
			b.ends = append(b.ends, len(b.data))
			line = line[i+1:]
			continue
		}
		b.data = append(b.data, trimNewline(line)...)
		b.ends = append(b.ends, len(b.data))
		b.lines = append(b.lines, start)
		return true, nil
	}
}

func trimNewline(line []byte) []byte {
	if n := len(line); n > 0 && line[n-1] == '\n' {
		return line[:n-1]
	}
	return line
}

// A lineError is a problem with the text at a line, which the reader turns
// into an error naming the file.
type lineError struct {
	line int
	err  error
}

func (e *lineError) Error() string { return e.err.Error() }
func (e *lineError) Unwrap() error { return e.err }
