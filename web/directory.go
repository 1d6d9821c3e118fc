package web

import (
	"net/http"
	"slices"

	vigie "github.com/vigie-network/vigie"
	"github.com/vigie-network/vigie/web/i18n"
)

// directoryPage is the member directory: organisations under their
// country, countries under their UN M49 region.
type directoryPage struct {
	Form     filterForm
	Problem  string
	Regions  []directoryRegion
	Count    int  // organisations listed
	Total    int  // organisations in the network
	Filtered bool // a country or region is chosen
	Filters  string
}

type directoryRegion struct {
	Code, Name string
	Countries  []directoryCountry
}

type directoryCountry struct {
	countryLink
	Organisations []directoryOrg
}

// directoryOrg is an organisation with what its own page needs beyond the
// country page's view.
type directoryOrg struct {
	orgView
	Slug    string
	Country countryLink
}

func newDirectoryOrg(trs translator, o vigie.Organisation) directoryOrg {
	d := directoryOrg{orgView: newOrgView(o), Slug: o.Slug}
	d.orgView.translate(trs, o)
	if c, ok := vigie.CountryByISO2(o.Country); ok {
		d.Country = countryLink{Slug: c.Slug, Name: c.Name(trs.lang)}
	}
	return d
}

func (s *Server) handleDirectory(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	all, err := s.store.Organisations(ctx, vigie.OrganisationFilter{})
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	q := r.URL.Query()
	lang := langOf(ctx)
	trs, err := s.translator(ctx, lang, map[string][]string{vigie.KindOrganisation: nil})
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	page := directoryPage{Total: len(all)}
	present := map[string]bool{}
	for _, o := range all {
		present[o.Country] = true
	}
	country, err := countryParam(q, "country")
	var region vigie.Region
	if err == nil {
		region, err = regionParam(q, "region")
	}
	if !s.offline {
		page.Form = filterForm{Action: "/organisations", Selects: []filterSelect{
			countrySelect(lang, present, country), regionSelect(lang, present, region)}}
	}
	if err != nil {
		page.Problem = filterProblemIn(lang, err)
		s.render(w, r, http.StatusBadRequest, "organisations", layout{Title: tr(r, "directory.title"), Nav: "organisations", Page: page})
		return
	}

	// The directory is the whole network, a few hundred organisations at
	// most: it is filtered here rather than in the store.
	inRegion := map[string]bool{}
	for _, code := range vigie.RegionCountries(region.Code) {
		inRegion[code] = true
	}
	byCountry := map[string][]directoryOrg{}
	for _, o := range all {
		if (country.ISO2 != "" && o.Country != country.ISO2) || (region.Code != "" && !inRegion[o.Country]) {
			continue
		}
		byCountry[o.Country] = append(byCountry[o.Country], newDirectoryOrg(trs, o))
		page.Count++
	}
	page.Regions = groupDirectory(lang, byCountry)
	page.Filtered = country.ISO2 != "" || region.Code != ""
	title := tr(r, "directory.title")
	if page.Filtered {
		page.Filters = country.Name(lang)
		if region.Code != "" {
			if page.Filters != "" {
				page.Filters += ", "
			}
			page.Filters += region.Names.In(lang)
		}
		title += ": " + page.Filters
	}
	s.render(w, r, http.StatusOK, "organisations", layout{Title: title, Nav: "organisations", Page: page})
}

// groupDirectory puts countries under their region, in the order of
// vigie.Regions and then by English name; countries without a region come
// last, under "Other territories".
func groupDirectory(lang string, byCountry map[string][]directoryOrg) []directoryRegion {
	var out []directoryRegion
	at := map[string]int{}
	for _, r := range vigie.Regions() {
		at[r.Code] = len(out)
		out = append(out, directoryRegion{Code: r.Code, Name: r.Names.In(lang)})
	}
	at[""] = len(out)
	out = append(out, directoryRegion{Code: otherRegion, Name: i18n.Default().T(lang, "region.other_territories")})
	for _, c := range vigie.Countries() {
		orgs := byCountry[c.ISO2]
		if len(orgs) == 0 {
			continue
		}
		i, ok := at[c.Region.Code]
		if !ok {
			i = at[""]
		}
		out[i].Countries = append(out[i].Countries, directoryCountry{
			countryLink: countryLink{Slug: c.Slug, Name: c.Name(lang)}, Organisations: orgs})
	}
	kept := out[:0]
	for _, g := range out {
		if len(g.Countries) > 0 {
			if lang != "en" {
				slices.SortStableFunc(g.Countries, func(a, b directoryCountry) int { return compareNames(lang, a.Name, b.Name) })
			}
			kept = append(kept, g)
		}
	}
	return kept
}

// directoryEntryPage is one member organisation.
type directoryEntryPage struct {
	directoryOrg
}

func (s *Server) handleDirectoryEntry(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	o, err := s.store.Organisation(ctx, r.PathValue("slug"))
	if vigie.IsNotFound(err) {
		s.notFoundMessage(w, r, tr(r, "error.no_organisation"))
		return
	}
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	trs, err := s.translator(ctx, langOf(ctx), map[string][]string{vigie.KindOrganisation: {o.Slug}})
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	page := directoryEntryPage{newDirectoryOrg(trs, o)}
	s.render(w, r, http.StatusOK, "organisation", layout{Title: page.Name, Nav: "organisations", Page: page})
}
