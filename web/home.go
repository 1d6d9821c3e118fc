package web

import (
	"net/http"

	vigie "github.com/vigie-network/vigie"
)

type homePage struct {
	Featured   *storyLink
	Indicators []indicatorSummary
	Countries  int
}

// indicatorSummary is an indicator in a list: its name and the first
// sentence of its rationale.
type indicatorSummary struct {
	Key, Name, Summary string
}

func (s *Server) handleHome(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	featured, err := s.featured(ctx)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	inds, err := s.store.Indicators(ctx)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	page := homePage{Featured: featured, Countries: len(vigie.Countries())}
	for _, ind := range inds {
		page.Indicators = append(page.Indicators, indicatorSummary{
			Key: ind.Key, Name: ind.Name, Summary: firstSentence(ind.Rationale)})
	}
	s.render(w, r, http.StatusOK, "home", layout{Page: page})
}
