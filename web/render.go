package web

import (
	"bytes"
	"context"
	"embed"
	"errors"
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"net/http"
	"net/url"
	"path"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/vigie-network/vigie/web/i18n"
)

//go:embed templates
var templateFS embed.FS

// layoutFiles hold the layout and the partials every page shares.
var layoutFiles = []string{"templates/layout.html", "templates/partials.html"}

// pageModels names each page template (templates/NAME.html, defining
// "content") and the view model it renders. At start every page is run on
// its zero model, so a missing template, a misspelt field or an escaping
// error fails New instead of a request.
var pageModels = map[string]any{
	"home":       homePage{},
	"countries":  countriesPage{},
	"country":    countryPage{},
	"indicators": indicatorsPage{},
	"indicator":  indicatorPage{},
	"news":       newsPage{},
	"error":      errorPage{},
}

// layout is what the base layout renders around a page.
type layout struct {
	Title string // before " · Vigie"; empty on the home page
	Nav   string // the main navigation entry that is the current page
	CSS   string // the stylesheet's hashed path
	Page  any    // the page's view model, the dot of its "content"

	// Set by render: the page in every language, for the language
	// switcher and the hreflang alternates.
	Alternates []altLink
	// Set by render: the address of the page without its language prefix,
	// and the English one for x-default.
	XDefault string
	// Set by render: the configured public address (WithBaseURL), which
	// makes share links absolute; never the request's Host, which a
	// cached page would keep for everyone.
	Base string
	// PageURL is this page's absolute address for og:url, percent-encoded
	// (a meta attribute is not a URL context, so the template would not
	// encode a raw byte of the request path); "" without a base URL.
	PageURL string
}

var templateFuncs = template.FuncMap{
	// dash shows a missing value as the network's pages do.
	"dash": func(s string) string {
		if strings.TrimSpace(s) == "" {
			return "—"
		}
		return s
	},
}

// langFuncs are the template functions of one language: t (a message of
// the catalogue), url (a path of the site in this language), lang, num
// (a number) and date (a dateView).
func langFuncs(lang string) template.FuncMap {
	cat := i18n.Default()
	return template.FuncMap{
		"t": func(id string, args ...any) string { return cat.T(lang, id, args...) },
		"url": func(parts ...any) string {
			var b strings.Builder
			for _, p := range parts {
				if s, ok := p.(string); ok {
					b.WriteString(s)
				} else {
					fmt.Fprint(&b, p)
				}
			}
			return langPath(lang, b.String())
		},
		"lang": func() string { return lang },
		"num":  func(n int) string { return cat.Number(lang, n) },
		"date": func(d dateView) string { return d.in(lang) },
	}
}

// parsePages parses every page once per language, each set with its own
// language's functions, so that a request only picks its set: nothing is
// cloned or shared per request. Every page is checked at start on its
// zero model in English; the other languages run the same templates.
func parsePages(cssPath string, offline bool) (map[string]map[string]*template.Template, error) {
	all := map[string]map[string]*template.Template{}
	for _, lang := range i18n.Languages {
		pages, err := parseLangPages(cssPath, lang, offline)
		if err != nil {
			return nil, err
		}
		all[lang] = pages
	}
	return all, nil
}

func parseLangPages(cssPath, lang string, offline bool) (map[string]*template.Template, error) {
	// offline is true in the offline copy, whose pages leave out their forms.
	funcs := template.FuncMap{"offline": func() bool { return offline }}
	base, err := parseLocalized(template.New("").Funcs(templateFuncs).Funcs(langFuncs(lang)).Funcs(funcs), lang, layoutFiles...)
	if err != nil {
		return nil, err
	}
	files, err := fs.Glob(templateFS, "templates/*.html")
	if err != nil {
		return nil, err
	}
	pages := map[string]*template.Template{}
	for _, file := range files {
		name := strings.TrimSuffix(path.Base(file), ".html")
		if name == "layout" || name == "partials" {
			continue
		}
		if _, ok := pageModels[name]; !ok {
			return nil, fmt.Errorf("%s has no view model in pageModels", file)
		}
	}
	for name, model := range pageModels {
		t, err := parseLocalized(template.Must(base.Clone()), lang, "templates/"+name+".html")
		if err != nil {
			return nil, err
		}
		if t.Lookup("content") == nil {
			return nil, fmt.Errorf("templates/%s.html does not define \"content\"", name)
		}
		if lang != "en" {
			pages[name] = t
			continue
		}
		if err := t.ExecuteTemplate(io.Discard, "layout", layout{CSS: cssPath, Page: model}); err != nil {
			return nil, fmt.Errorf("page %s: %w", name, err)
		}
		pages[name] = t
	}
	return pages, nil
}

// parseLocalized parses template files into t as ParseFS does, with every
// call of t on a message id alone replaced by the message in lang, and
// every call of url on a constant path by the path in lang: a page shows
// dozens of these labels and links, the same on every page, and a call
// (with html/template's escapers after it) costs more than the text. The
// text is escaped as html/template would escape it; templates use such
// calls only in text and quoted attributes.
func parseLocalized(t *template.Template, lang string, files ...string) (*template.Template, error) {
	cat := i18n.Default()
	for _, file := range files {
		src, err := fs.ReadFile(templateFS, file)
		if err != nil {
			return nil, err
		}
		src = constantMessage.ReplaceAllFunc(src, func(call []byte) []byte {
			id := constantMessage.FindSubmatch(call)[1]
			if text, ok := cat.Plain(lang, string(id)); ok {
				return []byte(template.HTMLEscapeString(text))
			}
			return call // unknown: t answers with the id, which tests look for
		})
		src = constantURL.ReplaceAllFunc(src, func(call []byte) []byte {
			return []byte(template.HTMLEscapeString(langPath(lang, string(constantURL.FindSubmatch(call)[1]))))
		})
		name := path.Base(file)
		tmpl := t
		if name != t.Name() {
			tmpl = t.New(name)
		}
		if _, err := tmpl.Parse(string(src)); err != nil {
			return nil, err
		}
	}
	return t, nil
}

var (
	constantMessage = regexp.MustCompile(`\{\{t "([A-Za-z0-9_.]+)"\}\}`)
	constantURL     = regexp.MustCompile(`\{\{url "(/[A-Za-z0-9_./-]*)"\}\}`)
)

var pageBuffers = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// render executes a page into a buffer first, so that a template error
// becomes a clean 500 page rather than half a page.
func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, name string, l layout) {
	buf := pageBuffers.Get().(*bytes.Buffer)
	defer func() { buf.Reset(); pageBuffers.Put(buf) }()
	l.CSS = s.css.path
	lang := langOf(r.Context())
	page := r.URL.Path
	if q := r.URL.Query(); q.Has("after") {
		// A list's page cursor follows the order of its language (the
		// directory sorts countries by their names in it): in another
		// language the list starts again.
		q.Del("after")
		page = pathWithQuery(page, q)
	} else if r.URL.RawQuery != "" {
		page += "?" + r.URL.RawQuery
	}
	l.Alternates, l.XDefault = alternates(lang, page), page
	l.Base = s.baseURL
	if s.baseURL != "" {
		canonical := url.URL{Path: langPath(lang, r.URL.Path), RawQuery: r.URL.Query().Encode()}
		l.PageURL = s.baseURL + canonical.String()
	}
	if err := s.pages[lang][name].ExecuteTemplate(buf, "layout", l); err != nil {
		s.logError(r, fmt.Errorf("render %s: %w", name, err))
		if name == "error" {
			http.Error(w, "Something went wrong on our side.", http.StatusInternalServerError)
			return
		}
		s.serverError(w, r, nil)
		return
	}
	body := localizeLinks(lang, buf.Bytes())
	if !utf8.Valid(body) {
		// A form sent back with what was typed may hold bytes that are not
		// UTF-8 (the domain refuses to store them): the page stays UTF-8.
		body = bytes.ToValidUTF8(body, []byte("\uFFFD"))
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	w.Write(body)
}

// errorPage is the view model of the 404 and 500 pages.
type errorPage struct {
	Heading string
	Message string
}

func (s *Server) notFound(w http.ResponseWriter, r *http.Request) {
	s.notFoundMessage(w, r, tr(r, "error.no_page"))
}

func (s *Server) notFoundMessage(w http.ResponseWriter, r *http.Request, msg string) {
	s.render(w, r, http.StatusNotFound, "error", layout{
		Title: tr(r, "error.not_found"),
		Page:  errorPage{Heading: tr(r, "error.not_found"), Message: msg},
	})
}

// serverError logs err, which may hold internal details, and shows the
// reader only that something failed on our side.
func (s *Server) serverError(w http.ResponseWriter, r *http.Request, err error) {
	if err != nil {
		s.logError(r, err)
	}
	s.render(w, r, http.StatusInternalServerError, "error", layout{
		Title: tr(r, "error.server"),
		Page:  errorPage{Heading: tr(r, "error.server"), Message: tr(r, "error.server_msg")},
	})
}

func (s *Server) logError(r *http.Request, err error) {
	if errors.Is(err, context.Canceled) { // the reader left; nothing to fix
		s.logger.DebugContext(r.Context(), "request canceled", "method", r.Method, "path", r.URL.Path, "err", err)
		return
	}
	s.logger.ErrorContext(r.Context(), "request failed", "method", r.Method, "path", r.URL.Path, "err", err)
}

// workSlots bound the processor time that costly rendering may take at
// once, across every request of the process: a long Markdown text or a
// diff of two long revisions runs only in a free slot, so that a few
// clients asking for such work cannot starve the readers of every other
// page. Half the processors (at least one) are left for everything else.
var workSlots = make(chan struct{}, max(1, runtime.GOMAXPROCS(0)/2))

// costlyPages are the slots of whole pages that show much text (below):
// apart from workSlots, so that such a page can still have its diffs
// computed. Its own goroutine waits while they run.
var costlyPages = make(chan struct{}, max(1, runtime.GOMAXPROCS(0)/2))

// takeWorkSlot waits at most wait for a free slot; release it with
// releaseWorkSlot.
func takeWorkSlot(wait time.Duration) bool {
	return takeSlot(context.Background(), workSlots, wait)
}

// takeSlot takes a place in slots, waiting at most wait for one (or until
// ctx ends).
func takeSlot(ctx context.Context, slots chan struct{}, wait time.Duration) bool {
	select {
	case slots <- struct{}{}:
		return true
	default:
	}
	if wait <= 0 {
		return false
	}
	t := time.NewTimer(wait)
	defer t.Stop()
	select {
	case slots <- struct{}{}:
		return true
	case <-t.C:
		return false
	case <-ctx.Done():
		return false
	}
}

func releaseWorkSlot() { <-workSlots }

// costlyPageBytes is how much text a page may show before rendering it
// takes a work slot (the history of long revisions).
const costlyPageBytes = 64 << 10

// takeCostlyPage takes a slot of costlyPages for a page that shows textBytes of
// text, when that is past costlyPageBytes; release is then to be called
// when the page is written. When every slot is taken it answers 503 at
// once and ok is false: a request left to wait is served in the end, and
// for a client asking in a loop that cost other readers more than a
// refusal (bench/RESULTS.md, "Hostile requests").
func (s *Server) takeCostlyPage(w http.ResponseWriter, r *http.Request, textBytes int) (release func(), ok bool) {
	if textBytes <= costlyPageBytes {
		return func() {}, true
	}
	if !takeSlot(r.Context(), costlyPages, 0) {
		s.busy(w, r)
		return nil, false
	}
	// The slot stays taken as long again after the page is done: costly
	// pages in a row take at most half of one processor.
	start := time.Now()
	return func() { time.AfterFunc(time.Since(start), func() { <-costlyPages }) }, true
}

// busy answers 503 with a page asking the reader to try again shortly.
func (s *Server) busy(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Retry-After", "5")
	w.Header().Set("Cache-Control", "no-store")
	s.render(w, r, http.StatusServiceUnavailable, "error", layout{
		Title: tr(r, "error.busy"),
		Page:  errorPage{Heading: tr(r, "error.busy"), Message: tr(r, "error.busy_msg")},
	})
}
