package web

import (
	"cmp"
	"net/http"
	"slices"
	"strconv"
	"time"

	vigie "github.com/vigie-network/vigie"
	"github.com/vigie-network/vigie/web/i18n"
)

// stalePage is the researchers' list of published assessments whose
// sources are old: the newest text an assessment cites (the year of the
// consolidated version consulted, or else the year of the law or report)
// is at least Years years old. Oldest first: they most need a look.
type stalePage struct {
	editorChrome
	Years      int
	Year       int // the current year, the ages count from it
	Rows       []staleRow
	Undated    []staleRow // every source of these has no year
	Assessed   int        // published, assessed assessments looked at
	YearsValue string
	// Edition is the newest edition, if any; Unchanged lists the assessed
	// assessments last published before it, oldest first: nobody has
	// revisited them since that snapshot.
	Edition   *vigie.Edition
	Unchanged []staleRow
}

type staleRow struct {
	Country, Indicator string
	Link, Edit         string
	Rating             ratingView
	Source             string // the newest source, as cited
	SourceYear, Age    int
	Updated            string // when the published revision became public

	position int
	updated  time.Time
}

// staleYearsDefault is the age from which a source counts as old, unless
// ?years= says otherwise.
const staleYearsDefault = 5

// handleStale serves /edit/stale?years=5, for researchers and reviewers.
func (s *Server) handleStale(w http.ResponseWriter, r *http.Request) {
	u, ok := s.allowed(w, r, vigie.ActViewDrafts, "")
	if !ok {
		return
	}
	years := staleYearsDefault
	if v := trimParam(r, "years"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 || n > 200 {
			s.badParam(w, r, "years", "%s", tr(r, "oldsources.bad_years", "Value", v))
			return
		}
		years = n
	}
	ctx := r.Context()
	inds, ratings, err := s.framework(ctx)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	all, err := s.store.Assessments(ctx, vigie.AssessmentFilter{})
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	editions, err := s.store.Editions(ctx)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	lang := langOf(ctx)
	byKey := indicatorsByKey(inds)
	sc := newScale(ratings)
	page := stalePage{editorChrome: chrome(u), Years: years, Year: today().Year(), YearsValue: strconv.Itoa(years)}
	if len(editions) > 0 {
		page.Edition = &editions[0] // newest first
	}
	for _, a := range all {
		c, ok := vigie.CountryByISO2(a.Country)
		ind, known := byKey[a.Indicator]
		if !ok || !known || !sc.assessed(a) || len(a.Citations) == 0 {
			continue
		}
		page.Assessed++
		row := staleRow{Country: c.Name(lang), Indicator: ind.Name, Rating: sc.view(a.Rating),
			Link: "/countries/" + c.Slug + "#" + ind.Key, Edit: "/edit/countries/" + c.Slug + "/" + ind.Key,
			position: ind.Position, Source: citedAs(lang, a.Citations[0].Source)}
		for _, ct := range a.Citations {
			year := cmp.Or(ct.Source.StatusAsOf, ct.Source.Year)
			if year > row.SourceYear {
				row.SourceYear, row.Source = year, citedAs(lang, ct.Source)
			}
		}
		if page.Edition != nil && a.UpdatedAt.Before(page.Edition.PublishedAt) {
			unchanged := row
			unchanged.updated, unchanged.Updated = a.UpdatedAt, a.UpdatedAt.UTC().Format(time.DateOnly)
			page.Unchanged = append(page.Unchanged, unchanged)
		}
		switch {
		case row.SourceYear == 0:
			page.Undated = append(page.Undated, row)
		case page.Year-row.SourceYear >= years:
			row.Age = page.Year - row.SourceYear
			page.Rows = append(page.Rows, row)
		}
	}
	byAge := func(a, b staleRow) int {
		return cmp.Or(cmp.Compare(b.Age, a.Age), compareNames(lang, a.Country, b.Country),
			cmp.Compare(a.position, b.position))
	}
	slices.SortFunc(page.Rows, byAge)
	slices.SortFunc(page.Undated, byAge)
	slices.SortFunc(page.Unchanged, func(a, b staleRow) int {
		return cmp.Or(a.updated.Compare(b.updated), byAge(a, b))
	})
	s.render(w, r, http.StatusOK, "stale", layout{Title: tr(r, "oldsources.crumb"), Page: page})
}

// citedAs names a source as a researcher recognises it: "Penal Code of
// Mali, 2001 (status as of 2016)", in lang.
func citedAs(lang string, src vigie.Source) string {
	s := src.Title
	if src.Year != 0 {
		s += ", " + strconv.Itoa(src.Year)
	}
	if src.StatusAsOf != 0 {
		s += " (" + i18n.Default().T(lang, "citation.status_as_of", "Year", strconv.Itoa(src.StatusAsOf)) + ")"
	}
	return s
}
