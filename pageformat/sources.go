package pageformat

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	vigie "github.com/vigie-network/vigie"
)

// A source line lists the laws and publications an indicator cites. Pages
// written by different people over the years write it in several forms,
// all of which are read here, alone or mixed on one line:
//
//	Penal Code, Children's Act, 2001 (status as of 2016), 2005     titles, then their years
//	Tourism Offences Act, 2003 (status as of 2020), Children's Act, 2005   title, year pairs
//	SECTT Legal Checklist Costa Rica, 2020                          one publication
//	Code of Criminal Procedure (Law No. 65-61, as amended), 1965    commas in parentheses
//	Penal Code, 2001; Children's Act, 2005                          joined by ";"
//	Penal Code, 2001 and Children's Act, 2005                       joined by " and "
//	Ministerial guidelines, n.d.; Code pénal, 1961 (état au 2021)   no date; French and Spanish status
//
// A year-less title, where the line gives one, is kept without a year.

var (
	// yearPartRe is one year of a source line with its optional status:
	// "2001", "2001 (status as of 2021)", "n.d.", "1961 (état au 2021)".
	yearPartRe = regexp.MustCompile(`(?i)^` + yearPart + `$`)
	// yearAndRe is a year followed by the next source: "2001 and Children's Act".
	yearAndRe  = regexp.MustCompile(`(?i)^(` + yearPart + `)\s+(?:and|et|y)\s+`)
	leadingAnd = regexp.MustCompile(`(?i)^(?:and|et|y)\s+`)
	// sourceLabel is the label a source line may start with; typed twice,
	// or after stray separators, it is still one label, so that no title
	// can start with one (readSources also refuses a first title that
	// does, which would be read as the label once written back).
	sourceLabel = regexp.MustCompile(`(?i)^[\s,;]*(?:(?:sources?|fuentes?|références|references)\s*:[\s,;]*)+`)
	// lawWordRe tells a law from a publication by its title, in the
	// languages of the network's pages (matched on folded text).
	lawWordRe = regexp.MustCompile(`\b(?:law|code|act|decree|ordinance|constitution|loi|decret|ordonnance|ley|codigo|decreto)\b`)
	// identifierRe pulls "Law nº 2012-023" from the start of a law's title.
	identifierRe = regexp.MustCompile(`(?i)^((?:law|loi|decree|décret|decreto|act|ley|ordinance|ordonnance)\s+(?:(?:n[º°o]\.?|n\.º|nr\.?|num\.?|number)\s*)?\d[\p{L}\p{N}./-]*)`)
)

const (
	// maxReadings bounds the other readings kept for one line: each is a
	// copy of the whole line, and a person checks a handful, not thousands.
	maxReadings = 4
	// yearPart: a year or "no date" (English, French, Spanish), then the
	// year of the consolidated text consulted, in the same three languages.
	yearPart      = `(?:(\d{4})|(n\.\s?d\.?|s\.\s?d\.?|s\.\s?f\.?))(?:\s*\(\s*(?:status\s+as\s+of|as\s+of|[ée]tat\s+au|vigente\s+(?:a|al|en))\s+(\d{4})\s*\))?`
	sourceExample = `"Penal Code of Mali, Law nº 2012-023, 2001 (status as of 2016), 2012"`
)

// sourcePart is one comma-separated piece of a source line: a title or a
// year with its status.
type sourcePart struct {
	title        string
	year, status int
	isYear       bool
}

// sourceReading is what one source line says: the citations read, and
// when the line admits other readings, those too, for a person to check.
type sourceReading struct {
	cites []vigie.Citation
	// alternatives holds the other ways to read the line, whole; empty
	// when the line reads only one way.
	alternatives [][]vigie.Citation
	// doubt says, for a person, what makes the line ambiguous.
	doubt string
}

// isSourceLine tells the sources from the explanation: the page ends a
// block with a line of titles and years, which prose never looks like.
func isSourceLine(text string) bool {
	t := strings.TrimSpace(text)
	if loc := sourceLabel.FindStringIndex(t); loc != nil {
		return strings.TrimSpace(t[loc[1]:]) != ""
	}
	dated := false
	for _, seg := range splitTop(t, ';') {
		parts := splitTop(seg, ',')
		last := strings.TrimSpace(parts[len(parts)-1])
		switch {
		case len(parts) > 1 && yearPartRe.MatchString(last) && strings.TrimSpace(parts[0]) != "":
			dated = true
		case strings.TrimSpace(seg) == "" || !yearlessTitle(seg):
			return false
		}
	}
	return dated
}

// yearlessTitle is a segment of a source line that gives no year: a title
// rather than a sentence.
func yearlessTitle(seg string) bool {
	s := strings.TrimSpace(seg)
	last, _ := utf8.DecodeLastRuneInString(s)
	return len(strings.Fields(s)) <= 30 && !strings.ContainsRune(".!?:", last)
}

// readSources reads one source line, or says what is wrong with it.
func readSources(text string) (sourceReading, string) {
	t := strings.TrimSpace(sourceLabel.ReplaceAllString(strings.TrimSpace(text), ""))
	type group struct{ cites, alt []vigie.Citation }
	var groups []group
	var doubts []string
	doubtful := 0
	for _, seg := range splitTop(t, ';') {
		parts, msg := sourceParts(seg)
		if msg != "" {
			return sourceReading{}, msg
		}
		if len(parts) == 0 {
			continue
		}
		if parts[0].isYear {
			return sourceReading{}, fmt.Sprintf("the year %s comes before any title: expected titles, then their years, e.g. %s", quote(strings.TrimSpace(seg)), sourceExample)
		}
		// Runs of titles, each followed by its run of years.
		for i := 0; i < len(parts); {
			j := i
			for j < len(parts) && !parts[j].isYear {
				j++
			}
			k := j
			for k < len(parts) && parts[k].isYear {
				k++
			}
			cites, alt, msg := pairRun(parts[i:j], parts[j:k])
			if msg != "" {
				return sourceReading{}, msg
			}
			if alt != nil {
				doubtful++
				if doubtful > maxReadings {
					alt = nil // flagged all the same, through doubts
				} else {
					doubts = append(doubts, fmt.Sprintf("%s could be %d source(s) or %d", quote(joinTitles(parts[i:j])), len(cites), len(alt)))
				}
			}
			groups = append(groups, group{cites, alt})
			i = k
		}
	}
	var r sourceReading
	for _, g := range groups {
		r.cites = append(r.cites, g.cites...)
	}
	// Each other reading changes one doubtful run and reads the rest of
	// the line as it is.
	for gi, g := range groups {
		if g.alt == nil {
			continue
		}
		var other []vigie.Citation
		for gj, h := range groups {
			if gj == gi {
				other = append(other, h.alt...)
			} else {
				other = append(other, h.cites...)
			}
		}
		r.alternatives = append(r.alternatives, other)
	}
	if len(r.cites) == 0 {
		return sourceReading{}, fmt.Sprintf("empty source line: expected titles and years, e.g. %s", sourceExample)
	}
	if first := r.cites[0].Source.Title; sourceLabel.MatchString(first) {
		return sourceReading{}, fmt.Sprintf("the source %s starts with a label: write the title alone, e.g. %s", quote(first), sourceExample)
	}
	// A citation the store would refuse (a control character, a title
	// past a line's length) is refused here, naming the source, so that
	// every citation this parser gives can be saved.
	for _, c := range r.cites {
		if err := c.Source.Validate(); err != nil {
			return sourceReading{}, fmt.Sprintf("the source %s cannot be kept: %v", quote(c.Source.Title), err)
		}
	}
	for _, c := range r.cites {
		if unmatchedParen(c.Source.Title) {
			doubts = append(doubts, fmt.Sprintf("%s has a parenthesis that is never closed or opened", quote(c.Source.Title)))
			break
		}
	}
	if doubtful > maxReadings {
		doubts = append(doubts, fmt.Sprintf("and %d more such lists", doubtful-maxReadings))
	}
	r.doubt = strings.Join(doubts, "; ")
	return r, ""
}

// sourceParts splits one ";"-separated segment into titles and years.
// Each piece is read once, left to right: a hostile line of thousands of
// "2001 and 2002 and …" costs no more than its length.
func sourceParts(seg string) ([]sourcePart, string) {
	var parts []sourcePart
	var more [][]string // pieces in lower case that continue parts[i]'s title
	for _, piece := range splitTop(seg, ',') {
		s := strings.TrimSpace(piece)
		for s != "" {
			prevYear := len(parts) > 0 && parts[len(parts)-1].isYear
			if prevYear {
				// "…, 2001, and Children's Act": the Oxford comma before "and".
				if loc := leadingAnd.FindStringIndex(s); loc != nil {
					s = s[loc[1]:]
				}
			}
			if loc := yearAndRe.FindStringSubmatchIndex(s); loc != nil && loc[1] < len(s) {
				y, msg := yearOf(s[loc[2]:loc[3]])
				if msg != "" {
					return nil, msg
				}
				// What follows "and" is read afresh: a title, or another year.
				parts, more = append(parts, y), append(more, nil)
				s = s[loc[1]:]
				continue
			}
			switch {
			case yearPartRe.MatchString(s):
				y, msg := yearOf(s)
				if msg != "" {
					return nil, msg
				}
				parts, more = append(parts, y), append(more, nil)
			case len(parts) > 0 && !prevYear && startsLower(s):
				// A piece that starts in lower case goes on the title
				// before it: "Code of Criminal Procedure, as amended".
				more[len(more)-1] = append(more[len(more)-1], s)
			default:
				parts, more = append(parts, sourcePart{title: s}), append(more, nil)
			}
			break
		}
	}
	for i := range parts {
		if len(more[i]) > 0 {
			parts[i].title += ", " + strings.Join(more[i], ", ")
		}
	}
	return parts, ""
}

func yearOf(s string) (sourcePart, string) {
	m := yearPartRe.FindStringSubmatch(s)
	p := sourcePart{isYear: true}
	if m[1] != "" {
		p.year, _ = strconv.Atoi(m[1])
		if p.year < 1800 || p.year > 2200 {
			return p, fmt.Sprintf("year %d is out of range", p.year)
		}
	}
	if m[3] != "" {
		p.status, _ = strconv.Atoi(m[3])
		if p.status < 1800 || p.status > 2200 {
			return p, fmt.Sprintf("status year %d is out of range", p.status)
		}
		if p.year != 0 && p.status < p.year {
			return p, fmt.Sprintf(`"status as of %d" comes before its year %d`, p.status, p.year)
		}
	}
	return p, ""
}

// pairRun pairs a run of titles with the run of years after it. Equal
// counts pair in order (the reference page's form). Several titles before
// one year (or none) read either as one title holding commas or as
// several sources of which only the last is dated: alt is then the reading
// not taken.
func pairRun(titles, years []sourcePart) (cites, alt []vigie.Citation, msg string) {
	n, m := len(titles), len(years)
	switch {
	case n == m:
		for i := range titles {
			cites = append(cites, citation(titles[i].title, years[i]))
		}
		return cites, nil, ""
	case n == 1 && m == 0:
		return []vigie.Citation{citation(titles[0].title, sourcePart{})}, nil, ""
	case m <= 1:
		var y sourcePart
		if m == 1 {
			y = years[0]
		}
		joined := []vigie.Citation{citation(joinTitles(titles), y)}
		var separate []vigie.Citation
		for _, t := range titles[:n-1] {
			separate = append(separate, citation(t.title, sourcePart{}))
		}
		separate = append(separate, citation(titles[n-1].title, y))
		laws := 0
		for _, t := range titles {
			if isLaw(t.title) {
				laws++
			}
		}
		switch {
		case laws == 0 && y.status == 0:
			// Publications' titles hold commas ("Report on Schools,
			// Hotels and Transport, 2019"); no law among the pieces
			// leaves nothing to split off.
			return joined, nil, ""
		case laws == n:
			return separate, joined, ""
		default:
			return joined, separate, ""
		}
	}
	return nil, nil, fmt.Sprintf("source line lists %d titles but %d years: expected the titles, then one year per title in the same order, e.g. %s",
		n, m, sourceExample)
}

func joinTitles(titles []sourcePart) string {
	s := make([]string, len(titles))
	for i, t := range titles {
		s[i] = t.title
	}
	return strings.Join(s, ", ")
}

// citation makes the citation of title in year y; a status date or a
// law's word in the title makes it a law.
func citation(title string, y sourcePart) vigie.Citation {
	s := vigie.Source{Kind: vigie.SourcePublication, Title: title, Year: y.year, StatusAsOf: y.status}
	if s.StatusAsOf != 0 || isLaw(title) {
		s.Kind = vigie.SourceLaw
		if id := identifierRe.FindString(title); id != "" {
			s.Identifier = strings.TrimRight(id, ".-/")
		}
	}
	return vigie.Citation{Source: s}
}

// sourceLine reads one source line of a block and records its errors.
func (p *parser) sourceLine(l line) sourceReading {
	r, msg := readSources(l.text)
	if msg != "" {
		p.errorf(l.n, "source line %s: %s", quote(l.text), msg)
	}
	return r
}

// splitTop splits s at sep outside parentheses. A parenthesis without its
// partner is read as a plain character, so that a typo does not swallow
// the rest of the line.
func splitTop(s string, sep byte) []string {
	paired := pairedParens(s)
	var out []string
	depth, start := 0, 0
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '(' && paired[i]:
			depth++
		case c == ')' && paired[i]:
			depth--
		case c == sep && depth == 0:
			out = append(out, s[start:i])
			start = i + 1
		}
	}
	return append(out, s[start:])
}

// pairedParens marks the byte offsets of the parentheses that close or
// are closed.
func pairedParens(s string) map[int]bool {
	if !strings.ContainsAny(s, "()") {
		return nil
	}
	paired := map[int]bool{}
	var open []int
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '(':
			open = append(open, i)
		case ')':
			if len(open) > 0 {
				paired[open[len(open)-1]], paired[i] = true, true
				open = open[:len(open)-1]
			}
		}
	}
	return paired
}

func unmatchedParen(s string) bool {
	n := strings.Count(s, "(") + strings.Count(s, ")")
	return n > 0 && len(pairedParens(s)) != n
}

func startsLower(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return unicode.IsLower(r)
}

// FormatSources writes citations back as a source line in the reference
// page's form: titles, then one year per title, each with its status. A
// title that the form cannot carry among others (one holding a comma, or
// starting in lower case) goes on its own after a ";".
func FormatSources(cites []vigie.Citation) string {
	var segs []string
	var titles, years []string
	flush := func() {
		if len(titles) > 0 {
			segs = append(segs, strings.Join(append(titles, years...), ", "))
			titles, years = nil, nil
		}
	}
	for _, c := range cites {
		s := c.Source
		y := "n.d."
		if s.Year != 0 {
			y = strconv.Itoa(s.Year)
		}
		if s.StatusAsOf != 0 {
			y += fmt.Sprintf(" (status as of %d)", s.StatusAsOf)
		}
		if len(splitTop(s.Title, ',')) > 1 || startsLower(s.Title) || leadingAnd.MatchString(s.Title) {
			flush()
			segs = append(segs, s.Title+", "+y)
			continue
		}
		titles, years = append(titles, s.Title), append(years, y)
	}
	flush()
	return strings.Join(segs, "; ")
}

func isLaw(title string) bool { return lawWordRe.MatchString(fold(title)) }

// tokens splits text into folded words of letters and digits.
func tokens(s string) []string {
	return strings.FieldsFunc(fold(s), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
}

// wordKey is " word word … " for whole-word searches.
func wordKey(s string) string { return " " + strings.Join(tokens(s), " ") + " " }
