package web

import (
	"net/http"

	vigie "github.com/vigie-network/vigie"
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

func newDirectoryOrg(o vigie.Organisation) directoryOrg {
	d := directoryOrg{orgView: newOrgView(o), Slug: o.Slug}
	if c, ok := vigie.CountryByISO2(o.Country); ok {
		d.Country = countryLink{Slug: c.Slug, Name: c.Name("en")}
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
	page.Form = filterForm{Action: "/organisations", Selects: []filterSelect{
		countrySelect(present, country), regionSelect(present, region)}}
	if err != nil {
		page.Problem = filterProblem(err)
		s.render(w, r, http.StatusBadRequest, "organisations", layout{Title: "Member organisations", Nav: "organisations", Page: page})
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
		byCountry[o.Country] = append(byCountry[o.Country], newDirectoryOrg(o))
		page.Count++
	}
	page.Regions = groupDirectory(byCountry)
	page.Filtered = country.ISO2 != "" || region.Code != ""
	title := "Member organisations"
	if page.Filtered {
		page.Filters = country.Name("en")
		if region.Code != "" {
			if page.Filters != "" {
				page.Filters += ", "
			}
			page.Filters += region.Names.EN
		}
		title += ": " + page.Filters
	}
	s.render(w, r, http.StatusOK, "organisations", layout{Title: title, Nav: "organisations", Page: page})
}

// groupDirectory puts countries under their region, in the order of
// vigie.Regions and then by English name; countries without a region come
// last, under "Other territories".
func groupDirectory(byCountry map[string][]directoryOrg) []directoryRegion {
	var out []directoryRegion
	at := map[string]int{}
	for _, r := range vigie.Regions() {
		at[r.Code] = len(out)
		out = append(out, directoryRegion{Code: r.Code, Name: r.Names.EN})
	}
	at[""] = len(out)
	out = append(out, directoryRegion{Code: otherRegion, Name: "Other territories"})
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
			countryLink: countryLink{Slug: c.Slug, Name: c.Name("en")}, Organisations: orgs})
	}
	kept := out[:0]
	for _, g := range out {
		if len(g.Countries) > 0 {
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
	o, err := s.store.Organisation(r.Context(), r.PathValue("slug"))
	if vigie.IsNotFound(err) {
		s.notFoundMessage(w, r, "There is no member organisation at this address. The directory lists every one.")
		return
	}
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	page := directoryEntryPage{newDirectoryOrg(o)}
	s.render(w, r, http.StatusOK, "organisation", layout{Title: page.Name, Nav: "organisations", Page: page})
}
