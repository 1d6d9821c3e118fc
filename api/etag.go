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

// datasetTag is the ETag of a read assembled from many records: it changes
// with every committed write (the store's data version). Views that show
// drafts to editors get their own tag, since they differ from the public
// one at the same version.
func datasetTag(version int64, editor bool) string {
	if editor {
		return fmt.Sprintf(`"%s-v%d-e"`, buildTag(), version)
	}
	return fmt.Sprintf(`"%s-v%d"`, buildTag(), version)
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

// versionClock gives each data version the time this process first saw
// it, for Last-Modified where no record carries a time. Version n+1 is
// written after every process that saw n saw it, so the times grow with
// the versions across processes too, to the second.
type versionClock struct {
	mu      sync.Mutex
	version int64
	seen    time.Time
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

// datasetValidators reads the data version and answers a conditional read
// of a view built from many records. done means the response is written:
// a 304, or an error.
func (s *Server) datasetValidators(w http.ResponseWriter, r *http.Request, editor bool) (done bool) {
	v, err := s.store.DataVersion(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return true
	}
	return s.validators(w, r, datasetTag(v, editor), s.clock.at(v), editor)
}
