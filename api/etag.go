package api

import (
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"net/http"
	"runtime/debug"
	"strings"
	"sync"
	"time"
)

// formatVersion changes when a document's shape changes, so that clients
// holding an old ETag do not get a 304 for a new format.
const formatVersion = "1"

// buildTag identifies the binary: the country names and regions are
// compiled in, so a new build may change a document without a write.
var buildTag = sync.OnceValue(func() string {
	h := sha256.New()
	fmt.Fprint(h, formatVersion)
	if bi, ok := debug.ReadBuildInfo(); ok {
		fmt.Fprint(h, bi.Main.Version)
		for _, s := range bi.Settings {
			if s.Key == "vcs.revision" || s.Key == "vcs.modified" {
				fmt.Fprint(h, s.Value)
			}
		}
	}
	return base64.RawURLEncoding.EncodeToString(h.Sum(nil)[:6])
})

// datasetTag is the ETag of an editors' read assembled from many records:
// it changes with every committed write (the store's data version).
// Public reads get a digest of their body instead (bodyValidators): the
// data version changes with drafts too, which the public must not see.
func datasetTag(version int64) string {
	return fmt.Sprintf(`"%s-v%d-e"`, buildTag(), version)
}

// assessmentTag is the ETag of one assessment, and what PUT's If-Match
// must carry: "r7" names the newest revision in any state, so any save
// since the client's read makes its tag stale. When the published revision
// is an older one, it is named too ("r7-p5"): publishing changes what GET
// returns without adding a revision.
func assessmentTag(latest, published int) string {
	if latest == published {
		return fmt.Sprintf(`"r%d"`, latest)
	}
	return fmt.Sprintf(`"r%d-p%d"`, latest, published)
}

// assessmentValidators answers a conditional read of one assessment. Its
// tag for editors who may see drafts is the one PUT's If-Match needs, and
// names the newest revision, drafts included; everyone else gets a tag of
// the published revision only, which a saved draft does not change, so
// that outsiders cannot tell that a draft exists.
func (s *Server) assessmentValidators(w http.ResponseWriter, r *http.Request, t target) (done bool) {
	editor, err := s.viewer(w, r, t.country.ISO2)
	if err != nil {
		s.fail(w, r, err)
		return true
	}
	if editor {
		return s.validators(w, r, t.etag(), t.published.UpdatedAt, true)
	}
	return s.validators(w, r, assessmentTag(t.published.Revision, t.published.Revision), t.published.UpdatedAt, false)
}

// versionClock gives each data version the time this process first saw
// it, for Last-Modified where no record carries a time. Version n+1 is
// written after every process that saw n saw it, so the times grow with
// the versions across processes too, to the second.
type versionClock struct {
	mu      sync.Mutex
	version int64
	seen    time.Time
	bodies  map[string]taggedSince // by request URI: the tag last served, and since when
}

type taggedSince struct {
	tag   string
	since time.Time
}

// since is when the document at uri first had tag, as far as this process
// saw: the Last-Modified of a public read whose tag is a digest.
func (c *versionClock) since(uri, tag string) time.Time {
	now := time.Now().UTC().Truncate(time.Second)
	c.mu.Lock()
	defer c.mu.Unlock()
	if seen, ok := c.bodies[uri]; ok && seen.tag == tag {
		return seen.since
	}
	if c.bodies == nil || len(c.bodies) >= 10_000 {
		c.bodies = map[string]taggedSince{}
	}
	c.bodies[uri] = taggedSince{tag, now}
	return now
}

func (c *versionClock) at(version int64) time.Time {
	now := time.Now().UTC().Truncate(time.Second)
	c.mu.Lock()
	defer c.mu.Unlock()
	switch {
	case version > c.version:
		c.version, c.seen = version, now
	case version < c.version: // an older snapshot: no time is safe to claim
		return now
	}
	return c.seen
}

// validators sets ETag, Last-Modified and Cache-Control on a read and
// reports whether the client's copy is current, in which case it has
// answered 304 and the handler stops. If-None-Match wins over
// If-Modified-Since, as RFC 9110 says.
func (s *Server) validators(w http.ResponseWriter, r *http.Request, etag string, modified time.Time, editor bool) (done bool) {
	h := w.Header()
	h.Set("ETag", etag)
	if !modified.IsZero() {
		h.Set("Last-Modified", modified.UTC().Format(http.TimeFormat))
	}
	if editor {
		h.Set("Cache-Control", "private, no-cache")
	} else {
		h.Set("Cache-Control", "public, no-cache")
	}
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		return false
	}
	if inm := r.Header.Get("If-None-Match"); inm != "" {
		if !matchWeak(inm, etag) {
			return false
		}
	} else if ims, err := http.ParseTime(r.Header.Get("If-Modified-Since")); err != nil || modified.IsZero() ||
		modified.Truncate(time.Second).After(ims) {
		return false
	}
	w.WriteHeader(http.StatusNotModified)
	return true
}

// entityTags splits an If-Match or If-None-Match list.
func entityTags(header string) []string {
	var out []string
	for t := range strings.SplitSeq(header, ",") {
		if t = strings.TrimSpace(t); t != "" {
			out = append(out, t)
		}
	}
	return out
}

// matchWeak is If-None-Match's comparison: W/ prefixes do not matter.
func matchWeak(header, etag string) bool {
	for _, t := range entityTags(header) {
		if t == "*" || strings.TrimPrefix(t, "W/") == strings.TrimPrefix(etag, "W/") {
			return true
		}
	}
	return false
}

// matchStrong is If-Match's comparison: a weak tag never matches.
func matchStrong(header, etag string) bool {
	for _, t := range entityTags(header) {
		if t == etag && !strings.HasPrefix(t, "W/") {
			return true
		}
	}
	return false
}

// datasetValidators answers a conditional read of a view built from many
// records. done means the response is written: a 304, or an error.
//
// An editors' view is tagged with the data version, and answered before
// it is built. A public view is tagged with a digest of what it returns,
// once built (bodyValidators), so that its validators depend on published
// data only.
func (s *Server) datasetValidators(w http.ResponseWriter, r *http.Request, editor bool) (done bool) {
	if !editor {
		h := w.Header()
		h.Set("Cache-Control", "public, no-cache")
		h.Set("ETag", bodyTagPending)
		return false
	}
	v, err := s.store.DataVersion(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return true
	}
	return s.validators(w, r, datasetTag(v), s.clock.at(v), editor)
}

// bodyTagPending stands in the ETag of a public read until its body is
// known; write replaces it.
const bodyTagPending = `W/"pending"`

// bodyValidators tags a public read with a digest of body and answers it
// with 304 if the client's copy is current. write calls it before sending
// any body; it does nothing unless datasetValidators asked for it.
func (s *Server) bodyValidators(w http.ResponseWriter, r *http.Request, status int, body []byte) (done bool) {
	h := w.Header()
	if h.Get("ETag") != bodyTagPending {
		return false
	}
	h.Del("ETag")
	if status != http.StatusOK {
		return false
	}
	sum := sha256.Sum256(body)
	tag := `"` + buildTag() + "-" + base64.RawURLEncoding.EncodeToString(sum[:12]) + `"`
	return s.validators(w, r, tag, s.clock.since(r.URL.RequestURI(), tag), false)
}
