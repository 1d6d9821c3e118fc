package pageformat

import (
	"strings"

	vigie "github.com/vigie-network/vigie"
)

// Vocabulary is the framework the page is read against: headings are
// matched to indicator names and rating lines to rating labels, so that a
// framework edited by admins is read without code changes.
type Vocabulary struct {
	Indicators []vigie.Indicator
	Ratings    []vigie.Rating
}

// vocab is a Vocabulary indexed for matching.
type vocab struct {
	indicators map[string]vigie.Indicator // by matchKey(Name)
	order      []string                   // the keys of indicators, in framework order
	ratings    map[string]vigie.Rating    // by matchKey(Label)
	names      string                     // for messages: "Age of Consent, …"
	maxLen     int                        // longest name or label: longer lines are neither
	labels     string
}

func newVocab(v Vocabulary) vocab {
	out := vocab{indicators: map[string]vigie.Indicator{}, ratings: map[string]vigie.Rating{}}
	var names, labels []string
	for _, ind := range v.Indicators {
		out.indicators[matchKey(ind.Name)] = ind
		out.order = append(out.order, matchKey(ind.Name))
		out.maxLen = max(out.maxLen, len(ind.Name))
		names = append(names, ind.Name)
	}
	for _, r := range v.Ratings {
		out.ratings[matchKey(r.Label)] = r
		out.maxLen = max(out.maxLen, len(r.Label))
		labels = append(labels, r.Label)
	}
	out.names = strings.Join(names, ", ")
	out.labels = strings.Join(labels, ", ")
	return out
}

// matchKey makes headings and labels comparable however they were typed:
// case, accents, "&" for "and", non-breaking and repeated spaces.
func matchKey(s string) string {
	s = fold(clean(s))
	s = strings.ReplaceAll(s, "&", " and ")
	return strings.Join(strings.Fields(s), " ")
}

// tooLong rules out a line cheaply; the slack allows for "&" written as
// "and", doubled spaces and multi-byte accents.
func (v vocab) tooLong(text string) bool { return len(text) > 2*v.maxLen+16 }

func (v vocab) indicator(text string) (vigie.Indicator, bool) {
	if v.tooLong(text) {
		return vigie.Indicator{}, false
	}
	ind, ok := v.indicators[matchKey(text)]
	return ind, ok
}

func (v vocab) rating(text string) (vigie.Rating, bool) {
	if v.tooLong(text) {
		return vigie.Rating{}, false
	}
	r, ok := v.ratings[matchKey(text)]
	return r, ok
}

// nearIndicator finds the indicator a line was probably meant to name: a
// typo in a heading would otherwise silently fold the block into the one
// above it.
func (v vocab) nearIndicator(text string) (vigie.Indicator, bool) {
	k := matchKey(text)
	if len(k) < 8 || len(k) > 80 {
		return vigie.Indicator{}, false
	}
	for _, name := range v.order {
		if name != k && editDistance(name, k, 2) <= 2 {
			return v.indicators[name], true
		}
	}
	return vigie.Indicator{}, false
}

// editDistance is the Levenshtein distance between a and b in runes, or
// limit+1 as soon as it is known to exceed limit.
func editDistance(a, b string, limit int) int {
	ra, rb := []rune(a), []rune(b)
	if d := len(ra) - len(rb); d > limit || -d > limit {
		return limit + 1
	}
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		best := cur[0]
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			best = min(best, cur[j])
		}
		if best > limit {
			return limit + 1
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}

// fold is vigie.Fold: case and accents do not matter when matching.
func fold(s string) string { return vigie.Fold(s) }
