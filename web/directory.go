package web

import (
	"net/http"
	"slices"
	"sync"

	vigie "github.com/vigie-network/vigie"
	"github.com/vigie-network/vigie/web/i18n"
)

// directoryPage is a page of the member directory: organisations under
// their country, countries under their UN M49 region, in that order, a
// page of vigie.DirectoryPageSize at a time.
type directoryPage struct {
	Form     filterForm
	Problem  string
	Regions  []directoryRegion
	Count    int  // organisations the filter matches
	Total    int  // organisations in the network
	Filtered bool // a country or region is chosen
	Filters  string
	Pager    listPager
}

type directoryRegion struct {
	Code, Name string
	Continued  bool // the page before ended in this region
	Countries  []directoryCountry
}

type directoryCountry struct {
	countryLink
	Continued     bool // the page before ended in this country
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
	counts, err := s.store.OrganisationCounts(ctx)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	q := r.URL.Query()
	lang := langOf(ctx)
	page := directoryPage{}
	present := map[string]bool{}
	for c, n := range counts {
		present[c] = true
		page.Total += n
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
	cur, ok := s.readCursor(w, r, "organisations", 2)
	if !ok {
		return
	}

	// The countries the filter keeps, in the directory's order; the store
	// reads only those the page shows.
	inRegion := map[string]bool{}
	for _, code := range vigie.RegionCountries(region.Code) {
		inRegion[code] = true
	}
	var codes []string
	for _, c := range directoryOrder(lang) {
		if (country.ISO2 != "" && c.ISO2 != country.ISO2) || (region.Code != "" && !inRegion[c.ISO2]) {
			continue
		}
		codes = append(codes, c.ISO2)
		page.Count += counts[c.ISO2]
	}
	var key vigie.OrganisationKey
	if len(cur.Key) == 2 {
		key = vigie.OrganisationKey{Country: cur.Key[0], Name: cur.Key[1]}
	}
	var orgs []vigie.Organisation
	var before vigie.OrganisationKey // the organisation before the page
	start, hasPrev, hasNext := cur.Position, key.Name != "", false
	if cur.Back {
		orgs, before, err = vigie.ReadDirectoryPageBefore(ctx, s.store, codes, counts, key, vigie.DirectoryPageSize)
		hasPrev, hasNext = before.Name != "", len(orgs) > 0
		if start = cur.Position - len(orgs); !hasPrev || start < 0 {
			start = 0
		}
	} else {
		orgs, hasNext, err = vigie.ReadDirectoryPage(ctx, s.store, codes, counts, key, vigie.DirectoryPageSize)
		before = key
	}
	if vigie.ErrorCode(err) == vigie.EINVALID {
		s.badCursor(w, r)
		return
	}
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	slugs := make([]string, len(orgs))
	for i, o := range orgs {
		slugs[i] = o.Slug
	}
	trs, err := s.translator(ctx, lang, map[string][]string{vigie.KindOrganisation: slugs})
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	page.Regions = groupDirectory(lang, trs, orgs, before.Country)
	prev, next := pageKeys(orgs, hasPrev, hasNext, func(o vigie.Organisation) []string { return []string{o.Country, o.Name} })
	page.Pager = newListPager(r, "organisations", start, len(orgs), vigie.DirectoryPageSize, prev, next)
	page.Pager.Total = page.Count
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
	if start > 0 {
		title += ", " + tr(r, "pager.from_title", "From", page.Pager.From, "To", page.Pager.To)
	}
	s.render(w, r, http.StatusOK, "organisations", layout{Title: title, Nav: "organisations", Page: page})
}

// directoryOrder is the order of the directory's countries: by region,
// in the order of vigie.Regions, then by name in lang; countries without
// a region come last, as "Other territories".
func directoryOrder(lang string) []vigie.Country {
	if v, ok := directoryOrders.Load(lang); ok {
		return v.([]vigie.Country)
	}
	order := sortDirectory(lang)
	directoryOrders.Store(lang, order)
	return order
}

// directoryOrders keeps directoryOrder's answer per language: every page
// of the directory walks it. Callers must not change it.
var directoryOrders sync.Map

func sortDirectory(lang string) []vigie.Country {
	rank := map[string]int{}
	for i, r := range vigie.Regions() {
		rank[r.Code] = i
	}
	regionRank := func(c vigie.Country) int {
		if i, ok := rank[c.Region.Code]; ok {
			return i
		}
		return len(rank)
	}
	out := slices.Clone(vigie.Countries()) // by English name
	slices.SortStableFunc(out, func(a, b vigie.Country) int {
		if d := regionRank(a) - regionRank(b); d != 0 || lang == "en" {
			return d
		}
		return compareNames(lang, a.Name(lang), b.Name(lang))
	})
	return out
}

// groupDirectory puts a page's organisations, in the directory's order,
// under their country and region. continued is the country the page
// before ended in: its group and its region's say they go on here.
func groupDirectory(lang string, trs translator, orgs []vigie.Organisation, continued string) []directoryRegion {
	var out []directoryRegion
	var prev vigie.Country
	if c, ok := vigie.CountryByISO2(continued); ok {
		prev = c
	}
	regionOf := func(c vigie.Country) (code, name string) {
		if slices.ContainsFunc(vigie.Regions(), func(r vigie.Region) bool { return r.Code == c.Region.Code }) {
			return c.Region.Code, c.Region.Names.In(lang)
		}
		return otherRegion, i18n.Default().T(lang, "region.other_territories")
	}
	prevRegion, _ := regionOf(prev)
	for i, o := range orgs {
		c, _ := vigie.CountryByISO2(o.Country)
		code, name := regionOf(c)
		if len(out) == 0 || out[len(out)-1].Code != code {
			out = append(out, directoryRegion{Code: code, Name: name, Continued: i == 0 && prev.ISO2 != "" && prevRegion == code})
		}
		g := &out[len(out)-1]
		if n := len(g.Countries); n == 0 || g.Countries[n-1].Slug != c.Slug {
			g.Countries = append(g.Countries, directoryCountry{countryLink: countryLink{Slug: c.Slug, Name: c.Name(lang)},
				Continued: i == 0 && prev.ISO2 == c.ISO2})
		}
		cg := &g.Countries[len(g.Countries)-1]
		cg.Organisations = append(cg.Organisations, newDirectoryOrg(trs, o))
	}
	return out
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
