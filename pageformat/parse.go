package pageformat

import (
	"bytes"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	vigie "github.com/vigie-network/vigie"
)

// Page is what a country page says, in page order. Line fields give the
// line each item starts at, for the caller's own error messages.
type Page struct {
	Featured      *Featured
	Organisations []Organisation
	Publications  []Publication
	CountryName   string // from "News from <country>", as written: "Mali", "The Gambia"
	CountryLine   int
	News          []NewsItem
	Layout        string // LayoutReference or LayoutCurrentSite
	Indicators    []IndicatorBlock
}

// Featured is the story of the line "<title> Read the story".
type Featured struct {
	Title string
	Line  int
}

// Organisation is a member organisation with what its description says
// about it. Line is the line of its "Name (ACRONYM)".
type Organisation struct {
	Name, Acronym, Description string
	Founded                    vigie.AsOf
	OfficeCity                 string
	Regions, AreasOfWork       []string
	Website                    string
	Contacts                   []vigie.Contact
	Line                       int
}

// Publication is one report of the library. Line is its publisher line.
type Publication struct {
	Publishers []string
	Title      string
	Type       string // vigie.PubCountryReport etc., inferred from the title
	Year       int
	Line       int
}

// NewsItem is one dated story under "News from <country>". Line is its
// title line.
type NewsItem struct {
	Title   string
	Date    time.Time // UTC midnight
	Summary string
	Line    int
}

// IndicatorBlock is one indicator as the page assesses it. Line is its
// heading line.
type IndicatorBlock struct {
	Key     string
	Heading string
	Line    int
	Rating  string // rating key; "" when the block has no rating line
	Value   *int   // e.g. the age of consent; nil when the page gives none
	// Explanation is the text between the rating (or heading) and the
	// sources exactly as written, inner line breaks and blank lines kept.
	Explanation string
	Sources     []vigie.Citation
	// Unsure lists the source lines that read more than one way. Sources
	// holds each one's first reading; an importer may choose another and
	// should mark the citations for a person to check.
	Unsure []UnsureSources
}

// UnsureSources is a source line that admits several readings.
type UnsureSources struct {
	Line int
	Text string
	// First and Count place the line's citations within Sources.
	First, Count int
	// Readings are the ways to read the line, Sources' own first, each
	// with the articles of the explanation attached as they would be.
	Readings [][]vigie.Citation
	// Doubt says what makes the line ambiguous, for a person to check.
	Doubt string
}

type parser struct {
	file     string
	lastLine int
	v        vocab
	errs     ErrorList
	layout   string // of the indicator blocks being read
	// markupHeadings is set when the page's headings came from its markup.
	markupHeadings bool
}

// Parse reads one page. It tells saved HTML from plain text by the file
// name or by the first tag, and reads both the same way. On error the page
// is nil and the error is an *Error or an ErrorList.
func Parse(file string, data []byte, v Vocabulary) (*Page, error) {
	p := &parser{file: file, v: newVocab(v)}
	data = prepare(data)
	if ln, msg := checkBytes(data); msg != "" {
		return nil, &Error{File: file, Line: ln, Msg: msg}
	}
	p.lastLine = countLines(data)
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, &Error{File: file, Line: 1, Msg: `empty file: expected a country page (featured story, organisations, publications, "News from <country>", indicator blocks)`}
	}
	if len(v.Indicators) == 0 {
		return nil, &Error{File: file, Line: 1, Msg: "no indicators to read the page against: the vocabulary is empty"}
	}
	var ls []line
	if looksLikeHTML(file, data) {
		ls = htmlLines(string(data))
		if len(nonBlank(ls)) == 0 {
			return nil, &Error{File: file, Line: 1, Msg: "the HTML page has no visible text: expected a country page"}
		}
		ls, p.markupHeadings = p.markupOnly(ls)
	} else {
		ls = splitLines(string(data))
	}
	page := p.page(ls)
	if err := p.result(); err != nil {
		return nil, err
	}
	if p.markupHeadings {
		// The page shows ratings, explanations and sources, its headings
		// only in the markup: the current site's way.
		page.Layout = LayoutCurrentSite
	}
	return page, nil
}

// markupOnly keeps the headings read from attributes that name an
// indicator the page does not show as text, and drops the others (labels
// of menus, tooltips). It reports whether any was kept.
func (p *parser) markupOnly(ls []line) ([]line, bool) {
	shown := map[string]bool{}
	for _, l := range ls {
		if ind, ok := p.v.indicator(l.text); ok && !l.markup {
			shown[ind.Key] = true
		}
	}
	out := ls[:0:0]
	kept := false
	for _, l := range ls {
		if l.markup {
			ind, ok := p.v.indicator(l.text)
			if !ok || shown[ind.Key] {
				continue
			}
			shown[ind.Key] = true // one block per indicator, however nested
			kept = true
		}
		out = append(out, l)
	}
	return out, kept
}

// page walks the page's sections in order.
func (p *parser) page(ls []line) *Page {
	pg := &Page{}
	i := p.featured(ls, pg)

	// The organisations and publications run to the "News from" heading;
	// reaching an indicator heading first means that heading is missing.
	end, news, first := len(ls), -1, -1
	for k := i; k < len(ls); k++ {
		if _, ok := newsHeading(ls[k].text); ok {
			news, end = k, k
			break
		}
		if _, ok := p.v.indicator(ls[k].text); ok {
			first, end = k, k
			break
		}
	}
	p.orgSection(ls[i:end], pg, end == len(ls))
	if end == len(ls) {
		return pg
	}

	start := first
	if news >= 0 {
		pg.CountryName, _ = newsHeading(ls[news].text)
		pg.CountryLine = ls[news].n
		start = news + 1
	} else {
		p.errorf(ls[first].n, `expected a "News from <country>" heading before the first indicator heading %s`, quote(ls[first].text))
	}

	var heads []int
	for k := start; k < len(ls); k++ {
		if _, ok := p.v.indicator(ls[k].text); ok {
			heads = append(heads, k)
		}
	}
	if !p.ratingsFirst(ls, start, heads) {
		p.indicatorSection(ls, start, heads, pg, LayoutReference)
		return pg
	}
	// The page shows ratings above headings somewhere: read it both ways
	// and keep the reading that finds fewer problems, the reference one on
	// a tie. A reference page with a stray rating line thus still reads as
	// one, with that line reported.
	before, base := len(p.errs), *pg
	p.indicatorSection(ls, start, heads, pg, LayoutCurrentSite)
	current := slices.Clone(p.errs[before:])
	p.errs = p.errs[:before]
	ref := base
	p.indicatorSection(ls, start, heads, &ref, LayoutReference)
	if len(current) < len(p.errs)-before {
		p.errs = append(p.errs[:before], current...)
		return pg
	}
	*pg = ref
	return pg
}

// indicatorSection reads the news and the indicator blocks in one layout.
func (p *parser) indicatorSection(ls []line, start int, heads []int, pg *Page, layout string) {
	pg.Layout, p.layout = layout, layout
	newsEnd := len(ls)
	if len(heads) > 0 {
		newsEnd = heads[0]
		if r := p.ratingBefore(ls, start, heads[0]); layout == LayoutCurrentSite && r >= 0 {
			newsEnd = r
		}
	}
	newsOK := p.news(ls[start:newsEnd], pg)
	if len(heads) == 0 {
		if newsOK {
			p.errorf(p.lastLine, "file ends before the first indicator heading (one of: %s)", p.v.names)
		}
		return
	}
	p.blocks(ls, start, heads, pg)
}

// The layouts of a page's indicator blocks. The reference page puts each
// indicator's heading first, then its rating; the network's current site
// shows the rating first, above the heading. A page is read in the layout
// it shows: no flag is needed.
const (
	LayoutReference   = "reference page (heading, rating, explanation, sources)"
	LayoutCurrentSite = "current site (rating, heading, explanation, sources)"
)

// ratingsFirst tells the current site's layout: there a rating line comes
// right before a heading without being the first line after the heading
// above it, which the reference layout never does.
func (p *parser) ratingsFirst(ls []line, start int, heads []int) bool {
	for hi, h := range heads {
		r := p.ratingBefore(ls, start, h)
		if r < 0 {
			continue
		}
		if hi == 0 {
			return true
		}
		prevHead := heads[hi-1]
		first := prevHead + 1
		for first < r && ls[first].blank() {
			first++
		}
		if first != r {
			return true
		}
	}
	return false
}

// ratingBefore is the index of the rating line right before heading h
// (blank lines apart), or -1.
func (p *parser) ratingBefore(ls []line, start, h int) int {
	k := h - 1
	for k >= start && ls[k].blank() {
		k--
	}
	if k >= start && isRatingLine(p, ls[k].text) {
		return k
	}
	return -1
}

const readTheStory = "read the story"

// featured reads the banner line "<title> Read the story", or a title line
// followed by a line "Read the story" as saved HTML often splits it. It
// returns the index of the first line after it.
func (p *parser) featured(ls []line, pg *Page) int {
	nb := nonBlank(ls)
	if len(nb) == 0 {
		return len(ls)
	}
	first := ls[nb[0]]
	t := strings.TrimRight(first.text, " →›»>")
	if n := len(t) - len(readTheStory); n > 0 && strings.EqualFold(t[n:], readTheStory) {
		title := strings.TrimRight(strings.TrimSpace(t[:n]), " -–—|:")
		if title != "" {
			pg.Featured = &Featured{Title: title, Line: first.n}
			return nb[0] + 1
		}
	}
	if len(nb) > 1 && strings.EqualFold(strings.TrimRight(ls[nb[1]].text, " →›»>"), readTheStory) {
		pg.Featured = &Featured{Title: first.text, Line: first.n}
		return nb[1] + 1
	}
	return nb[0]
}

var newsRe = regexp.MustCompile(`(?i)^news\s+from\s+(\S.*)$`)

// newsHeading reads "News from <country>". A long line or one ending a
// sentence is prose that happens to start with those words.
func newsHeading(text string) (string, bool) {
	m := newsRe.FindStringSubmatch(text)
	if m == nil {
		return "", false
	}
	country := strings.Join(strings.Fields(m[1]), " ")
	if utf8.RuneCountInString(country) > 60 || strings.HasSuffix(country, ".") {
		return "", false
	}
	return country, true
}

// blocks reads the indicator blocks; heads are the heading line indexes.
// In the current site's layout a block's rating is the line above its
// heading: it is moved after the heading, so that both layouts read alike.
func (p *parser) blocks(ls []line, start int, heads []int, pg *Page) {
	seen := map[string]int{}
	rating := make([]int, len(heads))
	for hi, h := range heads {
		rating[hi] = -1
		if pg.Layout == LayoutCurrentSite {
			rating[hi] = p.ratingBefore(ls, start, h)
		}
	}
	for hi, h := range heads {
		end := len(ls)
		if hi+1 < len(heads) {
			end = heads[hi+1]
			if rating[hi+1] >= 0 {
				end = rating[hi+1]
			}
		}
		body := ls[h+1 : end]
		if r := rating[hi]; r >= 0 {
			body = append([]line{ls[r], {n: ls[r].n}}, body...)
		}
		ind, _ := p.v.indicator(ls[h].text)
		b := p.block(ind, ls[h], body)
		if at, dup := seen[ind.Key]; dup {
			p.errorf(ls[h].n, "duplicate block for indicator %q: it already appears at line %d", ind.Name, at)
			continue
		}
		seen[ind.Key] = ls[h].n
		pg.Indicators = append(pg.Indicators, b)
	}
}
