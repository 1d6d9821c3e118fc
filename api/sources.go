package api

import (
	"cmp"
	"fmt"
	"maps"
	"net/http"
	"slices"

	vigie "github.com/vigie-network/vigie"
)

// sourceJSON is a law or publication that published assessments cite,
// with where it is cited.
type sourceJSON struct {
	ID         int64           `json:"id"`
	Kind       string          `json:"kind"` // "law" or "publication"
	Title      string          `json:"title"`
	Identifier string          `json:"identifier"`
	Publisher  string          `json:"publisher"`
	Year       *int            `json:"year"`
	StatusAsOf *int            `json:"status_as_of"` // laws: the year of the consolidated text consulted
	Link       string          `json:"link"`
	CitedBy    []sourceUseJSON `json:"cited_by"`
}

type sourceUseJSON struct {
	Country   string `json:"country"`
	Indicator string `json:"indicator"`
	Articles  string `json:"articles"`
}

// GET /api/v1/sources?kind=&country=: the laws and publications that
// published assessments cite, by id. Sources cited only by drafts stay
// private until a reviewer publishes them.
func (s *Server) handleSources(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	if !s.checkParams(w, r, append(pagingParams, "kind", "country")...) {
		return
	}
	p, err := parsePage(r, "sources")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	kinds := listParam(r, "kind")
	for _, k := range kinds {
		if k != string(vigie.SourceLaw) && k != string(vigie.SourcePublication) {
			s.fail(w, r, vigie.FieldError("kind", "must be law or publication, not %q", k))
			return
		}
	}
	countries, err := countryParam(r, "country")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if s.datasetValidators(w, r, false) {
		return
	}
	published, err := s.store.Assessments(ctx, vigie.AssessmentFilter{})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	uses := map[int64][]sourceUseJSON{}
	for _, a := range published {
		if len(countries) > 0 && !slices.Contains(countries, a.Country) {
			continue
		}
		for _, ct := range a.Citations {
			uses[ct.Source.ID] = append(uses[ct.Source.ID], sourceUseJSON{Country: a.Country, Indicator: a.Indicator, Articles: ct.Articles})
		}
	}
	// Only the cited sources are read: the library keeps every source ever
	// cited, and grows with the history.
	sources, err := s.store.SourcesByID(ctx, slices.Collect(maps.Keys(uses)))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var list []sourceJSON
	for _, src := range sources {
		if uses[src.ID] == nil || (len(kinds) > 0 && !slices.Contains(kinds, string(src.Kind))) {
			continue
		}
		list = append(list, sourceJSON{ID: src.ID, Kind: string(src.Kind), Title: src.Title, Identifier: src.Identifier,
			Publisher: src.Publisher, Year: intJSON(src.Year), StatusAsOf: intJSON(src.StatusAsOf), Link: src.Link, CitedBy: uses[src.ID]})
	}
	slices.SortFunc(list, func(a, b sourceJSON) int { return cmp.Compare(a.ID, b.ID) })
	s.writeJSON(w, r, http.StatusOK, cut(w, r, p, list, func(i int) string { return fmt.Sprintf("%020d", list[i].ID) }))
}
