package web

import (
	"bytes"
	"encoding/xml"
	"html/template"
	"net"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"

	vigie "github.com/vigie-network/vigie"
)

// Atom feeds (RFC 4287) of the news, for the whole network and per country,
// so that partners can follow a country in a feed reader.

// feedEntries bounds a feed: readers poll it, and older stories are in the
// newsroom.
const feedEntries = 50

// feedTagDate is the date in the feeds' tag: URIs (RFC 4151). It must
// never change, or every reader would see every story as new.
const feedTagDate = "2026"

type atomFeed struct {
	XMLName xml.Name    `xml:"http://www.w3.org/2005/Atom feed"`
	Lang    string      `xml:"http://www.w3.org/XML/1998/namespace lang,attr"`
	ID      string      `xml:"id"`
	Title   string      `xml:"title"`
	Updated string      `xml:"updated"`
	Author  atomPerson  `xml:"author"`
	Links   []atomLink  `xml:"link"`
	Entries []atomEntry `xml:"entry"`
}

type atomPerson struct {
	Name string `xml:"name"`
	URI  string `xml:"uri,omitempty"`
}

type atomLink struct {
	Rel  string `xml:"rel,attr"`
	Type string `xml:"type,attr,omitempty"`
	Href string `xml:"href,attr"`
}

type atomEntry struct {
	ID         string         `xml:"id"`
	Title      string         `xml:"title"`
	Updated    string         `xml:"updated"`
	Published  string         `xml:"published"`
	Links      []atomLink     `xml:"link"`
	Categories []atomCategory `xml:"category"`
	Summary    *atomText      `xml:"summary"`
	Content    atomText       `xml:"content"`
}

// atomText with Type "html" holds HTML as escaped text.
type atomText struct {
	Type string `xml:"type,attr"`
	Body string `xml:",chardata"`
}

type atomCategory struct {
	Term  string `xml:"term,attr"`
	Label string `xml:"label,attr,omitempty"`
}

func (s *Server) handleNewsFeed(w http.ResponseWriter, r *http.Request) {
	s.serveFeed(w, r, vigie.Country{})
}

func (s *Server) handleCountryFeed(w http.ResponseWriter, r *http.Request) {
	slug := r.PathValue("slug")
	c, ok := vigie.CountryBySlug(slug)
	if !ok {
		if c, ok = findCountry(slug); ok {
			http.Redirect(w, r, "/countries/"+c.Slug+"/news.atom", http.StatusMovedPermanently)
			return
		}
		s.notFoundMessage(w, r, tr(r, "error.no_feed"))
		return
	}
	s.serveFeed(w, r, c)
}

// serveFeed writes the Atom feed of the country's news, or of all news for
// the zero Country.
func (s *Server) serveFeed(w http.ResponseWriter, r *http.Request, c vigie.Country) {
	items, err := s.store.NewsItems(r.Context(), vigie.NewsFilter{Country: c.ISO2, Limit: feedEntries})
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	base, fromConfig := s.siteURL(r)
	tag := "tag:" + tagAuthority(base) + "," + feedTagDate + ":"
	feed := atomFeed{
		Lang:    "en",
		ID:      tag + "news",
		Title:   "News · Vigie",
		Updated: atomTime(time.Unix(0, 0)), // a feed with no entry yet
		Author:  atomPerson{Name: "Vigie", URI: base + "/"},
		Links: []atomLink{
			{Rel: "self", Type: "application/atom+xml", Href: base + "/news.atom"},
			{Rel: "alternate", Type: "text/html", Href: base + "/news"},
		},
	}
	if c.ISO2 != "" {
		feed.ID = tag + "countries/" + c.ISO2 + "/news"
		feed.Title = "News from " + c.Name("en") + " · Vigie"
		feed.Links[0].Href = base + "/countries/" + c.Slug + "/news.atom"
		feed.Links[1].Href = base + "/news?country=" + c.Slug
	}
	for i, n := range items {
		e := s.newAtomEntry(n, base, tag)
		if i == 0 {
			feed.Updated = e.Updated // newest first
		}
		feed.Entries = append(feed.Entries, e)
	}

	var buf bytes.Buffer
	buf.WriteString(xml.Header)
	enc := xml.NewEncoder(&buf)
	if err := enc.Encode(feed); err != nil {
		s.serverError(w, r, err)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "application/atom+xml; charset=utf-8")
	if fromConfig {
		h.Set("Cache-Control", "public, max-age=600")
	} else {
		// Built from the request's Host header: no shared cache may keep it
		// and hand it to readers who asked under another name.
		h.Set("Cache-Control", "no-store")
		h.Add("Vary", "Host")
	}
	h.Set("Content-Length", strconv.Itoa(buf.Len()))
	w.Write(buf.Bytes())
}

// newAtomEntry makes a story's entry. Its id uses the slug, which does not
// change when the story is edited. The content is the story as its page
// shows it: the summary, then the sanitised body.
func (s *Server) newAtomEntry(n vigie.NewsItem, base, tag string) atomEntry {
	date := atomTime(n.Date)
	e := atomEntry{
		ID:        tag + "news/" + n.Slug,
		Title:     n.Title,
		Updated:   date,
		Published: date,
		Links:     []atomLink{{Rel: "alternate", Type: "text/html", Href: base + "/news/" + n.Slug}},
		Content:   atomText{Type: "html"},
	}
	for _, code := range n.Countries {
		if c, ok := vigie.CountryByISO2(code); ok {
			e.Categories = append(e.Categories, atomCategory{Term: c.ISO2, Label: c.Name("en")})
		}
	}
	var content strings.Builder
	if n.Summary != "" {
		e.Summary = &atomText{Type: "text", Body: n.Summary}
		for _, p := range paragraphs(n.Summary) {
			content.WriteString("<p>" + template.HTMLEscapeString(p) + "</p>\n")
		}
	}
	content.WriteString(string(s.article.HTML(n.Body)))
	e.Content.Body = content.String()
	return e
}

// atomTime writes an RFC 3339 date-time as Atom requires; news items carry
// a calendar date, so their time is midnight UTC.
func atomTime(t time.Time) string {
	if t.IsZero() {
		t = time.Unix(0, 0)
	}
	return t.UTC().Format(time.RFC3339)
}

// WithBaseURL sets the site's public address, such as
// "https://vigie.example.org": the only source of the absolute links in
// pages and feeds, the host the page cache answers for, and, when it is
// https, what makes the session cookie Secure and pages carry
// Strict-Transport-Security. Call it before serving.
func (s *Server) WithBaseURL(base string) *Server {
	s.baseURL = strings.TrimRight(base, "/")
	s.baseHost = ""
	if u, err := url.Parse(s.baseURL); err == nil && s.baseURL != "" {
		s.baseHost = canonicalHost(u.Scheme, u.Host)
	}
	return s
}

// canonicalHost writes a Host for comparison: lower case, without a
// trailing dot or the scheme's default port.
// It runs on every request to the page cache, so it allocates nothing for
// a host already in that form.
func canonicalHost(scheme, host string) string {
	host = strings.ToLower(host)
	if i := strings.LastIndexByte(host, ':'); i >= 0 && !strings.HasSuffix(host, "]") {
		if port := host[i+1:]; scheme == "https" && port == "443" || scheme == "http" && port == "80" {
			host = host[:i]
		}
	}
	return strings.TrimSuffix(host, ".")
}

// forConfiguredHost reports whether r names the host of the base URL;
// without a base URL, every host is.
func (s *Server) forConfiguredHost(r *http.Request) bool {
	if s.baseHost == "" {
		return true
	}
	scheme := "http"
	if strings.HasPrefix(s.baseURL, "https://") {
		scheme = "https"
	}
	return canonicalHost(scheme, r.Host) == s.baseHost
}

// siteURL is the site's address for absolute links: the configured base
// URL, or else the request's scheme and Host, which a reader may set to
// anything: only a response that no cache keeps may use it (fromConfig
// says which). Pages link with paths instead.
func (s *Server) siteURL(r *http.Request) (base string, fromConfig bool) {
	if s.baseURL != "" {
		return s.baseURL, true
	}
	scheme := "http"
	if RequestIsHTTPS(r) {
		scheme = "https"
	}
	host := r.Host
	if !hostPattern.MatchString(host) {
		host = "localhost"
	}
	return scheme + "://" + host, false
}

// hostPattern accepts host names, IPv4 and bracketed IPv6 addresses, with
// an optional port: nothing that could break out of a URL.
var hostPattern = regexp.MustCompile(`^([A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(:[0-9]{1,5})?$`)

// tagAuthority is the host name a tag: URI may use (RFC 4151: a DNS name),
// without scheme or port.
func tagAuthority(base string) string {
	host := base[strings.Index(base, "://")+3:]
	host, _, _ = strings.Cut(host, "/")
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	host = strings.ToLower(host)
	if host == "" || strings.ContainsAny(host, ":[]") { // IPv6 literals are no DNS names
		return "localhost"
	}
	return host
}
