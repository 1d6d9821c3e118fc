package web

import (
	"net/http"

	vigie "github.com/vigie-network/vigie"
)

// The "needs a look" list: citations that an import read from a source
// line admitting more than one reading. Each links to its assessment's
// form; saving the assessment there clears its marks (the domain does it
// in Service.SaveDraft).

func init() {
	pageModels["edit_needs_look"] = needsLookPage{}
}

type needsLookPage struct {
	editorChrome
	Assessments []needsLookAssessment
	Total       int
}

// needsLookAssessment is one assessment with its marked citations.
type needsLookAssessment struct {
	Country   countryLink
	Indicator indicatorSummary
	Flags     []needsLookFlag
}

type needsLookFlag struct {
	Title  string
	Year   int
	Note   string
	Origin string
	At     dateTimeView
}

func (s *Server) needsLookRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /edit/needs-look", s.handleNeedsLook)
}

func (s *Server) handleNeedsLook(w http.ResponseWriter, r *http.Request) {
	u, ok := s.allowed(w, r, vigie.ActViewDrafts, "")
	if !ok {
		return
	}
	ctx := r.Context()
	flags, err := s.store.CitationFlags(ctx, vigie.CitationFlagFilter{})
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	inds, err := s.store.Indicators(ctx)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	names := map[string]string{}
	for _, ind := range inds {
		names[ind.Key] = ind.Name
	}
	lang := langOf(ctx)
	page := needsLookPage{editorChrome: chrome(u), Total: len(flags)}
	// The store lists flags by country, then indicator: one group per run.
	last := ""
	for _, f := range flags {
		if key := f.Country + "/" + f.Indicator; key != last {
			last = key
			name := names[f.Indicator]
			if name == "" {
				name = f.Indicator
			}
			c, _ := vigie.CountryByISO2(f.Country)
			page.Assessments = append(page.Assessments, needsLookAssessment{
				Country:   countryLink{Slug: c.Slug, Name: flagCountryName(f.Country, lang)},
				Indicator: indicatorSummary{Key: f.Indicator, Name: name}})
		}
		a := &page.Assessments[len(page.Assessments)-1]
		a.Flags = append(a.Flags, needsLookFlag{Title: f.Title, Year: f.Year, Note: f.Note, Origin: f.Origin,
			At: adminMoment(lang, f.CreatedAt)})
	}
	s.render(w, r, http.StatusOK, "edit_needs_look", layout{Title: tr(r, "needslook.title"), Page: page})
}

// flagCountryName is the country's name in lang, or its code when unknown.
func flagCountryName(iso2, lang string) string {
	if c, ok := vigie.CountryByISO2(iso2); ok {
		return c.Name(lang)
	}
	return iso2
}
