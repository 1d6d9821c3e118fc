package api

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

func TestConditionalGet(t *testing.T) {
	a := newTestAPI(t)
	for _, path := range []string{"/api/v1/countries", "/api/v1/countries/ML", "/api/v1/indicators", "/api/v1/assessments?country=ML",
		"/api/v1/assessments/ML/age-of-consent", "/api/v1/sources", "/api/v1/publications", "/api/v1/news", "/api/v1/news/bamako-workshop",
		"/api/v1/assessments/ML/age-of-consent/revisions", "/api/v1/assessments/ML/age-of-consent/revisions/1", "/api/v1/"} {
		res, _ := a.get(t, path)
		etag, modified := res.Header.Get("ETag"), res.Header.Get("Last-Modified")
		if res.StatusCode != http.StatusOK || etag == "" || modified == "" || !strings.Contains(res.Header.Get("Cache-Control"), "no-cache") {
			t.Errorf("GET %s: %d, ETag %q, Last-Modified %q, Cache-Control %q", path, res.StatusCode, etag, modified, res.Header.Get("Cache-Control"))
			continue
		}
		for _, h := range [][]string{
			{"If-None-Match", etag},
			{"If-None-Match", `"other", W/` + etag},
			{"If-None-Match", "*"},
			{"If-Modified-Since", modified},
		} {
			res, body := a.get(t, path, h...)
			if res.StatusCode != http.StatusNotModified || len(body) != 0 || res.Header.Get("ETag") != etag {
				t.Errorf("GET %s with %s: %d, %d bytes", path, h[0], res.StatusCode, len(body))
			}
		}
		earlier := mustParseTime(t, modified).Add(-time.Second).Format(http.TimeFormat)
		for _, h := range [][]string{
			{"If-None-Match", `"stale"`},
			{"If-Modified-Since", earlier},
			{"If-None-Match", `"stale"`, "If-Modified-Since", modified}, // If-None-Match decides
		} {
			if res, _ := a.get(t, path, h...); res.StatusCode != http.StatusOK {
				t.Errorf("GET %s with %v: %d, want 200", path, h, res.StatusCode)
			}
		}
	}

	// A draft changes no public tag (issue 13, finding 13); publishing
	// it changes the tags of what it changes.
	res, _ := a.get(t, "/api/v1/assessments?country=ML")
	listTag := res.Header.Get("ETag")
	doc := a.editable(t, "ML", "age-of-consent")
	doc["value"] = 16
	if res, body := a.put(t, "ML", "age-of-consent", doc, `"r1"`, "researcher", "?submit=1"); res.StatusCode != http.StatusOK {
		t.Fatalf("PUT: %d %s", res.StatusCode, body)
	}
	for _, path := range []string{"/api/v1/assessments?country=ML", "/api/v1/countries/ML"} {
		if res, _ := a.get(t, path); res.Header.Get("ETag") == "" || strings.Contains(res.Header.Get("ETag"), "-v") {
			t.Errorf("GET %s: ETag %q, want a digest, not the data version", path, res.Header.Get("ETag"))
		}
	}
	if res, _ := a.get(t, "/api/v1/assessments?country=ML", "If-None-Match", listTag); res.StatusCode != http.StatusNotModified {
		t.Errorf("after a draft, the public list answers %d, want 304", res.StatusCode)
	}
	// A draft changes nothing the public sees, its validators included
	// (issue 13, finding 13); editors see a tag that names it.
	if res, _ := a.get(t, "/api/v1/assessments/ML/age-of-consent", "If-None-Match", `"r1"`); res.StatusCode != http.StatusNotModified ||
		res.Header.Get("ETag") != `"r1"` {
		t.Errorf("after a draft, the public assessment answers %d with ETag %q", res.StatusCode, res.Header.Get("ETag"))
	}
	if res, _ := a.get(t, "/api/v1/assessments/ML/age-of-consent", "If-None-Match", `"r1"`, "Authorization", a.bearer("researcher")); res.StatusCode != http.StatusOK ||
		res.Header.Get("ETag") != `"r2-p1"` || res.Header.Get("Cache-Control") != "private, no-cache" {
		t.Errorf("after a draft, an editor's read answers %d with ETag %q", res.StatusCode, res.Header.Get("ETag"))
	}
	if res, body := a.publish(t, "ML", "age-of-consent", 2, "reviewer"); res.StatusCode != http.StatusOK {
		t.Fatalf("publish: %d %s", res.StatusCode, body)
	}
	if res, _ := a.get(t, "/api/v1/assessments?country=ML", "If-None-Match", listTag); res.StatusCode != http.StatusOK {
		t.Errorf("after publishing, the public list answers %d", res.StatusCode)
	}
}

func mustParseTime(t *testing.T, s string) time.Time {
	t.Helper()
	tm, err := http.ParseTime(s)
	if err != nil {
		t.Fatal(err)
	}
	return tm
}

func TestCORS(t *testing.T) {
	a := newTestAPI(t)
	res, _ := a.get(t, "/api/v1/countries/ML", "Origin", "https://news.example.com")
	if res.Header.Get("Access-Control-Allow-Origin") != "*" || !strings.Contains(res.Header.Get("Access-Control-Expose-Headers"), "ETag") {
		t.Errorf("GET: %v", res.Header)
	}
	res, _ = a.get(t, "/api/v1/countries/XX", "Origin", "https://news.example.com")
	if res.Header.Get("Access-Control-Allow-Origin") != "*" {
		t.Errorf("a read's error is not readable cross-origin")
	}
	res, body := a.do(t, http.MethodOptions, "/api/v1/assessments/ML/age-of-consent", nil,
		"Origin", "https://news.example.com", "Access-Control-Request-Method", "PUT", "Access-Control-Request-Headers", "authorization, if-match")
	if res.StatusCode != http.StatusNoContent || len(body) != 0 || res.Header.Get("Access-Control-Allow-Origin") != "*" ||
		res.Header.Get("Access-Control-Allow-Methods") != "GET, HEAD" || strings.Contains(strings.ToLower(res.Header.Get("Access-Control-Allow-Headers")), "authorization") {
		t.Errorf("preflight for a PUT: %d %v", res.StatusCode, res.Header)
	}
	for _, path := range []string{"/api/v1/", "/api/v1/openapi.json", "/api/v1/countries", "/api/v1/countries/ML", "/api/v1/indicators",
		"/api/v1/assessments", "/api/v1/assessments/ML/age-of-consent/revisions", "/api/v1/assessments/ML/age-of-consent/revisions/1",
		"/api/v1/assessments/ML/age-of-consent/publish", "/api/v1/sources", "/api/v1/publications", "/api/v1/news", "/api/v1/news/bamako-workshop"} {
		res, _ := a.do(t, http.MethodOptions, path, nil, "Origin", "https://x.example", "Access-Control-Request-Method", "GET")
		if res.StatusCode != http.StatusNoContent {
			t.Errorf("OPTIONS %s: %d", path, res.StatusCode)
		}
	}
	doc := a.editable(t, "ML", "age-of-consent")
	res, _ = a.put(t, "ML", "age-of-consent", doc, `"r1"`, "researcher")
	if res.StatusCode != http.StatusOK || res.Header.Get("Access-Control-Allow-Origin") != "" {
		t.Errorf("PUT: %d, Access-Control-Allow-Origin %q", res.StatusCode, res.Header.Get("Access-Control-Allow-Origin"))
	}
}

// TestPaginationWalksEveryCountry follows the next links, in small pages,
// and gets each of the 249 countries once.
func TestPaginationWalksEveryCountry(t *testing.T) {
	a := newTestAPI(t)
	seen := map[string]bool{}
	pages := 0
	next := "/api/v1/countries?limit=7"
	for next != "" {
		var pg page[countryJSON]
		res := a.getJSON(t, next, &pg)
		pages++
		for _, c := range pg.Items {
			if seen[c.ISO2] {
				t.Fatalf("%s twice", c.ISO2)
			}
			seen[c.ISO2] = true
		}
		next = ""
		if pg.Next != nil {
			next = *pg.Next
			if want := "<" + next + `>; rel="next"`; res.Header.Get("Link") != want {
				t.Errorf("Link = %q, want %q", res.Header.Get("Link"), want)
			}
			u, err := url.Parse(next)
			if err != nil || u.Query().Get("limit") != "7" || u.Query().Get("cursor") == "" {
				t.Errorf("next = %q", next)
			}
		} else if res.Header.Get("Link") != "" {
			t.Errorf("a Link header on the last page")
		}
	}
	if len(seen) != 249 || pages != 36 {
		t.Errorf("walked %d countries in %d pages, want 249 in 36", len(seen), pages)
	}
	var pg page[countryJSON]
	a.getJSON(t, "/api/v1/countries", &pg)
	if len(pg.Items) != defaultLimit || pg.Next == nil {
		t.Errorf("default page: %d items", len(pg.Items))
	}

	for _, tt := range []struct{ query, field string }{
		{"limit=0", "limit"}, {"limit=501", "limit"}, {"limit=ten", "limit"},
		{"cursor=%%%", ""}, {"cursor=bm90LWEtY3Vyc29y", "cursor"},
		{"cursor=" + encodeCursor("news", "x"), "cursor"}, // another list's cursor
	} {
		res, body := a.get(t, "/api/v1/countries?"+tt.query)
		expectProblem(t, res, body, http.StatusBadRequest, tt.field)
	}
}

func TestHeadAndSecurityHeaders(t *testing.T) {
	a := newTestAPI(t)
	res, body := a.do(t, http.MethodHead, "/api/v1/countries/ML", nil)
	if res.StatusCode != http.StatusOK || res.Header.Get("ETag") == "" {
		t.Errorf("HEAD: %d %v", res.StatusCode, res.Header)
	}
	_ = body
	res, _ = a.get(t, "/api/v1/countries/ML")
	if res.Header.Get("X-Content-Type-Options") != "nosniff" || res.Header.Get("Content-Type") != "application/json" {
		t.Errorf("headers = %v", res.Header)
	}
}
