package export

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strconv"
	"unicode/utf8"
)

// jsonScanner splits a JSON document into the pieces ReadJSON needs —
// members of the top object, rows of each table, members of each row as
// raw values — in one pass and without building maps. encoding/json
// would scan a 30 MB export three times over; this scans it once and
// still refuses anything that is not valid JSON, saying where.
//
// It reads either data whole or, with r set, a window of the document:
// the window grows while one row is read and drops what was read before
// at each release, so that a document of any size is read in the memory
// of its largest row (at most maxRow bytes).
type jsonScanner struct {
	data  []byte
	pos   int
	depth int // of nested values, bounded by maxJSONDepth

	r      io.Reader // nil when data is the whole document
	off    int64     // of data[0] in what r reads
	eof    bool
	err    error // of r
	maxRow int   // bytes the window may hold; 0 for no bound
	// Where data[0] is in the document, for messages: its line (from 0)
	// and the offset in data of the start of that line (≤ 0).
	line, lineStart int
}

// need reports whether n bytes are there from pos, reading more of r
// when it can.
func (s *jsonScanner) need(n int) bool {
	for len(s.data)-s.pos < n {
		if s.r == nil || s.eof {
			return false
		}
		if s.maxRow > 0 && len(s.data) > s.maxRow {
			s.err = errRowTooLong
			s.eof = true
			return false
		}
		if cap(s.data)-len(s.data) < 32<<10 {
			grown := make([]byte, len(s.data), 2*cap(s.data)+64<<10)
			copy(grown, s.data)
			s.data = grown
		}
		m, err := s.r.Read(s.data[len(s.data):cap(s.data)])
		s.data = s.data[:len(s.data)+m]
		if err == io.EOF {
			s.eof = true
		} else if err != nil {
			s.err, s.eof = err, true
		}
	}
	return true
}

// errRowTooLong stops a scan whose row passes maxRow.
var errRowTooLong = errors.New("row too long")

// release drops what was read so far from the window: the values
// returned before are no longer valid.
func (s *jsonScanner) release() {
	if s.r == nil || s.pos == 0 {
		return
	}
	done := s.data[:s.pos]
	if n := bytes.Count(done, []byte("\n")); n > 0 {
		s.line += n
		s.lineStart = bytes.LastIndexByte(done, '\n') + 1 - s.pos
	} else {
		s.lineStart -= s.pos
	}
	s.data = s.data[:copy(s.data, s.data[s.pos:])]
	s.off += int64(s.pos)
	s.pos = 0
}

// where is ":line:column" of offset off of the window.
func (s *jsonScanner) where(off int) string {
	off = min(off, len(s.data))
	before := s.data[:off]
	line, start := s.line+bytes.Count(before, []byte("\n")), s.lineStart
	if i := bytes.LastIndexByte(before, '\n'); i >= 0 {
		start = i + 1
	}
	return ":" + strconv.Itoa(line+1) + ":" + strconv.Itoa(off-start+1)
}

// maxJSONDepth bounds how deep values nest: Vigie's documents go three
// levels deep (document, table, row) and a list one more; scanning
// recurses, and a file of twenty million "[" would otherwise overflow the
// stack and crash the process.
const maxJSONDepth = 64

// member is one "name": value of an object, its value left raw.
type member struct {
	name string
	raw  []byte
}

type jsonSyntaxError struct {
	at  string // ":line:column"
	msg string
}

func (e *jsonSyntaxError) Error() string { return e.msg }

func (s *jsonScanner) fail(format string, args ...any) error {
	if s.err != nil {
		return s.err // the reader's, or errRowTooLong
	}
	return &jsonSyntaxError{s.where(s.pos), fmt.Sprintf(format, args...)}
}

func (s *jsonScanner) space() {
	for s.need(1) {
		switch s.data[s.pos] {
		case ' ', '\t', '\n', '\r':
			s.pos++
		default:
			return
		}
	}
}

// object reads an object, calling fn for each member with the scanner at
// its value; fn must consume the value.
func (s *jsonScanner) object(fn func(name string) error) error {
	s.space()
	if !s.need(1) || s.data[s.pos] != '{' {
		return s.fail("expected an object")
	}
	s.pos++
	s.space()
	if s.need(1) && s.data[s.pos] == '}' {
		s.pos++
		return nil
	}
	for {
		s.space()
		raw, err := s.stringToken()
		if err != nil {
			return err
		}
		name, err := unquote(raw)
		if err != nil {
			return s.fail("%v", err)
		}
		s.space()
		if !s.need(1) || s.data[s.pos] != ':' {
			return s.fail("expected ':' after a member name")
		}
		s.pos++
		if err := fn(name); err != nil {
			return err
		}
		s.space()
		if !s.need(1) {
			return s.fail("unexpected end of the document in an object")
		}
		switch s.data[s.pos] {
		case ',':
			s.pos++
		case '}':
			s.pos++
			return nil
		default:
			return s.fail("expected ',' or '}' in an object")
		}
	}
}

// array reads an array, calling fn with the scanner at each element; fn
// must consume it.
func (s *jsonScanner) array(fn func() error) error {
	s.space()
	if !s.need(1) || s.data[s.pos] != '[' {
		return s.fail("expected an array")
	}
	s.pos++
	s.space()
	if s.need(1) && s.data[s.pos] == ']' {
		s.pos++
		return nil
	}
	for {
		if err := fn(); err != nil {
			return err
		}
		s.space()
		if !s.need(1) {
			return s.fail("unexpected end of the document in an array")
		}
		switch s.data[s.pos] {
		case ',':
			s.pos++
		case ']':
			s.pos++
			return nil
		default:
			return s.fail("expected ',' or ']' in an array")
		}
	}
}

// value skips one value of any kind, checking it, and returns its bytes.
func (s *jsonScanner) value() ([]byte, error) {
	s.space()
	start := s.pos
	if !s.need(1) {
		return nil, s.fail("unexpected end of the document")
	}
	switch c := s.data[s.pos]; {
	case c == '"':
		return s.stringToken()
	case (c == '{' || c == '[') && s.depth >= maxJSONDepth:
		return nil, s.fail("values nested more than %d deep", maxJSONDepth)
	case c == '{' || c == '[':
		s.depth++
		defer func() { s.depth-- }()
	}
	switch c := s.data[s.pos]; {
	case c == '{':
		err := s.object(func(string) error { _, err := s.value(); return err })
		return s.data[start:s.pos], err
	case c == '[':
		err := s.array(func() error { _, err := s.value(); return err })
		return s.data[start:s.pos], err
	case c == '-' || (c >= '0' && c <= '9'):
		return s.number()
	default:
		for _, lit := range []string{"true", "false", "null"} {
			if s.need(len(lit)) && string(s.data[s.pos:s.pos+len(lit)]) == lit {
				s.pos += len(lit)
				return s.data[start:s.pos], nil
			}
		}
		return nil, s.fail("invalid character %q looking for a value", c)
	}
}

func (s *jsonScanner) number() ([]byte, error) {
	start := s.pos
	digits := func() int {
		n := 0
		for s.need(1) && s.data[s.pos] >= '0' && s.data[s.pos] <= '9' {
			s.pos++
			n++
		}
		return n
	}
	if s.data[s.pos] == '-' {
		s.pos++
	}
	if s.need(1) && s.data[s.pos] == '0' {
		s.pos++
	} else if digits() == 0 {
		return nil, s.fail("invalid number")
	}
	if s.need(1) && s.data[s.pos] == '.' {
		s.pos++
		if digits() == 0 {
			return nil, s.fail("invalid number")
		}
	}
	if s.need(1) && (s.data[s.pos] == 'e' || s.data[s.pos] == 'E') {
		s.pos++
		if s.need(1) && (s.data[s.pos] == '+' || s.data[s.pos] == '-') {
			s.pos++
		}
		if digits() == 0 {
			return nil, s.fail("invalid number")
		}
	}
	return s.data[start:s.pos], nil
}

// stringToken skips a string, checking its escapes and its UTF-8, and
// returns it with its quotes.
func (s *jsonScanner) stringToken() ([]byte, error) {
	if !s.need(1) || s.data[s.pos] != '"' {
		return nil, s.fail("expected a string")
	}
	start := s.pos
	s.pos++
	for s.need(1) {
		c := s.data[s.pos]
		switch {
		case c == '"':
			s.pos++
			return s.data[start:s.pos], nil
		case c == '\\':
			if !s.need(2) {
				return nil, s.fail("unexpected end of the document in a string")
			}
			switch s.data[s.pos+1] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
				s.pos += 2
			case 'u':
				if !s.need(6) || !isHex(s.data[s.pos+2:s.pos+6]) {
					return nil, s.fail("invalid \\u escape in a string")
				}
				s.pos += 6
			default:
				return nil, s.fail("invalid escape in a string")
			}
		case c < 0x20:
			return nil, s.fail("control character in a string: escape it")
		case c < utf8.RuneSelf:
			s.pos++
		default:
			s.need(utf8.UTFMax)
			r, size := utf8.DecodeRune(s.data[s.pos:])
			if r == utf8.RuneError && size == 1 {
				return nil, s.fail("invalid UTF-8 in a string")
			}
			s.pos += size
		}
	}
	return nil, s.fail("unexpected end of the document in a string")
}

func isHex(b []byte) bool {
	for _, c := range b {
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
			return false
		}
	}
	return true
}

// unquote decodes a string token that stringToken accepted.
func unquote(raw []byte) (string, error) {
	body := raw[1 : len(raw)-1]
	i := 0
	for i < len(body) && body[i] != '\\' {
		i++
	}
	if i == len(body) {
		return string(body), nil // no escapes: the text is as written
	}
	out := make([]byte, 0, len(body))
	out = append(out, body[:i]...)
	for i < len(body) {
		c := body[i]
		if c != '\\' {
			out = append(out, c)
			i++
			continue
		}
		switch e := body[i+1]; e {
		case '"', '\\', '/':
			out = append(out, e)
		case 'b':
			out = append(out, '\b')
		case 'f':
			out = append(out, '\f')
		case 'n':
			out = append(out, '\n')
		case 'r':
			out = append(out, '\r')
		case 't':
			out = append(out, '\t')
		case 'u':
			r := hexRune(body[i+2 : i+6])
			i += 6
			if r >= 0xd800 && r < 0xdc00 && i+6 <= len(body) && body[i] == '\\' && body[i+1] == 'u' {
				if lo := hexRune(body[i+2 : i+6]); lo >= 0xdc00 && lo < 0xe000 {
					r = (r-0xd800)<<10 + (lo - 0xdc00) + 0x10000
					i += 6
				}
			}
			if r >= 0xd800 && r < 0xe000 {
				r = utf8.RuneError // a lone surrogate, as encoding/json reads it
			}
			out = utf8.AppendRune(out, r)
			continue
		}
		i += 2
	}
	return string(out), nil
}

func hexRune(b []byte) rune {
	var r rune
	for _, c := range b {
		r <<= 4
		switch {
		case c >= '0' && c <= '9':
			r |= rune(c - '0')
		case c >= 'a' && c <= 'f':
			r |= rune(c - 'a' + 10)
		default:
			r |= rune(c - 'A' + 10)
		}
	}
	return r
}
