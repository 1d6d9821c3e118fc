package web

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"net/url"
	"path"
	"slices"
	"strings"
	"sync"
	"time"

	vigie "github.com/vigie-network/vigie"
	"github.com/vigie-network/vigie/web/i18n"
	"golang.org/x/text/collate"
	"golang.org/x/text/language"
)

// Languages (issue #6): English at the root of the site, French under
// /fr/ and Spanish under /es/. withLanguage strips the prefix and puts the
// language in the request context, so that the routes, the handlers and
// the page cache's uncacheable prefixes are the same in every language;
// the page cache, outside it, keys by the full address, so each language
// is cached apart. The templates of each language are parsed once with
// their own "t" and "url" functions (see parsePages), so that requests
// never share or clone per-language state.

type langKey struct{}

// langOf is the language of the request: "en", "fr" or "es".
func langOf(ctx context.Context) string {
	if l, ok := ctx.Value(langKey{}).(string); ok {
		return l
	}
	return "en"
}

// withLang returns ctx in language lang, for rendering pages outside a
// request (vigie site).
func withLang(ctx context.Context, lang string) context.Context {
	return context.WithValue(ctx, langKey{}, lang)
}

// splitLang splits "/fr/countries" into "fr" and "/countries"; paths
// without a language prefix are English.
func splitLang(p string) (lang, rest string) {
	for _, l := range i18n.Languages[1:] {
		if p == "/"+l {
			return l, ""
		}
		if strings.HasPrefix(p, "/"+l+"/") {
			return l, p[len(l)+1:]
		}
	}
	return "en", p
}

// langPath is the address of path p in lang: langPath("fr", "/countries")
// is "/fr/countries". Addresses that are not the site's own pages (other
// sites, the stylesheet, uploaded files, the API, fragments) stay as they are.
func langPath(lang, p string) string {
	if lang == "en" || lang == "" || !strings.HasPrefix(p, "/") || strings.HasPrefix(p, "//") {
		return p
	}
	for _, shared := range []string{"/static/", "/files/", "/api/", "/healthz"} {
		if strings.HasPrefix(p, shared) {
			return p
		}
	}
	// Files (feeds, downloads) are the data itself, the same in every
	// language: one address each.
	if file, _, _ := strings.Cut(p, "?"); strings.Contains(path.Base(file), ".") {
		return p
	}
	return "/" + lang + p
}

// withLanguage serves /fr/… and /es/… by the handlers of the English
// addresses, in the context's language. "/fr" alone moves to "/fr/".
func withLanguage(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		lang, rest := splitLang(r.URL.Path)
		if lang == "en" {
			next.ServeHTTP(w, r)
			return
		}
		if rest == "" {
			target := "/" + lang + "/"
			if r.URL.RawQuery != "" {
				target += "?" + r.URL.RawQuery
			}
			http.Redirect(w, r, target, http.StatusMovedPermanently)
			return
		}
		ctx := withLang(r.Context(), lang)
		if strings.Contains(path.Base(rest), ".") {
			// Downloads and feeds (/fr/data/vigie.csv.zip) are the data
			// itself, in the language it was written in.
			ctx = r.Context()
		}
		r2 := r.Clone(ctx)
		r2.URL.Path = rest
		if r.URL.RawPath != "" {
			_, r2.URL.RawPath = splitLang(r.URL.RawPath)
		}
		next.ServeHTTP(&headerHook{ResponseWriter: w, before: prefixLocation(lang)}, r2)
	})
}

// negotiateLanguage sends readers who open the home page with a browser
// set to French or Spanish to /fr/ or /es/. Only "/" does this: every
// other address names its language, and a reader who follows a link to
// the English home page from this site (the language switcher, the
// brand), or asks for ?lang=en, stays in English.
func negotiateLanguage(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/" || (r.Method != http.MethodGet && r.Method != http.MethodHead) {
			next.ServeHTTP(w, r)
			return
		}
		if r.URL.Query().Get("lang") != "en" && !sameSiteReferer(r) {
			if lang := i18n.Match(r.Header.Get("Accept-Language")); lang != "en" {
				w.Header().Add("Vary", "Accept-Language")
				w.Header().Set("Cache-Control", "private, max-age=0")
				http.Redirect(w, r, "/"+lang+"/", http.StatusFound)
				return
			}
		}
		// The English page too depends on the header: caches must ask again
		// for readers whose browsers prefer French or Spanish.
		next.ServeHTTP(&headerHook{ResponseWriter: w, before: func(h http.Header) { h.Add("Vary", "Accept-Language") }}, r)
	})
}

func sameSiteReferer(r *http.Request) bool {
	ref := r.Header.Get("Referer")
	if ref == "" {
		return false
	}
	u, err := url.Parse(ref)
	return err == nil && u.Host == r.Host
}

// tr is the message id in the request's language; see i18n.Catalog.T.
func tr(r *http.Request, id string, args ...any) string {
	return i18n.Default().T(langOf(r.Context()), id, args...)
}

// altLink is the current page in one language: the switcher's links and
// the hreflang alternates.
type altLink struct {
	Lang, Name, Href string
	Current          bool
}

// alternates lists the page at path (without a language prefix, with its
// query) in every language.
func alternates(lang, path string) []altLink {
	out := make([]altLink, 0, len(i18n.Languages))
	for _, l := range i18n.Languages {
		out = append(out, altLink{Lang: l, Name: i18n.Default().T(l, "lang.name"), Href: langPath(l, path), Current: l == lang})
	}
	return out
}

// in writes the date in lang: "3 May 2024", "3 mai 2024", "3 de mayo de 2024".
func (d dateView) in(lang string) string {
	t, err := time.Parse(time.DateOnly, d.ISO)
	if err != nil {
		return d.Display
	}
	return i18n.Default().Date(lang, t)
}

// asOfIn writes an as-of date in lang at its own precision: "2012",
// "mai 2012", "3 mai 2012".
func asOfIn(lang string, a vigie.AsOf) string {
	switch a.Precision() {
	case "month":
		return i18n.Default().MonthYear(lang, a.Year, time.Month(a.Month))
	case "day":
		return i18n.Default().Date(lang, time.Date(a.Year, time.Month(a.Month), a.Day, 0, 0, 0, 0, time.UTC))
	}
	return a.Display()
}

// regionNames finds a UN M49 region or sub-region's names by its English
// name, which the region groups of view.go carry.
var regionNames = sync.OnceValue(func() map[string]vigie.Names {
	m := map[string]vigie.Names{}
	for _, r := range vigie.Regions() {
		m[r.Names.EN] = r.Names
		for _, sr := range vigie.SubRegions(r.Code) {
			m[sr.Names.EN] = sr.Names
		}
	}
	return m
})

// regionIn names a region, given its English name, in lang.
func regionIn(lang, english string) string {
	if n, ok := regionNames()[english]; ok {
		return n.In(lang)
	}
	return english
}

// nameRanks orders every country name of one language as a dictionary
// of that language does ("Égypte" among the E's), once: sorting a page's
// countries then compares two integers.
var nameRanks sync.Map // lang → map[string]int

func nameRank(lang string) map[string]int {
	if m, ok := nameRanks.Load(lang); ok {
		return m.(map[string]int)
	}
	var names []string
	for _, c := range vigie.Countries() {
		names = append(names, c.Name(lang))
	}
	collate.New(language.Make(lang), collate.Loose).SortStrings(names)
	m := make(map[string]int, len(names))
	for i, n := range names {
		m[n] = i
	}
	nameRanks.Store(lang, m)
	return m
}

// compareNames orders two country names of lang.
func compareNames(lang, a, b string) int {
	rank := nameRank(lang)
	ra, oka := rank[a]
	rb, okb := rank[b]
	if oka && okb {
		return ra - rb
	}
	return strings.Compare(a, b)
}

// localizeRegions names groupByRegion's regions and sub-regions in lang
// and sorts each group's countries by their name in lang.
func localizeRegions[T any](lang string, groups []regionGroup[T], name func(T) string) {
	for i := range groups {
		g := &groups[i]
		if g.Code == otherRegion {
			g.Name = i18n.Default().T(lang, "region.other_territories")
		} else {
			g.Name = regionIn(lang, g.Name)
		}
		for j := range g.SubRegions {
			sr := &g.SubRegions[j]
			sr.Name = regionIn(lang, sr.Name)
			if lang != "en" {
				slices.SortStableFunc(sr.Countries, func(a, b T) int { return compareNames(lang, name(a), name(b)) })
			}
		}
	}
}

// formatValueIn writes an indicator's structured value in lang: "16 ans".
func formatValueIn(lang string, kind vigie.ValueKind, v *int) string {
	if v == nil {
		return ""
	}
	if kind == vigie.ValueYears {
		return i18n.Default().T(lang, "value.years", "N", *v)
	}
	return i18n.Default().Number(lang, *v)
}

// publicationType names a type of publication in lang.
func publicationType(lang, key string) string {
	if _, ok := vigie.PublicationTypeNames[key]; !ok {
		return key
	}
	if key == vigie.PubOther {
		key = "generic" // "other" is a plural form in the catalogues
	}
	return i18n.Default().T(lang, "pubtype."+key)
}

// taggedCountriesIn names the countries of ISO codes in lang, skipping
// unknown ones.
func taggedCountriesIn(lang string, codes []string) []countryLink {
	var out []countryLink
	for _, code := range codes {
		if c, ok := vigie.CountryByISO2(code); ok {
			out = append(out, countryLink{Slug: c.Slug, Name: c.Name(lang)})
		}
	}
	return out
}

// filterProblemIn shows a bad filter value as a sentence that names it.
func filterProblemIn(lang string, err error) string {
	var e *vigie.Error
	if errors.As(err, &e) && e.Field != "" {
		return i18n.Default().T(lang, "filter.problem", "Field", i18n.Default().T(lang, "filter.field."+e.Field), "Message", errorPhrase(lang, e))
	}
	return i18n.Default().T(lang, "filter.problems")
}

// languageNameIn names the language of a publication in lang; languages
// the catalogue does not name show their code.
func languageNameIn(lang, tag string) string {
	if tag == "" {
		return ""
	}
	base, _, _ := strings.Cut(strings.ToLower(tag), "-")
	if _, ok := languageNames[base]; ok {
		return i18n.Default().T(lang, "language."+base)
	}
	return tag
}

// headerHook lets a middleware amend the response's header once, just
// before it is written, after the handlers have set theirs.
type headerHook struct {
	http.ResponseWriter
	before func(http.Header)
	wrote  bool
}

func (h *headerHook) WriteHeader(code int) {
	if !h.wrote {
		h.wrote = true
		h.before(h.Header())
	}
	h.ResponseWriter.WriteHeader(code)
}

func (h *headerHook) Write(b []byte) (int, error) {
	if !h.wrote {
		h.WriteHeader(http.StatusOK)
	}
	return h.ResponseWriter.Write(b)
}

func (h *headerHook) Unwrap() http.ResponseWriter { return h.ResponseWriter }

// localizeLinks puts the language prefix on the site's own links inside
// <main>, for pages whose templates write plain paths (href="/countries"):
// the layout and most pages use the url function, which this leaves
// alone, since their links already carry the prefix.
func localizeLinks(lang string, page []byte) []byte {
	if lang == "en" {
		return page
	}
	start := bytes.Index(page, []byte("<main"))
	end := bytes.LastIndex(page, []byte("</main>"))
	if start < 0 || end < start {
		return page
	}
	var out []byte
	last := 0
	for i := start; i < end; {
		j := indexAttr(page[i:end])
		if j < 0 {
			break
		}
		at := i + j // the "/" that starts the path
		rest := page[at:end]
		if path := string(rest[:pathLen(rest)]); langPath(lang, path) != path && !strings.HasPrefix(path, "/"+lang+"/") {
			out = append(out, page[last:at]...)
			out = append(out, '/')
			out = append(out, lang...)
			last = at
		}
		i = at + 1
	}
	if out == nil {
		return page
	}
	return append(out, page[last:]...)
}

// indexAttr finds the next href="/ or action="/ and returns the index of
// its "/", or -1. It looks for `="/` once and checks the name before it,
// so that a page costs one pass however many links it has.
func indexAttr(b []byte) int {
	for i := 0; ; {
		k := bytes.Index(b[i:], []byte(`="/`))
		if k < 0 {
			return -1
		}
		at := i + k
		if attrNamed(b[:at], "href") || attrNamed(b[:at], "action") {
			return at + 2
		}
		i = at + 3
	}
}

// attrNamed reports whether b ends with a space and then name.
func attrNamed(b []byte, name string) bool {
	n := len(b) - len(name)
	return n > 0 && string(b[n:]) == name && (b[n-1] == ' ' || b[n-1] == '\n' || b[n-1] == '\t')
}

func pathLen(b []byte) int {
	if k := bytes.IndexByte(b, '"'); k >= 0 {
		return k
	}
	return len(b)
}

// prefixLocation puts the language prefix on redirects to the site's own
// pages, so that a form posted on a French page comes back in French.
func prefixLocation(lang string) func(http.Header) {
	return func(h http.Header) {
		if loc := h.Get("Location"); loc != "" && !strings.HasPrefix(loc, "/"+lang+"/") {
			h.Set("Location", langPath(lang, loc))
		}
	}
}
