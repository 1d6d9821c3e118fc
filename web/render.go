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
	"path"
	"strconv"
	"strings"
	"sync"
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

func parsePages(cssPath string) (map[string]*template.Template, error) {
	base, err := template.New("").Funcs(templateFuncs).ParseFS(templateFS, layoutFiles...)
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
		t, err := template.Must(base.Clone()).ParseFS(templateFS, "templates/"+name+".html")
		if err != nil {
			return nil, err
		}
		if t.Lookup("content") == nil {
			return nil, fmt.Errorf("templates/%s.html does not define \"content\"", name)
		}
		if err := t.ExecuteTemplate(io.Discard, "layout", layout{CSS: cssPath, Page: model}); err != nil {
			return nil, fmt.Errorf("page %s: %w", name, err)
		}
		pages[name] = t
	}
	return pages, nil
}

var pageBuffers = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// render executes a page into a buffer first, so that a template error
// becomes a clean 500 page rather than half a page.
func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, name string, l layout) {
	buf := pageBuffers.Get().(*bytes.Buffer)
	defer func() { buf.Reset(); pageBuffers.Put(buf) }()
	l.CSS = s.css.path
	if err := s.pages[name].ExecuteTemplate(buf, "layout", l); err != nil {
		s.logError(r, fmt.Errorf("render %s: %w", name, err))
		if name == "error" {
			http.Error(w, "Something went wrong on our side.", http.StatusInternalServerError)
			return
		}
		s.serverError(w, r, nil)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Content-Length", strconv.Itoa(buf.Len()))
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

// errorPage is the view model of the 404 and 500 pages.
type errorPage struct {
	Heading string
	Message string
}

func (s *Server) notFound(w http.ResponseWriter, r *http.Request) {
	s.notFoundMessage(w, r, "There is no page at this address. It may have moved, or the link may be mistyped.")
}

func (s *Server) notFoundMessage(w http.ResponseWriter, r *http.Request, msg string) {
	s.render(w, r, http.StatusNotFound, "error", layout{
		Title: "Page not found",
		Page:  errorPage{Heading: "Page not found", Message: msg},
	})
}

// serverError logs err, which may hold internal details, and shows the
// reader only that something failed on our side.
func (s *Server) serverError(w http.ResponseWriter, r *http.Request, err error) {
	if err != nil {
		s.logError(r, err)
	}
	s.render(w, r, http.StatusInternalServerError, "error", layout{
		Title: "Something went wrong",
		Page: errorPage{Heading: "Something went wrong",
			Message: "We could not show this page because of a problem on our side. Please try again in a moment."},
	})
}

func (s *Server) logError(r *http.Request, err error) {
	if errors.Is(err, context.Canceled) { // the reader left; nothing to fix
		s.logger.DebugContext(r.Context(), "request canceled", "method", r.Method, "path", r.URL.Path, "err", err)
		return
	}
	s.logger.ErrorContext(r.Context(), "request failed", "method", r.Method, "path", r.URL.Path, "err", err)
}
