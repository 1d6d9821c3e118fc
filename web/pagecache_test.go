package web

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"
)

// countingSite renders "v<version> #<renders>" so tests can tell a cached
// page from a fresh one.
type countingSite struct {
	version atomic.Int64
	renders atomic.Int64
}

func (s *countingSite) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	n := s.renders.Add(1)
	if r.URL.Path == "/missing" {
		http.NotFound(w, r)
		return
	}
	fmt.Fprintf(w, "v%d #%d", s.version.Load(), n)
}

func (s *countingSite) dataVersion(context.Context) (int64, error) { return s.version.Load(), nil }

func fetch(h http.Handler, method, path string, header ...string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(method, path, nil)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

func TestPageCacheServesOneRenderPerVersion(t *testing.T) {
	site := &countingSite{}
	site.version.Store(1)
	cache := newPageCache(site.dataVersion, 20*time.Millisecond)
	h := cache.middleware(site)

	first := fetch(h, "GET", "/countries/mali")
	second := fetch(h, "GET", "/countries/mali")
	if first.Body.String() != "v1 #1" || second.Body.String() != "v1 #1" {
		t.Fatalf("bodies %q, %q: want one render served twice", first.Body, second.Body)
	}
	etag := second.Header().Get("ETag")
	if etag == "" || second.Header().Get("Last-Modified") == "" || second.Header().Get("Cache-Control") != "public, max-age=60" {
		t.Errorf("validators missing: %v", second.Header())
	}
	if got := fetch(h, "GET", "/countries/mali", "If-None-Match", etag); got.Code != http.StatusNotModified || got.Body.Len() != 0 {
		t.Errorf("revalidation: %d %q, want 304", got.Code, got.Body)
	}
	if got := fetch(h, "HEAD", "/countries/mali"); got.Code != 200 || got.Body.Len() != 0 {
		t.Errorf("HEAD: %d %q", got.Code, got.Body)
	}

	// Another process writes: the new version shows after the refresh interval.
	site.version.Store(2)
	time.Sleep(30 * time.Millisecond)
	if got := fetch(h, "GET", "/countries/mali"); got.Body.String() != "v2 #2" {
		t.Errorf("after a data change: %q, want a fresh render", got.Body)
	}
	if got := fetch(h, "GET", "/countries/mali", "If-None-Match", etag); got.Code != http.StatusOK {
		t.Errorf("an old ETag was accepted after the data changed: %d", got.Code)
	}
}

func TestPageCacheLeavesEditorsAndErrorsAlone(t *testing.T) {
	site := &countingSite{}
	site.version.Store(1)
	h := newPageCache(site.dataVersion, time.Hour).middleware(site)
	fetch(h, "GET", "/countries/mali")
	signedIn := fetch(h, "GET", "/countries/mali", "Cookie", sessionCookie+"=secret")
	if signedIn.Body.String() != "v1 #2" || signedIn.Header().Get("ETag") != "" {
		t.Errorf("an editor got a cached page: %q", signedIn.Body)
	}
	for range 2 {
		if got := fetch(h, "GET", "/missing"); got.Code != http.StatusNotFound {
			t.Errorf("404 became %d", got.Code)
		}
	}
	if got := fetch(h, "GET", "/edit/review"); got.Header().Get("ETag") != "" {
		t.Error("an editors' page was cached")
	}
	before := site.renders.Load()
	fetch(h, "GET", "/countries/mali", "Accept-Encoding", "gzip")
	if site.renders.Load() != before+1 {
		t.Error("the gzip and plain variants share one entry")
	}
	// A write through this server is seen at once, whatever the interval.
	site.version.Store(5)
	fetch(h, "POST", "/countries/mali/report")
	if got := fetch(h, "GET", "/countries/mali"); got.Body.String()[:2] != "v5" {
		t.Errorf("after a local write: %q", got.Body)
	}
}

// A flood of distinct addresses used to fill the version's entries, after
// which no other page was cached: every request for it rendered again.
func TestPageCacheKeepsCachingPastAFlood(t *testing.T) {
	site := &countingSite{}
	site.version.Store(1)
	c := newPageCache(site.dataVersion, time.Hour)
	c.max = 8
	h := c.middleware(site)
	for i := range 50 {
		fetch(h, "GET", fmt.Sprintf("/search?q=flood%d", i))
	}
	before := site.renders.Load()
	for range 3 {
		fetch(h, "GET", "/countries/mali")
	}
	if got := site.renders.Load() - before; got != 1 {
		t.Errorf("a page asked for three times after a flood rendered %d times, want 1", got)
	}
	if c.gen.Load().count > c.max {
		t.Errorf("%d entries kept, at most %d", c.gen.Load().count, c.max)
	}
}
