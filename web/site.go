package web

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"html"
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	vigie "github.com/vigie-network/vigie"
	"github.com/vigie-network/vigie/export"
)

// The offline copy (issue #6, `vigie site`): the public site, in every
// language, as static files that open from a USB stick or any static
// host. WriteSite crawls the site from its home pages through the server's
// own handlers, as a reader would, and writes each page as a file with
// every link made relative to it: /countries/mali becomes
// countries/mali/index.html, and a link from there to /indicators/x reads
// ../../indicators/x/index.html. Forms need a server: the copy's server
// renders none (Server.offline); links to what needs one (the editors'
// pages, sign-in) lose their href.

// SiteStats says what WriteSite wrote.
type SiteStats struct {
	Pages, Files int   // HTML pages; other files (stylesheet, feeds, downloads, PDFs)
	Bytes        int64 // of the copy, in all
	Broken       []string
	// For UpdateSite: files left as they were, files of the old copy
	// that the site no longer has (removed).
	Unchanged, Removed int
}

// siteMarker is the file that says a folder holds a copy of the site, so
// that UpdateSite never removes files from any other folder.
const siteMarker = ".vigie-site"

// siteSeeds are where the crawl starts: the home page in each language
// and the open data page, which the footer also links.
var siteSeeds = []string{"/", "/fr/", "/es/", "/data", "/fr/data", "/es/data"}

// siteExcluded are addresses that need a server, and the assessments'
// histories: never written, and links to them lose their href.
func siteExcluded(p string) bool {
	_, rest := splitLang(p)
	if rest == "" {
		rest = "/"
	}
	for _, prefix := range []string{"/edit", "/login", "/logout", "/set-password", "/api/", "/healthz"} {
		if strings.HasPrefix(rest, prefix) {
			return true
		}
	}
	// The history of each assessment (2,241 pages per language) stays
	// online: the copy holds each country's timeline of rating changes.
	return strings.HasSuffix(rest, "/report") || strings.HasSuffix(rest, "/report/thanks") ||
		strings.HasSuffix(rest, "/history")
}

// siteQueries are the query parameters whose pages the copy keeps, per
// page: the library's, the newsroom's and the directory's filters as the
// pages link them. Other queries (sorting, dates, searches) are dropped
// from links: they lead to the page without them.
var siteQueries = map[string][]string{
	"/news":          {"country", "page"},
	"/publications":  {"type", "year", "country", "region"},
	"/organisations": {"country", "region"},
}

// offlineURL normalises a link of the site: its path and the query the copy
// keeps, or ok false when the copy does not hold it.
func offlineURL(raw string) (u string, fragment string, ok bool) {
	p, err := url.Parse(raw)
	if err != nil || p.Host != "" || !strings.HasPrefix(p.Path, "/") {
		return "", "", false
	}
	if siteExcluded(p.Path) {
		return "", "", false
	}
	_, rest := splitLang(p.Path)
	keep := siteQueries[rest]
	q := url.Values{}
	for k, v := range p.Query() {
		if slices.Contains(keep, k) && len(v) > 0 && v[0] != "" {
			q.Set(k, v[0])
		}
	}
	u = p.Path
	if len(q) > 0 {
		u += "?" + q.Encode()
	}
	return u, p.Fragment, true
}

var nonWord = regexp.MustCompile(`[^a-z0-9]+`)

// siteFile is the file, relative to the copy's root, that holds address u.
func siteFile(u string) string {
	p, q, _ := strings.Cut(u, "?")
	p = strings.TrimPrefix(p, "/")
	if q != "" {
		name := "q-" + strings.Trim(nonWord.ReplaceAllString(strings.ToLower(q), "-"), "-") + ".html"
		return path.Join(p, name)
	}
	if p == "" || strings.HasSuffix(p, "/") {
		return p + "index.html"
	}
	if strings.Contains(path.Base(p), ".") {
		return p
	}
	return p + "/index.html"
}

// relativeLink is the link from the file at from to the file at to, both
// relative to the root: out of the folders of from that to does not
// share, then down to's. Every link of every page goes through it.
func relativeLink(from, to string) string {
	dir := path.Dir(from)
	if dir == "." {
		return to
	}
	dir += "/"
	common := 0 // the length of the folders both share, up to a slash
	for i := 0; i < len(dir) && i < len(to) && dir[i] == to[i]; i++ {
		if dir[i] == '/' {
			common = i + 1
		}
	}
	return strings.Repeat("../", strings.Count(dir[common:], "/")) + to[common:]
}

// siteLinks remembers where each link of the site leads in the copy: the
// same few thousand addresses recur on every page.
type siteLinks struct {
	mu sync.RWMutex
	m  map[string]siteLink // by the attribute's raw value
}

type siteLink struct {
	target, frag string // the address the copy holds, and the fragment
	file         string // the target's file
	ok           bool   // false: the copy does not hold it
}

func (c *siteLinks) resolve(raw []byte) siteLink {
	c.mu.RLock()
	l, found := c.m[string(raw)]
	c.mu.RUnlock()
	if found {
		return l
	}
	l.target, l.frag, l.ok = offlineURL(html.UnescapeString(string(raw)))
	if l.ok {
		l.file = siteFile(l.target)
	}
	c.mu.Lock()
	if len(c.m) >= siteLinksKept {
		clear(c.m) // the copy's memory stays flat however many pages it has
	}
	c.m[string(raw)] = l
	c.mu.Unlock()
	return l
}

// siteLinksKept bounds the links remembered: the common ones (menus,
// footers, the indicators) are found again at once after a clear.
const siteLinksKept = 50_000

// rewriteLinks passes every href="/…" and src="/…" of page (addresses of
// the site, not //other.host) to f with the attribute's name and raw
// value, and puts what f returns in place of the whole attribute; nil
// drops an href and keeps a src as it is. It is one pass over the page:
// a regular expression cost more than rendering the page.
func rewriteLinks(page []byte, f func(attr string, raw []byte) []byte) []byte {
	var out []byte // made on the first link, a little longer than page
	last := 0
	for i := 0; ; {
		k := bytes.Index(page[i:], []byte(`="/`))
		if k < 0 {
			break
		}
		at := i + k
		i = at + 3
		attr := ""
		for _, name := range []string{"href", "src"} {
			if attrNamed(page[:at], name) {
				attr = name
			}
		}
		end := bytes.IndexByte(page[at+2:], '"')
		if attr == "" || end < 0 || bytes.HasPrefix(page[at+2:], []byte("//")) {
			continue
		}
		value := page[at+2 : at+2+end]
		start, stop := at-len(attr), at+3+end
		repl := f(attr, value)
		if repl == nil && attr == "src" {
			continue
		}
		if out == nil {
			out = make([]byte, 0, len(page)+len(page)/8)
		}
		out = append(out, page[last:start]...)
		out = append(out, repl...)
		last, i = stop, stop
	}
	if out == nil {
		return page
	}
	return append(out, page[last:]...)
}

// WriteSite writes the public site into dir, which must be empty or not
// exist. progress, if not nil, is called after each file with the number
// written and the number known so far.
func (s *Server) WriteSite(ctx context.Context, dir string, progress func(done, known int)) (SiteStats, error) {
	if entries, err := os.ReadDir(dir); err == nil && len(entries) > 0 {
		if _, err := os.Stat(filepath.Join(dir, siteMarker)); err == nil {
			return SiteStats{}, fmt.Errorf("%s holds a copy of the site already: update it (vigie site --update) or choose a new folder", dir)
		}
		return SiteStats{}, fmt.Errorf("%s is not empty: choose a new folder", dir)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return SiteStats{}, err
	}
	return s.writeSite(ctx, &siteDir{root: dir}, progress)
}

// UpdateSite brings a copy that WriteSite wrote up to date: it writes the
// files that changed, leaves the others untouched (a USB stick is slow to
// write and wears), and removes the files of pages the site no longer
// has. It refuses a folder that is not such a copy.
func (s *Server) UpdateSite(ctx context.Context, dir string, progress func(done, known int)) (SiteStats, error) {
	if _, err := os.Stat(filepath.Join(dir, siteMarker)); err != nil {
		return SiteStats{}, fmt.Errorf("%s is not a copy of the site written by vigie site (no %s file): choose it again or write a new copy", dir, siteMarker)
	}
	out := &siteDir{root: dir, update: true, kept: map[string]bool{siteMarker: true}}
	stats, err := s.writeSite(ctx, out, progress)
	if err != nil {
		return stats, err
	}
	stats.Unchanged = int(out.unchanged.Load())
	stats.Removed, err = out.removeOthers()
	return stats, err
}

func (s *Server) writeSite(ctx context.Context, out *siteDir, progress func(done, known int)) (SiteStats, error) {
	var stats SiteStats
	site := s.forSite()
	defer site.downloads.close()
	known := &siteLinks{m: map[string]siteLink{}}

	var (
		mu      sync.Mutex
		wake    = sync.NewCond(&mu)
		seen    = map[string]bool{}
		broken  = map[string]bool{}
		queue   []string // addresses to write; files first
		held    []string // the data downloads, until their dataset is built
		built   bool     // the published data the downloads are written from
		active  int      // addresses being written, and the data's reading
		done    int
		firstEr error
	)
	enqueue := func(u string) {
		if seen[u] {
			return
		}
		seen[u] = true
		file, _, _ := strings.Cut(u, "?")
		switch {
		case isDataDownload(file) && !built:
			held = append(held, u)
		case strings.Contains(path.Base(file), "."):
			// The downloads take longest (the XLSX file most): start
			// them first, so that they overlap with the pages rather
			// than end the run.
			queue = slices.Insert(queue, 0, u)
		default:
			queue = append(queue, u)
		}
	}
	for _, u := range siteSeeds {
		enqueue(u)
	}
	// The three data downloads share one export stream (read from the
	// store into temporary files, see dataFiles): it is read beside the
	// pages, and the downloads wait for it out of the list rather than
	// keep a worker waiting.
	var wg sync.WaitGroup
	active++
	wg.Go(func() {
		_, release, err := site.publishedStream(ctx)
		if err == nil {
			release() // the server keeps it for the downloads
		}
		mu.Lock()
		defer mu.Unlock()
		active--
		built = true
		if err != nil && firstEr == nil {
			firstEr = err
		}
		// The workbook takes longest to write: first.
		if i := slices.IndexFunc(held, func(u string) bool { return path.Ext(u) == ".xlsx" }); i > 0 {
			held[0], held[i] = held[i], held[0]
		}
		queue = append(held, queue...)
		held = nil
		wake.Broadcast()
	})

	// One work list, as many workers as processors; a worker waits while
	// the list is empty but others may still find links, and all stop
	// when the list is empty and nobody is writing, or on an error.
	for range runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			mu.Lock()
			defer mu.Unlock()
			for {
				for len(queue) == 0 && active > 0 && firstEr == nil {
					wake.Wait()
				}
				if len(queue) == 0 || firstEr != nil {
					wake.Broadcast()
					return
				}
				if err := ctx.Err(); err != nil {
					firstEr = err
					continue
				}
				u := queue[0]
				queue = queue[1:]
				active++
				mu.Unlock()
				links, written, isPage, err := site.writeSiteFile(ctx, out, known, u)
				mu.Lock()
				active--
				switch {
				case err != nil:
					if firstEr == nil {
						firstEr = err
					}
				case written < 0:
					broken[u] = true
				default:
					stats.Bytes += int64(written)
					if isPage {
						stats.Pages++
					} else {
						stats.Files++
					}
				}
				for _, l := range links {
					enqueue(l)
				}
				done++
				if progress != nil {
					progress(done, len(seen))
				}
				wake.Broadcast()
			}
		})
	}
	wg.Wait()
	if firstEr != nil {
		return stats, firstEr
	}
	for u := range broken {
		stats.Broken = append(stats.Broken, u)
	}
	slices.Sort(stats.Broken)
	// The marker last: a copy cut short by an error is not taken for a
	// whole one, but can be updated once it has been written whole.
	if err := out.write(siteMarker, []byte("A copy of the Vigie site, written by vigie site. vigie site --update brings it up to date.\n")); err != nil {
		return stats, err
	}
	return stats, nil
}

// isDataDownload reports whether the file at path p is one of the
// downloads of the current data (/data/vigie.json…), built from the
// published dataset.
func isDataDownload(p string) bool {
	_, rest := splitLang(p)
	return strings.HasPrefix(rest, "/data/vigie.")
}

// forSite is a server like s, on a siteReader of its store, for one crawl.
func (s *Server) forSite() *Server {
	c := newServer(vigie.NewService(&siteReader{Store: s.service.Store, maxRows: siteAnswerRows}), s.logger, true)
	c.files, c.baseURL = s.files, s.baseURL
	return c
}

// writeSiteFile writes address u: a download of the current data
// straight from the dataset, anything else through the handlers.
func (s *Server) writeSiteFile(ctx context.Context, out *siteDir, known *siteLinks, u string) (links []string, written int, isPage bool, err error) {
	if isDataDownload(u) {
		written, err := s.writeSiteDownload(ctx, out, u)
		return nil, written, false, err
	}
	return s.writeSitePage(ctx, out, known, u)
}

// writeSitePage renders address u and writes it; for a page, it rewrites
// its links and returns the addresses they lead to. written is -1 when
// the server has no such page.
func (s *Server) writeSitePage(ctx context.Context, out *siteDir, known *siteLinks, u string) (links []string, written int, isPage bool, err error) {
	req := httptest.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	req.RemoteAddr = "127.0.0.1:0"
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, req)
	file := siteFile(u)
	body := rec.Body.Bytes()
	switch {
	case rec.Code == http.StatusOK:
	case rec.Code >= 300 && rec.Code < 400 && rec.Header().Get("Location") != "":
		// A redirect becomes a page that sends the browser on.
		target, frag, ok := offlineURL(rec.Header().Get("Location"))
		if !ok {
			return nil, -1, false, nil
		}
		link := relativeLink(file, siteFile(target))
		if frag != "" {
			link += "#" + frag
		}
		body = []byte(`<!doctype html><meta charset="utf-8"><meta http-equiv="refresh" content="0; url=` +
			html.EscapeString(link) + `"><title>Vigie</title><a href="` + html.EscapeString(link) + `">Vigie</a>`)
		return []string{target}, len(body), true, out.write(file, body)
	default:
		return nil, -1, false, nil
	}
	if !strings.HasPrefix(rec.Header().Get("Content-Type"), "text/html") {
		return nil, len(body), false, out.write(file, body)
	}
	body = rewriteLinks(body, func(attr string, raw []byte) []byte {
		l := known.resolve(raw)
		if !l.ok {
			// A link to what needs a server loses its href (the text
			// stays, unlinked); a src stays as it is.
			return nil
		}
		links = append(links, l.target)
		link := relativeLink(file, l.file)
		if l.frag != "" {
			link += "#" + l.frag
		}
		return []byte(attr + `="` + html.EscapeString(link) + `"`)
	})
	// Links without href are left as <a >: tidy them.
	body = bytes.ReplaceAll(body, []byte("<a >"), []byte("<a>"))
	return links, len(body), true, out.write(file, body)
}

// writeSiteDownload writes a download of the current data straight into
// its file, without the detour through the handler and its buffers (the
// JSON file alone is tens of megabytes). written is -1 when the site has
// no such download.
func (s *Server) writeSiteDownload(ctx context.Context, out *siteDir, u string) (written int, err error) {
	name, f := splitDownload(path.Base(u))
	if f == nil || name != "vigie" {
		return -1, nil
	}
	ds, release, err := s.publishedStream(ctx)
	if err != nil {
		return 0, err
	}
	defer release()
	if f.format == export.FormatXLSX && export.FitsXLSX(ds) != nil {
		return -1, nil // the data has outgrown a workbook: the copy goes without
	}
	n, err := out.stream(siteFile(u), func(w io.Writer) error { return export.Write(w, f.format, ds, nil) })
	return int(n), err
}

// siteDir is the folder WriteSite writes into. It remembers the folders
// it made, so that each file costs one system call to create rather than
// one per folder above it.
type siteDir struct {
	root string
	made sync.Map

	// Updating an existing copy: identical files are not rewritten, and
	// every file this run wrote or kept is remembered, to remove the rest.
	update    bool
	unchanged atomic.Int64
	mu        sync.Mutex
	kept      map[string]bool // by slash path relative to root
}

func (d *siteDir) write(file string, body []byte) error {
	p := filepath.Join(d.root, filepath.FromSlash(file))
	if d.update {
		d.mu.Lock()
		d.kept[file] = true
		d.mu.Unlock()
		if old, err := os.ReadFile(p); err == nil && bytes.Equal(old, body) {
			d.unchanged.Add(1)
			return nil
		}
	}
	if parent := filepath.Dir(p); !d.isMade(parent) {
		if err := os.MkdirAll(parent, 0o755); err != nil {
			return err
		}
		d.made.Store(parent, true)
	}
	return os.WriteFile(p, body, 0o644)
}

// stream writes the file that body writes. A new copy's file is written
// as body goes; an update's goes through memory, to be compared.
func (d *siteDir) stream(file string, body func(io.Writer) error) (written int64, err error) {
	if d.update {
		var buf bytes.Buffer
		if err := body(&buf); err != nil {
			return 0, err
		}
		return int64(buf.Len()), d.write(file, buf.Bytes())
	}
	p := filepath.Join(d.root, filepath.FromSlash(file))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return 0, err
	}
	f, err := os.Create(p)
	if err != nil {
		return 0, err
	}
	buffered := bufio.NewWriterSize(f, 1<<16)
	counted := &countingWriter{w: buffered}
	err = body(counted)
	if err == nil {
		err = buffered.Flush()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return counted.n, err
}

type countingWriter struct {
	w io.Writer
	n int64
}

func (c *countingWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

func (d *siteDir) isMade(p string) bool { _, ok := d.made.Load(p); return ok }

// removeOthers deletes the files of the copy that this run neither wrote
// nor kept, then the folders left empty.
func (d *siteDir) removeOthers() (removed int, err error) {
	var dirs []string
	err = filepath.WalkDir(d.root, func(p string, e fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(d.root, p)
		if e.IsDir() {
			if rel != "." {
				dirs = append(dirs, p)
			}
			return nil
		}
		if d.kept[filepath.ToSlash(rel)] {
			return nil
		}
		removed++
		return os.Remove(p)
	})
	// Deepest first; a folder that still holds something stays.
	for i := len(dirs) - 1; i >= 0; i-- {
		os.Remove(dirs[i])
	}
	return removed, err
}
