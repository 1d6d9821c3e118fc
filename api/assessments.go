package api

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"time"

	vigie "github.com/vigie-network/vigie"
)

// assessmentJSON is one assessment as GET returns it and PUT takes it
// back. country_names, revision and updated_at are read-only.
type assessmentJSON struct {
	Country      string         `json:"country"`
	CountryNames namesJSON      `json:"country_names"`
	Indicator    string         `json:"indicator"`
	Rating       string         `json:"rating"`
	Value        *int           `json:"value"`
	Explanation  string         `json:"explanation"` // Markdown as written: sanitise before showing it as HTML
	AsOf         *string        `json:"as_of"`
	Sources      []citationJSON `json:"sources"`
	Revision     int            `json:"revision"` // 0: never assessed
	UpdatedAt    *string        `json:"updated_at"`
	// Translations are the explanation in French and Spanish where an
	// editor's translation of this very text exists (read-only).
	Translations map[string]string `json:"explanation_translations,omitempty"`
}

// citationJSON is a source as one assessment cites it: the source's
// fields, flat, and the articles cited. source_id is read-only; a PUT
// matches sources by kind, title, year and status_as_of.
type citationJSON struct {
	SourceID   int64  `json:"source_id"`
	Kind       string `json:"kind"`
	Title      string `json:"title"`
	Identifier string `json:"identifier"`
	Publisher  string `json:"publisher"`
	Year       *int   `json:"year"`
	StatusAsOf *int   `json:"status_as_of"`
	Link       string `json:"link"`
	Articles   string `json:"articles"`
}

func assessment(a vigie.Assessment) assessmentJSON {
	c, _ := vigie.CountryByISO2(a.Country)
	out := assessmentJSON{Country: a.Country, CountryNames: names(c.Names), Indicator: a.Indicator, Rating: a.Rating,
		Value: a.Value, Explanation: a.Explanation, AsOf: asOfJSON(a.AsOf), Sources: []citationJSON{},
		Revision: a.Revision, UpdatedAt: timeJSON(a.UpdatedAt)}
	for _, ct := range a.Citations {
		src := ct.Source
		out.Sources = append(out.Sources, citationJSON{SourceID: src.ID, Kind: string(src.Kind), Title: src.Title,
			Identifier: src.Identifier, Publisher: src.Publisher, Year: intJSON(src.Year), StatusAsOf: intJSON(src.StatusAsOf),
			Link: src.Link, Articles: ct.Articles})
	}
	return out
}

// assessmentQuery selects cells of the country × indicator grid; empty
// lists select everything.
type assessmentQuery struct {
	countries, indicators, ratings []string
	inRegion                       func(vigie.Country) bool
	at                             time.Time // zero: now; else the published state at that instant
}

// cell is one country × indicator with its published assessment, or the
// "not yet assessed" default where nothing was published.
type cell struct {
	a        vigie.Assessment
	position int // the indicator's place in the framework
}

func (c cell) key() string { return fmt.Sprintf("%s/%08d/%s", c.a.Country, c.position, c.a.Indicator) }

// grid lists the cells q selects, by country code and then in the
// framework's order: every country has every indicator, assessed or not,
// so that "?indicator=…" answers for the whole world.
func (s *Server) grid(ctx context.Context, q assessmentQuery) ([]cell, error) {
	inds, err := s.store.Indicators(ctx)
	if err != nil {
		return nil, err
	}
	var f vigie.AssessmentFilter
	if len(q.countries) == 1 {
		f.Country = q.countries[0]
	}
	if len(q.indicators) == 1 {
		f.Indicator = q.indicators[0]
	}
	var published []vigie.Assessment
	if q.at.IsZero() {
		published, err = s.store.Assessments(ctx, f)
	} else {
		published, err = s.store.AssessmentsAsOf(ctx, q.at, f)
	}
	if err != nil {
		return nil, err
	}
	return buildGrid(inds, published, q), nil
}

// buildGrid fills the cells q selects from the published assessments.
func buildGrid(inds []vigie.Indicator, published []vigie.Assessment, q assessmentQuery) []cell {
	type pair struct{ country, indicator string }
	byPair := make(map[pair]vigie.Assessment, len(published))
	for _, a := range published {
		byPair[pair{a.Country, a.Indicator}] = a
	}
	var out []cell
	for _, c := range sortedCountries() {
		if (len(q.countries) > 0 && !slices.Contains(q.countries, c.ISO2)) || (q.inRegion != nil && !q.inRegion(c)) {
			continue
		}
		for _, ind := range inds {
			if len(q.indicators) > 0 && !slices.Contains(q.indicators, ind.Key) {
				continue
			}
			a, ok := byPair[pair{c.ISO2, ind.Key}]
			if !ok {
				a = vigie.Unassessed(c.ISO2, ind.Key)
			}
			if len(q.ratings) > 0 && !slices.Contains(q.ratings, a.Rating) {
				continue
			}
			out = append(out, cell{a: a, position: ind.Position})
		}
	}
	return out
}

// translateExplanations adds to each assessment the translations of its
// explanation that are current: made from the English text it shows.
func (s *Server) translateExplanations(ctx context.Context, list []assessmentJSON) error {
	keys := make([]string, 0, len(list))
	for _, a := range list {
		if a.Explanation != "" {
			keys = append(keys, vigie.AssessmentKey(a.Country, a.Indicator))
		}
	}
	if len(keys) == 0 {
		return nil
	}
	trs, err := s.store.Translations(ctx, vigie.TranslationFilter{Kind: vigie.KindAssessment, Keys: keys})
	if err != nil {
		return err
	}
	set := vigie.NewTranslationSet(trs)
	for i, a := range list {
		byLang := currentTranslations(set, vigie.KindAssessment, vigie.AssessmentKey(a.Country, a.Indicator),
			map[string]string{"explanation": a.Explanation})
		for lang, fields := range byLang {
			if list[i].Translations == nil {
				list[i].Translations = map[string]string{}
			}
			list[i].Translations[lang] = fields["explanation"]
		}
	}
	return nil
}

func assessments(cells []cell) []assessmentJSON {
	out := make([]assessmentJSON, len(cells))
	for i, c := range cells {
		out[i] = assessment(c.a)
	}
	return out
}

// GET /api/v1/assessments?country=&indicator=&rating=&region=&as_of=
// With as_of, the assessments as the public saw them at the end of that
// year, month or day (UTC).
func (s *Server) handleAssessments(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	if !s.checkParams(w, r, append(pagingParams, "country", "indicator", "rating", "region", "as_of")...) {
		return
	}
	p, err := parsePage(r, "assessments")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	q, err := s.assessmentQuery(ctx, r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if s.datasetValidators(w, r, false) {
		return
	}
	cells, err := s.grid(ctx, q)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	pg := cut(w, r, p, cells, func(i int) string { return cells[i].key() })
	items := assessments(pg.Items)
	if err := s.translateExplanations(ctx, items); err != nil {
		s.fail(w, r, err)
		return
	}
	s.writeJSON(w, r, http.StatusOK, page[assessmentJSON]{Items: items, Next: pg.Next})
}

// assessmentQuery reads and checks the list's filters.
func (s *Server) assessmentQuery(ctx context.Context, r *http.Request) (assessmentQuery, error) {
	var q assessmentQuery
	var err error
	if q.countries, err = countryParam(r, "country"); err != nil {
		return q, err
	}
	if q.inRegion, err = regionParam(r); err != nil {
		return q, err
	}
	if v := r.URL.Query().Get("as_of"); v != "" {
		asOf, err := vigie.ParseAsOf(v)
		if err != nil {
			return q, err
		}
		q.at = endOf(asOf)
	}
	inds, err := s.store.Indicators(ctx)
	if err != nil {
		return q, err
	}
	for _, v := range listParam(r, "indicator") {
		if !slices.ContainsFunc(inds, func(ind vigie.Indicator) bool { return ind.Key == v }) {
			return q, vigie.FieldError("indicator", "unknown indicator %q; GET %s/indicators lists them", v, Prefix)
		}
		q.indicators = append(q.indicators, v)
	}
	ratings, err := s.store.Ratings(ctx)
	if err != nil {
		return q, err
	}
	for _, v := range listParam(r, "rating") {
		if !slices.ContainsFunc(ratings, func(rt vigie.Rating) bool { return rt.Key == v }) {
			return q, vigie.FieldError("rating", "unknown rating %q; GET %s/indicators lists the scale", v, Prefix)
		}
		q.ratings = append(q.ratings, v)
	}
	return q, nil
}

// GET /api/v1/assessments/{country}/{indicator}: the published assessment.
// Read with an editor's token, its ETag is what a PUT's If-Match carries.
func (s *Server) handleAssessment(w http.ResponseWriter, r *http.Request) {
	if !s.checkParams(w, r) {
		return
	}
	t, err := s.target(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if s.assessmentValidators(w, r, t) {
		return
	}
	s.writeJSON(w, r, http.StatusOK, assessment(t.published))
}

// target is the assessment a request's path names, as it stands.
type target struct {
	country   vigie.Country
	indicator vigie.Indicator
	published vigie.Assessment
	latest    int // the newest revision in any state: the base of the next edit
}

func (t target) etag() string { return assessmentTag(t.latest, t.published.Revision) }

func (s *Server) target(r *http.Request) (target, error) {
	ctx := r.Context()
	var t target
	var err error
	if t.country, t.indicator, err = s.pathAssessment(r); err != nil {
		return t, err
	}
	// The newest revision first: a save landing between the two reads
	// leaves the tag stale (a PUT with it gets 412), never ahead of the
	// content.
	latest, err := s.store.LatestRevision(ctx, t.country.ISO2, t.indicator.Key)
	if err != nil {
		return t, err
	}
	t.latest = latest.Number
	t.published, err = s.store.Assessment(ctx, t.country.ISO2, t.indicator.Key)
	return t, err
}

// endOf is the last instant of the period an as-of date names: "2012" is
// the end of 2012, "2012-05" the end of May, as an export's --as-of day is
// the end of that day.
func endOf(a vigie.AsOf) time.Time {
	var next time.Time
	switch a.Precision() {
	case "year":
		next = time.Date(a.Year+1, 1, 1, 0, 0, 0, 0, time.UTC)
	case "month":
		next = time.Date(a.Year, time.Month(a.Month)+1, 1, 0, 0, 0, 0, time.UTC)
	default:
		next = time.Date(a.Year, time.Month(a.Month), a.Day+1, 0, 0, 0, 0, time.UTC)
	}
	return next.Add(-time.Nanosecond)
}
