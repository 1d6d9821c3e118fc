package pageformat

import (
	"bytes"
	"fmt"
	"strings"
	"unicode/utf8"
)

// line is one line of the page as the parser sees it, whatever the input
// format was.
type line struct {
	raw  string // as written, without its line ending: kept for explanations
	text string // for matching: non-breaking spaces as spaces, trimmed
	n    int    // line number in the source file
	// markup marks a heading that a saved page carries in an attribute
	// (aria-label, data-indicator …) rather than as visible text.
	markup bool
}

func newLine(raw string, n int) line { return line{raw: raw, text: clean(raw), n: n} }

func (l line) blank() bool { return l.text == "" }

// clean turns the non-breaking spaces that pages use for layout into plain
// spaces, so that "Age of\u00a0Consent" still reads as a heading.
func clean(s string) string {
	return strings.TrimSpace(strings.Map(func(r rune) rune {
		switch r {
		case '\u00a0', '\u202f', '\u2007':
			return ' '
		}
		return r
	}, s))
}

var bom = []byte("\xef\xbb\xbf")

// prepare strips a byte-order mark and turns CRLF and lone CR line endings
// into LF, so that line numbers agree with what editors show.
func prepare(data []byte) []byte {
	data = bytes.TrimPrefix(data, bom)
	if bytes.IndexByte(data, '\r') >= 0 {
		data = bytes.ReplaceAll(data, []byte("\r\n"), []byte("\n"))
		data = bytes.ReplaceAll(data, []byte("\r"), []byte("\n"))
	}
	return data
}

// checkBytes finds the first byte that cannot be in a text page: invalid
// UTF-8, NUL or another control character. Such files are binary or in a
// legacy encoding, and reading on would only produce confusing errors.
func checkBytes(data []byte) (int, string) {
	ln, col := 1, 1
	for i := 0; i < len(data); {
		c := data[i]
		if c < utf8.RuneSelf {
			switch {
			case c == '\n':
				ln, col = ln+1, 0
			case c == 0:
				return ln, fmt.Sprintf("NUL byte at column %d: this is a binary file, not a text or HTML page", col)
			case c < 0x20 && c != '\t' && c != '\f' && c != '\v', c == 0x7f:
				return ln, fmt.Sprintf("control character 0x%02x at column %d: this is a binary file, not a text or HTML page", c, col)
			}
			i++
			col++
			continue
		}
		r, size := utf8.DecodeRune(data[i:])
		if r == utf8.RuneError && size == 1 {
			return ln, fmt.Sprintf("invalid UTF-8 (byte 0x%02x at column %d): save the page as UTF-8 text", c, col)
		}
		i += size
		col++
	}
	return 0, ""
}

// countLines is the number of lines in the file, at least 1: errors about a
// page that stops too early point at its last line.
func countLines(data []byte) int {
	n := bytes.Count(data, []byte("\n"))
	if len(data) > 0 && data[len(data)-1] != '\n' {
		n++
	}
	return max(n, 1)
}

func splitLines(s string) []line {
	raws := strings.Split(s, "\n")
	if len(raws) > 0 && raws[len(raws)-1] == "" {
		raws = raws[:len(raws)-1]
	}
	out := make([]line, len(raws))
	for i, r := range raws {
		out[i] = newLine(r, i+1)
	}
	return out
}

// nonBlank lists the indexes of the lines that have text.
func nonBlank(ls []line) []int {
	var idx []int
	for i, l := range ls {
		if !l.blank() {
			idx = append(idx, i)
		}
	}
	return idx
}

// alone reports whether line k is a paragraph of its own.
func alone(ls []line, k int) bool {
	return (k == 0 || ls[k-1].blank()) && (k+1 >= len(ls) || ls[k+1].blank())
}

// joinRaw returns lines a..b as written, blank lines inside included.
func joinRaw(ls []line, a, b int) string {
	parts := make([]string, 0, b-a+1)
	for k := a; k <= b; k++ {
		parts = append(parts, ls[k].raw)
	}
	return strings.Join(parts, "\n")
}

// htmlStarts are the openings that mark a saved HTML page. A text page
// starts with a story title, never with a tag.
var htmlStarts = []string{"<!doctype", "<html", "<head", "<body", "<!--", "<?xml", "<meta", "<title",
	"<div", "<section", "<article", "<main", "<header", "<h1", "<h2", "<h3", "<h4", "<h5", "<h6",
	"<p>", "<p ", "<ul", "<table", "<span", "<a ", "<br", "<link", "<style", "<script"}

func looksLikeHTML(file string, data []byte) bool {
	lower := strings.ToLower(file)
	for _, ext := range []string{".html", ".htm", ".xhtml"} {
		if strings.HasSuffix(lower, ext) {
			return true
		}
	}
	head := bytes.TrimLeft(data, " \t\n\f\v")
	if len(head) > 16 {
		head = head[:16]
	}
	start := strings.ToLower(string(head))
	for _, s := range htmlStarts {
		if strings.HasPrefix(start, s) {
			return true
		}
	}
	return false
}
