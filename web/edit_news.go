package web

import (
	"html/template"
	"net/http"
	"strings"
	"time"

	vigie "github.com/vigie-network/vigie"
)

// The news form, and the admins' choice of the featured story.

type newsForm struct {
	editorChrome
	ID         int64
	Action     string
	Title      string
	Slug       string
	Date       string
	Summary    string
	Body       string
	Countries  string
	Errors     fieldErrors
	Saved      bool
	PublicLink string
	Preview    template.HTML
	Previewed  bool
	Plain      bool // the preview is plain text: the body is past the renderer's bounds
}

type featuredPage struct {
	editorChrome
	Items []featuredOption
	Saved bool
}

type featuredOption struct {
	Slug, Title string
	Date        dateView
	Current     bool
}

func (s *Server) handleNewsList(w http.ResponseWriter, r *http.Request) {
	u, ok := s.signedIn(w, r)
	if !ok {
		return
	}
	if !abilitiesOf(u).News {
		s.fail(w, r, vigie.Authorize(u, vigie.ActEditNews, ""))
		return
	}
	items, err := s.store.NewsItems(r.Context(), vigie.NewsFilter{})
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	page := listPage{editorChrome: chrome(u), Heading: tr(r, "newsform.list_title"), NewLink: "/edit/news/new",
		NewLabel: tr(r, "newsform.add"), Empty: tr(r, "newsform.list_empty")}
	for _, n := range items {
		if vigie.MayEditNews(u, n.Countries) != nil {
			continue
		}
		meta := n.Date.Format(time.DateOnly)
		if len(n.Countries) > 0 {
			meta += " · " + strings.Join(n.Countries, ", ")
		}
		page.Items = append(page.Items, listItem{Link: "/edit/news/" + n.Slug, Title: n.Title, Meta: meta})
	}
	s.render(w, r, http.StatusOK, "edit_list", layout{Title: page.Heading, Page: page})
}

func (s *Server) handleNewsForm(w http.ResponseWriter, r *http.Request) {
	u, ok := s.signedIn(w, r)
	if !ok {
		return
	}
	f := newsForm{editorChrome: chrome(u), Action: "/edit/news/new", Errors: fieldErrors{},
		Date: s.now().Format(time.DateOnly)}
	var countries []string
	if slug := r.PathValue("slug"); slug != "" {
		n, err := s.store.NewsItem(r.Context(), slug)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		f.ID, f.Action, f.PublicLink = n.ID, "/edit/news/"+n.Slug, "/news/"+n.Slug
		f.Title, f.Slug, f.Summary, f.Body = n.Title, n.Slug, n.Summary, n.Body
		f.Date, countries = n.Date.Format(time.DateOnly), n.Countries
		f.Saved = r.URL.Query().Has("saved")
	} else {
		countries = countryCodes(r.URL.Query().Get("country"))
		if len(countries) == 0 && u.Role == vigie.RoleMember {
			countries = u.Countries
		}
	}
	if err := vigie.MayEditNews(u, countries); err != nil {
		s.fail(w, r, err)
		return
	}
	f.Countries = strings.Join(countries, ", ")
	s.render(w, r, http.StatusOK, "edit_news", layout{Title: nonBlank(f.Title, tr(r, "newsform.new")), Page: f})
}

func (s *Server) handleNewsSave(w http.ResponseWriter, r *http.Request) {
	u, ok := s.signedIn(w, r)
	if !ok {
		return
	}
	var n vigie.NewsItem
	if slug := r.PathValue("slug"); slug != "" {
		var err error
		if n, err = s.store.NewsItem(r.Context(), slug); err != nil {
			s.fail(w, r, err)
			return
		}
		// Whoever may not edit the stored item may not retag it either.
		if err := vigie.MayEditNews(u, n.Countries); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	if !parseForm(w, r) {
		return
	}
	form := r.PostForm
	f := newsForm{editorChrome: chrome(u), ID: n.ID, Action: r.URL.Path, Errors: fieldErrors{},
		Title: strings.TrimSpace(form.Get("title")), Slug: strings.TrimSpace(form.Get("slug")),
		Date: strings.TrimSpace(form.Get("date")), Summary: strings.TrimSpace(form.Get("summary")),
		Body: strings.ReplaceAll(form.Get("body"), "\r\n", "\n"), Countries: form.Get("countries")}
	if n.Slug != "" {
		f.PublicLink = "/news/" + n.Slug
	}
	n.Title, n.Summary, n.Body, n.Countries = f.Title, f.Summary, f.Body, countryCodes(f.Countries)
	n.Slug = f.Slug
	if n.Slug == "" {
		n.Slug = vigie.Slugify(f.Title)
	}
	if f.Date == "" {
		n.Date = time.Date(s.now().Year(), s.now().Month(), s.now().Day(), 0, 0, 0, 0, time.UTC)
	} else if d, err := time.Parse(time.DateOnly, f.Date); err != nil {
		f.Errors["date"] = tr(r, "newsform.date_error")
	} else {
		n.Date = d
	}
	show := func(status int) {
		s.render(w, r, status, "edit_news", layout{Title: nonBlank(f.Title, tr(r, "newsform.new")), Page: f})
	}
	if form.Get("action") == "preview" {
		f.Preview, f.Plain = s.article.Render(f.Body)
		f.Previewed = true
		show(http.StatusOK)
		return
	}
	if f.Errors.Any() {
		show(http.StatusBadRequest)
		return
	}
	err := s.service.SaveNewsItem(r.Context(), actor(r), r.PathValue("slug"), &n)
	switch vigie.ErrorCode(err) {
	case "":
		http.Redirect(w, r, "/edit/news/"+n.Slug+"?saved", http.StatusSeeOther)
	case vigie.EINVALID:
		f.Errors.addIn(langOf(r.Context()), err)
		show(http.StatusBadRequest)
	default:
		s.fail(w, r, err)
	}
}

func (s *Server) handleFeaturedForm(w http.ResponseWriter, r *http.Request) {
	u, ok := s.allowed(w, r, vigie.ActFeatureStory, "")
	if !ok {
		return
	}
	s.renderFeatured(w, r, u, http.StatusOK, r.URL.Query().Has("saved"))
}

func (s *Server) renderFeatured(w http.ResponseWriter, r *http.Request, u *vigie.User, status int, saved bool) {
	ctx := r.Context()
	items, err := s.store.NewsItems(ctx, vigie.NewsFilter{})
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	current := ""
	if n, err := s.store.FeaturedStory(ctx); err == nil {
		current = n.Slug
	} else if !vigie.IsNotFound(err) {
		s.serverError(w, r, err)
		return
	}
	page := featuredPage{editorChrome: chrome(u), Saved: saved}
	for _, n := range items {
		page.Items = append(page.Items, featuredOption{Slug: n.Slug, Title: n.Title, Date: newDate(n.Date), Current: n.Slug == current})
	}
	s.render(w, r, status, "edit_featured", layout{Title: tr(r, "featuredform.title"), Page: page})
}

func (s *Server) handleFeaturedSave(w http.ResponseWriter, r *http.Request) {
	if _, ok := s.allowed(w, r, vigie.ActFeatureStory, ""); !ok {
		return
	}
	if !parseForm(w, r) {
		return
	}
	if err := s.service.SetFeaturedStory(r.Context(), actor(r), r.PostFormValue("slug")); err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/edit/featured?saved", http.StatusSeeOther)
}
