package web

import (
	"net/http"
	"slices"

	vigie "github.com/vigie-network/vigie"
)

type indicatorsPage struct {
	Indicators []vigie.Indicator
	Ratings    []vigie.Rating
}

// indicatorPage is one indicator across the world.
type indicatorPage struct {
	Indicator vigie.Indicator
	Tally     []tally
	Regions   []regionGroup[verdict]
}

// tally counts the countries at one step of the scale.
type tally struct {
	Rating ratingView
	Count  int
}

// verdict is one country's answer to the indicator, in one line.
type verdict struct {
	Slug, Name     string
	Rating         ratingView
	Value, Summary string
}

func (s *Server) handleIndicators(w http.ResponseWriter, r *http.Request) {
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
	s.render(w, r, http.StatusOK, "indicators", layout{Title: "Indicators", Nav: "indicators",
		Page: indicatorsPage{Indicators: inds, Ratings: ratings}})
}

func (s *Server) handleIndicator(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	key := r.PathValue("key")
	inds, err := s.store.Indicators(ctx)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	i := slices.IndexFunc(inds, func(ind vigie.Indicator) bool { return ind.Key == key })
	if i < 0 {
		s.notFoundMessage(w, r, "We monitor no indicator by this name. The list of indicators shows every one we assess.")
		return
	}
	ind := inds[i]
	ratings, err := s.store.Ratings(ctx)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	written, err := s.store.Assessments(ctx, vigie.AssessmentFilter{Indicator: key})
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	byCountry := make(map[string]vigie.Assessment, len(written))
	for _, a := range written {
		byCountry[a.Country] = a
	}
	sc := newScale(ratings)
	counts := map[string]int{}
	page := indicatorPage{Indicator: ind}
	page.Regions = groupByRegion(false, func(c vigie.Country) verdict {
		a, ok := byCountry[c.ISO2]
		if !ok {
			a = vigie.Unassessed(c.ISO2, key)
		}
		counts[a.Rating]++
		return verdict{Slug: c.Slug, Name: c.Name("en"), Rating: sc.view(a.Rating),
			Value: formatValue(ind.ValueKind, a.Value), Summary: s.explanation.FirstSentence(a.Explanation)}
	})
	for _, rt := range ratings {
		if n := counts[rt.Key]; n > 0 {
			page.Tally = append(page.Tally, tally{Rating: sc.view(rt.Key), Count: n})
			delete(counts, rt.Key)
		}
	}
	for k, n := range counts { // ratings no longer on the scale, if any
		page.Tally = append(page.Tally, tally{Rating: sc.view(k), Count: n})
	}
	s.render(w, r, http.StatusOK, "indicator", layout{Title: ind.Name, Page: page})
}
