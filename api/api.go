// Package api serves Vigie's data as JSON under /api/v1/: countries, the
// indicator framework, assessments and their revisions, sources,
// publications and news, described by the OpenAPI document in openapi.json.
//
// Reads are public, cacheable (ETag, Last-Modified) and open to other
// origins (CORS). Writes carry a bearer token and go through the same
// vigie.Service as the editors' forms, so the rules cannot drift: drafts
// and review, no lost updates (If-Match), an audit entry for every write.
package api

import (
	"log/slog"
	"net/http"
	"strings"

	vigie "github.com/vigie-network/vigie"
)

// Prefix is where the API lives; handlers see full paths.
const Prefix = "/api/v1"

// Server is the JSON API. It is an http.Handler for paths under Prefix.
type Server struct {
	store   vigie.Reader
	service *vigie.Service // every write goes through it
	logger  *slog.Logger
	clock   versionClock
	handler http.Handler
}

// New builds the API on the service's store. A nil logger discards.
func New(service *vigie.Service, logger *slog.Logger) http.Handler {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	s := &Server{store: service.Store, service: service, logger: logger}
	mux := http.NewServeMux()
	for _, rt := range s.routes() {
		var allow []string
		for method, h := range rt.methods {
			mux.HandleFunc(method+" "+Prefix+rt.path, h)
			allow = append(allow, method)
		}
		mux.HandleFunc(Prefix+rt.path, s.methodNotAllowed(allow))
	}
	mux.HandleFunc(Prefix+"/", s.handleUnknown)
	s.handler = s.headers(mux)
	return s
}

type route struct {
	path    string // after Prefix
	methods map[string]http.HandlerFunc
}

// routes is the whole API, one line per path; each handler lives in the
// file named after its resource.
func (s *Server) routes() []route {
	get := func(h http.HandlerFunc) map[string]http.HandlerFunc { return map[string]http.HandlerFunc{"GET": h} }
	return []route{
		{"/{$}", get(s.handleIndex)},
		{"/openapi.json", get(s.handleOpenAPI)},
		{"/countries", get(s.handleCountries)},
		{"/countries/{country}", get(s.handleCountry)},
		{"/indicators", get(s.handleIndicators)},
		{"/assessments", get(s.handleAssessments)},
		{"/assessments/{country}/{indicator}", map[string]http.HandlerFunc{"GET": s.handleAssessment, "PUT": s.handlePutAssessment}},
		{"/assessments/{country}/{indicator}/revisions", get(s.handleRevisions)},
		{"/assessments/{country}/{indicator}/revisions/{number}", get(s.handleRevision)},
		{"/assessments/{country}/{indicator}/publish", map[string]http.HandlerFunc{"POST": s.handlePublish}},
		{"/sources", get(s.handleSources)},
		{"/publications", get(s.handlePublications)},
		{"/news", get(s.handleNews)},
		{"/news/{slug}", get(s.handleNewsItem)},
	}
}

func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.handler.ServeHTTP(w, r)
}

// headers sets what every API response carries, and answers CORS
// preflights. Reads are open to every origin: the data is public. Writes
// are not, so that a web page cannot use a visitor's token.
func (s *Server) headers(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'")
		switch r.Method {
		case http.MethodGet, http.MethodHead:
			h.Set("Access-Control-Allow-Origin", "*")
			h.Set("Access-Control-Expose-Headers", "ETag, Last-Modified, Link")
		case http.MethodOptions:
			// A preflight allows GET only, whatever it asks for: the
			// browser then refuses cross-origin writes itself.
			h.Set("Access-Control-Allow-Origin", "*")
			h.Set("Access-Control-Allow-Methods", "GET, HEAD")
			h.Set("Access-Control-Allow-Headers", "Accept, Accept-Language, If-None-Match, If-Modified-Since")
			h.Set("Access-Control-Max-Age", "86400")
			h.Set("Allow", "GET, HEAD, OPTIONS")
			w.WriteHeader(http.StatusNoContent)
			return
		}
		next.ServeHTTP(w, r)
	})
}

type indexJSON struct {
	OpenAPI      string `json:"openapi"`
	Countries    string `json:"countries"`
	Indicators   string `json:"indicators"`
	Assessments  string `json:"assessments"`
	Sources      string `json:"sources"`
	Publications string `json:"publications"`
	News         string `json:"news"`
}

// handleIndex lists the collections, so that a client can start from the
// root.
func (s *Server) handleIndex(w http.ResponseWriter, r *http.Request) {
	if !s.checkParams(w, r) || s.validators(w, r, `"`+buildTag()+`-index"`, startedAt, false) {
		return
	}
	s.writeJSON(w, r, http.StatusOK, indexJSON{
		OpenAPI: Prefix + "/openapi.json", Countries: Prefix + "/countries", Indicators: Prefix + "/indicators",
		Assessments: Prefix + "/assessments", Sources: Prefix + "/sources", Publications: Prefix + "/publications",
		News: Prefix + "/news",
	})
}

func (s *Server) handleUnknown(w http.ResponseWriter, r *http.Request) {
	s.fail(w, r, vigie.Errorf(vigie.ENOTFOUND, "no such API path: %s (see %s/openapi.json)", r.URL.Path, Prefix))
}

func (s *Server) methodNotAllowed(allow []string) http.HandlerFunc {
	list := strings.Join(append(sortedMethods(allow), "OPTIONS"), ", ")
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Allow", list)
		s.fail(w, r, &httpError{status: http.StatusMethodNotAllowed, detail: r.Method + " is not allowed here; use " + list})
	}
}

func sortedMethods(m []string) []string {
	out := []string{}
	for _, want := range []string{"GET", "HEAD", "PUT", "POST"} {
		for _, have := range m {
			if have == want {
				out = append(out, have)
				if have == "GET" {
					out = append(out, "HEAD")
				}
			}
		}
	}
	return out
}
