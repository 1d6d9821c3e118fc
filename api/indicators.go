package api

import (
	"fmt"
	"net/http"

	vigie "github.com/vigie-network/vigie"
)

type indicatorJSON struct {
	Key       string  `json:"key"`
	Name      string  `json:"name"`
	Rationale string  `json:"rationale"`
	ValueKind *string `json:"value_kind"` // "years", or null when the indicator carries no value
	Position  int     `json:"position"`
}

type ratingJSON struct {
	Key      string `json:"key"`
	Label    string `json:"label"`
	Meaning  string `json:"meaning"`
	Assessed bool   `json:"assessed"` // false only for "not-yet-assessed"
	Position int    `json:"position"`
}

// indicatorPage is a page of the framework with the whole rating scale,
// which every indicator shares.
type indicatorPage struct {
	page[indicatorJSON]
	Ratings []ratingJSON `json:"ratings"`
}

// GET /api/v1/indicators: the framework in its order, and the rating scale.
func (s *Server) handleIndicators(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	if !s.checkParams(w, r, pagingParams...) {
		return
	}
	p, err := parsePage(r, "indicators")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if s.datasetValidators(w, r, false) {
		return
	}
	inds, err := s.store.Indicators(ctx)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	ratings, err := s.store.Ratings(ctx)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	pg := cut(w, r, p, inds, func(i int) string { return fmt.Sprintf("%08d/%s", inds[i].Position, inds[i].Key) })
	out := indicatorPage{page: page[indicatorJSON]{Items: []indicatorJSON{}, Next: pg.Next}, Ratings: []ratingJSON{}}
	for _, ind := range pg.Items {
		var kind *string
		if ind.ValueKind != vigie.ValueNone {
			k := string(ind.ValueKind)
			kind = &k
		}
		out.Items = append(out.Items, indicatorJSON{Key: ind.Key, Name: ind.Name, Rationale: ind.Rationale, ValueKind: kind, Position: ind.Position})
	}
	for _, rt := range ratings {
		out.Ratings = append(out.Ratings, ratingJSON{Key: rt.Key, Label: rt.Label, Meaning: rt.Meaning, Assessed: rt.Assessed, Position: rt.Position})
	}
	s.writeJSON(w, r, http.StatusOK, out)
}
