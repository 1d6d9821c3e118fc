package web

import (
	"bytes"
	"html/template"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/microcosm-cc/bluemonday"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// markdown renders untrusted Markdown (explanations, news bodies) to HTML
// that is safe to show: goldmark escapes raw HTML and drops dangerous URLs,
// and bluemonday's UGC policy removes whatever might still slip through.
// Both are safe for concurrent use once built.
type markdown struct {
	md        goldmark.Markdown
	policy    *bluemonday.Policy
	html      *memo[template.HTML]
	sentences *memo[string]
}

// newMarkdown builds a renderer whose headings start at level minHeading, so
// that a "# Title" inside an explanation does not break the page's outline.
func newMarkdown(minHeading int) *markdown {
	return &markdown{
		md: goldmark.New(
			goldmark.WithExtensions(extension.Table, extension.Strikethrough, extension.Linkify),
			goldmark.WithParserOptions(parser.WithASTTransformers(
				util.Prioritized(headingShift(minHeading-1), 100))),
			// Researchers write one line per statement; a single newline
			// must stay a line break, as it does on the reference pages.
			goldmark.WithRendererOptions(html.WithHardWraps()),
		),
		policy:    bluemonday.UGCPolicy(),
		html:      newMemo[template.HTML](4096),
		sentences: newMemo[string](8192),
	}
}

var mdBufPool = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// Bounds on rendering. goldmark's time grows faster than the text on some
// inputs (a 400 KB run of nested "> " quotes took 27 s), and Markdown can
// come from any member's preview. A text past maxMarkdownBytes, or nested
// deeper than maxMarkdownNesting (quotes and lists), is shown as plain
// text, paragraphs and line breaks kept; a text past cheapMarkdownBytes is
// rendered in a work slot (render.go), and if it is not done within
// markdownBudget the reader gets the plain text while the render finishes
// in its slot for the next reader.
const (
	maxMarkdownBytes   = 64 << 10
	maxMarkdownNesting = 16
	cheapMarkdownBytes = 8 << 10
	markdownBudget     = 300 * time.Millisecond
)

// HTML renders src, sanitised.
func (m *markdown) HTML(src string) template.HTML {
	h, _ := m.Render(src)
	return h
}

// Render renders src, sanitised; plain reports that src was past a bound
// and is shown as plain text, which a preview tells its author.
func (m *markdown) Render(src string) (_ template.HTML, plain bool) {
	if strings.TrimSpace(src) == "" {
		return "", false
	}
	if !markdownFits(src) {
		return m.html.get(src, plainHTML), true
	}
	if h, ok := m.html.lookup(src); ok {
		return h, false
	}
	if len(src) <= cheapMarkdownBytes {
		return m.html.get(src, m.render), false
	}
	start := time.Now()
	if !takeWorkSlot(markdownBudget) {
		return plainHTML(src), true
	}
	done := make(chan template.HTML, 1)
	go func() {
		defer releaseWorkSlot()
		done <- m.html.get(src, m.render)
	}()
	t := time.NewTimer(max(0, markdownBudget-time.Since(start)))
	defer t.Stop()
	select {
	case h := <-done:
		return h, false
	case <-t.C:
		return plainHTML(src), true
	}
}

// markdownFits reports whether src is within the bounds that goldmark
// renders in good time.
func markdownFits(src string) bool {
	if len(src) > maxMarkdownBytes {
		return false
	}
	for line := range strings.Lines(src) {
		if nesting(line) > maxMarkdownNesting {
			return false
		}
	}
	return true
}

// nesting counts the block quote markers, list markers and levels of
// indentation that open a line.
func nesting(line string) int {
	depth, width := 0, 0
	for i := 0; i < len(line); {
		switch c := line[i]; {
		case c == ' ':
			width++
			i++
		case c == '\t':
			width += 4
			i++
		case c == '>':
			depth++
			i = afterMarker(line, i+1)
		case (c == '-' || c == '*' || c == '+') && i+1 < len(line) && (line[i+1] == ' ' || line[i+1] == '\t'):
			depth++
			i = afterMarker(line, i+1)
		case c >= '0' && c <= '9':
			j := i
			for j < len(line) && line[j] >= '0' && line[j] <= '9' {
				j++
			}
			if j+1 < len(line) && (line[j] == '.' || line[j] == ')') && (line[j+1] == ' ' || line[j+1] == '\t') {
				depth++
				i = afterMarker(line, j+1)
				continue
			}
			return depth + width/2
		default:
			return depth + width/2
		}
	}
	return depth + width/2
}

// afterMarker skips the one space that follows a quote or list marker,
// which is part of the marker rather than indentation.
func afterMarker(line string, i int) int {
	if i < len(line) && (line[i] == ' ' || line[i] == '\t') {
		i++
	}
	return i
}

// plainHTML shows src as escaped text: blank lines part paragraphs and
// single newlines stay line breaks, as in the rendered form.
func plainHTML(src string) template.HTML {
	var b strings.Builder
	for _, para := range strings.Split(strings.ReplaceAll(strings.TrimSpace(src), "\r\n", "\n"), "\n\n") {
		if para = strings.TrimSpace(para); para == "" {
			continue
		}
		b.WriteString("<p>")
		for i, line := range strings.Split(para, "\n") {
			if i > 0 {
				b.WriteString("<br>\n")
			}
			b.WriteString(template.HTMLEscapeString(line))
		}
		b.WriteString("</p>\n")
	}
	return template.HTML(b.String())
}

// plainParagraph is the first paragraph of src taken as plain text.
func plainParagraph(src string) string {
	src = strings.TrimSpace(strings.ReplaceAll(src, "\r\n", "\n"))
	if i := strings.Index(src, "\n\n"); i >= 0 {
		src = src[:i]
	}
	return src
}

func (m *markdown) render(src string) template.HTML {
	buf := mdBufPool.Get().(*bytes.Buffer)
	defer func() { buf.Reset(); mdBufPool.Put(buf) }()
	if err := m.md.Convert([]byte(src), buf); err != nil {
		// goldmark only fails when the writer does; show the text escaped.
		return template.HTML(template.HTMLEscapeString(src))
	}
	return template.HTML(m.policy.SanitizeBytes(buf.Bytes()))
}

// FirstSentence is the first sentence of src's plain text: the one-line
// summary shown when many assessments are listed together.
func (m *markdown) FirstSentence(src string) string {
	if strings.TrimSpace(src) == "" {
		return ""
	}
	return m.sentences.get(src, m.firstSentence)
}

func (m *markdown) firstSentence(src string) string {
	if !markdownFits(src) {
		return firstSentence(plainParagraph(src))
	}
	// The first sentence is near the start: parsing the start alone keeps
	// a summary as cheap as a short text.
	if len(src) > cheapMarkdownBytes {
		cut := strings.LastIndexByte(src[:cheapMarkdownBytes], '\n')
		if cut <= 0 { // one long line: cut it between two characters
			cut = cheapMarkdownBytes
			for cut > 0 && !utf8.RuneStart(src[cut]) {
				cut--
			}
		}
		src = src[:cut]
	}
	for _, p := range m.paragraphs(src) {
		if s := firstSentence(p); s != "" {
			return s
		}
	}
	return ""
}

// paragraphs returns the plain text of src's blocks (paragraphs, headings,
// list items…) without markup; raw HTML is dropped.
func (m *markdown) paragraphs(src string) []string {
	source := []byte(src)
	doc := m.md.Parser().Parse(text.NewReader(source))
	var out []string
	var b strings.Builder
	flush := func() {
		if s := strings.TrimSpace(b.String()); s != "" {
			out = append(out, s)
		}
		b.Reset()
	}
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		switch n := n.(type) {
		case *ast.Text:
			if entering {
				b.Write(plainValue(n.Value(source), n.IsRaw()))
				if n.SoftLineBreak() || n.HardLineBreak() {
					b.WriteByte(' ')
				}
			}
		case *ast.String:
			if entering {
				b.Write(plainValue(n.Value, n.IsRaw()))
			}
		case *ast.AutoLink:
			if entering {
				b.Write(n.Label(source))
			}
			return ast.WalkSkipChildren, nil
		case *ast.RawHTML, *ast.HTMLBlock:
			return ast.WalkSkipChildren, nil
		case *ast.CodeBlock, *ast.FencedCodeBlock:
			return ast.WalkSkipChildren, nil
		default:
			if n.Type() == ast.TypeBlock && !entering {
				flush()
			}
		}
		return ast.WalkContinue, nil
	})
	flush()
	return out
}

func plainValue(v []byte, raw bool) []byte {
	if raw {
		return v
	}
	return util.UnescapePunctuations(util.ResolveNumericReferences(util.ResolveEntityNames(v)))
}

// headingShift moves every heading down by n levels, at most to h6.
type headingShift int

func (h headingShift) Transform(doc *ast.Document, _ text.Reader, _ parser.Context) {
	if h <= 0 {
		return
	}
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if hd, ok := n.(*ast.Heading); ok && entering {
			hd.Level = min(hd.Level+int(h), 6)
		}
		return ast.WalkContinue, nil
	})
}

// maxSummary bounds a one-line summary, in characters.
const maxSummary = 300

// abbreviations end with a full stop without ending a sentence. They are
// compared lower-cased and without their final stop; words with an inner
// stop ("e.g", "i.e", "U.S") and single letters (initials) are caught by
// rule, not listed.
var abbreviations = map[string]bool{
	"art": true, "arts": true, "no": true, "nos": true, "nº": true, "n°": true,
	"para": true, "paras": true, "p": true, "pp": true, "sec": true, "ss": true,
	"ch": true, "chap": true, "vol": true, "cf": true, "al": true, "approx": true,
	"mr": true, "mrs": true, "ms": true, "dr": true, "prof": true, "st": true,
	"fig": true, "inc": true, "ltd": true, "co": true, "dept": true, "vs": true,
	"eg": true, "ie": true, "op": true, "cit": true, "ibid": true, "sr": true, "jr": true,
}

// firstSentence returns the first sentence of a plain text, or the whole
// text when it has a single sentence. A full stop ends a sentence only when
// whitespace and a capital letter follow it and it does not close an
// abbreviation, so "Art. 22", "nº 2012-023" and "e.g. Mali" stay inside.
// Very long sentences are cut at a word boundary with an ellipsis.
func firstSentence(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	end := len(s)
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c != '.' && c != '!' && c != '?' {
			continue
		}
		j := i + 1
		for j < len(s) && strings.IndexByte(`"')]`, s[j]) >= 0 {
			j++
		}
		for j < len(s) { // closing curly quotes and guillemets
			r, size := utf8.DecodeRuneInString(s[j:])
			if r != '”' && r != '’' && r != '»' {
				break
			}
			j += size
		}
		if j == len(s) {
			break
		}
		if s[j] != ' ' || !startsSentence(s[j+1:]) {
			continue
		}
		if c == '.' && isAbbreviation(s[:i]) {
			continue
		}
		end = j
		break
	}
	return truncateWords(s[:end], maxSummary)
}

// startsSentence reports whether s begins like a new sentence: a capital
// letter, possibly after an opening quote or bracket.
func startsSentence(s string) bool {
	for _, r := range s {
		switch r {
		case '"', '\'', '(', '[', '“', '‘', '«':
			continue
		}
		return unicode.IsUpper(r)
	}
	return false
}

// isAbbreviation reports whether the word that ends s (just before a full
// stop) is an abbreviation.
func isAbbreviation(s string) bool {
	word := s[strings.LastIndexAny(s, " (")+1:]
	if word == "" {
		return false
	}
	if strings.Contains(word, ".") || utf8.RuneCountInString(word) == 1 {
		return true
	}
	return abbreviations[strings.ToLower(word)]
}

// truncateWords cuts s to at most n characters at a word boundary.
func truncateWords(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	cut, count, limit := 0, 0, 0
	for i, r := range s {
		if count == n {
			break
		}
		if r == ' ' {
			cut = i
		}
		count++
		limit = i + utf8.RuneLen(r)
	}
	if cut == 0 {
		cut = limit
	}
	return strings.TrimRight(s[:cut], " ,;:") + "…"
}
