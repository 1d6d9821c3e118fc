package web

import (
	"net/http"
	"strings"
)

// contentSecurityPolicy allows nothing but the site's own stylesheet and
// images: the site has no script, and sanitised user content must not be
// able to add one. No other site may frame a page (frame-ancestors).
const contentSecurityPolicy = "default-src 'self'; img-src 'self' data:; style-src 'self'; " +
	"script-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"

// Header values shared by all responses. Each slice has cap == len, so that
// a handler's Add copies instead of writing into it, and nothing writes
// them in place.
var (
	defaultCSP = []string{contentSecurityPolicy}
	// hsts tells browsers to reach the site over HTTPS only, for a year,
	// once they have seen it over HTTPS. Sub-domains are left alone: they
	// may be other services.
	hsts = []string{"max-age=31536000"}
)

// securityHeaders are set on every response, whatever its path.
var securityHeaders = []headerField{
	{"X-Content-Type-Options", []string{"nosniff"}},
	{"Referrer-Policy", []string{"strict-origin-when-cross-origin"}},
}

// contentSecurityPolicyFor is the one place that decides a response's
// Content-Security-Policy, framing included, by its path (with any
// language prefix). The embeds (embed.go) widen frame-ancestors
// themselves, once they know the record exists, so that even their
// not-found pages cannot be framed.
func contentSecurityPolicyFor(path string) []string {
	return defaultCSP
}

// secure sets the security headers on every response: those above, the
// Content-Security-Policy of the path, and Strict-Transport-Security when
// the site's base URL is https. The keys are in canonical form already, so
// they are assigned without Header.Set's canonicalisation and allocation:
// this runs on every request.
func (s *Server) secure(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		for _, f := range securityHeaders {
			h[f.key] = f.values
		}
		h["Content-Security-Policy"] = contentSecurityPolicyFor(r.URL.Path)
		if strings.HasPrefix(s.baseURL, "https://") {
			h["Strict-Transport-Security"] = hsts
		}
		next.ServeHTTP(w, r)
	})
}

// StrictTransport adds Strict-Transport-Security to next's responses when
// baseURL is https, for handlers beside the site, such as the API.
func StrictTransport(baseURL string, next http.Handler) http.Handler {
	if !strings.HasPrefix(baseURL, "https://") {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header()["Strict-Transport-Security"] = hsts
		next.ServeHTTP(w, r)
	})
}
