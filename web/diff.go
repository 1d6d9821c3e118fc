package web

import (
	"strconv"
	"strings"
	"unicode"

	"github.com/sergi/go-diff/diffmatchpatch"
	vigie "github.com/vigie-network/vigie"
)

// Readable diffs between two versions of an assessment, for the review
// queue, the conflict page and the history. Text is compared word by word,
// because a reviewer reads a changed word more easily than a changed line.

// textSpan is a run of a word diff: Op is "" (kept), "ins" or "del". The
// template writes Text escaped inside <ins> or <del>.
type textSpan struct {
	Op   string
	Text string
}

// wordDiff compares old and new word by word.
func wordDiff(old, new string) []textSpan {
	old, new = normaliseNewlines(old), normaliseNewlines(new)
	if old == new {
		if old == "" {
			return nil
		}
		return []textSpan{{Text: new}}
	}
	// diffmatchpatch diffs runes; each distinct token becomes one rune, as
	// its DiffLinesToRunes does for lines.
	var table []string
	index := map[string]rune{}
	encode := func(s string) []rune {
		tokens := tokenize(s)
		out := make([]rune, len(tokens))
		for i, tok := range tokens {
			r, ok := index[tok]
			if !ok {
				r = tokenRune(len(table))
				index[tok] = r
				table = append(table, tok)
			}
			out[i] = r
		}
		return out
	}
	a, b := encode(old), encode(new)
	if len(table) > maxTokens {
		// Too many distinct words to encode: fall back to whole texts.
		return []textSpan{{Op: "del", Text: old}, {Op: "ins", Text: new}}
	}
	dmp := diffmatchpatch.New()
	dmp.DiffTimeout = 0 // texts are short; a complete diff reads better
	diffs := dmp.DiffMainRunes(a, b, false)
	diffs = dmp.DiffCleanupSemantic(diffs)

	var spans []textSpan
	for _, d := range diffs {
		var text strings.Builder
		for _, r := range d.Text {
			text.WriteString(table[runeIndex(r)])
		}
		op := ""
		switch d.Type {
		case diffmatchpatch.DiffInsert:
			op = "ins"
		case diffmatchpatch.DiffDelete:
			op = "del"
		}
		if n := len(spans); n > 0 && spans[n-1].Op == op {
			spans[n-1].Text += text.String()
			continue
		}
		spans = append(spans, textSpan{Op: op, Text: text.String()})
	}
	return spans
}

func normaliseNewlines(s string) string {
	return strings.TrimSpace(strings.ReplaceAll(s, "\r\n", "\n"))
}

// tokenize splits text into words (letters, digits and marks), runs of
// white space, and single other characters, so that "Art. 16," changes
// in "16" alone.
func tokenize(s string) []string {
	var tokens []string
	class := func(r rune) int {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r):
			return 1
		case unicode.IsSpace(r):
			return 2
		}
		return 3
	}
	start, prev := 0, 0
	for i, r := range s {
		c := class(r)
		if i > start && (c != prev || c == 3) {
			tokens = append(tokens, s[start:i])
			start = i
		}
		prev = c
	}
	if start < len(s) {
		tokens = append(tokens, s[start:])
	}
	return tokens
}

// Token numbers map to runes of the private use areas, which are valid
// in strings and never collide with each other.
const (
	puaStart  = 0xE000  // 6,400 runes up to 0xF8FF
	puaLen    = 0x1900  //
	supaStart = 0xF0000 // planes 15 and 16: 131,068 more
	maxTokens = puaLen + 0x1FFFE
)

func tokenRune(i int) rune {
	if i < puaLen {
		return rune(puaStart + i)
	}
	r := rune(supaStart + i - puaLen)
	if r >= 0xFFFFE { // skip the two non-characters closing plane 15
		r += 2
	}
	return r
}

func runeIndex(r rune) int {
	switch {
	case r < supaStart:
		return int(r - puaStart)
	case r >= 0x100000:
		return int(r-supaStart) + puaLen - 2
	}
	return int(r-supaStart) + puaLen
}

// revisionDiff is what changed between two versions of an assessment.
type revisionDiff struct {
	OldRating, NewRating ratingView
	RatingChanged        bool
	OldValue, NewValue   string
	ValueChanged         bool
	OldAsOf, NewAsOf     string
	AsOfChanged          bool
	Text                 []textSpan
	TextChanged          bool
	Sources              []sourceChange
	SourcesChanged       bool
}

// Changed reports whether anything differs.
func (d revisionDiff) Changed() bool {
	return d.RatingChanged || d.ValueChanged || d.AsOfChanged || d.TextChanged || d.SourcesChanged
}

// sourceChange is one citation in a diff. Change is "added", "removed",
// "changed" (other articles cited, OldArticles holds them) or "" (kept).
type sourceChange struct {
	Change      string
	Citation    citationView
	OldArticles string
}

// diffAssessments compares old (e.g. what is published) with new (e.g. a
// submitted draft) of one indicator.
func diffAssessments(old, new vigie.Assessment, kind vigie.ValueKind, sc scale) revisionDiff {
	d := revisionDiff{
		OldRating: sc.view(old.Rating), NewRating: sc.view(new.Rating),
		OldValue: formatValue(kind, old.Value), NewValue: formatValue(kind, new.Value),
		OldAsOf: old.AsOf.Display(), NewAsOf: new.AsOf.Display(),
		Text: wordDiff(old.Explanation, new.Explanation),
	}
	d.RatingChanged = old.Rating != new.Rating
	d.ValueChanged = d.OldValue != d.NewValue
	d.AsOfChanged = old.AsOf != new.AsOf
	for _, sp := range d.Text {
		if sp.Op != "" {
			d.TextChanged = true
		}
	}
	d.Sources = diffCitations(old.Citations, new.Citations)
	for _, sc := range d.Sources {
		if sc.Change != "" {
			d.SourcesChanged = true
		}
	}
	if !d.SourcesChanged && len(old.Citations) == len(new.Citations) {
		for i := range old.Citations {
			if !sameSource(old.Citations[i].Source, new.Citations[i].Source) {
				d.SourcesChanged = true // same sources, new order
			}
		}
	}
	return d
}

// diffCitations lists the new citations in their order, marked added or
// changed, then the old ones that were dropped.
func diffCitations(old, new []vigie.Citation) []sourceChange {
	used := make([]bool, len(old))
	var out []sourceChange
	for _, n := range new {
		ch := sourceChange{Change: "added", Citation: newCitationView(n)}
		for i, o := range old {
			if used[i] || !sameSource(o.Source, n.Source) {
				continue
			}
			used[i] = true
			ch.Change = ""
			if strings.TrimSpace(o.Articles) != strings.TrimSpace(n.Articles) {
				ch.Change, ch.OldArticles = "changed", o.Articles
			}
			break
		}
		out = append(out, ch)
	}
	for i, o := range old {
		if !used[i] {
			out = append(out, sourceChange{Change: "removed", Citation: newCitationView(o)})
		}
	}
	return out
}

func sameSource(a, b vigie.Source) bool {
	if a.ID != 0 && b.ID != 0 {
		return a.ID == b.ID
	}
	return a.SameRecord(b)
}

// newCitationView is a citation as the pages write it.
func newCitationView(ct vigie.Citation) citationView {
	src := ct.Source
	cv := citationView{Law: src.Kind == vigie.SourceLaw, Title: src.Title, Publisher: src.Publisher,
		Year: src.Year, StatusAsOf: src.StatusAsOf, Articles: ct.Articles, Link: webLink(src.Link)}
	if src.Identifier != "" && !strings.Contains(vigie.Fold(src.Title), vigie.Fold(src.Identifier)) {
		cv.Identifier = src.Identifier
	}
	return cv
}

// sourceLabel names a source in a drop-down list.
func sourceLabel(src vigie.Source) string {
	var b strings.Builder
	b.WriteString(src.Title)
	if src.Identifier != "" && !strings.Contains(vigie.Fold(src.Title), vigie.Fold(src.Identifier)) {
		b.WriteString(" (" + src.Identifier + ")")
	}
	if src.Publisher != "" {
		b.WriteString(". " + src.Publisher)
	}
	if src.Year != 0 {
		b.WriteString(", " + strconv.Itoa(src.Year))
	}
	if src.StatusAsOf != 0 {
		b.WriteString(" (status as of " + strconv.Itoa(src.StatusAsOf) + ")")
	}
	return b.String()
}
