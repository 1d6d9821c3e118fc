package web

import (
	"strconv"
	"strings"
	"time"
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

// Bounds on a word diff. The time of Myers' algorithm grows with the
// product of the texts' length and of how much they differ: two unrelated
// revisions of 40,000 words took 51 s. A side longer than maxDiffTokens is
// not compared; a diff past cheapDiffTokens runs in a work slot
// (render.go), waiting for one at most diffBudget, and stops after
// diffBudget more. A text that is not compared is shown replaced: all of
// the old text deleted, all of the new one inserted, with a note saying
// why. Results are remembered, so that the same two revisions cost their
// diff once.
const (
	maxDiffTokens   = 20000 // about 20,000 characters
	cheapDiffTokens = 600
	diffBudget      = 100 * time.Millisecond
)

// Why a text is shown replaced rather than compared word by word; the
// template names the reason (diff.replaced_long, …).
const (
	replacedLong = "long" // past maxDiffTokens
	replacedSlow = "slow" // not done within diffBudget
	replacedBusy = "busy" // no work slot free in time, or the page's budget spent
)

// textDiff is the word diff of two texts, or the texts shown replaced.
type textDiff struct {
	Spans    []textSpan
	Replaced string // "" when compared, else one of the reasons above
}

// diffs remembers word diffs by their two texts; of a text shown replaced
// it keeps the reason alone, not two copies of long texts.
var diffs = newMemo[textDiff](256)

// wordDiff compares old and new word by word. A non-zero stop also ends the
// comparison (the budget of a whole page).
func wordDiff(old, new string, stop time.Time) textDiff {
	old, new = normaliseNewlines(old), normaliseNewlines(new)
	if old == new {
		if old == "" {
			return textDiff{}
		}
		return textDiff{Spans: []textSpan{{Text: new}}}
	}
	key := strconv.Itoa(len(old)) + ":" + old + new
	if d, ok := diffs.lookup(key); ok {
		if d.Replaced != "" {
			return replaced(old, new, d.Replaced)
		}
		return d
	}
	d := compareWords(old, new, stop)
	switch d.Replaced {
	case "":
		diffs.put(key, d)
	case replacedLong, replacedSlow:
		diffs.put(key, textDiff{Replaced: d.Replaced})
	}
	return d
}

func replaced(old, new, why string) textDiff {
	var spans []textSpan
	if old != "" {
		spans = append(spans, textSpan{Op: "del", Text: old})
	}
	if new != "" {
		spans = append(spans, textSpan{Op: "ins", Text: new})
	}
	return textDiff{Spans: spans, Replaced: why}
}

func compareWords(old, new string, stop time.Time) textDiff {
	// diffmatchpatch diffs runes; each distinct token becomes one rune, as
	// its DiffLinesToRunes does for lines.
	var table []string
	index := map[string]rune{}
	encode := func(tokens []string) []rune {
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
	ta, tb := tokenize(old), tokenize(new)
	if len(ta) > maxDiffTokens || len(tb) > maxDiffTokens {
		return replaced(old, new, replacedLong)
	}
	a, b := encode(ta), encode(tb)
	if len(table) > maxTokens {
		return replaced(old, new, replacedLong)
	}
	// What is common to both ends costs nothing to compare.
	prefix, suffix := commonPrefix(a, b), 0
	if prefix < min(len(a), len(b)) {
		suffix = commonPrefix(reversed(a[prefix:]), reversed(b[prefix:]))
	}
	budget := diffBudget
	if len(a)+len(b)-2*(prefix+suffix) > cheapDiffTokens {
		if !stop.IsZero() {
			budget = min(budget, time.Until(stop))
		}
		if budget <= 0 || !takeWorkSlot(budget) {
			return replaced(old, new, replacedBusy)
		}
		defer releaseWorkSlot()
		if !stop.IsZero() {
			if budget = min(budget, time.Until(stop)); budget <= 0 {
				return replaced(old, new, replacedBusy)
			}
		}
	}
	dmp := diffmatchpatch.New()
	dmp.DiffTimeout = budget
	started := time.Now()
	diffs := dmp.DiffMainRunes(a, b, false)
	if time.Since(started) >= budget {
		// diffmatchpatch gave up on part of the texts: a partial diff
		// would mislead, so say plainly that the text was replaced.
		return replaced(old, new, replacedSlow)
	}
	diffs = dmp.DiffCleanupSemantic(diffs)

	var spans []textSpan
	var text strings.Builder
	op := ""
	flush := func() {
		if text.Len() > 0 {
			spans = append(spans, textSpan{Op: op, Text: text.String()})
		}
		text.Reset()
	}
	for _, d := range diffs {
		next := ""
		switch d.Type {
		case diffmatchpatch.DiffInsert:
			next = "ins"
		case diffmatchpatch.DiffDelete:
			next = "del"
		}
		if next != op {
			flush()
			op = next
		}
		for _, r := range d.Text {
			text.WriteString(table[runeIndex(r)])
		}
	}
	flush()
	return textDiff{Spans: spans}
}

func commonPrefix(a, b []rune) int {
	n := 0
	for n < len(a) && n < len(b) && a[n] == b[n] {
		n++
	}
	return n
}

func reversed(r []rune) []rune {
	out := make([]rune, len(r))
	for i, c := range r {
		out[len(r)-1-i] = c
	}
	return out
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
	TextReplaced         string // why Text is shown whole (textDiff.Replaced)
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
	return diffAssessmentsBy(old, new, kind, sc, time.Time{})
}

// diffAssessmentsBy is diffAssessments for a page with many diffs: past
// stop, texts are no longer compared.
func diffAssessmentsBy(old, new vigie.Assessment, kind vigie.ValueKind, sc scale, stop time.Time) revisionDiff {
	text := wordDiff(old.Explanation, new.Explanation, stop)
	d := revisionDiff{
		OldRating: sc.view(old.Rating), NewRating: sc.view(new.Rating),
		OldValue: formatValue(kind, old.Value), NewValue: formatValue(kind, new.Value),
		OldAsOf: old.AsOf.Display(), NewAsOf: new.AsOf.Display(),
		Text: text.Spans, TextReplaced: text.Replaced,
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
