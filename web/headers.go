package web

import "net/http"

// contentSecurityPolicy allows nothing but the site's own stylesheet and
// images: the site has no script, and sanitised user content must not be
// able to add one.
const contentSecurityPolicy = "default-src 'self'; img-src 'self' data:; style-src 'self'; " +
	"script-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"

// securityHeaders are set on every response. The value slices are shared
// by all responses: each has cap == len, so that a handler's Add copies
// instead of writing into them, and nothing writes them in place.
var securityHeaders = []headerField{
	{"Content-Security-Policy", []string{contentSecurityPolicy}},
	{"X-Content-Type-Options", []string{"nosniff"}},
	{"Referrer-Policy", []string{"strict-origin-when-cross-origin"}},
}

// secure sets the security headers on every response. The keys are in
// canonical form already, so they are assigned without Header.Set's
// canonicalisation and allocation: this runs on every request.
func secure(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		for _, f := range securityHeaders {
			h[f.key] = f.values
		}
		next.ServeHTTP(w, r)
	})
}
