package web

import (
	"io"
	"net/http/httptest"
	"strings"
	"testing"
	"unicode/utf8"
)

// A request path holding a byte that is not UTF-8 must not come back raw
// in the page's og:url (a meta attribute, which html/template does not
// percent-encode).
func TestShareURLIsEncoded(t *testing.T) {
	srv, _ := testSite(t)
	srv.WithBaseURL("https://vigie.example.org")
	for _, target := range []string{"/organisations/%FF", "/news/%FF?x=%00", "/fr/countries/%C3%28"} {
		rec := httptest.NewRecorder()
		srv.ServeHTTP(rec, httptest.NewRequest("GET", target, nil))
		body, _ := io.ReadAll(rec.Body)
		if !utf8.Valid(body) {
			t.Errorf("GET %s: the page is not valid UTF-8", target)
		}
		i := strings.Index(string(body), `property="og:url" content="`)
		if i < 0 {
			t.Errorf("GET %s: no og:url", target)
			continue
		}
		got := string(body[i:])
		got = got[len(`property="og:url" content="`):strings.Index(got, `">`)]
		if strings.ContainsAny(got, "\x00\ufffd ") || !strings.HasPrefix(got, "https://vigie.example.org/") {
			t.Errorf("GET %s: og:url %q", target, got)
		}
	}
}
