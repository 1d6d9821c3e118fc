package web

import (
	"bytes"
	"image/png"
	"net/http"
	"strings"
	"testing"
	"time"
)

// TestShareImagesAndTags: every public page names a share image, and the
// images of a country and an indicator answer image/png at 1200 × 630.
func TestShareImagesAndTags(t *testing.T) {
	s, _ := testSite(t)
	for path, image := range map[string]string{
		"/countries/mali":               "/og/countries/mali",
		"/fr/countries/mali":            "/fr/og/countries/mali",
		"/indicators/age-of-consent":    "/og/indicators/age-of-consent",
		"/es/indicators/age-of-consent": "/es/og/indicators/age-of-consent",
		"/news":                         "/og/site",
		"/":                             "/og/site",
	} {
		doc := page(t, s, path, http.StatusOK)
		if got := doc.Find(`meta[property="og:image"]`).AttrOr("content", ""); got != image {
			t.Errorf("GET %s: og:image %q, want %q", path, got, image)
		}
		if doc.Find(`meta[name="twitter:card"]`).AttrOr("content", "") != "summary_large_image" ||
			doc.Find(`meta[property="og:title"]`).AttrOr("content", "") == "" {
			t.Errorf("GET %s: no card tags", path)
		}
		res, body := get(t, s, image)
		if res.StatusCode != http.StatusOK || res.Header.Get("Content-Type") != "image/png" {
			t.Fatalf("GET %s: %d %q", image, res.StatusCode, res.Header.Get("Content-Type"))
		}
		img, err := png.Decode(bytes.NewReader(body))
		if err != nil || img.Bounds().Dx() != 1200 || img.Bounds().Dy() != 630 {
			t.Errorf("GET %s: not a 1200 × 630 PNG (%v)", image, err)
		}
	}
	// The country's description is its standing.
	if got := page(t, s, "/countries/mali", http.StatusOK).Find(`meta[property="og:description"]`).AttrOr("content", ""); got != "Western Africa, Africa · 1 of 9 indicators assessed" {
		t.Errorf("description %q", got)
	}
	// With a public address, the links are absolute.
	s.WithBaseURL("https://vigie.example.org/")
	doc := page(t, s, "/fr/countries/mali", http.StatusOK)
	if got := doc.Find(`meta[property="og:image"]`).AttrOr("content", ""); got != "https://vigie.example.org/fr/og/countries/mali" {
		t.Errorf("absolute og:image %q", got)
	}
	if got := doc.Find(`meta[property="og:url"]`).AttrOr("content", ""); got != "https://vigie.example.org/fr/countries/mali" {
		t.Errorf("og:url %q", got)
	}
	for _, bad := range []string{"/og/countries/atlantis", "/og/countries/mali.png", "/og/indicators/nope"} {
		if res, _ := get(t, s, bad); res.StatusCode != http.StatusNotFound {
			t.Errorf("GET %s: %d", bad, res.StatusCode)
		}
	}
}

// TestEmbedsFrameAnywhereAndNothingElse: the two embed routes may be
// framed by any site and link back to the full page; no other route may.
func TestEmbedsFrameAnywhereAndNothingElse(t *testing.T) {
	s, _ := testSite(t)
	for _, path := range []string{"/embed/indicators/age-of-consent", "/embed/countries/niger", "/fr/embed/countries/niger"} {
		res, _ := get(t, s, path)
		if csp := res.Header.Get("Content-Security-Policy"); res.StatusCode != http.StatusOK || !strings.Contains(csp, "frame-ancestors *") || !strings.Contains(csp, "script-src 'none'") {
			t.Errorf("GET %s: %d, CSP %q", path, res.StatusCode, csp)
		}
	}
	doc := page(t, s, "/embed/countries/niger", http.StatusOK)
	if doc.Find("header.site").Length() != 0 || doc.Find("ul.glance li").Length() != 9 || doc.Find(`base[target="_top"]`).Length() != 1 {
		t.Error("the country embed is not the bare nine ratings")
	}
	if href := doc.Find("ul.glance li a").First().AttrOr("href", ""); href != "/countries/niger#age-of-consent" {
		t.Errorf("embed links to %q", href)
	}
	doc = page(t, s, "/embed/indicators/age-of-consent", http.StatusOK)
	if doc.Find("svg.worldmap").Length() != 1 || doc.Find(`a[href="/indicators/age-of-consent"]`).Length() == 0 {
		t.Error("the indicator embed has no map or no link back")
	}
	for _, path := range []string{"/", "/countries/niger", "/indicators/age-of-consent", "/embed/countries/atlantis", "/embedded", "/og/site", "/data"} {
		res, _ := get(t, s, path)
		if csp := res.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "frame-ancestors 'none'") {
			t.Errorf("GET %s may be framed: %q", path, csp)
		}
	}
	// From the page cache too, on a miss and on a hit.
	cached, _ := testSite(t)
	cached.WithPageCache(time.Minute)
	for range 2 {
		for path, want := range map[string]string{"/embed/countries/niger": "frame-ancestors *", "/countries/niger": "frame-ancestors 'none'",
			"/og/countries/niger": "frame-ancestors 'none'"} {
			if res, _ := get(t, cached, path); !strings.Contains(res.Header.Get("Content-Security-Policy"), want) {
				t.Errorf("cached GET %s: CSP %q", path, res.Header.Get("Content-Security-Policy"))
			}
		}
	}
	// The full pages offer the code; the past (as_of) has no embed.
	doc = page(t, s, "/countries/niger", http.StatusOK)
	if code := textOf(doc.Find("details.embed-this code")); !strings.Contains(code, `<iframe src="/embed/countries/niger"`) {
		t.Errorf("embed code %q", code)
	}
	if page(t, s, "/countries/niger?as_of=2025-01-01", http.StatusOK).Find("details.embed-this").Length() != 0 {
		t.Error("an as_of page offers an embed of today")
	}
}

// BenchmarkShareImages draws a country's and an indicator's image, as the
// first reader after a change does; later readers get the cached bytes.
func BenchmarkShareImages(b *testing.B) {
	s, _ := testSite(b)
	for _, path := range []string{"/og/countries/mali", "/og/indicators/age-of-consent"} {
		b.Run(path, func(b *testing.B) {
			for b.Loop() {
				get(b, s, path)
			}
		})
	}
}
