package web

import (
	"bytes"
	"context"
	"fmt"
	"hash/fnv"
	"net/http"
	"strings"
	"sync"
	"time"
)

// pageCache serves public pages rendered once per data version, from
// memory, already compressed. The data version is re-read at most every
// refresh interval (and at once after a write through this server), so a
// change made by another process shows within that interval. Signed-in
// editors always get fresh pages.
type pageCache struct {
	version func(context.Context) (int64, error)
	refresh time.Duration
	max     int // entries kept for one version

	mu        sync.Mutex
	current   int64
	since     time.Time // when this server first saw current
	checkedAt time.Time
	entries   map[string]*cachedPage
}

type cachedPage struct {
	header http.Header
	body   []byte
	etag   string
}

// WithPageCache serves public pages from memory, rendered once per data
// version, which is re-read at most every refresh. vigie serve turns it on;
// tests that write behind the server's back leave it off.
func (s *Server) WithPageCache(refresh time.Duration) *Server {
	s.cache = newPageCache(s.store.DataVersion, refresh)
	return s
}

func newPageCache(version func(context.Context) (int64, error), refresh time.Duration) *pageCache {
	return &pageCache{version: version, refresh: refresh, max: 4096, entries: map[string]*cachedPage{}}
}

// uncachedPrefixes are never cached: they change per user or per request.
var uncachedPrefixes = []string{"/edit", "/login", "/logout", "/set-password", "/healthz", "/static/", "/files/"}

func cacheable(r *http.Request) bool {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		return false
	}
	if c, err := r.Cookie(sessionCookie); err == nil && c.Value != "" {
		return false
	}
	for _, p := range uncachedPrefixes {
		if strings.HasPrefix(r.URL.Path, p) {
			return false
		}
	}
	return true
}

// observe returns the data version, re-reading it when the last reading is
// older than the refresh interval, and drops the entries of older versions.
func (c *pageCache) observe(ctx context.Context, force bool) (int64, time.Time, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	now := time.Now()
	if !force && now.Sub(c.checkedAt) < c.refresh && c.current != 0 {
		return c.current, c.since, nil
	}
	v, err := c.version(ctx)
	if err != nil {
		return 0, time.Time{}, err
	}
	c.checkedAt = now
	if v != c.current {
		c.current, c.since = v, now.UTC().Truncate(time.Second)
		clear(c.entries)
	}
	return c.current, c.since, nil
}

// cacheLayer hands requests to the page cache once WithPageCache has set
// it, so that the option can be applied after New built the handler chain.
func (s *Server) cacheLayer(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if s.cache == nil {
			next.ServeHTTP(w, r)
			return
		}
		s.cache.middleware(next).ServeHTTP(w, r)
	})
}

func (c *pageCache) middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !cacheable(r) {
			next.ServeHTTP(w, r)
			if r.Method != http.MethodGet && r.Method != http.MethodHead {
				c.observe(r.Context(), true) // a write through this server shows at once
			}
			return
		}
		version, since, err := c.observe(r.Context(), false)
		if err != nil {
			next.ServeHTTP(w, r) // the page handler reports the store's trouble
			return
		}
		key := r.URL.RequestURI()
		if acceptsGzip(r) {
			key += "\x00gzip"
		}
		c.mu.Lock()
		page := c.entries[key]
		c.mu.Unlock()
		if page == nil {
			rec := &recorder{header: http.Header{}, status: http.StatusOK}
			get := r.Clone(r.Context())
			get.Method = http.MethodGet // HEAD fills the cache with the GET body
			next.ServeHTTP(rec, get)
			if rec.status != http.StatusOK || rec.header.Get("Set-Cookie") != "" ||
				strings.Contains(rec.header.Get("Cache-Control"), "no-store") {
				rec.replay(w, r)
				return
			}
			h := fnv.New64a()
			h.Write(rec.body.Bytes())
			page = &cachedPage{header: rec.header, body: rec.body.Bytes(), etag: fmt.Sprintf(`"v%d-%x"`, version, h.Sum64())}
			c.mu.Lock()
			if c.current == version && len(c.entries) < c.max {
				c.entries[key] = page
			}
			c.mu.Unlock()
		}
		page.serve(w, r, since)
	})
}

func (p *cachedPage) serve(w http.ResponseWriter, r *http.Request, since time.Time) {
	h := w.Header()
	for k, v := range p.header {
		h[k] = v
	}
	h.Set("ETag", p.etag)
	h.Set("Last-Modified", since.Format(http.TimeFormat))
	// Readers revalidate after a minute; a 304 costs a few hundred bytes.
	h.Set("Cache-Control", "public, max-age=60")
	if match := r.Header.Get("If-None-Match"); match != "" && strings.Contains(match, p.etag) {
		h.Del("Content-Length")
		w.WriteHeader(http.StatusNotModified)
		return
	}
	if ims, err := http.ParseTime(r.Header.Get("If-Modified-Since")); err == nil && r.Header.Get("If-None-Match") == "" && !since.After(ims) {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	h.Set("Content-Length", fmt.Sprint(len(p.body)))
	w.WriteHeader(http.StatusOK)
	if r.Method != http.MethodHead {
		w.Write(p.body)
	}
}

// recorder captures a response so that it can be cached or replayed.
type recorder struct {
	header      http.Header
	status      int
	wroteHeader bool
	body        bytes.Buffer
}

func (r *recorder) Header() http.Header { return r.header }
func (r *recorder) WriteHeader(code int) {
	if !r.wroteHeader {
		r.status, r.wroteHeader = code, true
	}
}
func (r *recorder) Write(b []byte) (int, error) {
	r.wroteHeader = true
	return r.body.Write(b)
}

func (r *recorder) replay(w http.ResponseWriter, req *http.Request) {
	for k, v := range r.header {
		w.Header()[k] = v
	}
	w.WriteHeader(r.status)
	if req.Method != http.MethodHead {
		w.Write(r.body.Bytes())
	}
}
