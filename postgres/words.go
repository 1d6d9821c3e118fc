package postgres

import (
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	vigie "github.com/vigie-network/vigie"
)

// A document's words, as vigie.SearchTerms splits a query: runs of
// letters, digits and marks, folded by vigie.Fold.

// word is a run of text[start:end] and its folded form.
type word struct {
	start, end int
	folded     string
}

func isWordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r) }

// words splits text into its words.
func words(text string) []word {
	var out []word
	start := -1
	for i, r := range text {
		switch {
		case isWordRune(r) && start < 0:
			start = i
		case !isWordRune(r) && start >= 0:
			out = append(out, word{start, i, lexeme(text[start:i])})
			start = -1
		}
	}
	if start >= 0 {
		out = append(out, word{start, len(text), lexeme(text[start:])})
	}
	return out
}

// lexeme folds a word and cuts it to the 64 bytes SearchTerms keeps of a
// term, so that a term matches as a prefix however long the word is.
func lexeme(w string) string {
	f := vigie.Fold(w)
	if len(f) <= 64 {
		return f
	}
	n := 64
	for n > 0 && !utf8.RuneStart(f[n]) {
		n--
	}
	return f[:n]
}

// tsvector limits: positions stop at 16383, and a lexeme keeps 256.
const (
	maxPosition  = 16383
	maxPositions = 256
)

// vector writes the document's words as a tsvector literal: every
// lexeme with its positions, weighted A in the title, B among the names
// and labels and D (the default, unwritten) in the text.
func (d *searchDoc) vector() string {
	type entry struct {
		pos    []int
		weight []string
	}
	entries := map[string]*entry{}
	pos := 0
	for _, field := range []struct{ text, weight string }{{d.title, "A"}, {d.body, ""}, {d.extra, "B"}} {
		for _, w := range words(field.text) {
			pos = min(pos+1, maxPosition)
			e := entries[w.folded]
			if e == nil {
				e = &entry{}
				entries[w.folded] = e
			}
			if len(e.pos) < maxPositions && !slices.Contains(e.pos, pos) {
				e.pos = append(e.pos, pos)
				e.weight = append(e.weight, field.weight)
			}
		}
	}
	var b strings.Builder
	for lex, e := range entries {
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(quoteLexeme(lex))
		for i, p := range e.pos {
			sep := ","
			if i == 0 {
				sep = ":"
			}
			b.WriteString(sep)
			b.WriteString(strconv.Itoa(p))
			b.WriteString(e.weight[i])
		}
	}
	return b.String()
}

// quoteLexeme quotes a lexeme for a tsvector or tsquery literal.
func quoteLexeme(s string) string {
	return "'" + strings.NewReplacer(`\`, `\\`, `'`, `''`).Replace(s) + "'"
}

// snippetWords is how many words a snippet shows, as FTS5's snippet does.
const snippetWords = 32

// snippet cuts from text the passage of n words with the most distinct
// terms (then the most matches), marking the words that match a term as
// a prefix, with "…" where it cuts. Text without matches gives its start.
func snippet(text string, terms []string, n int) []vigie.SnippetPart {
	ws := words(text)
	if len(ws) == 0 {
		return nil
	}
	match := make([]int, len(ws)) // index+1 of the term each word matches, or 0
	for i, w := range ws {
		for t, term := range terms {
			if strings.HasPrefix(w.folded, term) {
				match[i] = t + 1
				break
			}
		}
	}
	// Slide a window of n words along the text, counting its matches.
	perTerm := make([]int, len(terms)+1)
	distinct, count := 0, 0
	move := func(i, d int) { // word i enters (d = 1) or leaves (d = -1)
		m := match[i]
		if m == 0 {
			return
		}
		if d > 0 && perTerm[m] == 0 {
			distinct++
		}
		perTerm[m] += d
		if d < 0 && perTerm[m] == 0 {
			distinct--
		}
		count += d
	}
	first, best := 0, -1
	for i := range ws {
		move(i, +1)
		if i >= n {
			move(i-n, -1)
		}
		if start := max(i-n+1, 0); (i >= n-1 || i == len(ws)-1) && distinct*1000+count > best {
			first, best = start, distinct*1000+count
		}
	}
	last := min(first+n, len(ws)) - 1
	start, end := ws[first].start, ws[last].end
	if first == 0 {
		start = 0
	}
	if last == len(ws)-1 {
		end = len(text)
	}
	var parts []vigie.SnippetPart
	add := func(s string, m bool) {
		if s == "" {
			return
		}
		if k := len(parts) - 1; k >= 0 && parts[k].Match == m {
			parts[k].Text += s
			return
		}
		parts = append(parts, vigie.SnippetPart{Text: s, Match: m})
	}
	if first > 0 {
		add("…", false)
	}
	at := start
	for i := first; i <= last; i++ {
		if match[i] > 0 {
			add(text[at:ws[i].start], false)
			add(text[ws[i].start:ws[i].end], true)
			at = ws[i].end
		}
	}
	add(text[at:end], false)
	if last < len(ws)-1 {
		add("…", false)
	}
	return parts
}
