package web

import (
	"bytes"
	"context"
	"fmt"
	"hash/fnv"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// pageCache serves public pages rendered once per data version, from
// memory, already compressed. The data version is re-read at most every
// refresh interval (and at once after a write through this server), so a
// change made by another process shows within that interval. Signed-in
// editors always get fresh pages.
//
// A hit is the hot path of the whole site (bench/RESULTS.md): it takes no
// lock but a read lock, allocates nothing of its own, and copies a header
// prepared when the page was rendered.
type pageCache struct {
	version func(context.Context) (int64, error)
	refresh time.Duration
	max     int // entries kept for one version

	gen       atomic.Pointer[generation] // the pages of the current version
	checkedAt atomic.Int64               // when the version was last read, in Unix nanoseconds
	mu        sync.Mutex                 // one reading of the version at a time
}

// generation holds the pages of one data version; a new version starts an
// empty one, and the old one goes with the requests still using it.
type generation struct {
	version      int64
	since        time.Time // when this server first saw the version
	lastModified []string  // since, formatted for the header; shared, read-only

	mu    sync.RWMutex
	pages [2]map[string]*cachedPage // [0] plain, [1] gzip, by request URI
	count int
}

// cachedPage is a rendered page with its complete header.
type cachedPage struct {
	// header holds every field the page is sent with, the validators and
	// Content-Length included. The value slices are shared by every
	// response and never written: each has cap == len, so that an Add on
	// a response's header copies instead of appending in place.
	header []headerField
	body   []byte
	etag   string
}

type headerField struct {
	key    string
	values []string
}

// WithPageCache serves public pages from memory, rendered once per data
// version, which is re-read at most every refresh. vigie serve turns it on;
// tests that write behind the server's back leave it off.
func (s *Server) WithPageCache(refresh time.Duration) *Server {
	s.cache = newPageCache(s.store.DataVersion, refresh)
	return s
}

func newPageCache(version func(context.Context) (int64, error), refresh time.Duration) *pageCache {
	return &pageCache{version: version, refresh: refresh, max: 4096}
}

// uncachedPrefixes are never cached: they change per user or per request.
var uncachedPrefixes = []string{"/edit", "/login", "/logout", "/set-password", "/healthz", "/static/", "/files/"}

func cacheable(r *http.Request) bool {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		return false
	}
	if _, ok := r.Header["Cookie"]; ok { // skip the parsing when there is no cookie at all
		if c, err := r.Cookie(sessionCookie); err == nil && c.Value != "" {
			return false
		}
	}
	for _, p := range uncachedPrefixes {
		if strings.HasPrefix(r.URL.Path, p) {
			return false
		}
	}
	return true
}

// observe returns the current generation, re-reading the data version
// when the last reading is older than the refresh interval (or force is
// set). Between readings it takes no lock.
func (c *pageCache) observe(ctx context.Context, force bool) (*generation, error) {
	now := time.Now()
	if g := c.gen.Load(); g != nil && !force && now.UnixNano()-c.checkedAt.Load() < int64(c.refresh) {
		return g, nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	// Another request may have read it while this one waited.
	if g := c.gen.Load(); g != nil && !force && time.Now().UnixNano()-c.checkedAt.Load() < int64(c.refresh) {
		return g, nil
	}
	v, err := c.version(ctx)
	if err != nil {
		return nil, err
	}
	c.checkedAt.Store(now.UnixNano())
	g := c.gen.Load()
	if g == nil || g.version != v {
		since := now.UTC().Truncate(time.Second)
		g = &generation{version: v, since: since, lastModified: []string{since.Format(http.TimeFormat)},
			pages: [2]map[string]*cachedPage{{}, {}}}
		c.gen.Store(g)
	}
	return g, nil
}

// cacheLayer hands requests to the page cache once WithPageCache has set
// it, so that the option can be applied after New built the handler chain.
func (s *Server) cacheLayer(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if c := s.cache; c != nil {
			c.serve(next, w, r)
			return
		}
		next.ServeHTTP(w, r)
	})
}

func (c *pageCache) middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { c.serve(next, w, r) })
}

func (c *pageCache) serve(next http.Handler, w http.ResponseWriter, r *http.Request) {
	if !cacheable(r) {
		next.ServeHTTP(w, r)
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			c.observe(r.Context(), true) // a write through this server shows at once
		}
		return
	}
	g, err := c.observe(r.Context(), false)
	if err != nil {
		next.ServeHTTP(w, r) // the page handler reports the store's trouble
		return
	}
	// The request line as sent: no allocation, and two spellings of one
	// address at worst make two entries.
	key := r.RequestURI
	if key == "" {
		key = r.URL.RequestURI()
	}
	enc := 0
	if acceptsGzip(r) {
		enc = 1
	}
	g.mu.RLock()
	page := g.pages[enc][key]
	g.mu.RUnlock()
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
		page = newCachedPage(rec, g)
		g.mu.Lock()
		if g.count < c.max && g.pages[enc][key] == nil {
			g.pages[enc][key] = page
			g.count++
		}
		g.mu.Unlock()
	}
	page.serve(w, r, g.since)
}

// Header values every cached page shares.
var (
	publicCacheControl = []string{"public, max-age=60"} // readers revalidate after a minute
)

func newCachedPage(rec *recorder, g *generation) *cachedPage {
	body := bytes.Clone(rec.body.Bytes()) // no spare capacity kept for the version's life
	h := fnv.New64a()
	h.Write(body)
	p := &cachedPage{body: body, etag: fmt.Sprintf(`"v%d-%x"`, g.version, h.Sum64())}
	rec.header.Del("Content-Length")
	for k, v := range rec.header {
		p.header = append(p.header, headerField{k, slices.Clip(slices.Clone(v))})
	}
	p.header = append(p.header,
		headerField{"Etag", []string{p.etag}},
		headerField{"Last-Modified", g.lastModified},
		headerField{"Cache-Control", publicCacheControl},
		headerField{"Content-Length", []string{strconv.Itoa(len(body))}})
	return p
}

func (p *cachedPage) serve(w http.ResponseWriter, r *http.Request, since time.Time) {
	h := w.Header()
	for _, f := range p.header {
		h[f.key] = f.values
	}
	if match := r.Header["If-None-Match"]; len(match) > 0 {
		if strings.Contains(strings.Join(match, ","), p.etag) {
			delete(h, "Content-Length")
			w.WriteHeader(http.StatusNotModified)
			return
		}
	} else if ims := r.Header["If-Modified-Since"]; len(ims) > 0 {
		if t, err := http.ParseTime(ims[0]); err == nil && !since.After(t) {
			delete(h, "Content-Length")
			w.WriteHeader(http.StatusNotModified)
			return
		}
	}
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
