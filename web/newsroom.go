package web

import (
	"net/http"
	"strconv"
	"time"

	vigie "github.com/vigie-network/vigie"
)

// newsroomPage is the newsroom: every story, newest first, a page of
// vigie.NewsPageSize at a time, optionally only one country's.
type newsroomPage struct {
	Featured *storyLink
	Country  *countryLink // the country filter, when set
	Stories  []newsEntry
	Pager    listPager
	Feed     string // the Atom feed of what the page lists
	Problem  string
}

// newsEntry is a story in the newsroom, with the countries it is tagged
// with.
type newsEntry struct {
	storyLink
	Countries []countryLink
}

func (s *Server) handleNewsroom(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	q := r.URL.Query()
	lang := langOf(ctx)
	page := newsroomPage{Feed: "/news.atom"}
	title := tr(r, "nav.news")
	var err error
	if page.Featured, err = s.featured(ctx); err != nil {
		s.serverError(w, r, err)
		return
	}
	country, err := countryParam(q, "country")
	if err != nil {
		page.Problem = filterProblemIn(lang, err)
		s.render(w, r, http.StatusBadRequest, "newsindex", layout{Title: title, Nav: "news", Page: page})
		return
	}
	cur, ok := s.readCursor(w, r, "news", 2)
	if !ok {
		return
	}
	f := vigie.NewsFilter{Country: country.ISO2, Limit: vigie.NewsPageSize + 1} // one more tells whether a page follows
	if len(cur.Key) == 2 {
		date, derr := time.Parse(time.DateOnly, cur.Key[0])
		id, ierr := strconv.ParseInt(cur.Key[1], 10, 64)
		if derr != nil || ierr != nil || id <= 0 {
			s.badCursor(w, r)
			return
		}
		f.After = vigie.NewsKey{Date: date, ID: id}
		f.Backward = cur.Back
	}
	if country.ISO2 != "" {
		page.Country = &countryLink{Slug: country.Slug, Name: country.Name(lang)}
		page.Feed = "/countries/" + country.Slug + "/news.atom"
		title = tr(r, "news.from", "Country", country.Name(lang))
	}

	read, err := s.store.NewsItems(ctx, f)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	items, start, hasPrev, hasNext := pageOf(read, vigie.NewsPageSize, cur)
	prev, next := pageKeys(items, hasPrev, hasNext, func(n vigie.NewsItem) []string {
		return []string{n.Date.Format(time.DateOnly), strconv.FormatInt(n.ID, 10)}
	})
	page.Pager = newListPager(r, "news", start, len(items), vigie.NewsPageSize, prev, next)
	page.Pager.FirstLabel, page.Pager.PrevLabel, page.Pager.NextLabel = "pager.newest", "pager.newer", "pager.older"
	if start > 0 {
		title += ", " + tr(r, "pager.from_title", "From", page.Pager.From, "To", page.Pager.To)
	}
	var slugs []string
	for _, n := range items {
		slugs = append(slugs, n.Slug)
	}
	trs, err := s.translator(ctx, lang, map[string][]string{vigie.KindNews: slugs})
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	for _, n := range items {
		e := newsEntry{storyLink: newStoryLink(n), Countries: taggedCountriesIn(lang, n.Countries)}
		e.translate(trs)
		page.Stories = append(page.Stories, e)
	}
	s.render(w, r, http.StatusOK, "newsindex", layout{Title: title, Nav: "news", Page: page})
}

// taggedCountries names the countries of ISO codes, skipping unknown ones.
func taggedCountries(codes []string) []countryLink {
	var out []countryLink
	for _, code := range codes {
		if c, ok := vigie.CountryByISO2(code); ok {
			out = append(out, countryLink{Slug: c.Slug, Name: c.Name("en")})
		}
	}
	return out
}
