package pageformat

import (
	"regexp"
	"strconv"
	"strings"
	"unicode"

	vigie "github.com/vigie-network/vigie"
)

var (
	// yearPartRe is one year of a source line: "2001" or "2001 (status as of 2021)".
	yearPartRe   = regexp.MustCompile(`(?i)^(\d{4})(?:\s*\(\s*status\s+as\s+of\s+(\d{4})\s*\))?$`)
	sourceTailRe = regexp.MustCompile(`(?i),\s*\d{4}(?:\s*\(\s*status\s+as\s+of\s+\d{4}\s*\))?$`)
	sourceLabel  = regexp.MustCompile(`(?i)^sources?\s*:\s*`)
	commaRe      = regexp.MustCompile(`\s*,\s*`)
	// lawWordRe tells a law from a publication by its title, in the
	// languages of the network's pages (matched on folded text).
	lawWordRe = regexp.MustCompile(`\b(?:law|code|act|decree|ordinance|constitution|loi|decret|ordonnance|ley|codigo|decreto)\b`)
	// identifierRe pulls "Law nº 2012-023" from the start of a law's title.
	identifierRe = regexp.MustCompile(`(?i)^((?:law|loi|decree|décret|decreto|act|ley|ordinance|ordonnance)\s+(?:(?:n[º°o]\.?|n\.º|nr\.?|num\.?|number)\s*)?\d[\p{L}\p{N}./-]*)`)
)

const sourceExample = `"Penal Code of Mali, Law nº 2012-023, 2001 (status as of 2016), 2012"`

// isSourceLine tells the sources from the explanation: the page ends a
// block with a line of titles and years, which prose never looks like.
func isSourceLine(text string) bool {
	t := sourceLabel.ReplaceAllString(text, "")
	loc := sourceTailRe.FindStringIndex(t)
	return loc != nil && strings.TrimSpace(t[:loc[0]]) != ""
}

// sourceLine reads one source line: either "<title>, <year>" or the
// flattened list "<title 1>, …, <title N>, <year 1>, …, <year N>" that
// pairs titles and years in order.
func (p *parser) sourceLine(l line) []vigie.Citation {
	parts := commaRe.Split(sourceLabel.ReplaceAllString(l.text, ""), -1)
	k := 0
	for k < len(parts) && yearPartRe.MatchString(parts[len(parts)-1-k]) {
		k++
	}
	titles, years := parts[:len(parts)-k], parts[len(parts)-k:]
	for _, t := range titles {
		if t == "" {
			p.errorf(l.n, "empty title in the source line %s: expected titles, then their years, e.g. %s", quote(l.text), sourceExample)
			return nil
		}
	}
	if len(titles) != len(years) {
		// A publication whose title holds a comma is still one citation.
		if len(years) == 1 && !strings.Contains(years[0], "(") && !anyLaw(titles) && len(titles) > 0 {
			titles = []string{strings.Join(titles, ", ")}
		} else {
			p.errorf(l.n, "source line lists %d titles but %d years: expected the titles, then one year per title in the same order, e.g. %s", len(titles), len(years), sourceExample)
			return nil
		}
	}
	var out []vigie.Citation
	for i, title := range titles {
		m := yearPartRe.FindStringSubmatch(years[i])
		s := vigie.Source{Kind: vigie.SourcePublication, Title: title}
		s.Year, _ = strconv.Atoi(m[1])
		if m[2] != "" {
			s.StatusAsOf, _ = strconv.Atoi(m[2])
		}
		switch {
		case s.Year < 1800 || s.Year > 2200:
			p.errorf(l.n, "source %s: year %d is out of range", quote(title), s.Year)
			continue
		case s.StatusAsOf != 0 && s.StatusAsOf < s.Year:
			p.errorf(l.n, `source %s: "status as of %d" comes before its year %d`, quote(title), s.StatusAsOf, s.Year)
			continue
		}
		if s.StatusAsOf != 0 || isLaw(title) {
			s.Kind = vigie.SourceLaw
			if id := identifierRe.FindString(title); id != "" {
				s.Identifier = strings.TrimRight(id, ".-/")
			}
		}
		out = append(out, vigie.Citation{Source: s})
	}
	return out
}

func isLaw(title string) bool { return lawWordRe.MatchString(fold(title)) }

func anyLaw(titles []string) bool {
	for _, t := range titles {
		if isLaw(t) {
			return true
		}
	}
	return false
}

// tokens splits text into folded words of letters and digits.
func tokens(s string) []string {
	return strings.FieldsFunc(fold(s), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
}

// wordKey is " word word … " for whole-word searches.
func wordKey(s string) string { return " " + strings.Join(tokens(s), " ") + " " }
