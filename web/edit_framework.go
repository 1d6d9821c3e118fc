package web

import (
	"net/http"
	"strconv"
	"strings"

	vigie "github.com/vigie-network/vigie"
)

// The admins' page for the indicator framework and the rating scale:
// both are data, so adding an indicator or a rating needs no release.

func init() {
	pageModels["edit_framework"] = frameworkPage{}
}

type frameworkPage struct {
	editorChrome
	Indicators                []vigie.Indicator
	Ratings                   []vigie.Rating
	NextIndicator, NextRating int // positions offered for a new one
	Saved                     bool
}

func (s *Server) frameworkRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /edit/framework", s.handleFramework)
	mux.HandleFunc("POST /edit/framework/indicators", s.handleIndicatorSave)
	mux.HandleFunc("POST /edit/framework/ratings", s.handleRatingSave)
}

func (s *Server) handleFramework(w http.ResponseWriter, r *http.Request) {
	u, ok := s.allowed(w, r, vigie.ActManageFramework, "")
	if !ok {
		return
	}
	// The form edits the English texts, whatever the page's language: not
	// their translations, which s.store would give.
	inds, err := s.source.Indicators(r.Context())
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	ratings, err := s.source.Ratings(r.Context())
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	page := frameworkPage{editorChrome: chrome(u), Indicators: inds, Ratings: ratings, Saved: r.URL.Query().Has("saved"),
		NextIndicator: len(inds) + 1, NextRating: len(ratings) + 1}
	s.render(w, r, http.StatusOK, "edit_framework", layout{Title: tr(r, "framework_edit.title"), Page: page})
}

// formPosition reads the framework forms' position field, answering the
// request itself when it is not a whole number.
func (s *Server) formPosition(w http.ResponseWriter, r *http.Request) (int, bool) {
	position, err := strconv.Atoi(r.PostFormValue("position"))
	if err != nil {
		s.fail(w, r, vigie.FieldError("position", "%q is not a whole number", r.PostFormValue("position")))
		return 0, false
	}
	return position, true
}

func (s *Server) handleIndicatorSave(w http.ResponseWriter, r *http.Request) {
	if _, ok := s.allowed(w, r, vigie.ActManageFramework, ""); !ok || !parseForm(w, r) {
		return
	}
	position, ok := s.formPosition(w, r)
	if !ok {
		return
	}
	ind := vigie.Indicator{Key: strings.TrimSpace(r.PostFormValue("key")), Name: strings.TrimSpace(r.PostFormValue("name")),
		Rationale: strings.TrimSpace(r.PostFormValue("rationale")), ValueKind: vigie.ValueKind(r.PostFormValue("value_kind")),
		Position: position}
	if err := s.service.SaveIndicator(r.Context(), actor(r), ind); err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/edit/framework?saved#i-"+ind.Key, http.StatusSeeOther)
}

func (s *Server) handleRatingSave(w http.ResponseWriter, r *http.Request) {
	if _, ok := s.allowed(w, r, vigie.ActManageFramework, ""); !ok || !parseForm(w, r) {
		return
	}
	position, ok := s.formPosition(w, r)
	if !ok {
		return
	}
	rating := vigie.Rating{Key: strings.TrimSpace(r.PostFormValue("key")), Label: strings.TrimSpace(r.PostFormValue("label")),
		Meaning: strings.TrimSpace(r.PostFormValue("meaning")), Assessed: r.PostFormValue("assessed") == "on", Position: position}
	if err := s.service.SaveRating(r.Context(), actor(r), rating); err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/edit/framework?saved#r-"+rating.Key, http.StatusSeeOther)
}
