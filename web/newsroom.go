package web

import (
	"net/http"
	"net/url"
	"strconv"

	vigie "github.com/vigie-network/vigie"
)

// newsPerPage is the length of a newsroom page.
const newsPerPage = 20

// newsroomPage is the newsroom: every story, newest first, a page at a
// time, optionally only one country's.
type newsroomPage struct {
	Featured   *storyLink
	Country    *countryLink // the country filter, when set
	Stories    []newsEntry
	Page       int
	Prev, Next string // links to the neighbouring pages; empty at either end
	Feed       string // the Atom feed of what the page lists
	Problem    string
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
	page := newsroomPage{Page: 1, Feed: "/news.atom"}
	title := tr(r, "nav.news")
	var err error
	if page.Featured, err = s.featured(ctx); err != nil {
		s.serverError(w, r, err)
		return
	}
	country, err := countryParam(q, "country")
	if err == nil && q.Get("page") != "" {
		n, perr := strconv.Atoi(q.Get("page"))
		if perr != nil || n < 1 {
			err = vigie.FieldError("page", "%q is not a page number (1, 2, 3…)", q.Get("page"))
		}
		page.Page = n
	}
	if err != nil {
		page.Page, page.Problem = 1, filterProblemIn(lang, err)
		s.render(w, r, http.StatusBadRequest, "newsindex", layout{Title: title, Nav: "news", Page: page})
		return
	}
	if country.ISO2 != "" {
		page.Country = &countryLink{Slug: country.Slug, Name: country.Name(lang)}
		page.Feed = "/countries/" + country.Slug + "/news.atom"
		title = tr(r, "news.from", "Country", country.Name(lang))
	}

	// One story more than a page shows tells whether there is a next page.
	items, err := s.store.NewsItems(ctx, vigie.NewsFilter{Country: country.ISO2,
		Limit: newsPerPage + 1, Offset: (page.Page - 1) * newsPerPage})
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	if len(items) == 0 && page.Page > 1 {
		s.notFoundMessage(w, r, tr(r, "error.no_news_page"))
		return
	}
	if len(items) > newsPerPage {
		items = items[:newsPerPage]
		page.Next = newsPagePath(country, page.Page+1)
	}
	if page.Page > 1 {
		page.Prev = newsPagePath(country, page.Page-1)
		title += ", " + tr(r, "pager.page_title", "N", page.Page)
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

// newsPagePath links to one page of the newsroom, keeping the country.
func newsPagePath(country vigie.Country, n int) string {
	v := url.Values{}
	if country.Slug != "" {
		v.Set("country", country.Slug)
	}
	if n > 1 {
		v.Set("page", strconv.Itoa(n))
	}
	if len(v) == 0 {
		return "/news"
	}
	return "/news?" + v.Encode()
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
