package web

import (
	"context"
	"encoding/xml"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	vigie "github.com/vigie-network/vigie"
)

// Atom as RFC 4287 defines it, read with encoding/xml: every element the
// tests check, in the Atom namespace.
type parsedFeed struct {
	XMLName xml.Name      `xml:"http://www.w3.org/2005/Atom feed"`
	ID      string        `xml:"http://www.w3.org/2005/Atom id"`
	Title   string        `xml:"http://www.w3.org/2005/Atom title"`
	Updated string        `xml:"http://www.w3.org/2005/Atom updated"`
	Authors []parsedName  `xml:"http://www.w3.org/2005/Atom author"`
	Links   []parsedLink  `xml:"http://www.w3.org/2005/Atom link"`
	Entries []parsedEntry `xml:"http://www.w3.org/2005/Atom entry"`
}

type parsedName struct {
	Name string `xml:"http://www.w3.org/2005/Atom name"`
}

type parsedLink struct {
	Rel  string `xml:"rel,attr"`
	Type string `xml:"type,attr"`
	Href string `xml:"href,attr"`
}

type parsedText struct {
	Type string `xml:"type,attr"`
	Body string `xml:",chardata"`
}

type parsedEntry struct {
	ID         string       `xml:"http://www.w3.org/2005/Atom id"`
	Title      string       `xml:"http://www.w3.org/2005/Atom title"`
	Updated    string       `xml:"http://www.w3.org/2005/Atom updated"`
	Links      []parsedLink `xml:"http://www.w3.org/2005/Atom link"`
	Summary    *parsedText  `xml:"http://www.w3.org/2005/Atom summary"`
	Content    *parsedText  `xml:"http://www.w3.org/2005/Atom content"`
	Categories []struct {
		Term string `xml:"term,attr"`
	} `xml:"http://www.w3.org/2005/Atom category"`
}

func (l parsedLink) is(rel string) bool { return l.Rel == rel || (rel == "alternate" && l.Rel == "") }

// fetchFeed gets path from host and checks what RFC 4287 requires of a
// feed and of each entry.
func fetchFeed(t *testing.T, h http.Handler, host, path string) (parsedFeed, *http.Response) {
	t.Helper()
	req := httptest.NewRequest(http.MethodGet, path, nil)
	req.Host = host
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	res := rec.Result()
	if res.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %d\n%s", path, res.StatusCode, rec.Body.String())
	}
	if ct := res.Header.Get("Content-Type"); ct != "application/atom+xml; charset=utf-8" {
		t.Errorf("GET %s: Content-Type %q", path, ct)
	}
	body := rec.Body.String()
	if !strings.HasPrefix(body, `<?xml version="1.0" encoding="UTF-8"?>`) {
		t.Errorf("GET %s: no XML declaration", path)
	}
	var f parsedFeed
	if err := xml.Unmarshal(rec.Body.Bytes(), &f); err != nil {
		t.Fatalf("GET %s: not Atom: %v\n%s", path, err, body)
	}
	absolute := func(what, iri string) {
		if !strings.HasPrefix(iri, "tag:") && !strings.HasPrefix(iri, "http://") && !strings.HasPrefix(iri, "https://") {
			t.Errorf("GET %s: %s %q is not an absolute IRI", path, what, iri)
		}
	}
	rfc3339 := func(what, s string) {
		if _, err := time.Parse(time.RFC3339, s); err != nil {
			t.Errorf("GET %s: %s %q is not an RFC 3339 date: %v", path, what, s, err)
		}
	}
	absolute("feed id", f.ID)
	rfc3339("feed updated", f.Updated)
	if f.Title == "" || len(f.Authors) != 1 || f.Authors[0].Name == "" {
		t.Errorf("GET %s: feed title %q, authors %+v", path, f.Title, f.Authors)
	}
	var self, alternate int
	for _, l := range f.Links {
		absolute("link", l.Href)
		if l.is("self") {
			self++
			if l.Type != "application/atom+xml" || !strings.HasSuffix(l.Href, path) {
				t.Errorf("GET %s: self link %+v", path, l)
			}
		}
		if l.is("alternate") && l.Type == "text/html" {
			alternate++
		}
	}
	if self != 1 || alternate != 1 {
		t.Errorf("GET %s: %d self and %d alternate links, want one each", path, self, alternate)
	}
	ids := map[string]bool{}
	for _, e := range f.Entries {
		absolute("entry id", e.ID)
		rfc3339("entry updated", e.Updated)
		if ids[e.ID] {
			t.Errorf("GET %s: id %q twice", path, e.ID)
		}
		ids[e.ID] = true
		if e.Title == "" || e.Content == nil || e.Content.Type != "html" {
			t.Errorf("GET %s: entry %q: title or html content missing: %+v", path, e.ID, e)
		}
		var alt int
		for _, l := range e.Links {
			absolute("entry link", l.Href)
			if l.is("alternate") {
				alt++
			}
		}
		if alt != 1 {
			t.Errorf("GET %s: entry %q has %d alternate links", path, e.ID, alt)
		}
	}
	return f, res
}

func TestNewsFeed(t *testing.T) {
	s, st := testSite(t)
	f, res := fetchFeed(t, s, "vigie.example.org", "/news.atom")
	if f.ID != "tag:vigie.example.org,2026:news" || f.Title != "News · Vigie" {
		t.Errorf("feed id %q title %q", f.ID, f.Title)
	}
	if len(f.Entries) != 2 || f.Entries[0].ID != "tag:vigie.example.org,2026:news/hostile-story" ||
		f.Entries[1].ID != "tag:vigie.example.org,2026:news/"+featuredSlug {
		t.Fatalf("entries = %+v", f.Entries)
	}
	if f.Updated != "2025-02-01T00:00:00Z" || f.Entries[0].Updated != f.Updated {
		t.Errorf("updated: feed %q, newest entry %q", f.Updated, f.Entries[0].Updated)
	}
	story := f.Entries[1]
	if story.Links[0].Href != "http://vigie.example.org/news/"+featuredSlug {
		t.Errorf("entry link = %q", story.Links[0].Href)
	}
	if story.Summary == nil || story.Summary.Body != "A survey finds that most people want stronger laws against the sexual exploitation of children." {
		t.Errorf("summary = %+v", story.Summary)
	}
	if !strings.Contains(story.Content.Body, "<p>Most people asked want their governments to act.<br>") {
		t.Errorf("content = %q", story.Content.Body)
	}
	// The hostile story's HTML is sanitised before it is escaped into the feed.
	hostile := f.Entries[0]
	if hostile.Title != xssScript+" "+xssAttr {
		t.Errorf("hostile title = %q", hostile.Title)
	}
	content, err := goquery.NewDocumentFromReader(strings.NewReader(hostile.Content.Body))
	if err != nil {
		t.Fatal(err)
	}
	if n := content.Find("script, img, iframe, svg, [style], [onerror], [onload], a[href^='javascript']").Length(); n != 0 {
		t.Errorf("the feed carries %d active elements: %q", n, hostile.Content.Body)
	}
	if !strings.Contains(content.Text(), xssAttr) || content.Find(`a[href="https://example.org/ok"]`).Length() != 1 {
		t.Errorf("the hostile text or the safe link is lost: %q", hostile.Content.Body)
	}
	if len(hostile.Categories) != 1 || hostile.Categories[0].Term != "NE" {
		t.Errorf("categories = %+v", hostile.Categories)
	}
	// Built from the Host header, the feed must not be kept by shared caches.
	if cc := res.Header.Get("Cache-Control"); cc != "no-store" {
		t.Errorf("Cache-Control %q", cc)
	}

	// Ids stay the same when a story is edited, and from one request to
	// the next.
	seedNewsroom(t, st, 1)
	update(t, st, func(ctx context.Context, tx vigie.Tx) error {
		n, err := tx.NewsItem(ctx, featuredSlug)
		if err != nil {
			return err
		}
		n.Title, n.Body = "Public Opinion is Clear (updated)", "New text."
		_, err = vigie.MergeNewsItem(ctx, tx, &n)
		return err
	})
	again, _ := fetchFeed(t, s, "vigie.example.org", "/news.atom")
	if again.Entries[1].Title != "Public Opinion is Clear (updated)" {
		t.Errorf("the edit is not in the feed: %q", again.Entries[1].Title)
	}
	if len(again.Entries) != 3 || again.Entries[0].ID != hostile.ID || again.Entries[1].ID != story.ID || again.ID != f.ID {
		t.Errorf("ids changed between requests: %+v", again.Entries)
	}

	// A forwarded HTTPS request gets https links; a forged Host cannot
	// inject markup or another path.
	req := httptest.NewRequest(http.MethodGet, "/news.atom", nil)
	req.Host = `evil.example"><x`
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, req)
	if strings.Contains(rec.Body.String(), "evil") {
		t.Errorf("a forged Host reached the feed: %s", rec.Body.String()[:300])
	}
}

func TestNewsFeedWithBaseURL(t *testing.T) {
	s, _ := testSite(t)
	s.WithBaseURL("https://vigie.example.org/")
	f, res := fetchFeed(t, s, "attacker.example", "/news.atom")
	if f.ID != "tag:vigie.example.org,2026:news" || f.Links[0].Href != "https://vigie.example.org/news.atom" ||
		f.Entries[0].Links[0].Href != "https://vigie.example.org/news/hostile-story" {
		t.Errorf("the configured base URL is not used: %+v", f)
	}
	if cc := res.Header.Get("Cache-Control"); cc != "public, max-age=600" {
		t.Errorf("Cache-Control %q", cc)
	}
}

func TestCountryFeed(t *testing.T) {
	s, st := testSite(t)
	seedNewsroom(t, st, 3)
	f, _ := fetchFeed(t, s, "localhost:8080", "/countries/senegal/news.atom")
	if f.ID != "tag:localhost,2026:countries/SN/news" || f.Title != "News from Senegal · Vigie" {
		t.Errorf("feed id %q title %q", f.ID, f.Title)
	}
	if len(f.Entries) != 1 || f.Entries[0].ID != "tag:localhost,2026:news/story-01" {
		t.Errorf("Senegal's entries = %+v", f.Entries)
	}
	var alternate string
	for _, l := range f.Links {
		if l.is("alternate") {
			alternate = l.Href
		}
	}
	if alternate != "http://localhost:8080/news?country=senegal" {
		t.Errorf("alternate = %q", alternate)
	}
	// The same story has the same id in every feed.
	all, _ := fetchFeed(t, s, "localhost:8080", "/news.atom")
	found := false
	for _, e := range all.Entries {
		found = found || e.ID == f.Entries[0].ID
	}
	if !found {
		t.Error("a story's id differs between the country feed and the main feed")
	}

	// A country without news has a valid, empty feed.
	empty, _ := fetchFeed(t, s, "localhost", "/countries/peru/news.atom")
	if len(empty.Entries) != 0 || empty.Updated != "1970-01-01T00:00:00Z" {
		t.Errorf("empty feed: %+v", empty)
	}
	if res, _ := get(t, s, "/countries/SN/news.atom"); res.StatusCode != http.StatusMovedPermanently ||
		res.Header.Get("Location") != "/countries/senegal/news.atom" {
		t.Errorf("ISO code: %d %q", res.StatusCode, res.Header.Get("Location"))
	}
	if res, _ := get(t, s, "/countries/atlantis/news.atom"); res.StatusCode != http.StatusNotFound {
		t.Errorf("unknown country: %d", res.StatusCode)
	}
}
