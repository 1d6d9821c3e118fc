package web

import (
	"context"
	"strconv"
	"time"

	vigie "github.com/vigie-network/vigie"
)

// View models shared by several pages. Each page's own model lives in the
// file of its handler.

// ratingView is a rating as a badge: the label always shows as text, the
// key only picks the badge's colour.
type ratingView struct {
	Key, Label string
}

// scale indexes the rating scale by key.
type scale map[string]vigie.Rating

func newScale(ratings []vigie.Rating) scale {
	sc := make(scale, len(ratings))
	for _, r := range ratings {
		sc[r.Key] = r
	}
	return sc
}

func (sc scale) view(key string) ratingView {
	if r, ok := sc[key]; ok {
		return ratingView{Key: r.Key, Label: r.Label}
	}
	return ratingView{Key: key, Label: key} // a rating removed from the scale still shows
}

// assessed reports whether an assessment counts as assessed; ratings the
// scale does not know count as assessed, since someone wrote them.
func (sc scale) assessed(a vigie.Assessment) bool {
	r, ok := sc[a.Rating]
	return !ok || r.Assessed
}

// formatValue writes an indicator's structured value: "16 years".
func formatValue(kind vigie.ValueKind, v *int) string {
	if v == nil {
		return ""
	}
	switch kind {
	case vigie.ValueYears:
		if *v == 1 {
			return "1 year"
		}
		return strconv.Itoa(*v) + " years"
	}
	return strconv.Itoa(*v)
}

// dateView is a calendar date for a <time> element.
type dateView struct {
	ISO, Display string
}

func newDate(t time.Time) dateView {
	if t.IsZero() {
		return dateView{}
	}
	return dateView{ISO: t.Format(time.DateOnly), Display: t.Format("2 January 2006")}
}

// storyLink is a news item in a list, or the featured story's banner.
type storyLink struct {
	Slug           string
	Title, Summary localText // in the reader's language (translate)
	Date           dateView
}

func newStoryLink(n vigie.NewsItem) storyLink {
	return storyLink{Slug: n.Slug, Title: localText{Text: n.Title}, Summary: localText{Text: n.Summary}, Date: newDate(n.Date)}
}

// translate puts the story's title and summary in tr's language.
func (l *storyLink) translate(tr translator) {
	l.Title = tr.text(vigie.KindNews, l.Slug, "title", l.Title.Text)
	l.Summary = tr.text(vigie.KindNews, l.Slug, "summary", l.Summary.Text)
}

// featured returns the site-wide featured story, or nil when none is set.
func (s *Server) featured(ctx context.Context) (*storyLink, error) {
	n, err := s.store.FeaturedStory(ctx)
	if vigie.IsNotFound(err) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	l := newStoryLink(n)
	tr, err := s.translator(ctx, langOf(ctx), map[string][]string{vigie.KindNews: {n.Slug}})
	if err != nil {
		return nil, err
	}
	l.translate(tr)
	return &l, nil
}

// regionGroup is a UN M49 region on a page that lists every country.
type regionGroup[T any] struct {
	Code, Name string
	SubRegions []subRegionGroup[T]
}

// subRegionGroup has an empty Name when the page groups by region only.
type subRegionGroup[T any] struct {
	Name      string
	Countries []T
}

// otherRegion collects the few territories UN M49 places in no region.
const otherRegion = "other"

// groupByRegion lists every country under its region, and under its
// sub-region when bySubRegion is set, in the order of vigie.Regions, each
// group sorted by English name. entry makes the page's item for a country.
func groupByRegion[T any](bySubRegion bool, entry func(vigie.Country) T) []regionGroup[T] {
	type place struct{ region, sub int }
	var groups []regionGroup[T]
	at := map[string]place{}
	for _, r := range vigie.Regions() {
		g := regionGroup[T]{Code: r.Code, Name: r.Names.EN}
		if bySubRegion {
			for _, sr := range vigie.SubRegions(r.Code) {
				at[sr.Code] = place{len(groups), len(g.SubRegions)}
				g.SubRegions = append(g.SubRegions, subRegionGroup[T]{Name: sr.Names.EN})
			}
		} else {
			at[r.Code] = place{len(groups), 0}
			g.SubRegions = []subRegionGroup[T]{{}}
		}
		groups = append(groups, g)
	}
	groups = append(groups, regionGroup[T]{Code: otherRegion, Name: "Other territories",
		SubRegions: []subRegionGroup[T]{{}}})
	other := place{len(groups) - 1, 0}

	for _, c := range vigie.Countries() {
		code := c.Region.Code
		if bySubRegion {
			code = c.SubRegion.Code
		}
		p, ok := at[code]
		if !ok || code == "" {
			p = other
		}
		sub := &groups[p.region].SubRegions[p.sub]
		sub.Countries = append(sub.Countries, entry(c))
	}

	// Drop empty groups, so that no heading stands over nothing.
	out := groups[:0]
	for _, g := range groups {
		subs := g.SubRegions[:0]
		for _, sr := range g.SubRegions {
			if len(sr.Countries) > 0 {
				subs = append(subs, sr)
			}
		}
		if g.SubRegions = subs; len(subs) > 0 {
			out = append(out, g)
		}
	}
	return out
}
