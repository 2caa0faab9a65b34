package frame

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"unicode/utf8"
)

// A batch is a run of records as the tokenizer found them: the unquoted
// text of every field, back to back, and where each field ends. Records
// are whole: a batch never splits one.
type batch struct {
	data  []byte
	ends  []int // end of each field in data, record after record
	lines []int // line on which each record starts
	// literal lists, in order, the fields that were quoted and spell a
	// missing-value marker ("NA" in quotes): text, not missing values.
	literal []int
	err     error // what stopped the tokenizer after these records, if anything
	read    int64 // bytes of input read by the time the batch was full
}

func (b *batch) reset() {
	b.data, b.ends, b.lines, b.literal, b.err = b.data[:0], b.ends[:0], b.lines[:0], b.literal[:0], nil
}

// truncate drops the records from field i on, which start at line
// index rec.
func (b *batch) truncate(i, rec int) {
	b.data, b.ends, b.lines = b.data[:b.fieldStart(i)], b.ends[:i], b.lines[:rec]
	for len(b.literal) > 0 && b.literal[len(b.literal)-1] >= i {
		b.literal = b.literal[:len(b.literal)-1]
	}
}

// fieldStart is where field i begins in the batch text.
func (b *batch) fieldStart(i int) int {
	if i == 0 {
		return 0
	}
	return b.ends[i-1]
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

// MaxRecordBytes is the most text one record may hold: a line, or the
// lines of a record with quoted line breaks. A longer one is an error
// rather than a read that fills memory, as an endless input without line
// breaks (/dev/zero) otherwise would.
const MaxRecordBytes = 16 << 20

// errLongRecord reports a record longer than MaxRecordBytes.
var errLongRecord = fmt.Errorf("the line runs past %d MiB, the most one record may hold", MaxRecordBytes>>20)

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

// sniffBytes is how much of the input sniff looks at.
const sniffBytes = 4096

// A notTextError says why the input is not text.
type notTextError struct{ reason string }

func (e *notTextError) Error() string { return e.reason }

// sniff looks at the start of the input and refuses what is not UTF-8
// text (a binary file, /dev/urandom, UTF-16) in one sentence, before any
// of it could be taken for a header or echoed in an error.
func (t *tokenizer) sniff() error {
	head, err := t.r.Peek(sniffBytes)
	if err != nil && err != io.EOF && err != bufio.ErrBufferFull && len(head) == 0 {
		return err
	}
	if bytes.HasPrefix(head, []byte("\xff\xfe")) || bytes.HasPrefix(head, []byte("\xfe\xff")) {
		return &notTextError{"it is UTF-16 text; save it as UTF-8"}
	}
	for i := 0; i < len(head); {
		r, size := utf8.DecodeRune(head[i:])
		switch {
		case r == 0:
			return &notTextError{fmt.Sprintf("line %d has a NUL byte, which text never holds", 1+bytes.Count(head[:i], []byte{'\n'}))}
		case r == utf8.RuneError && size == 1:
			// A character cut at the end of the window is not an error.
			if len(head)-i < utf8.UTFMax && !utf8.FullRune(head[i:]) {
				return nil
			}
			return &notTextError{fmt.Sprintf("line %d has bytes that are not UTF-8 text", 1+bytes.Count(head[:i], []byte{'\n'}))}
		}
		i += size
	}
	return nil
}

// readLine returns the next line with its line break normalised to "\n"
// (the last line may lack one), valid until the next call; at the end of
// the input it returns io.EOF and no text.
func (t *tokenizer) readLine() ([]byte, error) {
	line, err := t.r.ReadSlice('\n')
	if err == bufio.ErrBufferFull {
		t.long = append(t.long[:0], line...)
		for err == bufio.ErrBufferFull {
			if len(t.long) > MaxRecordBytes {
				return nil, &lineError{line: t.line + 1, err: errLongRecord}
			}
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
				if len(b.data)-ndata > MaxRecordBytes {
					b.truncate(nfields, len(b.lines))
					return false, &lineError{line: start, err: errLongRecord}
				}
				next, err := t.readLine()
				if err != nil {
					b.truncate(nfields, len(b.lines))
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
		field := len(b.ends)
		i := bytes.IndexByte(line, t.sep)
		if i >= 0 {
			b.data = append(b.data, line[:i]...)
			line = line[i+1:]
		} else {
			b.data = append(b.data, trimNewline(line)...)
		}
		b.ends = append(b.ends, len(b.data))
		if isMissing(b.field(field)) {
			b.literal = append(b.literal, field)
		}
		if i >= 0 {
			continue
		}
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
