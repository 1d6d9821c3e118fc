package api

import (
	"fmt"
	"math"
	"net/http"
	"slices"
	"strings"

	vigie "github.com/vigie-network/vigie"
)

// newsJSON is a dated news item. Body is Markdown as written: sanitise it
// before showing it as HTML.
type newsJSON struct {
	Slug      string   `json:"slug"`
	Title     string   `json:"title"`
	Date      *string  `json:"date"`
	Summary   string   `json:"summary"`
	Body      string   `json:"body"`
	Countries []string `json:"countries"`
	Featured  bool     `json:"featured"` // the site-wide featured story
}

func newsItem(n vigie.NewsItem, featured string) newsJSON {
	return newsJSON{Slug: n.Slug, Title: n.Title, Date: dateJSON(n.Date), Summary: n.Summary, Body: n.Body,
		Countries: strings0(n.Countries), Featured: n.Slug == featured}
}

// newsKey sorts newest first.
func newsKey(n vigie.NewsItem) string {
	return fmt.Sprintf("%s\x00%020d", strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return '9' - r + '0'
		}
		return r
	}, n.Date.Format("20060102")), math.MaxInt64-n.ID)
}

func (s *Server) featuredSlug(r *http.Request) (string, error) {
	f, err := s.store.FeaturedStory(r.Context())
	if vigie.IsNotFound(err) {
		return "", nil
	}
	return f.Slug, err
}

// GET /api/v1/news?country=: news items, newest first.
func (s *Server) handleNews(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	if !s.checkParams(w, r, append(pagingParams, "country")...) {
		return
	}
	p, err := parsePage(r, "news")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	countries, err := countryParam(r, "country")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if s.datasetValidators(w, r, false) {
		return
	}
	var f vigie.NewsFilter
	if len(countries) == 1 {
		f.Country = countries[0]
	}
	items, err := s.store.NewsItems(ctx, f)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	featured, err := s.featuredSlug(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	items = slices.DeleteFunc(items, func(n vigie.NewsItem) bool {
		return len(countries) > 0 && !slices.ContainsFunc(n.Countries, func(c string) bool { return slices.Contains(countries, c) })
	})
	slices.SortFunc(items, func(a, b vigie.NewsItem) int { return strings.Compare(newsKey(a), newsKey(b)) })
	pg := cut(w, r, p, items, func(i int) string { return newsKey(items[i]) })
	out := page[newsJSON]{Items: []newsJSON{}, Next: pg.Next}
	for _, n := range pg.Items {
		out.Items = append(out.Items, newsItem(n, featured))
	}
	s.writeJSON(w, r, http.StatusOK, out)
}

// GET /api/v1/news/{slug}
func (s *Server) handleNewsItem(w http.ResponseWriter, r *http.Request) {
	if !s.checkParams(w, r) {
		return
	}
	if s.datasetValidators(w, r, false) {
		return
	}
	n, err := s.store.NewsItem(r.Context(), r.PathValue("slug"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	featured, err := s.featuredSlug(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.writeJSON(w, r, http.StatusOK, newsItem(n, featured))
}
