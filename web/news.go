package web

import (
	"html/template"
	"net/http"

	vigie "github.com/vigie-network/vigie"
)

type newsPage struct {
	Title, Summary string
	Date           dateView
	Body           template.HTML
	Countries      []countryLink
}

type countryLink struct {
	Slug, Name string
}

func (s *Server) handleNewsItem(w http.ResponseWriter, r *http.Request) {
	n, err := s.store.NewsItem(r.Context(), r.PathValue("slug"))
	if vigie.IsNotFound(err) {
		s.notFoundMessage(w, r, "There is no story at this address. It may have been renamed or withdrawn.")
		return
	}
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	page := newsPage{Title: n.Title, Summary: n.Summary, Date: newDate(n.Date), Body: s.article.HTML(n.Body)}
	for _, code := range n.Countries {
		if c, ok := vigie.CountryByISO2(code); ok {
			page.Countries = append(page.Countries, countryLink{Slug: c.Slug, Name: c.Name("en")})
		}
	}
	s.render(w, r, http.StatusOK, "news", layout{Title: n.Title, Nav: "news", Page: page})
}
