// Package web serves Vigie's public site: server-rendered HTML that needs no
// JavaScript, built for slow connections and small screens. It reads the
// store on every request, so data imported by another process shows at once.
package web

import (
	"html/template"
	"log/slog"
	"net/http"
	"sync"

	vigie "github.com/vigie-network/vigie"
	"github.com/vigie-network/vigie/files"
)

// Server is the public site and the editors' workspace. It is an
// http.Handler.
type Server struct {
	// store names indicators and ratings in the request's language
	// (localizedReader); source is the store as it is, in English.
	store   vigie.Reader
	source  vigie.Reader
	service *vigie.Service // every write goes through it
	logger  *slog.Logger

	pages       map[string]map[string]*template.Template // by language, then page name
	css         asset
	explanation *markdown // headings start at h4, under the indicator's h3
	article     *markdown // headings start at h2, under the news title
	handler     http.Handler
	cache       *pageCache // nil: every page is rendered per request (WithPageCache)
	downloads   dataFiles
	// costlyHistories are the assessments (ISO2/key) whose history showed
	// more than costlyPageBytes of text (history.go).
	costlyHistories sync.Map

	files    *files.Store // uploaded PDFs; nil: uploads are off (WithFiles)
	baseURL  string       // the site's public address, for absolute links (WithBaseURL)
	baseHost string       // its host, as canonicalHost writes it; "" without a base URL
	// foreignHost logs once that requests name another host than baseURL's.
	foreignHost sync.Once

	// offline renders for the offline copy (site.go): forms, which need a
	// server, are neither built nor written.
	offline bool
}

// New builds the site on the service's store. It panics if the embedded
// templates do not parse or execute, which every test run would catch first.
func New(service *vigie.Service, logger *slog.Logger) *Server {
	return newServer(service, logger, false)
}

func newServer(service *vigie.Service, logger *slog.Logger, offline bool) *Server {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	s := &Server{
		store:       localizedReader{service.Store},
		source:      service.Store,
		service:     service,
		logger:      logger,
		css:         newAsset("vigie", "css", "text/css; charset=utf-8", cssSource),
		explanation: newMarkdown(4),
		article:     newMarkdown(2),
		offline:     offline,
	}
	if offline {
		// The copy renders every explanation of the dataset, in up to
		// three languages: kept for the whole crawl, 7,228 renders of
		// the full synthetic dataset become 5,529.
		s.explanation.html = newMemo[template.HTML](1 << 20)
	}
	pages, err := parsePages(s.css.path, offline)
	if err != nil {
		panic("web: " + err.Error())
	}
	s.pages = pages

	mux := http.NewServeMux()
	// Each part of the site registers its own routes in its own file.
	for _, register := range []func(*http.ServeMux){s.publicRoutes, s.libraryRoutes, s.editRoutes, s.dataRoutes, s.exploreRoutes, s.translationRoutes, s.frameworkRoutes, s.needsLookRoutes} {
		register(mux)
	}
	mux.HandleFunc("/", s.handleUnknown)
	// withSessions refuses cross-origin posts and loads the signed-in user.
	// The page cache sits outside compression so that it keeps compressed
	// bytes; it passes through what it does not cache.
	// negotiateLanguage sends French and Spanish browsers from / to /fr/
	// or /es/ before the cache answers; withLanguage, inside the cache,
	// serves /fr/… and /es/… by the same routes (lang.go).
	s.handler = s.secure(negotiateLanguage(s.cacheLayer(compress(withLanguage(s.withSessions(mux))))))
	return s
}

// publicRoutes are the read-only pages of issue #2.
func (s *Server) publicRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /{$}", s.handleHome)
	mux.HandleFunc("GET /countries", s.handleCountries)
	mux.HandleFunc("GET /countries/{$}", redirectTo("/countries"))
	mux.HandleFunc("GET /countries/{slug}", s.handleCountry)
	mux.HandleFunc("GET /indicators", s.handleIndicators)
	mux.HandleFunc("GET /indicators/{$}", redirectTo("/indicators"))
	mux.HandleFunc("GET /indicators/{key}", s.handleIndicator)
	mux.HandleFunc("GET /news/{slug}", s.handleNewsItem)
	mux.HandleFunc("GET /healthz", s.handleHealth)
	mux.HandleFunc("GET /static/{file}", s.handleStatic)
}

func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.handler.ServeHTTP(w, r)
}

// handleUnknown answers every path no page claims: a 404 page for reads,
// 405 for other methods, since the public site takes no writes.
func (s *Server) handleUnknown(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "Method not allowed: the public site only answers GET and HEAD.", http.StatusMethodNotAllowed)
		return
	}
	s.notFound(w, r)
}

func redirectTo(path string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, path, http.StatusMovedPermanently)
	}
}
