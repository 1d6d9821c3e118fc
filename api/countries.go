package api

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"sync"

	vigie "github.com/vigie-network/vigie"
)

type regionJSON struct {
	Code  string    `json:"code"` // UN M49
	Names namesJSON `json:"names"`
}

type countryJSON struct {
	ISO2      string      `json:"iso2"`
	ISO3      string      `json:"iso3"`
	Numeric   string      `json:"numeric"`
	Slug      string      `json:"slug"`
	Names     namesJSON   `json:"names"`
	Region    *regionJSON `json:"region"`
	SubRegion *regionJSON `json:"sub_region"`
	Counts    countsJSON  `json:"counts"`
}

// countsJSON sums up a profile. Assessed counts the indicators whose
// published rating is an assessed one (not "not-yet-assessed").
type countsJSON struct {
	Indicators    int `json:"indicators"`
	Assessed      int `json:"assessed"`
	Organisations int `json:"organisations"`
	Publications  int `json:"publications"`
	News          int `json:"news"`
}

type countryDetailJSON struct {
	countryJSON
	Organisations []organisationJSON `json:"organisations"`
	Publications  []publicationJSON  `json:"publications"`
	Assessments   []assessmentJSON   `json:"assessments"` // every indicator, in the framework's order
}

type organisationJSON struct {
	Slug        string        `json:"slug"`
	Name        string        `json:"name"`
	Acronym     string        `json:"acronym"`
	Description string        `json:"description"`
	Founded     *string       `json:"founded"`
	OfficeCity  string        `json:"office_city"`
	Regions     []string      `json:"regions"`
	AreasOfWork []string      `json:"areas_of_work"`
	Website     string        `json:"website"`
	Contacts    []contactJSON `json:"contacts"`
}

type contactJSON struct {
	Name    string `json:"name"`
	Title   string `json:"title"`
	Phone   string `json:"phone"` // E.164
	Email   string `json:"email"`
	Address string `json:"address"`
}

func region(r vigie.Region) *regionJSON {
	if r.Code == "" {
		return nil
	}
	return &regionJSON{Code: r.Code, Names: names(r.Names)}
}

func country(c vigie.Country, counts countsJSON) countryJSON {
	return countryJSON{ISO2: c.ISO2, ISO3: c.ISO3, Numeric: c.Numeric, Slug: c.Slug, Names: names(c.Names),
		Region: region(c.Region), SubRegion: region(c.SubRegion), Counts: counts}
}

func organisation(o vigie.Organisation) organisationJSON {
	out := organisationJSON{Slug: o.Slug, Name: o.Name, Acronym: o.Acronym, Description: o.Description,
		Founded: asOfJSON(o.Founded), OfficeCity: o.OfficeCity, Regions: strings0(o.Regions),
		AreasOfWork: strings0(o.AreasOfWork), Website: o.Website, Contacts: []contactJSON{}}
	for _, c := range o.Contacts {
		out.Contacts = append(out.Contacts, contactJSON{Name: c.Name, Title: c.Title, Phone: c.Phone, Email: c.Email, Address: c.Address})
	}
	return out
}

// GET /api/v1/countries?region=: all 249 ISO 3166-1 countries, by alpha-2 code.
func (s *Server) handleCountries(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	if !s.checkParams(w, r, append(pagingParams, "region")...) {
		return
	}
	pr, err := parsePage(r, "countries")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	inRegion, err := regionParam(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if s.datasetValidators(w, r, false) {
		return
	}
	p, err := s.profiles(ctx, "")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	counts := p.counts()
	var list []countryJSON
	for _, c := range sortedCountries() {
		if inRegion(c) {
			list = append(list, country(c, counts[c.ISO2]))
		}
	}
	s.writeJSON(w, r, http.StatusOK, cut(w, r, pr, list, func(i int) string { return list[i].ISO2 }))
}

// GET /api/v1/countries/{country}: a profile with its organisations and
// contacts, publications and every indicator's published assessment.
func (s *Server) handleCountry(w http.ResponseWriter, r *http.Request) {
	if !s.checkParams(w, r) {
		return
	}
	c, err := pathCountry(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if s.datasetValidators(w, r, false) {
		return
	}
	p, err := s.profiles(r.Context(), c.ISO2)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	out := countryDetailJSON{countryJSON: country(c, p.counts()[c.ISO2]), Organisations: []organisationJSON{},
		Publications: []publicationJSON{}, Assessments: assessments(buildGrid(p.indicators, p.published, assessmentQuery{countries: []string{c.ISO2}}))}
	for _, o := range p.organisations {
		out.Organisations = append(out.Organisations, organisation(o))
	}
	for _, pub := range p.publications {
		out.Publications = append(out.Publications, publication(pub))
	}
	if err := s.translateExplanations(r.Context(), out.Assessments); err != nil {
		s.fail(w, r, err)
		return
	}
	s.writeJSON(w, r, http.StatusOK, out)
}

// profileData is what the country documents are made of, for every
// country or for one, each read once.
type profileData struct {
	indicators    []vigie.Indicator
	assessed      map[string]bool // rating key → counts as assessed
	published     []vigie.Assessment
	organisations []vigie.Organisation
	publications  []vigie.Publication
	news          []vigie.NewsItem
}

func (s *Server) profiles(ctx context.Context, iso2 string) (p profileData, err error) {
	if p.indicators, err = s.store.Indicators(ctx); err != nil {
		return p, err
	}
	if p.assessed, err = s.assessedRatings(ctx); err != nil {
		return p, err
	}
	// The list of every country only counts ratings.
	if p.published, err = s.store.Assessments(ctx, vigie.AssessmentFilter{Country: iso2, RatingsOnly: iso2 == ""}); err != nil {
		return p, err
	}
	if p.organisations, err = s.store.Organisations(ctx, vigie.OrganisationFilter{Country: iso2}); err != nil {
		return p, err
	}
	if p.publications, err = s.store.Publications(ctx, vigie.PublicationFilter{Country: iso2}); err != nil {
		return p, err
	}
	p.news, err = s.store.NewsItems(ctx, vigie.NewsFilter{Country: iso2})
	return p, err
}

// counts sums up each country's profile.
func (p profileData) counts() map[string]countsJSON {
	counts := make(map[string]countsJSON, 249)
	add := func(c string, f func(*countsJSON)) {
		n := counts[c]
		f(&n)
		counts[c] = n
	}
	for _, a := range p.published {
		if p.assessed[a.Rating] {
			add(a.Country, func(n *countsJSON) { n.Assessed++ })
		}
	}
	for _, o := range p.organisations {
		add(o.Country, func(n *countsJSON) { n.Organisations++ })
	}
	for _, pub := range p.publications {
		for _, c := range pub.Countries {
			add(c, func(n *countsJSON) { n.Publications++ })
		}
	}
	for _, item := range p.news {
		for _, c := range item.Countries {
			add(c, func(n *countsJSON) { n.News++ })
		}
	}
	for _, c := range sortedCountries() {
		add(c.ISO2, func(n *countsJSON) { n.Indicators = len(p.indicators) })
	}
	return counts
}

func (s *Server) assessedRatings(ctx context.Context) (map[string]bool, error) {
	ratings, err := s.store.Ratings(ctx)
	if err != nil {
		return nil, err
	}
	out := map[string]bool{}
	for _, r := range ratings {
		out[r.Key] = r.Assessed
	}
	return out, nil
}

// regionParam reads ?region=, a UN M49 code ("002", "011") or the slug of
// an English region name ("africa", "western-africa"), and returns a test
// for countries in that region or sub-region.
func regionParam(r *http.Request) (func(vigie.Country) bool, error) {
	v := r.URL.Query().Get("region")
	if v == "" {
		return func(vigie.Country) bool { return true }, nil
	}
	for _, reg := range vigie.Regions() {
		for _, area := range append([]vigie.Region{reg}, vigie.SubRegions(reg.Code)...) {
			if v == area.Code || vigie.Slugify(v) == vigie.Slugify(area.Names.EN) {
				code := area.Code
				return func(c vigie.Country) bool { return c.Region.Code == code || c.SubRegion.Code == code }, nil
			}
		}
	}
	return nil, vigie.FieldError("region", "unknown region %q: use a UN M49 code such as 002 or a name such as africa or western-africa", v)
}

// sortedCountries lists the countries by alpha-2 code, the order of every
// list keyed by country.
var sortedCountries = sync.OnceValue(func() []vigie.Country {
	list := vigie.Countries()
	slices.SortFunc(list, func(a, b vigie.Country) int { return strings.Compare(a.ISO2, b.ISO2) })
	return list
})
