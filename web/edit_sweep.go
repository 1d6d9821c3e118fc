package web

import (
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"

	vigie "github.com/vigie-network/vigie"
)

// The indicator sweep: every country for one indicator in one grid, for a
// researcher updating an indicator worldwide after a new study. Each row
// is its own small form; its save keeps the explanation and sources of
// the revision the row was loaded from and changes rating, value and
// as-of date.

type sweepPage struct {
	editorChrome
	Indicator  indicatorSummary
	HasValue   bool
	Ratings    []ratingOption
	Rows       []sweepRow
	Indicators []indicatorSummary
	Message    string // the outcome of the last row saved
	Failed     bool
}

type sweepRow struct {
	ISO2, Anchor                        string
	Country                             countryLink
	Published                           ratingView
	PublishedValue, PublishedAsOf       string
	Pending                             *pendingRevision // the newest unpublished revision
	Rating, Value, AsOf, Reason, Status string
	Base                                int
	Error                               string
	ErrorField                          string // the input Error is about
}

func (s *Server) sweepIndicator(w http.ResponseWriter, r *http.Request) (vigie.Indicator, []vigie.Indicator, bool) {
	inds, err := s.store.Indicators(r.Context())
	if err != nil {
		s.serverError(w, r, err)
		return vigie.Indicator{}, nil, false
	}
	for _, ind := range inds {
		if ind.Key == r.PathValue("key") {
			return ind, inds, true
		}
	}
	s.notFoundMessage(w, r, tr(r, "sweep.no_indicator"))
	return vigie.Indicator{}, nil, false
}

func (s *Server) handleSweep(w http.ResponseWriter, r *http.Request) {
	u, ok := s.allowed(w, r, vigie.ActDraftAssessment, "")
	if !ok {
		return
	}
	ind, inds, ok := s.sweepIndicator(w, r)
	if !ok {
		return
	}
	page := sweepPage{}
	if iso := r.URL.Query().Get("saved"); iso != "" {
		if c, ok := vigie.CountryByISO2(iso); ok {
			n, _ := strconv.Atoi(r.URL.Query().Get("n"))
			page.Message = tr(r, "sweep.saved", "Number", strconv.Itoa(n), "Country", c.Name(langOf(r.Context())))
		}
	}
	s.renderSweep(w, r, u, ind, inds, http.StatusOK, page, nil)
}

// renderSweep shows the grid; typed, when set, is a row whose save failed,
// shown as the user typed it.
func (s *Server) renderSweep(w http.ResponseWriter, r *http.Request, u *vigie.User, ind vigie.Indicator, inds []vigie.Indicator,
	status int, page sweepPage, typed *sweepRow) {
	ctx := r.Context()
	lang := langOf(ctx)
	page.editorChrome = chrome(u)
	page.Indicator = indicatorSummary{Key: ind.Key, Name: ind.Name}
	page.HasValue = ind.ValueKind != vigie.ValueNone
	for _, other := range inds {
		page.Indicators = append(page.Indicators, indicatorSummary{Key: other.Key, Name: other.Name})
	}
	ratings, err := s.store.Ratings(ctx)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	sc := newScale(ratings)
	for _, rt := range ratings {
		page.Ratings = append(page.Ratings, ratingOption{Key: rt.Key, Label: rt.Label})
	}
	published, err := s.store.Assessments(ctx, vigie.AssessmentFilter{Indicator: ind.Key})
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	byCountry := make(map[string]vigie.Assessment, len(published))
	for _, a := range published {
		byCountry[a.Country] = a
	}
	pending, err := s.pendingRevisions(ctx)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	newest := map[string]vigie.Revision{}
	for _, rev := range pending {
		if rev.Content.Indicator == ind.Key && rev.Number > newest[rev.Content.Country].Number {
			newest[rev.Content.Country] = rev
		}
	}
	byKey := map[string]vigie.Indicator{ind.Key: ind}
	for _, c := range vigie.Countries() {
		a, ok := byCountry[c.ISO2]
		if !ok {
			a = vigie.Unassessed(c.ISO2, ind.Key)
		}
		row := sweepRow{ISO2: c.ISO2, Anchor: "row-" + strings.ToLower(c.ISO2),
			Country:   countryLink{Slug: c.Slug, Name: c.Name(lang)},
			Published: sc.view(a.Rating), PublishedValue: formatValueIn(lang, ind.ValueKind, a.Value), PublishedAsOf: asOfIn(lang, a.AsOf)}
		// The row edits the newest revision, published or not: that is the
		// base a save must name.
		current, base := a, a.Revision
		if rev, ok := newest[c.ISO2]; ok && rev.Number > base {
			p := newPendingRevision(rev, byKey)
			row.Pending = &p
			current, base = rev.Content, rev.Number
		}
		row.Rating, row.AsOf, row.Base = current.Rating, current.AsOf.String(), base
		if current.Value != nil {
			row.Value = strconv.Itoa(*current.Value)
		}
		if typed != nil && typed.ISO2 == c.ISO2 {
			row.Rating, row.Value, row.AsOf, row.Reason, row.Error = typed.Rating, typed.Value, typed.AsOf, typed.Reason, typed.Error
			row.ErrorField = typed.ErrorField
			row.Base = typed.Base
		}
		page.Rows = append(page.Rows, row)
	}
	if lang != "en" { // the countries in the order of their names in lang
		slices.SortStableFunc(page.Rows, func(a, b sweepRow) int { return compareNames(lang, a.Country.Name, b.Country.Name) })
	}
	s.render(w, r, status, "edit_sweep", layout{Title: tr(r, "sweep.title", "Indicator", ind.Name), Page: page})
}

func (s *Server) handleSweepSave(w http.ResponseWriter, r *http.Request) {
	u, ok := s.signedIn(w, r)
	if !ok {
		return
	}
	ind, inds, ok := s.sweepIndicator(w, r)
	if !ok {
		return
	}
	if !parseForm(w, r) {
		return
	}
	c, ok := vigie.CountryByISO2(r.PostFormValue("country"))
	if !ok {
		s.fail(w, r, vigie.FieldError("country", "unknown country %q", r.PostFormValue("country")))
		return
	}
	if err := vigie.Authorize(u, vigie.ActDraftAssessment, c.ISO2); err != nil {
		s.fail(w, r, err)
		return
	}
	ctx := r.Context()
	typed := &sweepRow{ISO2: c.ISO2, Rating: r.PostFormValue("rating"), Value: strings.TrimSpace(r.PostFormValue("value")),
		AsOf: strings.TrimSpace(r.PostFormValue("as_of")), Reason: r.PostFormValue("reason")}
	typed.Base, _ = strconv.Atoi(r.PostFormValue("base"))
	failed := func(status int, msg string, field string) {
		typed.Error, typed.ErrorField = msg, field
		s.renderSweep(w, r, u, ind, inds, status, sweepPage{Failed: true,
			Message: tr(r, "sweep.not_saved", "Country", c.Name(langOf(ctx)), "Problem", msg)}, typed)
	}

	// The row changes rating, value and date of the revision it showed.
	a := vigie.Unassessed(c.ISO2, ind.Key)
	if typed.Base > 0 {
		rev, err := s.store.Revision(ctx, c.ISO2, ind.Key, typed.Base)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		a = rev.Content
	}
	a.Rating, a.Value = typed.Rating, nil
	if typed.Value != "" {
		v, err := strconv.Atoi(typed.Value)
		if err != nil {
			failed(http.StatusBadRequest, tr(r, "assess.value_whole"), "value")
			return
		}
		a.Value = &v
	}
	asOf, err := vigie.ParseAsOf(typed.AsOf)
	if err != nil {
		failed(http.StatusBadRequest, errLine(langOf(r.Context()), err), "as_of")
		return
	}
	a.AsOf = asOf

	rev, err := s.service.SaveDraft(ctx, actor(r), a, typed.Base, typed.Reason, r.PostFormValue("action") == "submit")
	var conflict *vigie.ConflictError
	var e *vigie.Error
	switch {
	case err == nil:
		http.Redirect(w, r, "/edit/indicators/"+ind.Key+"?saved="+c.ISO2+"&n="+strconv.Itoa(rev.Number)+
			"#row-"+strings.ToLower(c.ISO2), http.StatusSeeOther)
	case errors.As(err, &conflict):
		typed.Base = conflict.Current.Number
		failed(http.StatusConflict, tr(r, "sweep.conflict", "Author", conflict.Current.Author, "Number", strconv.Itoa(conflict.Current.Number)), "")
	case errors.As(err, &e) && e.Code == vigie.EINVALID:
		failed(http.StatusBadRequest, errLine(langOf(r.Context()), err), e.Field)
	default:
		s.fail(w, r, err)
	}
}
