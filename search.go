package vigie

import (
	"html"
	"regexp"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// SearchKind is the kind of document a search hit is.
type SearchKind string

const (
	// SearchAssessment is a published assessment: its explanation, under
	// the indicator's name and the country's names.
	SearchAssessment SearchKind = "assessment"
	// SearchSource is a law or publication that a published assessment
	// cites. Sources only drafts cite are not public, so not found.
	SearchSource SearchKind = "source"
	// SearchPublication is an entry of the reports library.
	SearchPublication  SearchKind = "publication"
	SearchOrganisation SearchKind = "organisation"
	SearchNews         SearchKind = "news"
)

// SearchKinds lists the kinds in the order pages offer them.
func SearchKinds() []SearchKind {
	return []SearchKind{SearchAssessment, SearchSource, SearchPublication, SearchOrganisation, SearchNews}
}

// Search limits: a page of hits, and how much of the input is read.
const (
	DefaultSearchLimit = 20
	MaxSearchLimit     = 100
	MaxSearchTerms     = 12
	maxTermLength      = 64
	// SearchCandidates bounds what a search of a common word costs: a
	// store ranks at most this many of the matching documents, the ones
	// added to its index last (more when the page asked for reaches
	// further), so that the commonest word takes the same time however
	// long the record grows. A document past the cap is found by adding a
	// word, a country, an indicator or a kind.
	SearchCandidates = 1000
)

// Candidates is how many matching documents a store ranks for q (see
// SearchCandidates).
func (q SearchQuery) Candidates() int {
	limit, offset := q.Bounds()
	return max(SearchCandidates, offset+limit)
}

// SearchQuery is what a reader looks for. Text is the input as typed:
// stores split it with SearchTerms and never pass it to a query language.
// Every term must match (AND), each as a word prefix, ignoring case and
// accents. Hits come best first: a match in a title weighs more than one
// in the text, and a term that is frequent in a short text more than one
// that appears once in a long one.
type SearchQuery struct {
	Text      string
	Country   string     // ISO alpha-2: only documents about this country
	Indicator string     // only assessments of it and sources cited for it
	Kind      SearchKind // "" for every kind
	Limit     int        // 0 means DefaultSearchLimit; capped at MaxSearchLimit
	Offset    int
}

// Bounds returns the limit and offset a store applies.
func (q SearchQuery) Bounds() (limit, offset int) {
	limit, offset = q.Limit, max(q.Offset, 0)
	if limit <= 0 {
		limit = DefaultSearchLimit
	}
	return min(limit, MaxSearchLimit), offset
}

// SearchHit is one document that matched.
type SearchHit struct {
	Kind SearchKind
	// ID is the organisation's, publication's, news item's or source's
	// id; 0 for assessments, which Countries[0] and Indicators[0] name.
	ID    int64
	Slug  string // news items, organisations and publications
	Title string // the indicator's name for an assessment
	// Countries are the ISO codes the document concerns, sorted: for a
	// source, the countries whose published assessments cite it.
	Countries []string
	// Indicators is the assessment's indicator, or for a source the
	// indicators of the assessments that cite it, sorted.
	Indicators []string
	Date       time.Time // news: its date; assessments: when published
	Link       string    // publications and sources: their link, if any
	// Snippet is a passage of the document's text around the matches.
	Snippet []SnippetPart
}

// SnippetPart is a run of a snippet; Match marks a word that matched.
// Pages escape Text and mark the matches, so a snippet is never markup.
type SnippetPart struct {
	Text  string
	Match bool
}

// SearchTerms splits what a reader typed into the words a search looks
// for: runs of letters, digits and combining marks, folded (lower case, no
// accents). Everything else — quotes, operators, punctuation — separates
// words, so no input is ever read as query syntax, and input made only of
// punctuation has no terms and so no hits. Single letters are dropped
// ("d" of "d'Ivoire" would match half the index as a prefix); at most
// MaxSearchTerms terms of at most 64 bytes are kept.
func SearchTerms(text string) []string {
	var terms []string
	seen := map[string]bool{}
	for _, w := range strings.FieldsFunc(Fold(text), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r) && !unicode.IsMark(r)
	}) {
		if utf8.RuneCountInString(w) == 1 && !unicode.IsDigit([]rune(w)[0]) {
			continue
		}
		if len(w) > maxTermLength {
			w = truncateUTF8(w, maxTermLength)
		}
		if seen[w] {
			continue
		}
		seen[w] = true
		if terms = append(terms, w); len(terms) == MaxSearchTerms {
			break
		}
	}
	return terms
}

func truncateUTF8(s string, n int) string {
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

var (
	mdImageOrLink = regexp.MustCompile(`!?\[([^\]]*)\]\([^)]*\)`)
	mdAutolink    = regexp.MustCompile(`<(https?://[^>\s]*)>`)
	htmlTag       = regexp.MustCompile(`</?[A-Za-z][^>]*>|<!--.*?-->`)
	mdLineStart   = regexp.MustCompile(`(?m)^[ \t]{0,3}(?:#{1,6}[ \t]+|>[ \t]?|[-*+][ \t]+|\d{1,3}[.)][ \t]+)`)
	mdEmphasis    = regexp.MustCompile("\\*{1,3}|_{2,3}|\\b_|_\\b|`+|~~")
	spaceRun      = regexp.MustCompile(`[ \t]+`)
	blankLines    = regexp.MustCompile(`\n{3,}`)
)

// SearchText turns an explanation or a story, written in Markdown, into
// the plain text a search index holds and its snippets show: link targets,
// HTML tags, emphasis and list markers go; words, paragraphs and entities
// (as characters) stay; control characters become spaces. Stores index
// SearchText of Markdown fields so that every store finds the same words.
func SearchText(markdown string) string {
	s := strings.ReplaceAll(markdown, "\r\n", "\n")
	s = mdImageOrLink.ReplaceAllString(s, "$1")
	s = mdAutolink.ReplaceAllString(s, "$1")
	s = htmlTag.ReplaceAllString(s, " ")
	s = mdLineStart.ReplaceAllString(s, "")
	s = mdEmphasis.ReplaceAllString(s, "")
	s = strings.Map(func(r rune) rune {
		if r == '\n' || r == '\t' {
			return r
		}
		if unicode.IsControl(r) || r == utf8.RuneError {
			return ' '
		}
		return r
	}, html.UnescapeString(s))
	s = spaceRun.ReplaceAllString(s, " ")
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimSpace(l)
	}
	s = blankLines.ReplaceAllString(strings.Join(lines, "\n"), "\n\n")
	return strings.TrimSpace(s)
}

// SnippetWords is how many words a search hit's snippet shows.
const SnippetWords = 30

// Snippet cuts a passage of at most n words from text around the terms
// (as SearchTerms returns them) and marks each word that starts with a
// term, ignoring case and accents. The passage is the one that holds the
// most different terms, the earliest of equals, begun a few words before
// its first match; "…" stands for the text cut at either end. Stores make
// their hits' snippets with it, so that every store shows the same passage
// whatever its own highlighting would do.
func Snippet(text string, terms []string, n int) []SnippetPart {
	type word struct {
		start, end int
		term       int // index of the term it matches, or -1
	}
	var words []word
	inWord := false
	for i, r := range text {
		letter := unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r)
		switch {
		case letter && !inWord:
			words = append(words, word{start: i, term: -1})
		case !letter && inWord:
			words[len(words)-1].end = i
		}
		inWord = letter
	}
	if inWord {
		words[len(words)-1].end = len(text)
	}
	if len(words) == 0 || n <= 0 {
		return nil
	}
	for i := range words {
		w := Fold(text[words[i].start:words[i].end])
		for t, term := range terms {
			if strings.HasPrefix(w, term) {
				words[i].term = t
				break
			}
		}
	}

	// The window of n words with the most different terms.
	best, bestDistinct := 0, -1
	count := make([]int, len(terms))
	distinct := 0
	for i := range words {
		if t := words[i].term; t >= 0 {
			if count[t]++; count[t] == 1 {
				distinct++
			}
		}
		if i >= n {
			if t := words[i-n].term; t >= 0 {
				if count[t]--; count[t] == 0 {
					distinct--
				}
			}
		}
		if start := max(i-n+1, 0); (i >= n-1 || i == len(words)-1) && distinct > bestDistinct {
			best, bestDistinct = start, distinct
		}
	}
	// Begin a few words before the first match, for context, as long as
	// the window still reaches the last match it held.
	first, last := -1, -1
	for i := best; i < min(best+n, len(words)); i++ {
		if words[i].term >= 0 {
			if first < 0 {
				first = i
			}
			last = i
		}
	}
	start := best
	if first >= 0 {
		start = max(0, first-min(4, n/3), last-n+1)
	}
	end := min(len(words), start+n)
	start = max(0, min(start, end-n)) // near the end, use the room before

	var out []SnippetPart
	add := func(s string, match bool) {
		switch {
		case s == "":
		case !match && len(out) > 0 && !out[len(out)-1].Match:
			out[len(out)-1].Text += s
		default:
			out = append(out, SnippetPart{Text: s, Match: match})
		}
	}
	if start > 0 {
		add("… ", false)
	}
	pos := words[start].start
	for _, w := range words[start:end] {
		if w.term >= 0 {
			add(squash(text[pos:w.start]), false)
			add(text[w.start:w.end], true)
			pos = w.end
		}
	}
	tail := text[pos:]
	if end < len(words) { // keep what closes the last word, then cut
		tail = text[pos:words[end].start]
	}
	tail = strings.TrimRightFunc(squash(tail), unicode.IsSpace)
	if end < len(words) {
		tail += " …"
	}
	add(tail, false)
	return out
}

// squash turns every run of white space into one space.
func squash(s string) string {
	var b strings.Builder
	space := false
	for _, r := range s {
		if unicode.IsSpace(r) {
			space = true
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		b.WriteRune(r)
	}
	if space {
		b.WriteByte(' ')
	}
	return b.String()
}
