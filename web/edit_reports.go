package web

import (
	"net/http"
	"slices"
	"strconv"

	vigie "github.com/vigie-network/vigie"
)

// The queue of movement reports, for researchers: open a draft from a
// report (the assessment form, with the report in its reason) or close it.

type reportsPage struct {
	editorChrome
	State      string
	States     []reportState
	Reports    []reportView
	Indicators []indicatorSummary
	CanDraft   bool
	Message    string
}

type reportState struct {
	Key, Label string
	Current    bool
}

type reportView struct {
	ID        int64
	Country   countryLink
	Indicator indicatorSummary // empty when the reader did not say
	Change    []string         // paragraphs
	Link      string           // only http(s), as a link
	RawLink   string           // as typed, shown as text otherwise
	Contact   string
	At        dateTimeView
	Addr      string
	State     string
	// StateLabel names State in the reader's language (the queue sets it).
	StateLabel string
}

func newReportView(rep vigie.MovementReport, inds map[string]vigie.Indicator) reportView {
	c, _ := vigie.CountryByISO2(rep.Country)
	v := reportView{ID: rep.ID, Country: countryLink{Slug: c.Slug, Name: c.Name("en")},
		Change: paragraphs(rep.Change), Link: webLink(rep.Link), RawLink: rep.Link, Contact: rep.Contact,
		At: newDateTime(rep.CreatedAt), Addr: rep.Addr, State: rep.State}
	if rep.Indicator != "" {
		v.Indicator = indicatorSummary{Key: rep.Indicator, Name: rep.Indicator}
		if ind, ok := inds[rep.Indicator]; ok {
			v.Indicator.Name = ind.Name
		}
	}
	return v
}

func (s *Server) handleReports(w http.ResponseWriter, r *http.Request) {
	u, ok := s.allowed(w, r, vigie.ActTriageReports, "")
	if !ok {
		return
	}
	ctx := r.Context()
	state := r.URL.Query().Get("state")
	if !slices.Contains([]string{vigie.ReportOpen, vigie.ReportDrafted, vigie.ReportClosed, "all"}, state) {
		state = vigie.ReportOpen
	}
	page := reportsPage{editorChrome: chrome(u), State: state, CanDraft: u.Can(vigie.ActDraftAssessment, "")}
	for _, st := range []reportState{{vigie.ReportOpen, tr(r, "reportqueue.state_open"), false},
		{vigie.ReportDrafted, tr(r, "reportqueue.state_drafted"), false},
		{vigie.ReportClosed, tr(r, "reportqueue.state_closed"), false}, {"all", tr(r, "reportqueue.state_all"), false}} {
		st.Current = st.Key == state
		page.States = append(page.States, st)
	}
	switch r.URL.Query().Get("done") {
	case vigie.ReportClosed:
		page.Message = tr(r, "reportqueue.closed")
	case vigie.ReportOpen:
		page.Message = tr(r, "reportqueue.reopened")
	}
	inds, err := s.store.Indicators(ctx)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	byKey := map[string]vigie.Indicator{}
	for _, ind := range inds {
		byKey[ind.Key] = ind
		page.Indicators = append(page.Indicators, indicatorSummary{Key: ind.Key, Name: ind.Name})
	}
	filter := vigie.ReportFilter{State: state}
	if state == "all" {
		filter.State = ""
	}
	reports, err := s.store.MovementReports(ctx, filter)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	lang := langOf(ctx)
	for _, rep := range reports {
		v := newReportView(rep, byKey)
		if c, ok := vigie.CountryByISO2(rep.Country); ok {
			v.Country.Name = c.Name(lang)
		}
		v.At = adminMoment(lang, rep.CreatedAt)
		v.StateLabel = reportStateLabel(r, rep.State)
		page.Reports = append(page.Reports, v)
	}
	s.render(w, r, http.StatusOK, "edit_reports", layout{Title: tr(r, "reportqueue.title"), Page: page})
}

// reportStateLabel names a report's state as the queue shows it.
func reportStateLabel(r *http.Request, state string) string {
	switch state {
	case vigie.ReportOpen:
		return tr(r, "reportqueue.is_open")
	case vigie.ReportDrafted:
		return tr(r, "reportqueue.is_drafted")
	case vigie.ReportClosed:
		return tr(r, "reportqueue.is_closed")
	}
	return state
}

func (s *Server) handleReportAction(w http.ResponseWriter, r *http.Request) {
	if _, ok := s.allowed(w, r, vigie.ActTriageReports, ""); !ok {
		return
	}
	id, ok := pathID(r, "id")
	if !ok {
		s.notFound(w, r)
		return
	}
	if !parseForm(w, r) {
		return
	}
	ctx := r.Context()
	rep, err := s.store.MovementReport(ctx, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	switch action := r.PostFormValue("action"); action {
	case "close", "reopen":
		state := map[string]string{"close": vigie.ReportClosed, "reopen": vigie.ReportOpen}[action]
		if err := s.service.SetReportState(ctx, actor(r), id, state); err != nil {
			s.fail(w, r, err)
			return
		}
		http.Redirect(w, r, "/edit/reports?done="+state, http.StatusSeeOther)
	case "draft":
		indicator := r.PostFormValue("indicator")
		if indicator == "" {
			indicator = rep.Indicator
		}
		c, _ := vigie.CountryByISO2(rep.Country)
		if indicator == "" {
			s.fail(w, r, vigie.FieldError("indicator", "choose the indicator the draft is about"))
			return
		}
		// Checked before the report is marked: a draft of nothing is no draft.
		inds, err := s.store.Indicators(ctx)
		if err != nil {
			s.serverError(w, r, err)
			return
		}
		if !slices.ContainsFunc(inds, func(ind vigie.Indicator) bool { return ind.Key == indicator }) {
			s.fail(w, r, vigie.FieldError("indicator", "unknown indicator %q", indicator))
			return
		}
		if err := vigie.Authorize(userFrom(ctx), vigie.ActDraftAssessment, c.ISO2); err != nil {
			s.fail(w, r, err)
			return
		}
		if err := s.service.SetReportState(ctx, actor(r), id, vigie.ReportDrafted); err != nil {
			s.fail(w, r, err)
			return
		}
		http.Redirect(w, r, editAssessmentPath(c, indicator)+"?report="+strconv.FormatInt(id, 10), http.StatusSeeOther)
	default:
		s.fail(w, r, vigie.FieldError("action", "choose Open a draft or Close"))
	}
}
