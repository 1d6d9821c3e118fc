package api

import (
	"fmt"
	"math"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

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
	return fmt.Sprintf("%s\x00%020d", strings.Map(invertDigit, n.Date.Format("20060102")), math.MaxInt64-n.ID)
}

// parseNewsKey reads a newsKey back into the store's key.
func parseNewsKey(k string) (vigie.NewsKey, bool) {
	date, id, ok := strings.Cut(k, "\x00")
	if !ok || len(date) != 8 || len(id) != 20 {
		return vigie.NewsKey{}, false
	}
	d, err := time.Parse("20060102", strings.Map(invertDigit, date))
	n, nerr := strconv.ParseInt(id, 10, 64)
	if err != nil || nerr != nil || n == math.MaxInt64 {
		return vigie.NewsKey{}, false
	}
	return vigie.NewsKey{Date: d, ID: math.MaxInt64 - n}, true
}

// invertDigit maps 0…9 to 9…0, so that dates sort newest first.
func invertDigit(r rune) rune {
	if r >= '0' && r <= '9' {
		return '9' - r + '0'
	}
	return r
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
	featured, err := s.featuredSlug(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var f vigie.NewsFilter
	if len(countries) == 1 {
		f.Country = countries[0]
	}
	if len(countries) <= 1 {
		// The store reads the page (and one more item) after the cursor.
		f.Limit = p.limit + 1
		if p.after != "" {
			k, ok := parseNewsKey(p.after)
			if !ok {
				s.fail(w, r, vigie.FieldError("cursor", "is not a cursor this API gave out; start again without it"))
				return
			}
			f.After = k
		}
		items, err := s.store.NewsItems(ctx, f)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		pg := pageFrom(w, r, p, items, newsKey)
		out := page[newsJSON]{Items: []newsJSON{}, Next: pg.Next}
		for _, n := range pg.Items {
			out.Items = append(out.Items, newsItem(n, featured))
		}
		s.writeJSON(w, r, http.StatusOK, out)
		return
	}
	// Several countries: their news, merged here.
	items, err := s.store.NewsItems(ctx, f)
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
