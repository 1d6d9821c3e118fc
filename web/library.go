package web

import (
	"cmp"
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	vigie "github.com/vigie-network/vigie"
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
func filterProblem(err error) string {
	if e, ok := err.(*vigie.Error); ok && e.Field != "" {
		return fmt.Sprintf("The %s filter cannot be used: %s.", e.Field, e.Message)
	}
	return "These filters cannot be used."
}

func (s *Server) handleLibrary(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	all, err := s.store.Publications(ctx, vigie.PublicationFilter{})
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	page := libraryPage{Total: len(all)}
	f, ferr := parseLibraryFilter(r.URL.Query())
	page.Form = libraryForm(all, f, r.URL.Query())
	if ferr != nil {
		page.Problem = filterProblem(ferr)
		s.render(w, r, http.StatusBadRequest, "publications", layout{Title: "Publications", Nav: "publications", Page: page})
		return
	}
	page.Filtered = f.store != (vigie.PublicationFilter{})
	list := all
	if page.Filtered {
		if list, err = s.store.Publications(ctx, f.store); err != nil {
			s.serverError(w, r, err)
			return
		}
		page.Filters = describeLibraryFilter(f)
	}
	for _, p := range list {
		page.Publications = append(page.Publications, newPublicationItem(p))
	}
	title := "Publications"
	if page.Filtered {
		title = "Publications: " + page.Filters
	}
	s.render(w, r, http.StatusOK, "publications", layout{Title: title, Nav: "publications", Page: page})
}

// libraryForm offers the types, years, countries and regions the library
// holds, and keeps what the reader chose even when it matches nothing.
func libraryForm(all []vigie.Publication, f libraryFilter, q url.Values) filterForm {
	years := map[int]bool{}
	countries := map[string]bool{}
	for _, p := range all {
		if p.Year != 0 {
			years[p.Year] = true
		}
		for _, c := range p.Countries {
			countries[c] = true
		}
	}
	if f.store.Year != 0 {
		years[f.store.Year] = true
	}

	types := filterSelect{Name: "type", Label: "Type", Any: "All types"}
	var typeOpts []filterOption
	for _, t := range libraryTypeOrder {
		label := vigie.PublicationTypeNames[t]
		if t == vigie.PubOther {
			label = "Other publications"
		}
		typeOpts = append(typeOpts, filterOption{Value: t, Label: label, Selected: q.Get("type") == t})
	}
	types.Groups = []filterOptionGroup{{Options: typeOpts}}

	yearSel := filterSelect{Name: "year", Label: "Year", Any: "All years"}
	var yearOpts []filterOption
	for _, y := range slices.Backward(slices.Sorted(maps.Keys(years))) {
		yearOpts = append(yearOpts, filterOption{Value: strconv.Itoa(y), Label: strconv.Itoa(y), Selected: y == f.store.Year})
	}
	yearSel.Groups = []filterOptionGroup{{Options: yearOpts}}

	return filterForm{Action: "/publications", Selects: []filterSelect{
		types, yearSel,
		countrySelect(countries, f.country),
		regionSelect(countries, f.region),
	}}
}

// countrySelect offers the countries in present, plus the chosen one.
func countrySelect(present map[string]bool, chosen vigie.Country) filterSelect {
	sel := filterSelect{Name: "country", Label: "Country", Any: "All countries"}
	var opts []filterOption
	for _, c := range vigie.Countries() {
		if present[c.ISO2] || c.ISO2 == chosen.ISO2 {
			opts = append(opts, filterOption{Value: c.Slug, Label: c.Name("en"), Selected: c.ISO2 == chosen.ISO2})
		}
	}
	sel.Groups = []filterOptionGroup{{Options: opts}}
	return sel
}

// regionSelect offers, under each region that has one of the countries in
// present, the whole region and those of its sub-regions that do.
func regionSelect(present map[string]bool, chosen vigie.Region) filterSelect {
	sel := filterSelect{Name: "region", Label: "Region", Any: "All regions"}
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
		g := filterOptionGroup{Label: r.Names.EN, Options: []filterOption{{Value: regionSlug(r), Label: "All of " + r.Names.EN, Selected: r.Code == chosen.Code}}}
		for _, sr := range subs {
			if has[sr.Code] {
				g.Options = append(g.Options, filterOption{Value: regionSlug(sr), Label: sr.Names.EN, Selected: sr.Code == chosen.Code})
			}
		}
		sel.Groups = append(sel.Groups, g)
	}
	return sel
}

// describeLibraryFilter says in words what the list shows: "Legal
// checklist, 2020, Mali".
func describeLibraryFilter(f libraryFilter) string {
	var parts []string
	if f.store.Type != "" {
		parts = append(parts, vigie.PublicationTypeNames[f.store.Type])
	}
	if f.store.Year != 0 {
		parts = append(parts, strconv.Itoa(f.store.Year))
	}
	if f.country.ISO2 != "" {
		parts = append(parts, f.country.Name("en"))
	}
	if f.region.Code != "" {
		parts = append(parts, f.region.Names.EN)
	}
	return strings.Join(parts, ", ")
}

func newPublicationItem(p vigie.Publication) publicationItem {
	it := publicationItem{
		Slug: p.Slug, Title: p.Title, TypeKey: p.Type, Year: p.Year,
		Type:       cmp.Or(vigie.PublicationTypeNames[p.Type], p.Type),
		Publishers: strings.Join(p.Publishers, ", "),
		Language:   languageName(p.Language),
		Link:       webLink(p.Link),
	}
	for _, code := range p.Countries {
		if c, ok := vigie.CountryByISO2(code); ok {
			it.Countries = append(it.Countries, countryLink{Slug: c.Slug, Name: c.Name("en")})
		}
	}
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
		s.notFoundMessage(w, r, "There is no publication at this address. It may have been renamed; the library lists every one.")
		return
	}
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "publication", layout{Title: p.Title, Nav: "publications",
		Page: libraryItemPage{newPublicationItem(p)}})
}
