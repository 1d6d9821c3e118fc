package web

import (
	"net/http"

	vigie "github.com/vigie-network/vigie"
)

type countriesPage struct {
	Count   int // countries listed
	Total   int // indicators in the framework
	Regions []regionGroup[countryCount]
}

type countryCount struct {
	Slug, Name string
	Assessed   int
}

func (s *Server) handleCountries(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	inds, err := s.store.Indicators(ctx)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	ratings, err := s.store.Ratings(ctx)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	// One query for the whole world, not one per country.
	all, err := s.store.Assessments(ctx, vigie.AssessmentFilter{RatingsOnly: true})
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	sc := newScale(ratings)
	assessed := map[string]int{}
	for _, a := range all {
		if sc.assessed(a) {
			assessed[a.Country]++
		}
	}
	lang := langOf(ctx)
	page := countriesPage{Total: len(inds)}
	page.Regions = groupByRegion(true, func(c vigie.Country) countryCount {
		page.Count++
		return countryCount{Slug: c.Slug, Name: c.Name(lang), Assessed: assessed[c.ISO2]}
	})
	localizeRegions(lang, page.Regions, func(c countryCount) string { return c.Name })
	s.render(w, r, http.StatusOK, "countries", layout{Title: tr(r, "nav.countries"), Nav: "countries", Page: page})
}
