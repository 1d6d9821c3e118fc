package web

import (
	"bytes"
	"html/template"
	"strings"
	"sync"
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

// HTML renders src, sanitised.
func (m *markdown) HTML(src string) template.HTML {
	if strings.TrimSpace(src) == "" {
		return ""
	}
	return m.html.get(src, m.render)
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
