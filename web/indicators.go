package web

import (
	"net/http"
	"slices"

	vigie "github.com/vigie-network/vigie"
)

type indicatorsPage struct {
	Indicators []frameworkIndicator
	Ratings    []frameworkRating
}

// frameworkIndicator and frameworkRating are the framework in the
// reader's language, marked where a text is not translated yet.
type frameworkIndicator struct {
	Key             string
	Name, Rationale localText
}

type frameworkRating struct {
	Key            string
	Label, Meaning localText
}

func (s *Server) handleIndicators(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	inds, err := s.source.Indicators(ctx)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	ratings, err := s.source.Ratings(ctx)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	trs, err := s.translator(ctx, langOf(ctx), frameworkKinds())
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	var page indicatorsPage
	for _, ind := range inds {
		page.Indicators = append(page.Indicators, frameworkIndicator{Key: ind.Key,
			Name:      trs.text(vigie.KindIndicator, ind.Key, "name", ind.Name),
			Rationale: trs.text(vigie.KindIndicator, ind.Key, "rationale", ind.Rationale)})
	}
	for _, rt := range ratings {
		page.Ratings = append(page.Ratings, frameworkRating{Key: rt.Key,
			Label:   trs.text(vigie.KindRating, rt.Key, "label", rt.Label),
			Meaning: trs.text(vigie.KindRating, rt.Key, "meaning", rt.Meaning)})
	}
	s.render(w, r, http.StatusOK, "indicators", layout{Title: tr(r, "nav.indicators"), Nav: "indicators", Page: page})
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
		s.notFoundMessage(w, r, tr(r, "error.no_indicator"))
		return
	}
	s.serveIndicator(w, r, inds[i]) // explore_indicator.go
}
