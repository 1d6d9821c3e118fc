package web

import (
	"net/http"
	"slices"
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
	Indicators                []indicatorEdit
	Ratings                   []ratingEdit
	NewIndicator              indicatorEdit // the form that adds one: empty, or what was typed when it failed
	NewRating                 ratingEdit
	NextIndicator, NextRating int // positions offered for a new one
	Saved                     bool
	Errors                    fieldErrors // the failed form's, for the summary; each form holds its own too
}

// indicatorEdit and ratingEdit are the forms of one indicator or rating:
// what is stored, or what was typed when saving it failed, with the
// problems by field.
type indicatorEdit struct {
	vigie.Indicator
	Errors fieldErrors
}

type ratingEdit struct {
	vigie.Rating
	Errors fieldErrors
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
	s.renderFramework(w, r, u, http.StatusOK, nil, nil)
}

// renderFramework shows the framework; failedIndicator or failedRating,
// when not nil, is a form that comes back as it was typed, with its
// problems.
func (s *Server) renderFramework(w http.ResponseWriter, r *http.Request, u *vigie.User, status int, failedIndicator *indicatorEdit, failedRating *ratingEdit) {
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
	page := frameworkPage{editorChrome: chrome(u), Saved: status == http.StatusOK && r.URL.Query().Has("saved"),
		NextIndicator: len(inds) + 1, NextRating: len(ratings) + 1, Errors: fieldErrors{}}
	for _, ind := range inds {
		page.Indicators = append(page.Indicators, indicatorEdit{Indicator: ind})
	}
	for _, rt := range ratings {
		page.Ratings = append(page.Ratings, ratingEdit{Rating: rt})
	}
	if f := failedIndicator; f != nil {
		page.Errors = f.Errors
		if i := slices.IndexFunc(inds, func(ind vigie.Indicator) bool { return ind.Key == f.Key }); i >= 0 {
			page.Indicators[i] = *f
		} else {
			page.NewIndicator = *f
		}
	}
	if f := failedRating; f != nil {
		page.Errors = f.Errors
		if i := slices.IndexFunc(ratings, func(rt vigie.Rating) bool { return rt.Key == f.Key }); i >= 0 {
			page.Ratings[i] = *f
		} else {
			page.NewRating = *f
		}
	}
	s.render(w, r, status, "edit_framework", layout{Title: tr(r, "framework_edit.title"), Page: page})
}

// formPosition reads the framework forms' position field.
func formPosition(r *http.Request) (int, error) {
	position, err := strconv.Atoi(r.PostFormValue("position"))
	if err != nil {
		return 0, vigie.FieldError("position", "%q is not a whole number", r.PostFormValue("position"))
	}
	return position, nil
}

func (s *Server) handleIndicatorSave(w http.ResponseWriter, r *http.Request) {
	u, ok := s.allowed(w, r, vigie.ActManageFramework, "")
	if !ok || !parseForm(w, r) {
		return
	}
	ind := vigie.Indicator{Key: strings.TrimSpace(r.PostFormValue("key")), Name: strings.TrimSpace(r.PostFormValue("name")),
		Rationale: strings.TrimSpace(r.PostFormValue("rationale")), ValueKind: vigie.ValueKind(r.PostFormValue("value_kind"))}
	position, err := formPosition(r)
	if err == nil {
		ind.Position = position
		err = s.service.SaveIndicator(r.Context(), actor(r), ind)
	}
	if err == nil {
		http.Redirect(w, r, "/edit/framework?saved#i-"+ind.Key, http.StatusSeeOther)
	} else if status, ok := formError(err); ok {
		f := &indicatorEdit{Indicator: ind, Errors: fieldErrors{}}
		f.Errors.addIn(langOf(r.Context()), err)
		s.renderFramework(w, r, u, status, f, nil)
	} else {
		s.fail(w, r, err)
	}
}

func (s *Server) handleRatingSave(w http.ResponseWriter, r *http.Request) {
	u, ok := s.allowed(w, r, vigie.ActManageFramework, "")
	if !ok || !parseForm(w, r) {
		return
	}
	rating := vigie.Rating{Key: strings.TrimSpace(r.PostFormValue("key")), Label: strings.TrimSpace(r.PostFormValue("label")),
		Meaning: strings.TrimSpace(r.PostFormValue("meaning")), Assessed: r.PostFormValue("assessed") == "on"}
	position, err := formPosition(r)
	if err == nil {
		rating.Position = position
		err = s.service.SaveRating(r.Context(), actor(r), rating)
	}
	if err == nil {
		http.Redirect(w, r, "/edit/framework?saved#r-"+rating.Key, http.StatusSeeOther)
	} else if status, ok := formError(err); ok {
		f := &ratingEdit{Rating: rating, Errors: fieldErrors{}}
		f.Errors.addIn(langOf(r.Context()), err)
		s.renderFramework(w, r, u, status, nil, f)
	} else {
		s.fail(w, r, err)
	}
}
