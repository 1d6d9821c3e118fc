package web

import (
	"cmp"
	"context"
	"maps"
	"net/http"
	"slices"

	vigie "github.com/vigie-network/vigie"
)

// The editors' workspace (issue #3) registers its pages, view models and
// template functions here, beside the public site's.
func init() {
	maps.Copy(pageModels, map[string]any{
		"login":             loginPage{},
		"edit_dashboard":    dashboardPage{},
		"edit_assessment":   assessmentForm{},
		"edit_review":       reviewPage{},
		"edit_sweep":        sweepPage{},
		"edit_reports":      reportsPage{},
		"edit_organisation": organisationForm{},
		"edit_publication":  publicationForm{},
		"edit_news":         newsForm{},
		"edit_list":         listPage{},
		"edit_featured":     featuredPage{},
		"edit_users":        usersPage{},
		"edit_audit":        auditPage{},
		"history":           historyPage{},
		"report":            reportPage{},
	})
	// Definitions the editors' pages share (diffs, field errors).
	layoutFiles = append(layoutFiles, "templates/edit_partials.tmpl")
	templateFuncs["session"] = sessionOf
	templateFuncs["fieldLabel"] = fieldLabel
	templateFuncs["inc"] = func(n int) int { return n + 1 }
}

// editRoutes are the editors' pages, sign-in, the public history and the
// public "tell us" form.
func (s *Server) editRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /login", s.handleLoginForm)
	mux.HandleFunc("POST /login", s.handleLogin)
	mux.HandleFunc("POST /logout", s.handleLogout)
	mux.HandleFunc("GET /set-password", s.handleSetPasswordForm)
	mux.HandleFunc("POST /set-password", s.handleSetPassword)

	mux.HandleFunc("GET /countries/{slug}/report", s.handleReportForm)
	mux.HandleFunc("POST /countries/{slug}/report", s.handleReport)
	mux.HandleFunc("GET /countries/{slug}/report/thanks", s.handleReportThanks)
	mux.HandleFunc("GET /countries/{slug}/{indicator}/history", s.handleHistory)

	mux.HandleFunc("GET /edit", s.handleDashboard)
	mux.HandleFunc("GET /edit/{$}", redirectTo("/edit"))
	mux.HandleFunc("GET /edit/countries/{slug}/{indicator}", s.handleAssessmentForm)
	mux.HandleFunc("POST /edit/countries/{slug}/{indicator}", s.handleAssessmentSave)
	mux.HandleFunc("POST /edit/countries/{slug}/{indicator}/revert", s.handleRevert)
	mux.HandleFunc("GET /edit/review", s.handleReviewQueue)
	mux.HandleFunc("POST /edit/review/{slug}/{indicator}/{number}", s.handleReview)
	mux.HandleFunc("GET /edit/indicators/{key}", s.handleSweep)
	mux.HandleFunc("POST /edit/indicators/{key}", s.handleSweepSave)
	mux.HandleFunc("GET /edit/reports", s.handleReports)
	mux.HandleFunc("POST /edit/reports/{id}", s.handleReportAction)

	mux.HandleFunc("GET /edit/organisations", s.handleOrganisations)
	mux.HandleFunc("GET /edit/organisations/new", s.handleOrganisationForm)
	mux.HandleFunc("POST /edit/organisations/new", s.handleOrganisationSave)
	mux.HandleFunc("GET /edit/organisations/{id}", s.handleOrganisationForm)
	mux.HandleFunc("POST /edit/organisations/{id}", s.handleOrganisationSave)
	mux.HandleFunc("GET /edit/publications", s.handlePublications)
	mux.HandleFunc("GET /edit/publications/new", s.handlePublicationForm)
	mux.HandleFunc("POST /edit/publications/new", s.handlePublicationSave)
	mux.HandleFunc("GET /edit/publications/{id}", s.handlePublicationForm)
	mux.HandleFunc("POST /edit/publications/{id}", s.handlePublicationSave)
	mux.HandleFunc("GET /edit/news", s.handleNewsList)
	mux.HandleFunc("GET /edit/news/new", s.handleNewsForm)
	mux.HandleFunc("POST /edit/news/new", s.handleNewsSave)
	mux.HandleFunc("GET /edit/news/{slug}", s.handleNewsForm)
	mux.HandleFunc("POST /edit/news/{slug}", s.handleNewsSave)
	mux.HandleFunc("GET /edit/featured", s.handleFeaturedForm)
	mux.HandleFunc("POST /edit/featured", s.handleFeaturedSave)

	mux.HandleFunc("GET /edit/users", s.handleUsers)
	mux.HandleFunc("POST /edit/users", s.handleUserAdd)
	mux.HandleFunc("POST /edit/users/disable", s.handleUserDisable)
	mux.HandleFunc("GET /edit/audit", s.handleAudit)
}

// dashboardPage is the workspace's start: what the user may do, and their
// own revisions that are not published yet.
type dashboardPage struct {
	editorChrome
	Can         abilities
	Mine        []pendingRevision
	ToReview    int
	OpenReports int
	Indicators  []indicatorSummary
	Countries   []countryLink // a member's countries
}

// pendingRevision is a revision waiting for its author or a reviewer.
type pendingRevision struct {
	Country       countryLink
	Indicator     indicatorSummary
	Number        int
	State         string
	Author        string
	At            dateTimeView
	Reason        string
	Reviewer      string
	ReviewComment string
}

func (s *Server) handleDashboard(w http.ResponseWriter, r *http.Request) {
	u, ok := s.signedIn(w, r)
	if !ok {
		return
	}
	ctx := r.Context()
	page := dashboardPage{editorChrome: chrome(u), Can: abilitiesOf(u)}
	for _, c := range u.Countries {
		if country, ok := vigie.CountryByISO2(c); ok {
			page.Countries = append(page.Countries, countryLink{Slug: country.Slug, Name: country.Name(langOf(ctx))})
		}
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
	if page.Can.ViewDrafts || page.Can.Draft {
		pending, err := s.pendingRevisions(ctx)
		if err != nil {
			s.serverError(w, r, err)
			return
		}
		for _, rev := range pending {
			if rev.State == vigie.RevisionSubmitted {
				page.ToReview++
			}
			if rev.AuthorID == u.ID {
				page.Mine = append(page.Mine, newPendingRevision(rev, byKey))
			}
		}
	}
	if page.Can.Reports {
		open, err := s.store.MovementReports(ctx, vigie.ReportFilter{State: vigie.ReportOpen})
		if err != nil {
			s.serverError(w, r, err)
			return
		}
		page.OpenReports = len(open)
	}
	s.render(w, r, http.StatusOK, "edit_dashboard", layout{Title: tr(r, "dash.title"), Page: page})
}

// abilities say which parts of the workspace a user may use, asking the
// domain's permission rules.
type abilities struct {
	Draft, Review, ViewDrafts, Reports, Publications, News, Organisations, Feature, Users, Audit, Framework bool
}

func abilitiesOf(u *vigie.User) abilities {
	// News and organisations: a member may edit them for their own countries.
	anyCountry := func(act vigie.Action) bool {
		if u.Can(act, "") {
			return true
		}
		for _, c := range u.Countries {
			if u.Can(act, c) {
				return true
			}
		}
		return false
	}
	return abilities{
		Draft: u.Can(vigie.ActDraftAssessment, ""), Review: u.Can(vigie.ActReviewAssessment, ""),
		ViewDrafts: u.Can(vigie.ActViewDrafts, ""), Reports: u.Can(vigie.ActTriageReports, ""),
		Publications: u.Can(vigie.ActEditPublication, ""), News: anyCountry(vigie.ActEditNews),
		Organisations: anyCountry(vigie.ActEditOrganisation), Feature: u.Can(vigie.ActFeatureStory, ""),
		Users: u.Can(vigie.ActManageUsers, ""), Audit: u.Can(vigie.ActViewAudit, ""),
		Framework: u.Can(vigie.ActManageFramework, ""),
	}
}

// pendingRevisions are all drafts, submitted and returned revisions, newest
// first.
func (s *Server) pendingRevisions(ctx context.Context) ([]vigie.Revision, error) {
	var all []vigie.Revision
	for _, state := range []string{vigie.RevisionDraft, vigie.RevisionSubmitted, vigie.RevisionReturned} {
		revs, err := s.store.RevisionsInState(ctx, state)
		if err != nil {
			return nil, err
		}
		all = append(all, revs...)
	}
	slices.SortStableFunc(all, func(a, b vigie.Revision) int { return b.CreatedAt.Compare(a.CreatedAt) })
	return all, nil
}

func newPendingRevision(rev vigie.Revision, inds map[string]vigie.Indicator) pendingRevision {
	c, _ := vigie.CountryByISO2(rev.Content.Country)
	ind := inds[rev.Content.Indicator]
	return pendingRevision{
		Country:   countryLink{Slug: c.Slug, Name: c.Name("en")},
		Indicator: indicatorSummary{Key: rev.Content.Indicator, Name: cmp.Or(ind.Name, rev.Content.Indicator)},
		Number:    rev.Number, State: rev.State, Author: rev.Author, At: newDateTime(rev.CreatedAt),
		Reason: rev.Reason, Reviewer: rev.Reviewer, ReviewComment: rev.ReviewComment,
	}
}
