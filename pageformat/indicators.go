package pageformat

import (
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	vigie "github.com/vigie-network/vigie"
)

var yearsRe = regexp.MustCompile(`(?i)^(\d{1,3})\s*(?:years?(?:\s+old)?|yrs?\.?)?\.?$`)

// block reads one indicator block: the lines after its heading up to the
// next heading.
func (p *parser) block(ind vigie.Indicator, h line, body []line) IndicatorBlock {
	b := IndicatorBlock{Key: ind.Key, Heading: h.text, Line: h.n}
	nb := nonBlank(body)
	pos := 0 // first line of nb not yet read
	if len(nb) > 0 {
		first := nb[0]
		l := body[first]
		r, isRating := p.v.rating(l.text)
		switch {
		case isRating:
			b.Rating = r.Key
			pos++
		case !alone(body, first):
			// A first line that runs into more text is the explanation.
		case len(nb) > 1 && alone(body, nb[1]) && isRatingLine(p, body[nb[1]].text) && headingShaped(l.text):
			// "Foo Bar" then a rating: a heading the framework lacks.
			p.unknownHeading(l)
			pos += 2
		case p.misspelt(l):
			pos++
		case ratingShaped(l.text):
			p.errorf(l.n, "unknown rating %s after heading %s (expected one of: %s)", quote(l.text), quote(h.text), p.v.labels)
			pos++
		}
	}
	if ind.ValueKind == vigie.ValueYears && pos < len(nb) {
		if m := yearsRe.FindStringSubmatch(body[nb[pos]].text); m != nil {
			v, _ := strconv.Atoi(m[1])
			b.Value = &v
			pos++
		}
	}
	// The sources are the trailing lines that read as source lines.
	end := len(nb)
	for end > pos && isSourceLine(body[nb[end-1]].text) {
		end--
	}
	var readings []sourceReading
	for _, k := range nb[end:] {
		r := p.sourceLine(body[k])
		if r.doubt != "" {
			b.Unsure = append(b.Unsure, UnsureSources{Line: body[k].n, Text: body[k].text,
				First: len(b.Sources), Count: len(r.cites), Doubt: r.doubt})
		}
		readings = append(readings, r)
		b.Sources = append(b.Sources, r.cites...)
	}
	explanation := ""
	if pos < end {
		b.Explanation = joinRaw(body, nb[pos], nb[end-1])
		p.strays(body, nb[pos:end], h, b.Rating != "")
		explanation = clean(b.Explanation)
		attachArticles(explanation, b.Sources)
	}
	// Each reading of an unsure line gets the articles it would get in
	// place of the first one.
	u := 0
	for _, r := range readings {
		if r.doubt == "" {
			continue
		}
		us := &b.Unsure[u]
		u++
		us.Readings = [][]vigie.Citation{slices.Clone(b.Sources[us.First : us.First+us.Count])}
		for _, alt := range r.alternatives {
			all := slices.Concat(b.Sources[:us.First], alt, b.Sources[us.First+us.Count:])
			all = slices.Clone(all)
			for i := range all {
				all[i].Articles = ""
			}
			attachArticles(explanation, all)
			us.Readings = append(us.Readings, all[us.First:us.First+len(alt)])
		}
	}
	return b
}

// strays looks inside text for what should have started a block of its
// own: a rating line, a misspelt heading. Without this check such lines
// would silently become part of the explanation above them.
func (p *parser) strays(ls []line, idx []int, h line, rated bool) {
	reported := map[int]bool{}
	for j, k := range idx {
		if reported[k] || !alone(ls, k) {
			continue
		}
		if !isRatingLine(p, ls[k].text) {
			if p.misspelt(ls[k]) {
				reported[k] = true
			}
			continue
		}
		// In the current site's layout a heading follows its rating: the
		// line after a stray rating is the heading the framework lacks.
		if p.layout == LayoutCurrentSite && j+1 < len(idx) && alone(ls, idx[j+1]) && headingShaped(ls[idx[j+1]].text) {
			next := ls[idx[j+1]]
			if !p.misspelt(next) {
				p.unknownHeading(next)
			}
			reported[idx[j+1]] = true
			continue
		}
		if j > 0 && alone(ls, idx[j-1]) && headingShaped(ls[idx[j-1]].text) && !reported[idx[j-1]] {
			p.unknownHeading(ls[idx[j-1]])
			reported[idx[j-1]] = true
			continue
		}
		if h.n == 0 {
			continue
		}
		what := "a rating line goes right after the indicator heading"
		if rated {
			what = "the block already has a rating"
		}
		p.errorf(ls[k].n, "unexpected rating line %s in the block of %s: %s", quote(ls[k].text), quote(h.text), what)
	}
}

func (p *parser) unknownHeading(l line) {
	p.errorf(l.n, "expected an indicator heading (one of: %s), found %s", p.v.names, quote(l.text))
}

// misspelt reports a line that is nearly an indicator name.
func (p *parser) misspelt(l line) bool {
	ind, ok := p.v.nearIndicator(l.text)
	if ok {
		p.errorf(l.n, "unknown indicator heading %s (did you mean %q?)", quote(l.text), ind.Name)
	}
	return ok
}

func isRatingLine(p *parser, text string) bool {
	_, ok := p.v.rating(text)
	return ok
}

// headingShaped is a short line with no sentence punctuation at its end.
func headingShaped(s string) bool {
	if s == "" || utf8.RuneCountInString(s) > 80 || len(strings.Fields(s)) > 8 {
		return false
	}
	last, _ := utf8.DecodeLastRuneInString(s)
	return !strings.ContainsRune(".!?;:,", last)
}

// ratingShaped is what a rating line looks like: a few words on their own,
// neither a sentence, a value nor a source. Only such a line after a
// heading is reported as an unknown rating; anything longer is taken as
// the start of an explanation.
func ratingShaped(s string) bool {
	if !headingShaped(s) || len(strings.Fields(s)) > 4 || utf8.RuneCountInString(s) > 40 ||
		yearsRe.MatchString(s) || isSourceLine(s) {
		return false
	}
	return strings.IndexFunc(s, unicode.IsLetter) >= 0
}
