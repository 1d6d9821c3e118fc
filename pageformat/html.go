package pageformat

import (
	"bytes"
	"slices"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// blockTags end the current line and open a new paragraph, the way a
// browser stacks them; everything else is inline and joins its line.
var blockTags = map[atom.Atom]bool{
	atom.Address: true, atom.Article: true, atom.Aside: true, atom.Blockquote: true, atom.Body: true,
	atom.Caption: true, atom.Dd: true, atom.Details: true, atom.Dialog: true, atom.Div: true, atom.Dl: true,
	atom.Dt: true, atom.Fieldset: true, atom.Figcaption: true, atom.Figure: true, atom.Form: true,
	atom.H1: true, atom.H2: true, atom.H3: true, atom.H4: true, atom.H5: true, atom.H6: true,
	atom.Header: true, atom.Hgroup: true, atom.Hr: true, atom.Html: true, atom.Li: true, atom.Main: true,
	atom.Ol: true, atom.P: true, atom.Pre: true, atom.Section: true, atom.Summary: true, atom.Table: true,
	atom.Tbody: true, atom.Tfoot: true, atom.Thead: true, atom.Tr: true, atom.Ul: true,
}

// skipTags hold no page text: code, styling, site navigation and widgets.
var skipTags = map[atom.Atom]bool{
	atom.Script: true, atom.Style: true, atom.Noscript: true, atom.Template: true, atom.Head: true,
	atom.Nav: true, atom.Footer: true, atom.Svg: true, atom.Math: true, atom.Iframe: true,
	atom.Object: true, atom.Canvas: true, atom.Select: true, atom.Textarea: true, atom.Title: true,
}

// headTags may stay in <head>; any other start tag means the body has
// begun even though </head> was left out, as HTML allows.
var headTags = map[atom.Atom]bool{
	atom.Meta: true, atom.Link: true, atom.Title: true, atom.Style: true, atom.Script: true,
	atom.Noscript: true, atom.Base: true, atom.Template: true,
}

// htmlLines turns a saved page into the lines a reader sees, each carrying
// the source line where its text begins. The tokenizer rather than the
// tree parser is used because only the tokenizer exposes the raw bytes
// that line numbers are counted from.
func htmlLines(src string) []line {
	z := html.NewTokenizer(strings.NewReader(src))
	out := &htmlText{}
	srcLine := 1
	skip := 0 // depth inside skipTags
	inHead := false
	pre := 0
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			break
		}
		// Count before Text or TagName: they rewrite the buffer in place.
		start := srcLine
		srcLine += bytes.Count(z.Raw(), []byte("\n"))
		switch tt {
		case html.TextToken:
			if skip == 0 && !inHead {
				out.text(string(z.Text()), start, pre > 0)
			}
		case html.StartTagToken, html.SelfClosingTagToken:
			name, _ := z.TagName()
			a := atom.Lookup(name)
			if inHead {
				if headTags[a] {
					continue
				}
				inHead = false
			}
			if a == atom.Head && tt == html.StartTagToken && skip == 0 {
				inHead = true
				continue
			}
			if skip > 0 || skipTags[a] {
				if skipTags[a] && tt == html.StartTagToken {
					skip++
				}
				continue
			}
			switch {
			case a == atom.Br:
				out.br(start)
			case a == atom.Td || a == atom.Th:
				out.space = true
			case blockTags[a]:
				out.block(start)
				if a == atom.Pre && tt == html.StartTagToken {
					pre++
				}
				if label := headingAttr(z); label != "" {
					out.lines = append(out.lines, line{raw: label, text: clean(label), n: start, markup: true})
					out.block(start)
				}
			}
		case html.EndTagToken:
			name, _ := z.TagName()
			a := atom.Lookup(name)
			if a == atom.Head {
				inHead = false
				continue
			}
			if skip > 0 {
				if skipTags[a] {
					skip--
				}
				continue
			}
			switch {
			case a == atom.Td || a == atom.Th:
				out.space = true
			case blockTags[a]:
				out.block(start)
				if a == atom.Pre && pre > 0 {
					pre--
				}
			}
		}
	}
	out.flush()
	return out.lines
}

// htmlText builds lines out of text runs, collapsing whitespace as a
// browser does.
type htmlText struct {
	lines   []line
	cur     strings.Builder
	curLine int  // source line of the first character of cur
	space   bool // a space is due before the next character
}

// text adds decoded text that starts at source line ln.
func (o *htmlText) text(s string, ln int, pre bool) {
	for _, r := range s {
		if r == '\n' {
			if pre {
				o.br(ln)
			} else if o.cur.Len() > 0 {
				o.space = true
			}
			ln++
			continue
		}
		if !pre && (r == ' ' || r == '\t' || r == '\f' || r == '\r') {
			if o.cur.Len() > 0 {
				o.space = true
			}
			continue
		}
		if o.cur.Len() == 0 {
			o.curLine = ln
			o.space = false
		}
		if o.space {
			o.cur.WriteByte(' ')
			o.space = false
		}
		o.cur.WriteRune(r)
	}
}

// flush ends the current line if it has text.
func (o *htmlText) flush() {
	if o.cur.Len() > 0 {
		o.lines = append(o.lines, newLine(o.cur.String(), o.curLine))
		o.cur.Reset()
	}
	o.space = false
}

// br ends the line; a <br> on an empty line makes a blank line, as two
// <br> in a row do in a browser.
func (o *htmlText) br(ln int) {
	if o.cur.Len() == 0 {
		o.lines = append(o.lines, newLine("", ln))
		return
	}
	o.flush()
}

// block ends the line and leaves one blank line before what follows, the
// paragraph break of the text format.
func (o *htmlText) block(ln int) {
	o.flush()
	if n := len(o.lines); n > 0 && !o.lines[n-1].blank() {
		o.lines = append(o.lines, newLine("", ln))
	}
}

// headingAttrs may name what a block is about without showing it: the
// current site marks each indicator's box with its heading this way.
var headingAttrs = []string{"data-indicator", "data-heading", "data-title", "aria-label", "title"}

// headingAttr is the first of headingAttrs the tag carries, or "". The
// caller keeps it only if it names an indicator.
func headingAttr(z *html.Tokenizer) string {
	found := map[string]string{}
	for {
		key, val, more := z.TagAttr()
		if k := string(key); slices.Contains(headingAttrs, k) {
			if v := strings.TrimSpace(string(val)); v != "" && len(v) <= 200 {
				found[k] = v
			}
		}
		if !more {
			break
		}
	}
	for _, k := range headingAttrs {
		if v, ok := found[k]; ok {
			return v
		}
	}
	return ""
}
