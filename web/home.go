package web

import (
	"net/http"

	vigie "github.com/vigie-network/vigie"
)

type homePage struct {
	Featured   *storyLink
	Indicators []homeIndicator
	Countries  int
	Map        *homeMap        // a world map of one indicator (explore_map.go)
	Progress   *globalProgress // every indicator, year by year (charts.go)
	AsOf       *asOfView       // when ?as_of= shows the past
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
	var ok bool
	page := homePage{Featured: featured, Countries: len(vigie.Countries())}
	if page.Map, page.AsOf, ok = s.homeExplore(w, r, inds); !ok {
		return
	}
	when, _ := s.readAsOf(w, r) // read, and answered if wrong, by homeExplore
	if page.Progress, err = s.globalProgress(ctx, inds, when); err != nil {
		s.serverError(w, r, err)
		return
	}
	if page.Indicators, err = s.homeIndicators(r); err != nil {
		s.serverError(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "home", layout{Page: page})
}

// homeIndicator is an indicator on the home page, in the reader's
// language: its name and the first sentence of its rationale.
type homeIndicator struct {
	Key           string
	Name, Summary localText
}

func (s *Server) homeIndicators(r *http.Request) ([]homeIndicator, error) {
	ctx := r.Context()
	inds, err := s.source.Indicators(ctx)
	if err != nil {
		return nil, err
	}
	tr, err := s.translator(ctx, langOf(ctx), map[string][]string{vigie.KindIndicator: nil})
	if err != nil {
		return nil, err
	}
	var out []homeIndicator
	for _, ind := range inds {
		rationale := tr.text(vigie.KindIndicator, ind.Key, "rationale", ind.Rationale)
		rationale.Text = firstSentence(rationale.Text)
		out = append(out, homeIndicator{Key: ind.Key, Name: tr.text(vigie.KindIndicator, ind.Key, "name", ind.Name), Summary: rationale})
	}
	return out, nil
}
