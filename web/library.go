package web

import (
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	vigie "github.com/vigie-network/vigie"
	"github.com/vigie-network/vigie/web/i18n"
)

// The reports library, the newsroom and the member directory (issue #8)
// register their pages here; their handlers live in library.go,
// newsroom.go, directory.go, feeds.go and uploads.go.
func init() {
	maps.Copy(pageModels, map[string]any{
		"publications":  libraryPage{},
		"publication":   libraryItemPage{},
		"newsindex":     newsroomPage{},
		"organisations": directoryPage{},
		"organisation":  directoryEntryPage{},
	})
	layoutFiles = append(layoutFiles, "templates/library_partials.tmpl")
}

// libraryRoutes are the reports library, the newsroom, the member
// directory, their feeds and the uploaded files.
func (s *Server) libraryRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /publications", s.handleLibrary)
	mux.HandleFunc("GET /publications/{$}", redirectTo("/publications"))
	mux.HandleFunc("GET /publications/{slug}", s.handleLibraryItem)
	mux.HandleFunc("GET /files/{name}", s.handleUploadedFile)

	mux.HandleFunc("GET /news", s.handleNewsroom)
	mux.HandleFunc("GET /news/{$}", redirectTo("/news"))
	mux.HandleFunc("GET /news.atom", s.handleNewsFeed)
	mux.HandleFunc("GET /countries/{slug}/news.atom", s.handleCountryFeed)

	mux.HandleFunc("GET /organisations", s.handleDirectory)
	mux.HandleFunc("GET /organisations/{$}", redirectTo("/organisations"))
	mux.HandleFunc("GET /organisations/{slug}", s.handleDirectoryEntry)
}

// libraryTypeOrder is the order of the type filter.
var libraryTypeOrder = []string{vigie.PubCountryReport, vigie.PubLegalChecklist, vigie.PubRegionalReview,
	vigie.PubResearch, vigie.PubOther}

// libraryPage is the library: the filter form, then the list.
type libraryPage struct {
	Form         filterForm
	Problem      string // a filter value we cannot use, named
	Publications []publicationItem
	Total        int  // publications in the whole library
	Filtered     bool // some filter is set
	Filters      string
	Pager        listPager
}

// filterForm is a GET form of select boxes; the chosen option of each is
// marked Selected.
type filterForm struct {
	Action  string
	Selects []filterSelect
}

type filterSelect struct {
	Name, Label, Any string // Any labels the "no filter" option
	Groups           []filterOptionGroup
}

// filterOptionGroup has an empty Label for options outside any <optgroup>.
type filterOptionGroup struct {
	Label   string
	Options []filterOption
}

type filterOption struct {
	Value, Label string
	Selected     bool
}

// publicationItem is one entry of the library.
type publicationItem struct {
	Slug, Title string
	Type        string // the reader's name
	TypeKey     string
	Year        int
	Publishers  string
	Countries   []countryLink
	Language    string
	File        *fileView
	Link        string // the publisher's own page, http(s) only
}

// fileView is an uploaded PDF as a download link.
type fileView struct {
	Path, Size string
}

// libraryFilter is what the library's query string asks for, checked.
type libraryFilter struct {
	store   vigie.PublicationFilter
	country vigie.Country
	region  vigie.Region
}

// parseLibraryFilter reads ?type=&year=&country=&region=. Countries and
// regions are named by slug (an ISO code works too); a value we do not
// know is an error that names the filter.
func parseLibraryFilter(q url.Values) (libraryFilter, error) {
	var f libraryFilter
	if t := q.Get("type"); t != "" {
		if _, ok := vigie.PublicationTypeNames[t]; !ok {
			return f, vigie.FieldError("type", "there is no publication type %q", t)
		}
		f.store.Type = t
	}
	if y := q.Get("year"); y != "" {
		n, err := strconv.Atoi(y)
		if err != nil || n < 1900 || n > 2200 {
			return f, vigie.FieldError("year", "%q is not a year", y)
		}
		f.store.Year = n
	}
	var err error
	if f.country, err = countryParam(q, "country"); err != nil {
		return f, err
	}
	f.store.Country = f.country.ISO2
	if f.region, err = regionParam(q, "region"); err != nil {
		return f, err
	}
	f.store.Region = f.region.Code
	return f, nil
}

// countryParam reads a country named by slug or ISO code; the zero Country
// when the parameter is empty.
func countryParam(q url.Values, name string) (vigie.Country, error) {
	v := q.Get(name)
	if v == "" {
		return vigie.Country{}, nil
	}
	if c, ok := vigie.CountryBySlug(v); ok {
		return c, nil
	}
	if c, ok := findCountry(v); ok {
		return c, nil
	}
	return vigie.Country{}, vigie.FieldError(name, "we know no country %q", v)
}

// regionParam reads a UN M49 region or sub-region named by the slug of its
// English name ("africa", "western-africa") or by its code.
func regionParam(q url.Values, name string) (vigie.Region, error) {
	v := q.Get(name)
	if v == "" {
		return vigie.Region{}, nil
	}
	for _, r := range allRegions() {
		if regionSlug(r) == v || r.Code == v {
			return r, nil
		}
	}
	return vigie.Region{}, vigie.FieldError(name, "we know no region %q", v)
}

// allRegions lists each region followed by its sub-regions.
func allRegions() []vigie.Region {
	var out []vigie.Region
	for _, r := range vigie.Regions() {
		out = append(out, r)
		out = append(out, vigie.SubRegions(r.Code)...)
	}
	return out
}

func regionSlug(r vigie.Region) string { return vigie.Slugify(r.Names.EN) }

// filterProblem shows a bad filter value as a sentence that names it.
func filterProblem(err error) string { return filterProblemIn("en", err) }

func (s *Server) handleLibrary(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	lang := langOf(ctx)
	facets, err := s.store.PublicationFacets(ctx)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	page := libraryPage{Total: facets.Total}
	f, ferr := parseLibraryFilter(r.URL.Query())
	if !s.offline {
		page.Form = libraryForm(lang, facets, f, r.URL.Query())
	}
	if ferr != nil {
		page.Problem = filterProblemIn(lang, ferr)
		s.render(w, r, http.StatusBadRequest, "publications", layout{Title: tr(r, "nav.publications"), Nav: "publications", Page: page})
		return
	}
	cur, ok := s.readCursor(w, r, "publications", 3)
	if !ok {
		return
	}
	page.Filtered = f.store != (vigie.PublicationFilter{})
	sf := f.store
	sf.Limit = vigie.LibraryPageSize + 1 // one more tells whether a page follows
	if len(cur.Key) == 3 {
		year, yerr := strconv.Atoi(cur.Key[0])
		id, ierr := strconv.ParseInt(cur.Key[2], 10, 64)
		if yerr != nil || ierr != nil || id <= 0 {
			s.badCursor(w, r)
			return
		}
		sf.After = vigie.PublicationKey{Year: year, Title: cur.Key[1], ID: id}
		sf.Backward = cur.Back
	}
	read, err := s.store.Publications(ctx, sf)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	list, start, hasPrev, hasNext := pageOf(read, vigie.LibraryPageSize, cur)
	for _, p := range list {
		page.Publications = append(page.Publications, newPublicationItem(lang, p))
	}
	prev, next := pageKeys(list, hasPrev, hasNext, func(p vigie.Publication) []string {
		return []string{strconv.Itoa(p.Year), p.Title, strconv.FormatInt(p.ID, 10)}
	})
	page.Pager = newListPager(r, "publications", start, len(list), vigie.LibraryPageSize, prev, next)
	if !page.Filtered {
		page.Pager.Total = facets.Total
	} else if !hasNext && !hasPrev {
		page.Pager.Total = len(list) // the whole of it
	}
	title := tr(r, "nav.publications")
	if page.Filtered {
		page.Filters = describeLibraryFilter(lang, f)
		title += ": " + page.Filters
	}
	if start > 0 {
		title += ", " + tr(r, "pager.from_title", "From", page.Pager.From, "To", page.Pager.To)
	}
	s.render(w, r, http.StatusOK, "publications", layout{Title: title, Nav: "publications", Page: page})
}

// libraryForm offers the types, years, countries and regions the library
// holds, and keeps what the reader chose even when it matches nothing.
func libraryForm(lang string, facets vigie.PublicationFacets, f libraryFilter, q url.Values) filterForm {
	t := i18n.Default().T
	years := map[int]bool{}
	countries := map[string]bool{}
	for _, y := range facets.Years {
		years[y] = true
	}
	for _, c := range facets.Countries {
		countries[c] = true
	}
	if f.store.Year != 0 {
		years[f.store.Year] = true
	}

	types := filterSelect{Name: "type", Label: t(lang, "filter.type"), Any: t(lang, "filter.all_types")}
	var typeOpts []filterOption
	for _, typ := range libraryTypeOrder {
		label := publicationType(lang, typ)
		if typ == vigie.PubOther {
			label = t(lang, "filter.other_publications")
		}
		typeOpts = append(typeOpts, filterOption{Value: typ, Label: label, Selected: q.Get("type") == typ})
	}
	types.Groups = []filterOptionGroup{{Options: typeOpts}}

	yearSel := filterSelect{Name: "year", Label: t(lang, "filter.year"), Any: t(lang, "filter.all_years")}
	var yearOpts []filterOption
	for _, y := range slices.Backward(slices.Sorted(maps.Keys(years))) {
		yearOpts = append(yearOpts, filterOption{Value: strconv.Itoa(y), Label: strconv.Itoa(y), Selected: y == f.store.Year})
	}
	yearSel.Groups = []filterOptionGroup{{Options: yearOpts}}

	return filterForm{Action: "/publications", Selects: []filterSelect{
		types, yearSel,
		countrySelect(lang, countries, f.country),
		regionSelect(lang, countries, f.region),
	}}
}

// countrySelect offers the countries in present, plus the chosen one.
func countrySelect(lang string, present map[string]bool, chosen vigie.Country) filterSelect {
	sel := filterSelect{Name: "country", Label: i18n.Default().T(lang, "filter.country"), Any: i18n.Default().T(lang, "filter.all_countries")}
	var opts []filterOption
	for _, c := range vigie.Countries() {
		if present[c.ISO2] || c.ISO2 == chosen.ISO2 {
			opts = append(opts, filterOption{Value: c.Slug, Label: c.Name(lang), Selected: c.ISO2 == chosen.ISO2})
		}
	}
	if lang != "en" {
		slices.SortStableFunc(opts, func(a, b filterOption) int { return compareNames(lang, a.Label, b.Label) })
	}
	sel.Groups = []filterOptionGroup{{Options: opts}}
	return sel
}

// regionSelect offers, under each region that has one of the countries in
// present, the whole region and those of its sub-regions that do.
func regionSelect(lang string, present map[string]bool, chosen vigie.Region) filterSelect {
	sel := filterSelect{Name: "region", Label: i18n.Default().T(lang, "filter.region"), Any: i18n.Default().T(lang, "filter.all_regions")}
	has := map[string]bool{}
	for _, c := range vigie.Countries() {
		if present[c.ISO2] {
			has[c.Region.Code], has[c.SubRegion.Code] = true, true
		}
	}
	has[chosen.Code] = true
	for _, r := range vigie.Regions() {
		subs := vigie.SubRegions(r.Code)
		if !has[r.Code] && !slices.ContainsFunc(subs, func(sr vigie.Region) bool { return has[sr.Code] }) {
			continue
		}
		g := filterOptionGroup{Label: r.Names.In(lang), Options: []filterOption{{Value: regionSlug(r),
			Label: i18n.Default().T(lang, "filter.all_of", "Region", r.Names.In(lang)), Selected: r.Code == chosen.Code}}}
		for _, sr := range subs {
			if has[sr.Code] {
				g.Options = append(g.Options, filterOption{Value: regionSlug(sr), Label: sr.Names.In(lang), Selected: sr.Code == chosen.Code})
			}
		}
		sel.Groups = append(sel.Groups, g)
	}
	return sel
}

// describeLibraryFilter says in words what the list shows: "Legal
// checklist, 2020, Mali".
func describeLibraryFilter(lang string, f libraryFilter) string {
	var parts []string
	if f.store.Type != "" {
		parts = append(parts, publicationType(lang, f.store.Type))
	}
	if f.store.Year != 0 {
		parts = append(parts, strconv.Itoa(f.store.Year))
	}
	if f.country.ISO2 != "" {
		parts = append(parts, f.country.Name(lang))
	}
	if f.region.Code != "" {
		parts = append(parts, f.region.Names.In(lang))
	}
	return strings.Join(parts, ", ")
}

func newPublicationItem(lang string, p vigie.Publication) publicationItem {
	it := publicationItem{
		Slug: p.Slug, Title: p.Title, TypeKey: p.Type, Year: p.Year,
		Type:       publicationType(lang, p.Type),
		Publishers: strings.Join(p.Publishers, ", "),
		Language:   languageNameIn(lang, p.Language),
		Link:       webLink(p.Link),
	}
	it.Countries = taggedCountriesIn(lang, p.Countries)
	it.File = newFileView(p.File)
	return it
}

// newFileView is the download of an uploaded file; nil when there is none.
func newFileView(f vigie.FileRef) *fileView {
	if f.IsZero() {
		return nil
	}
	return &fileView{Path: filePath(f), Size: formatSize(f.Size)}
}

// filePath is where an uploaded file is served.
func filePath(f vigie.FileRef) string { return "/files/" + f.Hash + ".pdf" }

// languageNames names the languages the network publishes in; others show
// their code.
var languageNames = map[string]string{
	"en": "English", "fr": "French", "es": "Spanish", "pt": "Portuguese", "ar": "Arabic",
	"ru": "Russian", "zh": "Chinese", "de": "German", "it": "Italian", "nl": "Dutch", "sw": "Swahili",
}

func languageName(tag string) string {
	if tag == "" {
		return ""
	}
	base, _, _ := strings.Cut(strings.ToLower(tag), "-")
	if n, ok := languageNames[base]; ok {
		return n
	}
	return tag
}

// formatSize writes a file size for readers deciding whether to download
// on a phone: "840 KB", "2.4 MB".
func formatSize(n int64) string {
	switch {
	case n < 1000:
		return strconv.FormatInt(n, 10) + " bytes"
	case n < 1000*1000:
		return strconv.FormatInt((n+500)/1000, 10) + " KB"
	}
	return strconv.FormatFloat(float64(n)/1e6, 'f', 1, 64) + " MB"
}

// libraryItemPage is one publication.
type libraryItemPage struct {
	publicationItem
}

func (s *Server) handleLibraryItem(w http.ResponseWriter, r *http.Request) {
	p, err := s.store.Publication(r.Context(), r.PathValue("slug"))
	if vigie.IsNotFound(err) {
		s.notFoundMessage(w, r, tr(r, "error.no_publication"))
		return
	}
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "publication", layout{Title: p.Title, Nav: "publications",
		Page: libraryItemPage{newPublicationItem(langOf(r.Context()), p)}})
}
