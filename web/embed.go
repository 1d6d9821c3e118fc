package web

import (
	"net/http"
	"slices"

	vigie "github.com/vigie-network/vigie"
)

// Embeds (issue #15): a member's own site may frame an indicator's world
// map or a country's nine ratings. Only these two routes relax
// frame-ancestors; every other response keeps the site's policy, which
// forbids framing. Their links open the full page in the top window.

// embedPolicy is contentSecurityPolicy (headers.go) with any ancestor.
const embedPolicy = "default-src 'self'; img-src 'self' data:; style-src 'self'; " +
	"script-src 'none'; frame-ancestors *; base-uri 'none'; form-action 'self'"

func (s *Server) embedRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /embed/indicators/{key}", s.handleEmbedIndicator)
	mux.HandleFunc("GET /embed/countries/{slug}", s.handleEmbedCountry)
}

func init() {
	pageModels["embed_indicator"] = embedIndicatorPage{}
	pageModels["embed_country"] = embedCountryPage{}
	templateFuncs["embedPath"] = embedPath
}

type embedIndicatorPage struct {
	Indicator vigie.Indicator
	Map       mapView
	Full      string // the indicator's page
}

type embedCountryPage struct {
	Name, Region string
	Glance       []glanceItem
	Full         string // the country's page
}

// embedPath is the embeddable view of a page, for its "embed this"
// snippet; "" for pages that have none.
func embedPath(page any) string {
	switch p := page.(type) {
	case countryPage:
		if p.AsOf == nil {
			return "/embed/countries/" + p.Slug
		}
	case indicatorPage:
		if p.AsOf == nil {
			return "/embed/indicators/" + p.Indicator.Key
		}
	}
	return ""
}

// allowFraming lets any site frame this response.
func allowFraming(w http.ResponseWriter) {
	w.Header().Set("Content-Security-Policy", embedPolicy)
}

func (s *Server) handleEmbedIndicator(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	inds, ratings, err := s.framework(ctx)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	i := slices.IndexFunc(inds, func(ind vigie.Indicator) bool { return ind.Key == r.PathValue("key") })
	if i < 0 {
		s.notFoundMessage(w, r, tr(r, "error.no_indicator"))
		return
	}
	ind := inds[i]
	written, err := s.assessmentsAt(ctx, asOf{}, vigie.AssessmentFilter{Indicator: ind.Key})
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	page := embedIndicatorPage{Indicator: ind, Full: "/indicators/" + ind.Key}
	if page.Map, err = ratingMap(langOf(ctx), "embed-map", ind, ratings, byCountry(written), asOf{}); err != nil {
		s.serverError(w, r, err)
		return
	}
	allowFraming(w)
	s.render(w, r, http.StatusOK, "embed_indicator", layout{Title: ind.Name, Page: page})
}

func (s *Server) handleEmbedCountry(w http.ResponseWriter, r *http.Request) {
	c, ok := vigie.CountryBySlug(r.PathValue("slug"))
	if !ok {
		s.notFoundMessage(w, r, tr(r, "error.no_country"))
		return
	}
	full, err := s.countryPage(r.Context(), c, asOf{})
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	page := embedCountryPage{Name: full.Name, Region: full.Region, Full: "/countries/" + c.Slug}
	for _, g := range full.Glance {
		g.Link = page.Full + g.Link // "#key" on the full page
		page.Glance = append(page.Glance, g)
	}
	allowFraming(w)
	s.render(w, r, http.StatusOK, "embed_country", layout{Title: full.Name, Page: page})
}
