package web

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	vigie "github.com/vigie-network/vigie"
	"github.com/vigie-network/vigie/web/i18n"
)

// The review queue: every submitted revision beside what is published,
// with Publish and Return. The service decides who may review; the page
// only explains beforehand why a button will not work.

type reviewPage struct {
	editorChrome
	CanReview bool
	Items     []reviewItem
	Done      string // what the last action did
	Message   string // an error that belongs to no item
}

type reviewItem struct {
	Anchor    string
	Action    string // where the buttons post
	Country   countryLink
	Indicator indicatorSummary
	Number    int
	Author    string
	At        dateTimeView
	Reason    string
	Published int // the published revision it is compared with; 0 if none
	Diff      revisionDiff
	Own       bool // the viewer wrote it
	Comment   string
	Error     string
	// CommentInvalid marks the comment as what Error is about.
	CommentInvalid bool
}

func reviewAnchor(country, indicator string, number int) string {
	return fmt.Sprintf("rev-%s-%s-%d", strings.ToLower(country), indicator, number)
}

func (s *Server) handleReviewQueue(w http.ResponseWriter, r *http.Request) {
	u, ok := s.allowed(w, r, vigie.ActViewDrafts, "")
	if !ok {
		return
	}
	page := reviewPage{}
	if done, target := r.URL.Query().Get("done"), r.URL.Query().Get("rev"); done != "" {
		parts := strings.Split(target, "/")
		if len(parts) == 3 {
			if c, ok := vigie.CountryByISO2(parts[0]); ok {
				if n, err := strconv.Atoi(parts[2]); err == nil {
					if id, ok := map[string]string{"publish": "reviewed.published", "return": "reviewed.returned"}[done]; ok {
						page.Done = i18n.Default().T(langOf(r.Context()), id, "Number", strconv.Itoa(n),
							"Indicator", s.indicatorName(r, parts[1]), "Country", c.Name(langOf(r.Context())))
					}
				}
			}
		}
	}
	s.renderReview(w, r, u, http.StatusOK, page, "", "", "", "")
}

func (s *Server) indicatorName(r *http.Request, key string) string {
	inds, err := s.store.Indicators(r.Context())
	if err == nil {
		for _, ind := range inds {
			if ind.Key == key {
				return ind.Name
			}
		}
	}
	return key
}

// renderReview shows the queue; anchor names the item a failed action
// was about, with the comment the reviewer typed and the error.
func (s *Server) renderReview(w http.ResponseWriter, r *http.Request, u *vigie.User, status int, page reviewPage, anchor, comment, msg, field string) {
	ctx := r.Context()
	page.editorChrome = chrome(u)
	page.CanReview = u.Can(vigie.ActReviewAssessment, "")
	inds, err := s.store.Indicators(ctx)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	byKey := map[string]vigie.Indicator{}
	for _, ind := range inds {
		byKey[ind.Key] = ind
	}
	ratings, err := s.store.Ratings(ctx)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	sc := newScale(ratings)
	queue, err := s.store.RevisionsInState(ctx, vigie.RevisionSubmitted)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	found := false
	for _, rev := range queue {
		a := rev.Content
		published, err := s.store.Assessment(ctx, a.Country, a.Indicator)
		if err != nil {
			s.serverError(w, r, err)
			return
		}
		c, _ := vigie.CountryByISO2(a.Country)
		ind := byKey[a.Indicator]
		item := reviewItem{
			Anchor:    reviewAnchor(a.Country, a.Indicator, rev.Number),
			Action:    fmt.Sprintf("/edit/review/%s/%s/%d", c.Slug, a.Indicator, rev.Number),
			Country:   countryLink{Slug: c.Slug, Name: c.Name(langOf(ctx))},
			Indicator: indicatorSummary{Key: a.Indicator, Name: ind.Name},
			Number:    rev.Number, Author: rev.Author, At: newDateTime(rev.CreatedAt), Reason: rev.Reason,
			Published: published.Revision,
			Diff:      diffAssessments(published, a, ind.ValueKind, sc),
			Own:       u.ID != 0 && rev.AuthorID == u.ID,
		}
		if item.Anchor == anchor {
			item.Comment, item.Error, item.CommentInvalid, found = comment, msg, field == "comment", true
		}
		page.Items = append(page.Items, item)
	}
	if anchor != "" && !found {
		page.Message = msg
	}
	s.render(w, r, status, "edit_review", layout{Title: tr(r, "review.title"), Page: page})
}

func (s *Server) handleReview(w http.ResponseWriter, r *http.Request) {
	u, ok := s.allowed(w, r, vigie.ActViewDrafts, "")
	if !ok {
		return
	}
	c, ind, ok := s.assessmentTarget(w, r)
	if !ok {
		return
	}
	number, err := strconv.Atoi(r.PathValue("number"))
	if err != nil {
		s.notFound(w, r)
		return
	}
	if !parseForm(w, r) {
		return
	}
	comment, action := r.PostFormValue("comment"), r.PostFormValue("action")
	switch action {
	case "publish":
		_, err = s.service.Publish(r.Context(), actor(r), c.ISO2, ind.Key, number, comment)
	case "return":
		_, err = s.service.Return(r.Context(), actor(r), c.ISO2, ind.Key, number, comment)
	default:
		err = vigie.FieldError("action", "choose Publish or Return")
	}
	if err == nil {
		http.Redirect(w, r, fmt.Sprintf("/edit/review?done=%s&rev=%s/%s/%d", action, c.ISO2, ind.Key, number), http.StatusSeeOther)
		return
	}
	var e *vigie.Error
	if !errors.As(err, &e) || e.Code == vigie.EINTERNAL || e.Code == vigie.ENOTFOUND {
		s.fail(w, r, err)
		return
	}
	status := map[string]int{vigie.EINVALID: http.StatusBadRequest, vigie.EFORBIDDEN: http.StatusForbidden,
		vigie.ECONFLICT: http.StatusConflict, vigie.EUNAUTHORIZED: http.StatusUnauthorized}[e.Code]
	if status == 0 {
		status = http.StatusBadRequest
	}
	s.renderReview(w, r, u, status, reviewPage{}, reviewAnchor(c.ISO2, ind.Key, number), comment, errorText(langOf(r.Context()), e), e.Field)
}
