package api

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	vigie "github.com/vigie-network/vigie"
)

// publicationJSON is a report of the network's library.
type publicationJSON struct {
	Slug       string   `json:"slug"`
	Title      string   `json:"title"`
	Type       string   `json:"type"`      // "country-monitoring-report", "legal-checklist"…
	TypeName   string   `json:"type_name"` // "Country monitoring report"
	Year       *int     `json:"year"`
	Publishers []string `json:"publishers"`
	Countries  []string `json:"countries"`
	Link       string   `json:"link"`
	Language   string   `json:"language"` // BCP 47
}

func publication(p vigie.Publication) publicationJSON {
	return publicationJSON{Slug: p.Slug, Title: p.Title, Type: p.Type, TypeName: vigie.PublicationTypeNames[p.Type],
		Year: intJSON(p.Year), Publishers: strings0(p.Publishers), Countries: strings0(p.Countries), Link: p.Link, Language: p.Language}
}

// publicationKey sorts newest first, then by title and ID: the store's
// order (vigie.PublicationKey), which parsePublicationKey reads back.
func publicationKey(p vigie.Publication) string {
	return fmt.Sprintf("%04d\x00%s\x00%020d", 9999-p.Year, p.Title, p.ID)
}

func parsePublicationKey(k string) (vigie.PublicationKey, bool) {
	year, rest, ok := strings.Cut(k, "\x00")
	i := strings.LastIndexByte(rest, 0)
	if !ok || i < 0 {
		return vigie.PublicationKey{}, false
	}
	y, yerr := strconv.Atoi(year)
	id, ierr := strconv.ParseInt(rest[i+1:], 10, 64)
	// The title goes to the store as text: no NUL, valid UTF-8.
	if yerr != nil || ierr != nil || id <= 0 || len(year) != 4 ||
		strings.IndexByte(rest[:i], 0) >= 0 || !utf8.ValidString(rest[:i]) {
		return vigie.PublicationKey{}, false
	}
	return vigie.PublicationKey{Year: 9999 - y, Title: rest[:i], ID: id}, true
}

// GET /api/v1/publications?country=&type=&year=
func (s *Server) handlePublications(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	if !s.checkParams(w, r, append(pagingParams, "country", "type", "year")...) {
		return
	}
	p, err := parsePage(r, "publications")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	countries, err := countryParam(r, "country")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	types := listParam(r, "type")
	for _, t := range types {
		if _, ok := vigie.PublicationTypeNames[t]; !ok {
			s.fail(w, r, vigie.FieldError("type", "unknown publication type %q", t))
			return
		}
	}
	var years []int
	for _, v := range listParam(r, "year") {
		y, err := strconv.Atoi(v)
		if err != nil {
			s.fail(w, r, vigie.FieldError("year", "%q is not a year", v))
			return
		}
		years = append(years, y)
	}
	if s.datasetValidators(w, r, false) {
		return
	}
	var f vigie.PublicationFilter
	if len(countries) == 1 {
		f.Country = countries[0]
	}
	if len(types) <= 1 && len(years) <= 1 && len(countries) <= 1 {
		// One value per filter: the store reads the page (and one more)
		// after the cursor.
		if len(types) == 1 {
			f.Type = types[0]
		}
		if len(years) == 1 {
			f.Year = years[0]
		}
		f.Limit = p.limit + 1
		if p.after != "" {
			k, ok := parsePublicationKey(p.after)
			if !ok {
				s.fail(w, r, vigie.FieldError("cursor", "is not a cursor this API gave out; start again without it"))
				return
			}
			f.After = k
		}
		pubs, err := s.store.Publications(ctx, f)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		pg := pageFrom(w, r, p, pubs, publicationKey)
		out := page[publicationJSON]{Items: []publicationJSON{}, Next: pg.Next}
		for _, pub := range pg.Items {
			out.Items = append(out.Items, publication(pub))
		}
		s.writeJSON(w, r, http.StatusOK, out)
		return
	}
	// Several values of a filter: the matches, merged here.
	pubs, err := s.store.Publications(ctx, f)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	pubs = slices.DeleteFunc(pubs, func(p vigie.Publication) bool {
		return (len(countries) > 0 && !slices.ContainsFunc(p.Countries, func(c string) bool { return slices.Contains(countries, c) })) ||
			(len(types) > 0 && !slices.Contains(types, p.Type)) || (len(years) > 0 && !slices.Contains(years, p.Year))
	})
	slices.SortFunc(pubs, func(a, b vigie.Publication) int { return strings.Compare(publicationKey(a), publicationKey(b)) })
	pg := cut(w, r, p, pubs, func(i int) string { return publicationKey(pubs[i]) })
	out := page[publicationJSON]{Items: []publicationJSON{}, Next: pg.Next}
	for _, pub := range pg.Items {
		out.Items = append(out.Items, publication(pub))
	}
	s.writeJSON(w, r, http.StatusOK, out)
}
