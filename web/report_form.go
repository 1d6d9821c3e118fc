package web

import (
	"net/http"
	"slices"
	"strings"

	vigie "github.com/vigie-network/vigie"
)

// "Has something changed here? Tell us": readers report that a law
// changed. The form sits at the end of each country page and, standalone,
// at /countries/{slug}/report, where it comes back with any error. Reports
// go to the researchers' queue and are never shown publicly.

// honeypotField is a field people never see (CSS hides it) but form-filling
// robots fill in; a report that has it is dropped without a word.
const honeypotField = "website"

type reportPage struct {
	editorChrome
	Country    countryLink
	Indicators []indicatorSummary
	Indicator  string
	Change     string
	Link       string
	Contact    string
	Errors     fieldErrors
	Thanks     bool
}

func (s *Server) reportCountry(w http.ResponseWriter, r *http.Request) (vigie.Country, []vigie.Indicator, bool) {
	c, ok := vigie.CountryBySlug(r.PathValue("slug"))
	if !ok {
		s.notFoundMessage(w, r, tr(r, "error.no_country"))
		return c, nil, false
	}
	inds, err := s.store.Indicators(r.Context())
	if err != nil {
		s.serverError(w, r, err)
		return c, nil, false
	}
	return c, inds, true
}

func newReportPage(u *vigie.User, c vigie.Country, inds []vigie.Indicator) reportPage {
	p := reportPage{editorChrome: chrome(u), Country: countryLink{Slug: c.Slug, Name: c.Name("en")}, Errors: fieldErrors{}}
	for _, ind := range inds {
		p.Indicators = append(p.Indicators, indicatorSummary{Key: ind.Key, Name: ind.Name})
	}
	return p
}

func (s *Server) handleReportForm(w http.ResponseWriter, r *http.Request) {
	c, inds, ok := s.reportCountry(w, r)
	if !ok {
		return
	}
	p := newReportPage(userFrom(r.Context()), c, inds)
	p.Country.Name = c.Name(langOf(r.Context()))
	p.Indicator = r.URL.Query().Get("indicator")
	s.render(w, r, http.StatusOK, "report", layout{Title: tr(r, "tellus.title_in", "Country", p.Country.Name), Page: p})
}

func (s *Server) handleReportThanks(w http.ResponseWriter, r *http.Request) {
	c, inds, ok := s.reportCountry(w, r)
	if !ok {
		return
	}
	p := newReportPage(userFrom(r.Context()), c, inds)
	p.Country.Name = c.Name(langOf(r.Context()))
	p.Thanks = true
	s.render(w, r, http.StatusOK, "report", layout{Title: tr(r, "tellus.thanks"), Page: p})
}

func (s *Server) handleReport(w http.ResponseWriter, r *http.Request) {
	c, inds, ok := s.reportCountry(w, r)
	if !ok {
		return
	}
	if !parseForm(w, r) {
		return
	}
	thanks := "/countries/" + c.Slug + "/report/thanks"
	if strings.TrimSpace(r.PostFormValue(honeypotField)) != "" {
		http.Redirect(w, r, thanks, http.StatusSeeOther)
		return
	}
	p := newReportPage(userFrom(r.Context()), c, inds)
	p.Country.Name = c.Name(langOf(r.Context()))
	p.Indicator, p.Change = r.PostFormValue("indicator"), r.PostFormValue("change")
	p.Link, p.Contact = strings.TrimSpace(r.PostFormValue("link")), r.PostFormValue("contact")
	show := func(status int) {
		s.render(w, r, status, "report", layout{Title: tr(r, "tellus.title_in", "Country", p.Country.Name), Page: p})
	}
	if p.Indicator != "" && !slices.ContainsFunc(inds, func(ind vigie.Indicator) bool { return ind.Key == p.Indicator }) {
		p.Errors["indicator"] = tr(r, "tellus.pick_indicator")
		show(http.StatusBadRequest)
		return
	}
	rep := vigie.MovementReport{Country: c.ISO2, Indicator: p.Indicator, Change: p.Change, Link: p.Link, Contact: p.Contact}
	err := s.service.FileMovementReport(r.Context(), &rep, clientAddr(r))
	switch vigie.ErrorCode(err) {
	case "":
		http.Redirect(w, r, thanks, http.StatusSeeOther)
	case vigie.EINVALID:
		p.Errors.addIn(langOf(r.Context()), err)
		show(http.StatusBadRequest)
	case vigie.ERATELIMIT:
		p.Errors.addIn(langOf(r.Context()), err)
		show(http.StatusTooManyRequests)
	default:
		s.serverError(w, r, err)
	}
}

// TellUs is the country page's "Has something changed here?" form.
func (p countryPage) TellUs() reportPage {
	r := reportPage{Country: countryLink{Slug: p.Slug, Name: p.Name}}
	for _, ind := range p.Indicators {
		r.Indicators = append(r.Indicators, indicatorSummary{Key: ind.Key, Name: ind.Name})
	}
	return r
}
