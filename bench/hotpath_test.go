// Package bench holds Vigie's load harness (bench/load), its scaling
// table (bench/scale), the synthetic dataset they share (bench/synth) and
// this micro-benchmark of the page cache's hot path. Figures and how to
// reproduce them: RESULTS.md.
package bench

import (
	"context"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	vigie "github.com/vigie-network/vigie"
	"github.com/vigie-network/vigie/sqlite"
	"github.com/vigie-network/vigie/web"
)

// discard is a ResponseWriter that keeps nothing, so that the benchmark
// counts the site's allocations and not a recorder's.
type discard struct {
	h    http.Header
	code int
	n    int
}

func (d *discard) Header() http.Header         { return d.h }
func (d *discard) WriteHeader(code int)        { d.code = code }
func (d *discard) Write(p []byte) (int, error) { d.n += len(p); return len(p), nil }

// slowStore counts and slows down the read that a country page makes
// once per render.
type slowStore struct {
	*sqlite.Store
	orgReads atomic.Int64
	delay    atomic.Int64 // nanoseconds; 50 ms unless set
}

func (s *slowStore) Organisations(ctx context.Context, f vigie.OrganisationFilter) ([]vigie.Organisation, error) {
	if f.Country != "" {
		s.orgReads.Add(1)
		d := time.Duration(s.delay.Load())
		if d == 0 {
			d = 50 * time.Millisecond
		}
		time.Sleep(d)
	}
	return s.Store.Organisations(ctx, f)
}

// newSite is a site on a new database holding one assessment.
func newSite(tb testing.TB) http.Handler {
	site, _ := newSlowSite(tb)
	return site
}

func newSlowSite(tb testing.TB) (http.Handler, *slowStore) {
	ctx := context.Background()
	db, err := sqlite.Open(ctx, filepath.Join(tb.TempDir(), "vigie.db"))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	st := &slowStore{Store: db}
	age := 16
	if err := st.Update(ctx, func(tx vigie.Tx) error {
		_, _, err := tx.SaveAssessment(ctx, vigie.Assessment{Country: "ML", Indicator: "age-of-consent", Rating: vigie.RatingYes,
			Value: &age, Explanation: "The Penal Code protects every child under 16.", AsOf: vigie.AsOf{Year: 2024}},
			vigie.Change{Author: "bench"})
		return err
	}); err != nil {
		tb.Fatal(err)
	}
	return web.New(vigie.NewService(st), nil).WithPageCache(time.Hour), st
}

// TestOneRenderForConcurrentReaders: after a data change every reader
// misses the cache at once; the page is still rendered once.
func TestOneRenderForConcurrentReaders(t *testing.T) {
	site, st := newSlowSite(t)
	var wg sync.WaitGroup
	for range 20 {
		wg.Go(func() {
			req := httptest.NewRequest(http.MethodGet, "/countries/mali", nil)
			req.Header.Set("Accept-Encoding", "gzip")
			rec := httptest.NewRecorder()
			site.ServeHTTP(rec, req)
			if rec.Code != http.StatusOK || rec.Header().Get("Etag") == "" {
				t.Errorf("%d, ETag %q", rec.Code, rec.Header().Get("Etag"))
			}
		})
	}
	wg.Wait()
	if n := st.orgReads.Load(); n != 1 {
		t.Errorf("20 readers at once: %d renders, want 1", n)
	}
}

// TestStalePageWhileRefilling: after a data change, while every render
// slot is taken, a reader gets the previous version of a page it had
// rather than wait behind the queue; then the new version.
func TestStalePageWhileRefilling(t *testing.T) {
	site, st := newSlowSite(t)
	get := func(path string) *httptest.ResponseRecorder {
		req := httptest.NewRequest(http.MethodGet, path, nil)
		req.Header.Set("Accept-Encoding", "gzip")
		rec := httptest.NewRecorder()
		site.ServeHTTP(rec, req)
		return rec
	}
	old := get("/countries/mali").Header().Get("Etag")
	// Another change: the data version moves; a POST through the site
	// makes it look at once.
	ctx := context.Background()
	if err := st.Update(ctx, func(tx vigie.Tx) error {
		_, err := vigie.MergeNewsItem(ctx, tx, &vigie.NewsItem{Slug: "a-change", Title: "A change", Date: time.Now(), Countries: []string{"ML"}})
		return err
	}); err != nil {
		t.Fatal(err)
	}
	req := httptest.NewRequest(http.MethodPost, "/countries", nil)
	site.ServeHTTP(httptest.NewRecorder(), req)

	// Fill every render slot with slow renders of other countries.
	st.delay.Store(int64(500 * time.Millisecond))
	slots := 2 * runtime.GOMAXPROCS(0)
	before := st.orgReads.Load()
	var wg sync.WaitGroup
	for _, slug := range []string{"france", "brazil", "india", "germany", "tuvalu", "senegal", "chile", "japan",
		"kenya", "peru", "norway", "nepal", "ghana", "spain", "italy", "egypt"}[:slots] {
		wg.Go(func() { get("/countries/" + slug) })
	}
	for deadline := time.Now().Add(5 * time.Second); st.orgReads.Load() < before+int64(slots); time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("the slow renders did not start")
		}
	}
	if got := get("/countries/mali").Header().Get("Etag"); got != old {
		t.Errorf("while refilling: ETag %s, want the previous version's %s", got, old)
	}
	wg.Wait()
	var fresh string
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		if fresh = get("/countries/mali").Header().Get("Etag"); fresh != old || time.Now().After(deadline) {
			break
		}
	}
	if fresh == old {
		t.Errorf("the new version never came: still %s", fresh)
	}
}

// TestCachedHeadersStayPut: cached pages share their header values between
// responses; a layer that adds to a field on the way out (the home page's
// Vary: Accept-Language) must not change what the next reader gets. Run
// it with -race too.
func TestCachedHeadersStayPut(t *testing.T) {
	site := newSite(t)
	get := func() http.Header {
		req := httptest.NewRequest(http.MethodGet, "/", nil)
		req.Header.Set("Accept-Encoding", "gzip")
		rec := httptest.NewRecorder()
		site.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			t.Errorf("GET /: %d", rec.Code)
		}
		return rec.Header()
	}
	first := get()
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 20 {
				h := get()
				for _, k := range []string{"Vary", "Etag", "Content-Length", "Content-Security-Policy"} {
					if !slices.Equal(h[k], first[k]) {
						t.Errorf("%s: %q, then %q", k, first[k], h[k])
						return
					}
				}
			}
		})
	}
	wg.Wait()
	if !slices.Contains(first["Vary"], "Accept-Language") || first.Get("Etag") == "" {
		t.Errorf("not the cached home page: Vary %q, ETag %q", first["Vary"], first.Get("Etag"))
	}
}

// BenchmarkCachedPage serves a cached public page through the whole site
// handler (security headers, page cache, compression, sessions, routes),
// as every reader's request after the first of a data version does:
// go test ./bench -bench CachedPage -benchmem.
func BenchmarkCachedPage(b *testing.B) {
	site := newSite(b)
	for _, c := range []struct{ path, enc string }{
		{"/countries/mali", "gzip"}, {"/countries/mali", "identity"}, {"/", "gzip"},
	} {
		path, enc := c.path, c.enc
		b.Run(path+" "+enc, func(b *testing.B) {
			req := httptest.NewRequest(http.MethodGet, path, nil)
			req.Header.Set("Accept-Encoding", enc)
			w := &discard{h: http.Header{}}
			site.ServeHTTP(w, req) // fills the cache
			b.ReportAllocs()
			for b.Loop() {
				clear(w.h)
				w.code, w.n = 0, 0
				site.ServeHTTP(w, req)
				if w.code != http.StatusOK || w.n == 0 {
					b.Fatalf("%d, %d bytes", w.code, w.n)
				}
			}
		})
	}
}
