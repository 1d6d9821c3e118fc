package web

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	"github.com/vigie-network/vigie/internal/testdb"
)

func TestAcceptsGzip(t *testing.T) {
	for header, want := range map[string]bool{
		"":                        false,
		"gzip":                    true,
		"GZIP":                    true,
		"deflate, gzip;q=0.8":     true,
		"br, gzip;q=0":            false,
		"gzip; q=0.0":             false,
		"*":                       true,
		"identity":                false,
		"deflate, br, zstd, gzip": true,
	} {
		r := httptest.NewRequest(http.MethodGet, "/", nil)
		if header != "" {
			r.Header.Set("Accept-Encoding", header)
		}
		if got := acceptsGzip(r); got != want {
			t.Errorf("Accept-Encoding %q: %v, want %v", header, got, want)
		}
	}
}

func TestCompression(t *testing.T) {
	s, _ := testSite(t)
	plainRes, plain := get(t, s, "/countries/mali")
	if plainRes.Header.Get("Content-Encoding") != "" {
		t.Fatal("compressed for a client that did not ask")
	}
	res, body := get(t, s, "/countries/mali", "Accept-Encoding", "gzip, deflate")
	if res.Header.Get("Content-Encoding") != "gzip" || res.Header.Get("Vary") != "Accept-Encoding" {
		t.Fatalf("Content-Encoding %q, Vary %q", res.Header.Get("Content-Encoding"), res.Header.Get("Vary"))
	}
	if res.Header.Get("Content-Length") != "" {
		t.Error("the compressed response keeps the plain Content-Length")
	}
	if res.Header.Get("Content-Type") != "text/html; charset=utf-8" {
		t.Errorf("Content-Type %q", res.Header.Get("Content-Type"))
	}
	if !bytes.Equal(gunzip(t, body), plain) {
		t.Error("the gzipped page differs from the plain one")
	}
	// Redirects and errors compress too; bodiless answers stay empty.
	res, body = get(t, s, "/countries/atlantis", "Accept-Encoding", "gzip")
	if res.StatusCode != http.StatusNotFound || res.Header.Get("Content-Encoding") != "gzip" || len(gunzip(t, body)) == 0 {
		t.Errorf("404: %d %q", res.StatusCode, res.Header.Get("Content-Encoding"))
	}
	req := httptest.NewRequest(http.MethodHead, "/countries/mali", nil)
	req.Header.Set("Accept-Encoding", "gzip")
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, req)
	if rec.Code != http.StatusOK || rec.Header().Get("Content-Encoding") != "" {
		t.Errorf("HEAD: %d %q", rec.Code, rec.Header().Get("Content-Encoding"))
	}
}

// TestCountryPageWeight holds the quality bar: a country page with a full
// profile weighs under 30 KB compressed, stylesheet included.
func TestCountryPageWeight(t *testing.T) {
	st := testdb.SQLite(t)
	seedFullProfile(t, st)
	s := serverOn(st, nil)
	doc := page(t, s, "/countries/mali", http.StatusOK)
	if n := doc.Find(".explanation").Length(); n != 9 {
		t.Fatalf("the full profile has %d explanations, want 9", n)
	}
	if n := doc.Find("#news li").Length(); n != newsOnCountryPage {
		t.Errorf("%d news items, want %d", n, newsOnCountryPage)
	}
	res, html := get(t, s, "/countries/mali", "Accept-Encoding", "gzip")
	_, css := get(t, s, s.css.path, "Accept-Encoding", "gzip")
	total := len(html) + len(css)
	t.Logf("country page: %d B plain, %d B gzip; CSS %d B plain, %d B gzip; total %d B gzip",
		len(gunzip(t, html)), len(html), len(cssSource), len(css), total)
	if res.Header.Get("Content-Encoding") != "gzip" {
		t.Fatal("page not compressed")
	}
	if total >= 30*1024 {
		t.Errorf("country page + CSS weigh %d B compressed, want under 30 KB", total)
	}
}

// TestConcurrentRequests shares the pooled gzip writers and page buffers
// between requests; run it with -race.
func TestConcurrentRequests(t *testing.T) {
	s, _ := testSite(t)
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Go(func() {
			enc := map[bool]string{true: "gzip", false: ""}[i%2 == 0]
			for _, p := range []string{"/countries/mali", "/indicators/age-of-consent", "/", "/countries/niger"} {
				if res, _ := get(t, s, p, "Accept-Encoding", enc); res.StatusCode != http.StatusOK {
					t.Errorf("GET %s: %d", p, res.StatusCode)
				}
			}
		})
	}
	wg.Wait()
}
