package web

import (
	"bytes"
	"context"
	"fmt"
	"hash/fnv"
	"log/slog"
	"maps"
	"net/http"
	"net/url"
	"runtime"
	"runtime/debug"
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
//
// After a data change every page misses at once. Each is rendered once,
// however many readers ask for it meanwhile, and renders take turns so
// that the pages already rendered keep flowing. A reader whose page takes
// longer than staleGrace while every render slot is taken gets the
// previous version's copy, if this server has one, rather than wait behind
// the refill. An idle server always answers with the current version.
type pageCache struct {
	version func(context.Context) (int64, error)
	refresh time.Duration
	max     int           // entries kept for one version
	grace   time.Duration // how long a reader waits for a render before taking the previous version's page

	gen       atomic.Pointer[generation] // the pages of the current version
	checkedAt atomic.Int64               // when the version was last read, in Unix nanoseconds
	mu        sync.Mutex                 // one reading of the version at a time
	renders   chan struct{}              // a slot per page being rendered
	logger    *slog.Logger               // nil: panics in renders are not logged
}

// staleGrace is how long a reader waits for the current version of a page
// before the previous one is served, if the server is busy rendering.
const staleGrace = 20 * time.Millisecond

// generation holds the pages of one data version; a new version starts an
// empty one, and the old one goes with the requests still using it.
type generation struct {
	version      int64
	since        time.Time // when this server first saw the version
	lastModified []string  // since, formatted for the header; shared, read-only

	mu       sync.RWMutex
	pages    [2]map[string]*cachedPage // [0] plain, [1] gzip, by request URI; nil values: not cacheable
	count    int
	inflight map[flightKey]*flight // pages being rendered
	prev     *generation           // the version before, for stale pages while this one fills; its prev is nil
}

type flightKey struct {
	enc int
	key string
}

// flight is a render that readers of the same page wait for.
type flight struct {
	done chan struct{}
	// Set before done closes: the page, or the response that could not
	// be cached (an error page), which waiters replay.
	page *cachedPage
	rec  *recorder
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
	since  time.Time // its version's Last-Modified
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
	s.cache.logger = s.logger
	return s
}

func newPageCache(version func(context.Context) (int64, error), refresh time.Duration) *pageCache {
	// Rendering is mostly CPU with a few store round trips: twice as many
	// renders as processors keep them busy.
	return &pageCache{version: version, refresh: refresh, max: 4096, grace: staleGrace,
		renders: make(chan struct{}, 2*runtime.GOMAXPROCS(0))}
}

// pageParams are the query parameters public pages read. The cache key
// holds these only, and the page is rendered from a request that carries
// only these, so that it is the same page for every address with the same
// key: a parameter no page reads (a tracker's ?utm_source=, or ?z=random
// sent to bypass the cache) changes neither the page nor the key, and
// cannot make the server render a page again. A test checks that every
// parameter the public pages read is listed.
var pageParams = map[string]bool{
	"add": true, "as_of": true, "c": true, "country": true, "from": true, "indicator": true, "kind": true,
	"after": true, "lang": true, "order": true, "page": true, "q": true, "rating": true, "region": true, "rev": true,
	"reverted": true, "sort": true, "to": true, "type": true, "year": true, "years": true,
}

// pageKey returns the cache key of r and the request to render it from:
// the path in its canonical escaping, then the page parameters sorted by
// name. Spellings of one address ("/countries/%6Dali", "?page=2&z=1")
// share one entry. It allocates nothing for a plain path.
func pageKey(r *http.Request) (*http.Request, string) {
	u := r.URL
	if u.RawQuery == "" && u.RawPath == "" && !u.ForceQuery {
		if r.RequestURI == u.Path {
			return r, r.RequestURI
		}
		return r, u.EscapedPath()
	}
	clean := *u
	clean.ForceQuery = false
	// An escaped slash ("%2F") routes differently from a slash: only
	// such a path keeps its spelling.
	if clean.RawPath != "" && !strings.Contains(strings.ToLower(clean.RawPath), "%2f") {
		clean.RawPath = ""
	}
	if clean.RawQuery != "" {
		q, _ := url.ParseQuery(clean.RawQuery) // what cannot be read is dropped, as pages drop it
		maps.DeleteFunc(q, func(name string, _ []string) bool { return !pageParams[name] })
		clean.RawQuery = q.Encode()
	}
	key := clean.RequestURI()
	if clean == *u {
		return r, key
	}
	r2 := new(http.Request)
	*r2 = *r
	r2.URL, r2.RequestURI = &clean, key
	return r2, key
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
	// The data downloads are served from files (dataFiles), never
	// from memory: they grow with the record.
	return !isDownloadPath(r.URL.Path)
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
	old := c.gen.Load()
	if old == nil || old.version != v {
		since := now.UTC().Truncate(time.Second)
		g := &generation{version: v, since: since, lastModified: []string{since.Format(http.TimeFormat)},
			pages: [2]map[string]*cachedPage{{}, {}}, inflight: map[flightKey]*flight{}, prev: old}
		if old != nil {
			old.mu.Lock()
			old.prev = nil // keep two versions at most
			old.mu.Unlock()
		}
		c.gen.Store(g)
		return g, nil
	}
	return old, nil
}

// cacheLayer hands requests to the page cache once WithPageCache has set
// it, so that the option can be applied after New built the handler chain.
//
// With a base URL, a request naming another host never reaches the cache,
// so that nothing it makes a page say is kept for other readers. It is
// still answered, rendered in turn with the pages being cached.
func (s *Server) cacheLayer(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c := s.cache
		switch {
		case c == nil:
			next.ServeHTTP(w, r)
		case s.forConfiguredHost(r) || !cacheable(r):
			c.serve(next, w, r)
		default:
			s.foreignHost.Do(func() {
				s.logger.Warn("a request names a host other than --base-url's: such pages are not cached; "+
					"behind a proxy, pass the Host header on (nginx: proxy_set_header Host $host)", "host", r.Host, "base-url", s.baseURL)
			})
			c.renderUncached(next, w, r)
		}
	})
}

// renderUncached renders a page that must not be cached, taking its turn
// among the renders like a page that is. The page is rendered into memory
// and sent once the turn is over, so that a reader who reads slowly does
// not hold a render slot.
func (c *pageCache) renderUncached(next http.Handler, w http.ResponseWriter, r *http.Request) {
	select {
	case c.renders <- struct{}{}:
	case <-r.Context().Done():
		return
	}
	rec := &recorder{header: http.Header{}, status: http.StatusOK}
	func() {
		defer func() { <-c.renders }()
		next.ServeHTTP(rec, r)
	}()
	rec.replay(w, r)
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
	r, key := pageKey(r)
	enc := 0
	if acceptsGzip(r) {
		enc = 1
	}
	g.mu.RLock()
	page, known := g.pages[enc][key]
	g.mu.RUnlock()
	switch {
	case page != nil:
		page.serve(w, r)
	case known: // not cacheable in this version: no need to wait for anyone
		next.ServeHTTP(w, r)
	default:
		c.fill(next, w, r, g, enc, key)
	}
}

// fill answers a request for a page missing from g. The first reader
// starts a render, which goes on whatever happens to that reader; readers
// of the same page wait for it, for at most the grace period if the
// previous version's page is there to serve instead.
func (c *pageCache) fill(next http.Handler, w http.ResponseWriter, r *http.Request, g *generation, enc int, key string) {
	fk := flightKey{enc, key}
	g.mu.Lock()
	if page := g.pages[enc][key]; page != nil {
		g.mu.Unlock()
		page.serve(w, r)
		return
	}
	f := g.inflight[fk]
	if f == nil {
		f = &flight{done: make(chan struct{})}
		g.inflight[fk] = f
		go c.render(next, r, g, fk, f)
	}
	var stale *cachedPage
	if p := g.prev; p != nil {
		p.mu.RLock()
		stale = p.pages[enc][key]
		p.mu.RUnlock()
	}
	g.mu.Unlock()

	var wait <-chan time.Time
	if stale != nil {
		t := time.NewTimer(c.grace)
		defer t.Stop()
		wait = t.C
	}
	select {
	case <-f.done:
	case <-wait:
		// Every render slot is taken: the server is refilling after a
		// change, and this page may be far down the queue.
		if len(c.renders) == cap(c.renders) {
			stale.serve(w, r)
			return
		}
		select {
		case <-f.done:
		case <-r.Context().Done():
			return
		}
	case <-r.Context().Done():
		return // the reader left; the render goes on for the next ones
	}
	switch {
	case f.page != nil:
		f.page.serve(w, r)
	case f.rec != nil && f.rec.header.Get("Set-Cookie") == "":
		f.rec.replay(w, r)
	default:
		next.ServeHTTP(w, r) // an answer for one reader only: render ours
	}
}

// render renders a page for g in its own goroutine, taking its turn among
// the renders, and stores it unless it must not be cached.
func (c *pageCache) render(next http.Handler, r *http.Request, g *generation, fk flightKey, f *flight) {
	var page *cachedPage
	defer func() {
		// The render has no request goroutine whose panic net/http would
		// recover: answer its readers with an error and keep serving.
		if p := recover(); p != nil {
			page = nil
			f.rec = &recorder{header: http.Header{"Content-Type": {"text/plain; charset=utf-8"}}, status: http.StatusInternalServerError}
			f.rec.body.WriteString("Internal server error\n")
			if c.logger != nil {
				c.logger.Error("panic rendering a page", "url", fk.key, "panic", p, "stack", string(debug.Stack()))
			}
		}
		g.mu.Lock()
		delete(g.inflight, fk)
		if g.count >= c.max {
			g.evictOne()
		}
		if _, known := g.pages[fk.enc][fk.key]; !known {
			g.count++
		}
		g.pages[fk.enc][fk.key] = page // nil marks a page that cannot be cached
		g.mu.Unlock()
		f.page = page
		close(f.done)
	}()
	c.renders <- struct{}{}
	defer func() { <-c.renders }()
	rec := &recorder{header: http.Header{}, status: http.StatusOK}
	get := r.Clone(context.WithoutCancel(r.Context())) // the first reader may leave; the page is for all
	get.Method = http.MethodGet                        // HEAD fills the cache with the GET body
	next.ServeHTTP(rec, get)
	if rec.status != http.StatusOK || rec.header.Get("Set-Cookie") != "" ||
		strings.Contains(rec.header.Get("Cache-Control"), "no-store") {
		f.rec = rec
		return
	}
	page = newCachedPage(rec, g, fk)
}

// evictOne drops an entry chosen by map order, which is random, to make
// room when the version holds as many pages as it may: a flood of distinct
// addresses (searches, page numbers) then cannot stop the pages readers
// ask for from being cached. g.mu is held.
func (g *generation) evictOne() {
	for enc := range g.pages {
		for k := range g.pages[enc] {
			delete(g.pages[enc], k)
			g.count--
			return
		}
	}
}

// Header values every cached page shares.
var (
	publicCacheControl = []string{"public, max-age=60"} // readers revalidate after a minute
)

// newCachedPage keeps a rendered page. Its validators depend on what the
// page says and nothing else: the data version also changes when an
// editor saves a draft, and a reader must not learn that from a page
// whose text did not change. The ETag is a digest of the body; a page
// the previous version had with the same body keeps its Last-Modified.
func newCachedPage(rec *recorder, g *generation, fk flightKey) *cachedPage {
	body := bytes.Clone(rec.body.Bytes()) // no spare capacity kept for the version's life
	h := fnv.New128a()
	h.Write(body)
	p := &cachedPage{body: body, etag: fmt.Sprintf(`"%x"`, h.Sum(nil)), since: g.since}
	lastModified := g.lastModified
	g.mu.RLock()
	prev := g.prev
	g.mu.RUnlock()
	if prev != nil {
		prev.mu.RLock()
		if old := prev.pages[fk.enc][fk.key]; old != nil && old.etag == p.etag {
			p.since, lastModified = old.since, old.lastModified()
		}
		prev.mu.RUnlock()
	}
	rec.header.Del("Content-Length")
	for k, v := range rec.header {
		p.header = append(p.header, headerField{k, slices.Clip(slices.Clone(v))})
	}
	p.header = append(p.header,
		headerField{"Etag", []string{p.etag}},
		headerField{"Last-Modified", lastModified},
		headerField{"Cache-Control", publicCacheControl},
		headerField{"Content-Length", []string{strconv.Itoa(len(body))}})
	return p
}

// lastModified is the page's Last-Modified header value.
func (p *cachedPage) lastModified() []string {
	for _, f := range p.header {
		if f.key == "Last-Modified" {
			return f.values
		}
	}
	return []string{p.since.Format(http.TimeFormat)}
}

func (p *cachedPage) serve(w http.ResponseWriter, r *http.Request) {
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
		if t, err := http.ParseTime(ims[0]); err == nil && !p.since.After(t) {
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

// replay sends the recorded response; several readers may replay one
// recording at once, so it only reads it.
func (r *recorder) replay(w http.ResponseWriter, req *http.Request) {
	for k, v := range r.header {
		w.Header()[k] = slices.Clip(v)
	}
	w.WriteHeader(r.status)
	if req.Method != http.MethodHead {
		w.Write(r.body.Bytes())
	}
}
