package pageformat

import (
	"regexp"
	"strings"
	"time"
)

// The reference page has no news items, so their layout is Vigie's own,
// chosen to read naturally in text and to survive a save as HTML:
//
//	<title line>
//	<date line>        "12 March 2024", "March 12, 2024", "2024-03-12"
//	<summary paragraphs, optional>
//
// An item starts at a line whose next non-blank line is a date; its
// summary runs to the next such title or to the first indicator heading.

var dateLayouts = []string{
	"2 January 2006", "2 Jan 2006", "2 January, 2006",
	"January 2, 2006", "Jan 2, 2006", "January 2 2006", "Jan 2 2006",
	"2006-01-02",
}

var (
	ordinalRe = regexp.MustCompile(`(?i)\b(\d{1,2})(?:st|nd|rd|th)\b`)
	weekdayRe = regexp.MustCompile(`(?i)^(?:mon|tues|wednes|thurs|fri|satur|sun)day,?\s+`)
)

// parseDate reads a date line; the whole line must be the date.
func parseDate(s string) (time.Time, bool) {
	if len(s) > 40 {
		return time.Time{}, false
	}
	s = strings.Join(strings.Fields(s), " ")
	s = weekdayRe.ReplaceAllString(s, "")
	s = ordinalRe.ReplaceAllString(s, "$1")
	for _, layout := range dateLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

// news reads the lines between "News from" and the first indicator
// heading. It reports false when it found an error, so that the caller
// does not pile a second message on the same cause.
func (p *parser) news(ls []line, pg *Page) bool {
	nb := nonBlank(ls)
	isDate := make([]bool, len(nb))
	dates := make([]time.Time, len(nb))
	for j, k := range nb {
		dates[j], isDate[j] = parseDate(ls[k].text)
	}
	startsItem := func(j int) bool { return j+1 < len(nb) && !isDate[j] && isDate[j+1] }
	for j := 0; j < len(nb); {
		if !startsItem(j) {
			p.errorf(ls[nb[j]].n, `expected an indicator heading (one of: %s), found %s (a news item is a title line, then a date line such as "12 March 2024")`, p.v.names, quote(ls[nb[j]].text))
			return false
		}
		item := NewsItem{Title: ls[nb[j]].text, Date: dates[j+1], Line: ls[nb[j]].n}
		end := j + 2
		for end < len(nb) && !startsItem(end) {
			end++
		}
		if end > j+2 {
			item.Summary = joinRaw(ls, nb[j+2], nb[end-1])
			// An unknown heading after the news would end up here.
			p.strays(ls, nb[j+2:end], line{}, false)
		}
		pg.News = append(pg.News, item)
		j = end
	}
	return true
}
