package web

import (
	"html/template"
	"net/http"

	vigie "github.com/vigie-network/vigie"
)

type newsPage struct {
	Title, Summary localText
	Date           dateView
	Body           template.HTML
	BodyFallback   bool // the body is in English, untranslated
	Countries      []countryLink
}

type countryLink struct {
	Slug, Name string
}

func (s *Server) handleNewsItem(w http.ResponseWriter, r *http.Request) {
	n, err := s.store.NewsItem(r.Context(), r.PathValue("slug"))
	if vigie.IsNotFound(err) {
		s.notFoundMessage(w, r, tr(r, "error.no_story"))
		return
	}
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	ctx := r.Context()
	lang := langOf(ctx)
	trs, err := s.translator(ctx, lang, map[string][]string{vigie.KindNews: {n.Slug}})
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	body := trs.text(vigie.KindNews, n.Slug, "body", n.Body)
	page := newsPage{Title: trs.text(vigie.KindNews, n.Slug, "title", n.Title),
		Summary: trs.text(vigie.KindNews, n.Slug, "summary", n.Summary),
		Date:    newDate(n.Date), Body: s.article.HTML(body.Text), BodyFallback: body.Fallback}
	for _, code := range n.Countries {
		if c, ok := vigie.CountryByISO2(code); ok {
			page.Countries = append(page.Countries, countryLink{Slug: c.Slug, Name: c.Name(lang)})
		}
	}
	s.render(w, r, http.StatusOK, "news", layout{Title: page.Title.Text, Nav: "news", Page: page})
}
