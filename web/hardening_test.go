package web

import (
	"context"
	"crypto/tls"
	"go/ast"
	"go/parser"
	"go/token"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	vigie "github.com/vigie-network/vigie"
	"github.com/vigie-network/vigie/export"
)

// getAs serves a GET of target (which may name a host) with header pairs.
func getAs(h http.Handler, target string, header ...string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(http.MethodGet, target, nil)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

// Finding 6 of issue 13: the first reader after a change chose the host
// every later reader's /data cited.
func TestHostHeaderNeverReachesACachedPage(t *testing.T) {
	for _, base := range []string{"", "https://vigie.example.org"} {
		s, st := testSite(t)
		if _, err := export.PublishEdition(context.Background(), st, "2026", "test", time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)); err != nil {
			t.Fatal(err)
		}
		s.WithBaseURL(base).WithPageCache(time.Hour)
		for _, path := range []string{"/data", "/data/editions/2026", "/news.atom", "/countries/mali/news.atom", "/"} {
			getAs(s, "http://evil.example"+path, "X-Forwarded-Proto", "https", "X-Forwarded-Host", "evil.example")
			reader := getAs(s, "http://vigie.example.org"+path)
			if reader.Code != http.StatusOK || strings.Contains(reader.Body.String(), "evil.example") {
				t.Errorf("base %q: GET %s after a request for Host evil.example: %d, mentions evil.example: %v",
					base, path, reader.Code, strings.Contains(reader.Body.String(), "evil.example"))
			}
		}
		cite := textOf(page(t, s, "/data", http.StatusOK).Find("article.edition .cite"))
		if want := base + "/data/editions/2026, "; !strings.Contains(cite, want) {
			t.Errorf("base %q: citation %q, want %q in it", base, cite, want)
		}
	}
}

func TestAForeignHostIsServedButNotCached(t *testing.T) {
	site := &countingSite{}
	site.version.Store(1)
	s := &Server{cache: newPageCache(site.dataVersion, time.Hour), logger: slog.New(slog.DiscardHandler)}
	s.WithBaseURL("https://vigie.example.org")
	h := s.cacheLayer(site)
	for _, host := range []string{"vigie.example.org", "VIGIE.example.org.", "vigie.example.org:443"} {
		if got := getAs(h, "http://"+host+"/countries/mali"); got.Body.String() != "v1 #1" || got.Header().Get("ETag") == "" {
			t.Errorf("Host %s: %q, want the cached page", host, got.Body)
		}
	}
	for i, host := range []string{"evil.example", "vigie.example.org:8443", "127.0.0.1:8080"} {
		got := getAs(h, "http://"+host+"/countries/mali")
		if got.Body.String() != "v1 #"+strconv.Itoa(i+2) || got.Header().Get("ETag") != "" {
			t.Errorf("Host %s: %q, ETag %q: want a page of its own, not cached", host, got.Body, got.Header().Get("ETag"))
		}
	}
	if got := getAs(h, "http://vigie.example.org/countries/mali"); got.Body.String() != "v1 #1" {
		t.Errorf("the cached page became %q", got.Body)
	}
}

// Finding 3 of issue 13 (the cache's half): ?z=random made a render per
// request.
func TestUnknownParametersShareTheCachedPage(t *testing.T) {
	site := &countingSite{}
	site.version.Store(1)
	var seen []string
	h := newPageCache(site.dataVersion, time.Hour).middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		seen = append(seen, r.URL.RequestURI())
		site.ServeHTTP(w, r)
	}))
	for _, u := range []string{"/countries/mali", "/countries/mali?z=1", "/countries/mali?z=2&utm_source=feed",
		"/countries/mali?", "/countries/%6Dali", "/countries/m%61li?fbclid=x", "/countries/mali?%zz"} {
		if got := fetch(h, "GET", u); got.Body.String() != "v1 #1" {
			t.Errorf("GET %s: %q, want the page rendered once", u, got.Body)
		}
	}
	for _, u := range []string{"/news?page=2&country=mali", "/news?country=mali&z=1&page=2", "/news?country=mali&page=2"} {
		if got := fetch(h, "GET", u); got.Body.String() != "v1 #2" {
			t.Errorf("GET %s: %q, want one render for one set of page parameters", u, got.Body)
		}
	}
	if got := fetch(h, "GET", "/news?page=3"); got.Body.String() != "v1 #3" {
		t.Errorf("another page number shares a page: %q", got.Body)
	}
	want := "/countries/mali /news?country=mali&page=2 /news?page=3"
	if strings.Join(seen, " ") != want {
		t.Errorf("pages rendered from %q, want %q", strings.Join(seen, " "), want)
	}
	// An escaped slash routes differently: it keeps its own entry.
	if got := fetch(h, "GET", "/news/a%2Fb"); got.Body.String() == "v1 #1" {
		t.Error("/news/a%2Fb shares the page of another address")
	}
}

// pageParams must hold every query parameter a public page reads, or the
// cached page would not see it. The public pages read them through these
// calls; the editors' pages (edit_*.go, auth.go) are never cached.
func TestPageParamsListsEveryParameterPagesRead(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	readers := map[string]bool{"Get": true, "Has": true, "trimParam": true, "readDay": true, "countryParam": true, "regionParam": true, "FormValue": true}
	name := regexp.MustCompile(`^[a-z][a-z0-9_-]*$`)
	found := 0
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") || strings.HasPrefix(f, "edit_") || f == "auth.go" {
			continue
		}
		file, err := parser.ParseFile(token.NewFileSet(), f, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(file, func(n ast.Node) bool {
			var arg ast.Expr
			switch n := n.(type) {
			case *ast.CallExpr:
				var fn string
				switch f := n.Fun.(type) {
				case *ast.SelectorExpr:
					fn = f.Sel.Name
				case *ast.Ident:
					fn = f.Name
				}
				if readers[fn] {
					for _, a := range n.Args {
						if l, ok := a.(*ast.BasicLit); ok && l.Kind == token.STRING {
							arg = l
							break
						}
					}
				}
			case *ast.IndexExpr:
				if id, ok := n.X.(*ast.Ident); ok && id.Name == "q" {
					arg = n.Index
				}
			}
			if l, ok := arg.(*ast.BasicLit); ok && l.Kind == token.STRING {
				p, _ := strconv.Unquote(l.Value)
				if name.MatchString(p) {
					found++
					if !pageParams[p] {
						t.Errorf("%s reads the query parameter %q, which pageParams (pagecache.go) does not list", f, p)
					}
				}
			}
			return true
		})
	}
	if found < 20 {
		t.Errorf("found %d parameter reads: the scan no longer sees them", found)
	}
}

// Finding 13 of issue 13: a page's validators changed when an editor
// saved a draft, which readers could see.
func TestADraftDoesNotChangeAPublicPagesValidators(t *testing.T) {
	e := newEditorsSite(t)
	researcher := e.addUser("ana@example.org", vigie.RoleResearcher)
	e.srv.WithPageCache(0)
	before := getAs(e.srv, "/countries/mali")
	etag, modified := before.Header().Get("ETag"), before.Header().Get("Last-Modified")
	if before.Code != http.StatusOK || etag == "" {
		t.Fatalf("GET: %d, ETag %q", before.Code, etag)
	}
	time.Sleep(1100 * time.Millisecond) // Last-Modified counts seconds
	if _, err := e.svc.SaveDraft(context.Background(), vigie.Actor{User: researcher}, vigie.Assessment{Country: "ML",
		Indicator: "extraterritoriality-extradition", Rating: vigie.RatingYes, Explanation: "A secret draft."}, 1, "", false); err != nil {
		t.Fatal(err)
	}
	after := getAs(e.srv, "/countries/mali")
	if after.Body.String() != before.Body.String() {
		t.Fatal("the draft shows on the public page")
	}
	if after.Header().Get("ETag") != etag || after.Header().Get("Last-Modified") != modified {
		t.Errorf("after a draft: ETag %q → %q, Last-Modified %q → %q", etag, after.Header().Get("ETag"), modified, after.Header().Get("Last-Modified"))
	}
	if got := getAs(e.srv, "/countries/mali", "If-None-Match", etag); got.Code != http.StatusNotModified {
		t.Errorf("revalidation after a draft: %d, want 304", got.Code)
	}
	dl := getAs(e.srv, "/data/vigie.json")
	if _, err := e.svc.SaveDraft(context.Background(), vigie.Actor{User: researcher}, vigie.Assessment{Country: "ML",
		Indicator: "extraterritoriality-extradition", Rating: vigie.RatingNo, Explanation: "Another draft."}, 2, "", false); err != nil {
		t.Fatal(err)
	}
	if got := getAs(e.srv, "/data/vigie.json"); got.Header().Get("ETag") != dl.Header().Get("ETag") {
		t.Errorf("the download's ETag changed with a draft: %q → %q", dl.Header().Get("ETag"), got.Header().Get("ETag"))
	}
}

// Finding 8 of issue 13.
func TestHTTPSBaseURLMakesCookiesSecureAndSendsHSTS(t *testing.T) {
	e := newEditorsSite(t)
	e.addUser("ana@example.org", vigie.RoleResearcher)
	plain := e.visitor("192.0.2.40:1000")
	plain.get("/")
	res, _ := plain.get("/")
	if res.Header.Get("Strict-Transport-Security") != "" {
		t.Error("HSTS without an https base URL")
	}
	e.srv.WithBaseURL("https://vigie.example.org")
	c := e.visitor("192.0.2.41:1000") // the proxy's plain HTTP to this server
	for _, path := range []string{"/", "/login", "/countries/mali", "/no-such-page"} {
		if res, _ := c.get(path); !strings.Contains(res.Header.Get("Strict-Transport-Security"), "max-age=") {
			t.Errorf("GET %s: no Strict-Transport-Security", path)
		}
	}
	res, _ = c.post("/login", url.Values{"email": {"ana@example.org"}, "password": {testPassword}})
	if ck := c.cookies[sessionCookie]; res.StatusCode != http.StatusSeeOther || ck == nil || !ck.Secure {
		t.Fatalf("sign-in behind TLS: %d, cookie %+v", res.StatusCode, ck)
	}
	if res, _ := c.post("/logout", url.Values{}); len(res.Cookies()) != 1 || !res.Cookies()[0].Secure {
		t.Errorf("the cookie that signs out is not Secure: %+v", res.Cookies())
	}
}

func TestForwardingHeadersAreBelievedOnlyFromTrustedProxies(t *testing.T) {
	trusted, err := ParseTrustedProxies("10.0.0.0/8, 192.0.2.1 ::1")
	if err != nil {
		t.Fatal(err)
	}
	for _, bad := range []string{"10.0.0.0/33", "proxy.example", "10.0.0.1%eth0"} {
		if _, err := ParseTrustedProxies(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
	var addr string
	var https bool
	var leftover http.Header
	h := trusted.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		addr, https, leftover = clientAddr(r), RequestIsHTTPS(r), r.Header.Clone()
	}))
	for _, tt := range []struct {
		peer, xff, proto string
		addr             string
		https            bool
	}{
		{"198.51.100.7:5000", "203.0.113.9", "https", "198.51.100.7", false}, // not a proxy: forged
		{"10.1.2.3:5000", "203.0.113.9", "https", "203.0.113.9", true},
		{"10.1.2.3:5000", "1.1.1.1, 203.0.113.9", "http", "203.0.113.9", false},  // the reader wrote 1.1.1.1
		{"10.1.2.3:5000", "203.0.113.9, 10.9.9.9", "https", "203.0.113.9", true}, // two proxies
		{"10.1.2.3:5000", "garbage, 10.9.9.9", "", "10.9.9.9", false},
		{"10.1.2.3:5000", "", "", "10.1.2.3", false},
		{"[::1]:5000", "2001:db8::5", "HTTPS", "2001:db8::5", true},
		{"[::ffff:192.0.2.1]:5000", "203.0.113.10", "", "203.0.113.10", false},
	} {
		req := httptest.NewRequest(http.MethodGet, "/", nil)
		req.RemoteAddr = tt.peer
		if tt.xff != "" {
			req.Header.Set("X-Forwarded-For", tt.xff)
		}
		if tt.proto != "" {
			req.Header.Set("X-Forwarded-Proto", tt.proto)
		}
		req.Header.Set("Forwarded", "for=6.6.6.6;proto=https")
		h.ServeHTTP(httptest.NewRecorder(), req)
		if addr != tt.addr || https != tt.https {
			t.Errorf("peer %s, X-Forwarded-For %q, proto %q: address %s, https %v; want %s, %v", tt.peer, tt.xff, tt.proto, addr, https, tt.addr, tt.https)
		}
		for _, k := range []string{"X-Forwarded-For", "X-Forwarded-Proto", "Forwarded"} {
			if leftover.Get(k) != "" {
				t.Errorf("%s reached the handler", k)
			}
		}
	}
	// TLS to this server is HTTPS whatever the headers say.
	req := httptest.NewRequest(http.MethodGet, "/", nil)
	req.TLS = &tls.ConnectionState{}
	h.ServeHTTP(httptest.NewRecorder(), req)
	if !https {
		t.Error("a TLS request is not HTTPS")
	}
}

// Finding 9 of issue 13: behind a proxy every reader had the proxy's
// address, so one guesser slowed everyone down.
func TestBehindATrustedProxyEachReaderHasTheirOwnAddress(t *testing.T) {
	e := newEditorsSite(t)
	e.addUser("ana@example.org", vigie.RoleResearcher)
	stopped := time.Now()
	e.svc.Now = func() time.Time { return stopped }
	trusted, err := ParseTrustedProxies("127.0.0.1")
	if err != nil {
		t.Fatal(err)
	}
	h := trusted.Handler(e.srv)
	login := func(forwardedFor, password string) int {
		c := &client{t: t, h: h, addr: "127.0.0.1:40000", cookies: map[string]*http.Cookie{}}
		res, _ := c.post("/login", url.Values{"email": {"ana@example.org"}, "password": {password}},
			"X-Forwarded-For", forwardedFor, "X-Forwarded-Proto", "https")
		return res.StatusCode
	}
	for range 5 {
		login("203.0.113.66", "not the password")
	}
	if got := login("203.0.113.66", testPassword); got != http.StatusTooManyRequests {
		t.Errorf("the guesser's sixth try: %d, want 429", got)
	}
	if got := login("198.51.100.20", testPassword); got != http.StatusSeeOther {
		t.Errorf("the owner, through the same proxy: %d, want a sign-in", got)
	}
	// A reader who writes X-Forwarded-For themselves, past the proxy,
	// does not escape: the proxy appends the address it saw.
	if got := login("198.51.100.20, 203.0.113.66", testPassword); got != http.StatusTooManyRequests {
		t.Errorf("a forged X-Forwarded-For escaped the wait: %d", got)
	}
}
