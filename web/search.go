package web

import (
	"html"
	"html/template"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"

	vigie "github.com/vigie-network/vigie"
	"github.com/vigie-network/vigie/web/i18n"
)

// searchPerPage is how many hits a page of results shows.
const searchPerPage = 20

// searchPage is /search?q=: the form with its filters, countries whose
// name matches, then the ranked hits with their snippets.
type searchPage struct {
	Query                       string
	Searched                    bool // q holds words to look for
	Countries, Indicators, Kind []choice
	Filter                      string // "Mali, News", when filtered
	ClearFilter                 string
	Places                      []countryLink // countries named like the query
	Hits                        []hitView
	First, Last                 int // the numbers of the first and last hits shown
	Prev, Next                  string
}

// hitView is one search hit.
type hitView struct {
	Kind, KindLabel string
	Title, Link     string
	Date            dateView
	Context         []countryLink // where it applies: its countries, or where a source is cited
	For             string        // the indicators a source is cited for
	Snippet         template.HTML
}

var searchKindLabels = map[vigie.SearchKind]string{
	vigie.SearchAssessment:   "Assessment",
	vigie.SearchSource:       "Law or source",
	vigie.SearchPublication:  "Publication",
	vigie.SearchOrganisation: "Organisation",
	vigie.SearchNews:         "News",
}

func (s *Server) handleSearch(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	q := vigie.SearchQuery{Text: trimParam(r, "q"), Limit: searchPerPage + 1}
	inds, err := s.store.Indicators(ctx)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	byKey := indicatorsByKey(inds)

	// Filters, each checked.
	var filter []string
	if code := trimParam(r, "country"); code != "" {
		c, ok := vigie.CountryByISO2(code)
		if !ok {
			s.badParam(w, r, "country", "%s", tr(r, "badparam.no_country", "Code", code))
			return
		}
		q.Country = c.ISO2
		filter = append(filter, c.Name(langOf(ctx)))
	}
	if key := trimParam(r, "indicator"); key != "" {
		ind, ok := byKey[key]
		if !ok {
			s.badParam(w, r, "indicator", "%s", tr(r, "badparam.no_indicator", "Key", key))
			return
		}
		q.Indicator = key
		filter = append(filter, ind.Name)
	}
	if kind := vigie.SearchKind(trimParam(r, "kind")); kind != "" {
		label, ok := searchKindLabels[kind]
		if !ok {
			s.badParam(w, r, "kind", "%s", tr(r, "badparam.no_kind", "Kind", string(kind)))
			return
		}
		q.Kind = kind
		filter = append(filter, tr(r, "search.kind_"+string(kind), "Default", label))
	}
	pageNumber := 1
	if p := trimParam(r, "page"); p != "" {
		n, err := strconv.Atoi(p)
		if err != nil || n < 1 || n > 50 {
			s.badParam(w, r, "page", "%s", tr(r, "badparam.no_page", "Page", p))
			return
		}
		pageNumber = n
	}
	q.Offset = (pageNumber - 1) * searchPerPage

	page := searchPage{Query: q.Text, Filter: strings.Join(filter, ", "),
		ClearFilter: linkWith(r, "country", "", "indicator", "", "kind", "", "page", ""), First: q.Offset + 1}
	for _, c := range vigie.Countries() {
		page.Countries = append(page.Countries, choice{Value: c.ISO2, Label: c.Name(langOf(ctx)), Selected: c.ISO2 == q.Country})
	}
	for _, ind := range inds {
		page.Indicators = append(page.Indicators, choice{Value: ind.Key, Label: ind.Name, Selected: ind.Key == q.Indicator})
	}
	for _, k := range vigie.SearchKinds() {
		page.Kind = append(page.Kind, choice{Value: string(k), Label: tr(r, "search.kind_"+string(k)), Selected: k == q.Kind})
	}

	terms := vigie.SearchTerms(q.Text)
	page.Searched = len(terms) > 0
	if page.Searched {
		hits, err := s.store.Search(ctx, q)
		if err != nil {
			s.serverError(w, r, err)
			return
		}
		if len(hits) > searchPerPage {
			hits = hits[:searchPerPage]
			page.Next = linkWith(r, "page", strconv.Itoa(pageNumber+1))
		}
		if pageNumber > 1 {
			page.Prev = linkWith(r, "page", strconv.Itoa(pageNumber-1))
			if pageNumber == 2 {
				page.Prev = linkWith(r, "page", "")
			}
		}
		for _, h := range hits {
			page.Hits = append(page.Hits, newHitView(langOf(ctx), h, byKey))
		}
		page.Last = q.Offset + len(hits)
		if pageNumber == 1 && q.Country == "" && q.Kind == "" {
			page.Places = countriesNamed(terms)
		}
	}
	title := tr(r, "nav.search")
	if q.Text != "" {
		title += ": " + q.Text
	}
	s.render(w, r, http.StatusOK, "search", layout{Title: title, Nav: "search", Page: page})
}

func newHitView(lang string, h vigie.SearchHit, inds map[string]vigie.Indicator) hitView {
	v := hitView{Kind: string(h.Kind), KindLabel: i18n.Default().T(lang, "search.kind_"+string(h.Kind)), Title: h.Title, Snippet: markSnippet(h.Snippet)}
	var places []vigie.Country
	for _, code := range h.Countries {
		if c, ok := vigie.CountryByISO2(code); ok {
			places = append(places, c)
			v.Context = append(v.Context, countryLink{Slug: c.Slug, Name: c.Name(lang)})
		}
	}
	var indNames []string
	for _, key := range h.Indicators {
		if ind, ok := inds[key]; ok {
			indNames = append(indNames, ind.Name)
		}
	}
	switch h.Kind {
	case vigie.SearchAssessment:
		if len(places) > 0 && len(h.Indicators) > 0 {
			v.Title = places[0].Name(lang) + ": " + strings.Join(indNames, ", ")
			v.Link = "/countries/" + places[0].Slug + "#" + h.Indicators[0]
			v.Context = nil
		}
		v.Date = newDate(h.Date)
	case vigie.SearchSource:
		// A law has no page of its own: it links to the first assessment
		// that cites it, and lists where else it is cited.
		if len(places) > 0 && len(h.Indicators) > 0 {
			v.Link = "/countries/" + places[0].Slug + "#" + h.Indicators[0]
		}
		v.For = strings.Join(indNames, ", ")
	case vigie.SearchPublication:
		v.Link = "/publications/" + h.Slug
	case vigie.SearchOrganisation:
		v.Link = "/organisations/" + h.Slug
	case vigie.SearchNews:
		v.Link = "/news/" + h.Slug
		v.Date = newDate(h.Date)
	}
	return v
}

// markSnippet writes a snippet as HTML: its text escaped, its matches in
// <mark>. Nothing of the document's text can become markup.
func markSnippet(parts []vigie.SnippetPart) template.HTML {
	var b strings.Builder
	for _, p := range parts {
		if p.Match {
			b.WriteString("<mark>")
			b.WriteString(html.EscapeString(p.Text))
			b.WriteString("</mark>")
		} else {
			b.WriteString(html.EscapeString(p.Text))
		}
	}
	return template.HTML(b.String())
}

// countriesNamed lists the countries one of whose names (English, French
// or Spanish) starts with the query's words, for a shortcut to their pages.
func countriesNamed(terms []string) []countryLink {
	want := strings.Join(terms, " ")
	var out []countryLink
	for _, c := range countryNameKeys() {
		if slices.ContainsFunc(c.keys, func(k string) bool { return strings.HasPrefix(k, want) }) {
			out = append(out, countryLink{Slug: c.slug, Name: c.name})
			if len(out) == 6 {
				break
			}
		}
	}
	return out
}

// countryNameKeys holds each country's names as search terms, computed
// once: folding 750 names on every search would cost more than the search.
var countryNameKeys = sync.OnceValue(func() []namedCountry {
	var out []namedCountry
	for _, c := range vigie.Countries() {
		nc := namedCountry{slug: c.Slug, name: c.Name("en")}
		for _, name := range []string{c.Names.EN, c.Names.FR, c.Names.ES} {
			nc.keys = append(nc.keys, strings.Join(vigie.SearchTerms(name), " "))
		}
		out = append(out, nc)
	}
	return out
})

type namedCountry struct {
	slug, name string
	keys       []string
}
