package web

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
	vigie "github.com/vigie-network/vigie"
)

func newRecorder() *httptest.ResponseRecorder { return httptest.NewRecorder() }

func TestHome(t *testing.T) {
	s, _ := testSite(t)
	doc := page(t, s, "/", http.StatusOK)
	if a := doc.Find("aside.featured a"); a.AttrOr("href", "") != "/news/"+featuredSlug {
		t.Errorf("featured link = %q", a.AttrOr("href", ""))
	}
	items := doc.Find("ul.cards li")
	if items.Length() != 9 {
		t.Fatalf("%d indicators, want 9", items.Length())
	}
	first := items.First()
	if first.Find("a").AttrOr("href", "") != "/indicators/age-of-consent" {
		t.Errorf("first indicator link = %q", first.Find("a").AttrOr("href", ""))
	}
	if got := textOf(first.Find("p")); got != "The age below which a child cannot legally agree to sexual activity sets the line that criminal law protects." {
		t.Errorf("rationale summary = %q", got)
	}
	if doc.Find(`main a[href="/countries"]`).Length() == 0 {
		t.Error("home does not link to /countries")
	}
	if textOf(doc.Find("head > title")) != "Vigie" {
		t.Errorf("title = %q", textOf(doc.Find("head > title")))
	}
}

func TestCountries(t *testing.T) {
	s, _ := testSite(t)
	doc := page(t, s, "/countries", http.StatusOK)
	if n := doc.Find("li.country").Length(); n != 249 {
		t.Errorf("%d countries, want 249", n)
	}
	var regions []string
	doc.Find("section.region > h2").Each(func(_ int, h *goquery.Selection) { regions = append(regions, textOf(h)) })
	var want []string
	for _, r := range vigie.Regions() {
		want = append(want, r.Names.EN)
	}
	for _, c := range vigie.Countries() {
		if c.Region.Code == "" { // UN M49 places Antarctica in no region
			want = append(want, "Other territories")
			break
		}
	}
	if strings.Join(regions, ",") != strings.Join(want, ",") {
		t.Errorf("regions %q, want %q", regions, want)
	}
	counts := map[string]string{}
	doc.Find("li.country").Each(func(_ int, li *goquery.Selection) {
		counts[li.Find("a").AttrOr("href", "")] = textOf(li.Find(".count"))
	})
	for href, want := range map[string]string{"/countries/mali": "1 of 9 assessed", "/countries/niger": "1 of 9 assessed",
		"/countries/senegal": "0 of 9 assessed", "/countries/antarctica": "0 of 9 assessed"} {
		if counts[href] != want {
			t.Errorf("%s: %q, want %q", href, counts[href], want)
		}
	}
	// Mali sits under Western Africa, within Africa.
	mali := doc.Find(`li.country a[href="/countries/mali"]`).Closest("ul")
	if sub := textOf(mali.PrevAllFiltered("h3").First()); sub != "Western Africa" {
		t.Errorf("Mali's sub-region heading = %q", sub)
	}
	if region := textOf(mali.Closest("section.region").Find("h2")); region != "Africa" {
		t.Errorf("Mali's region = %q", region)
	}
}

func TestIndicators(t *testing.T) {
	s, _ := testSite(t)
	doc := page(t, s, "/indicators", http.StatusOK)
	if n := doc.Find("section.framework").Length(); n != 9 {
		t.Errorf("%d indicators, want 9", n)
	}
	if n := doc.Find("dl.scale > div").Length(); n != len(vigie.DefaultRatings()) {
		t.Errorf("%d ratings on the scale", n)
	}
	if got := textOf(doc.Find("dl.scale dt").Last()); got != "Not Yet Assessed" {
		t.Errorf("last rating = %q", got)
	}
}

func TestIndicatorAcrossCountries(t *testing.T) {
	s, _ := testSite(t)
	doc := page(t, s, "/indicators/extraterritoriality-extradition", http.StatusOK)
	if h := textOf(doc.Find("h1")); h != "Extraterritoriality & Extradition" {
		t.Errorf("h1 = %q", h)
	}
	if n := doc.Find("table.verdicts tbody tr").Length(); n != 249 {
		t.Errorf("%d countries, want 249", n)
	}
	mali := doc.Find(`table.verdicts a[href="/countries/mali#extraterritoriality-extradition"]`).Closest("tr")
	if mali.Length() != 1 {
		t.Fatal("no link to Mali's section")
	}
	if got := textOf(mali.Find(".badge")); got != "Assessed, Not Rated" {
		t.Errorf("Mali's rating = %q", got)
	}
	if got := textOf(mali.Find("td:nth-child(4)")); got != maliFirstSentence {
		t.Errorf("Mali's summary = %q, want %q", got, maliFirstSentence)
	}
	if got := textOf(mali.Find("td:nth-child(5)")); got != "2021" {
		t.Errorf("Mali's as-of date = %q", got)
	}
	// Counts by rating: the world first, then each region.
	counts := map[string]string{}
	heads := doc.Find("table.counts thead th")
	doc.Find("table.counts tbody tr").First().Find("td").Each(func(i int, td *goquery.Selection) {
		counts[textOf(heads.Eq(i+1))] = textOf(td)
	})
	if counts["Assessed, Not Rated"] != "1" || counts["Not Yet Assessed"] != "248" || counts["All"] != "249" {
		t.Errorf("world counts = %v", counts)
	}

	age := page(t, s, "/indicators/age-of-consent", http.StatusOK)
	niger := age.Find(`table.verdicts a[href="/countries/niger#age-of-consent"]`).Closest("tr")
	if got := textOf(niger.Find("td:nth-child(3)")); got != "16 years" {
		t.Errorf("Niger's value = %q", got)
	}
	if got := textOf(niger.Find("td:nth-child(4)")); got != "Invented for tests." {
		t.Errorf("Niger's summary = %q", got)
	}
}

func TestNewsItem(t *testing.T) {
	s, _ := testSite(t)
	doc := page(t, s, "/news/"+featuredSlug, http.StatusOK)
	if h := textOf(doc.Find("h1")); !strings.HasPrefix(h, "Public Opinion is Clear") {
		t.Errorf("h1 = %q", h)
	}
	if got := doc.Find("time").AttrOr("datetime", ""); got != "2025-01-15" {
		t.Errorf("datetime = %q", got)
	}
	if got := textOf(doc.Find("time")); got != "15 January 2025" {
		t.Errorf("date = %q", got)
	}
	if doc.Find(".body p br").Length() != 1 {
		t.Error("the body's single newline is not a line break")
	}
	hostile := page(t, s, "/news/hostile-story", http.StatusOK)
	if got := hostile.Find(`.meta a[href="/countries/niger"]`).Text(); got != "Niger" {
		t.Errorf("country link = %q", got)
	}
}

func TestHealth(t *testing.T) {
	s, _ := testSite(t)
	res, body := get(t, s, "/healthz")
	var got struct {
		Status      string `json:"status"`
		DataVersion int64  `json:"data_version"`
	}
	if err := json.Unmarshal(body, &got); err != nil {
		t.Fatalf("%v: %s", err, body)
	}
	if res.StatusCode != http.StatusOK || got.Status != "ok" || got.DataVersion < 1 {
		t.Errorf("healthz: %d %s", res.StatusCode, body)
	}
	if ct := res.Header.Get("Content-Type"); ct != "application/json" {
		t.Errorf("Content-Type %q", ct)
	}

	var logs bytes.Buffer
	broken := serverOn(brokenStore{}, slog.New(slog.NewTextHandler(&logs, nil)))
	res, body = get(t, broken, "/healthz")
	if res.StatusCode != http.StatusServiceUnavailable || !strings.Contains(string(body), `"status":"unavailable"`) {
		t.Errorf("healthz on a broken store: %d %s", res.StatusCode, body)
	}
	if !strings.Contains(logs.String(), errSecret.Error()) {
		t.Error("the store error was not logged")
	}
}

var errSecret = errors.New("database is locked: /srv/secret/path.db")

// brokenStore fails every read, as a store whose disk went away would.
type brokenStore struct{ vigie.Reader }

func (brokenStore) Indicators(context.Context) ([]vigie.Indicator, error) { return nil, errSecret }
func (brokenStore) Ratings(context.Context) ([]vigie.Rating, error)       { return nil, errSecret }
func (brokenStore) Assessments(context.Context, vigie.AssessmentFilter) ([]vigie.Assessment, error) {
	return nil, errSecret
}
func (brokenStore) Organisations(context.Context, vigie.OrganisationFilter) ([]vigie.Organisation, error) {
	return nil, errSecret
}
func (brokenStore) Publications(context.Context, vigie.PublicationFilter) ([]vigie.Publication, error) {
	return nil, errSecret
}
func (brokenStore) OrganisationCounts(context.Context) (map[string]int, error) { return nil, errSecret }
func (brokenStore) PublicationFacets(context.Context) (vigie.PublicationFacets, error) {
	return vigie.PublicationFacets{}, errSecret
}
func (brokenStore) NewsItems(context.Context, vigie.NewsFilter) ([]vigie.NewsItem, error) {
	return nil, errSecret
}
func (brokenStore) NewsItem(context.Context, string) (vigie.NewsItem, error) {
	return vigie.NewsItem{}, errSecret
}
func (brokenStore) FeaturedStory(context.Context) (vigie.NewsItem, error) {
	return vigie.NewsItem{}, errSecret
}
func (brokenStore) DataVersion(context.Context) (int64, error) { return 0, errSecret }

func TestServerErrorsAreLoggedNotShown(t *testing.T) {
	var logs bytes.Buffer
	s := serverOn(brokenStore{}, slog.New(slog.NewTextHandler(&logs, nil)))
	for _, path := range []string{"/", "/countries", "/countries/mali", "/indicators", "/indicators/age-of-consent", "/news/x"} {
		logs.Reset()
		res, body := get(t, s, path)
		if res.StatusCode != http.StatusInternalServerError {
			t.Errorf("GET %s: %d, want 500", path, res.StatusCode)
		}
		if strings.Contains(string(body), "secret") || !strings.Contains(string(body), "Something went wrong") {
			t.Errorf("GET %s: the 500 page leaks or misses its message:\n%s", path, body)
		}
		if !strings.Contains(logs.String(), "secret/path.db") || !strings.Contains(logs.String(), path) {
			t.Errorf("GET %s: not logged: %s", path, logs.String())
		}
	}
}

func TestSecurityHeaders(t *testing.T) {
	s, _ := testSite(t)
	for _, path := range []string{"/", "/countries/mali", "/countries/atlantis", "/healthz", "/countries/ML", cssPath(t, s)} {
		res, _ := get(t, s, path, "Accept-Encoding", "gzip")
		for k, v := range map[string]string{
			"Content-Security-Policy": "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
			"X-Content-Type-Options":  "nosniff",
			"Referrer-Policy":         "strict-origin-when-cross-origin",
			"Vary":                    "Accept-Encoding",
		} {
			if got := res.Header.Get(k); got != v {
				t.Errorf("GET %s: %s = %q, want %q", path, k, got, v)
			}
		}
	}
}

// TestNoInlineStyleOrScript keeps every page within the CSP: no inline
// style, no script, and the only stylesheet is the hashed one.
func TestNoInlineStyleOrScript(t *testing.T) {
	s, _ := testSite(t)
	for _, path := range []string{"/", "/countries", "/countries/mali", "/countries/niger", "/indicators",
		"/indicators/age-of-consent", "/news/hostile-story", "/news/" + featuredSlug, "/countries/atlantis"} {
		doc := page(t, s, path, map[bool]int{true: 404, false: 200}[path == "/countries/atlantis"])
		if n := doc.Find("script, style, [style], noscript").Length(); n > 0 {
			t.Errorf("GET %s: %d script or style elements or attributes", path, n)
		}
		if links := doc.Find(`link[rel="stylesheet"]`); links.Length() != 1 || links.AttrOr("href", "") != s.css.path {
			t.Errorf("GET %s: stylesheet links %d %q", path, links.Length(), links.AttrOr("href", ""))
		}
		// Landmarks, skip link, one h1, headings never skip a level.
		for _, sel := range []string{"header", "nav", "main#content", "footer", `a.skip[href="#content"]`} {
			if doc.Find(sel).Length() == 0 {
				t.Errorf("GET %s: no %s", path, sel)
			}
		}
		if n := doc.Find("h1").Length(); n != 1 {
			t.Errorf("GET %s: %d h1", path, n)
		}
		last := 1
		doc.Find("h1, h2, h3, h4, h5, h6").Each(func(_ int, h *goquery.Selection) {
			level := int(goquery.NodeName(h)[1] - '0')
			if level > last+1 {
				t.Errorf("GET %s: h%d %q follows h%d", path, level, textOf(h), last)
			}
			last = level
		})
	}
}

// TestHostileInputIsInert renders every page that shows hostile input and
// checks that none of it became markup that runs.
func TestHostileInputIsInert(t *testing.T) {
	s, _ := testSite(t)
	onAttr := regexp.MustCompile(`(?i)^on`)
	for _, path := range []string{"/countries/niger", "/news/hostile-story", "/indicators/age-of-consent", "/countries"} {
		res, body := get(t, s, path)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("GET %s: %d", path, res.StatusCode)
		}
		if bytes.Contains(bytes.ToLower(body), []byte("<script")) {
			t.Errorf("GET %s: the body contains <script", path)
		}
		doc, err := goquery.NewDocumentFromReader(bytes.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		// The world map, its legend and the charts are the site's own SVG, not input.
		if n := doc.Find("script, iframe, svg:not(.worldmap, .swatch, .chart), object, embed, [style]").Length(); n > 0 {
			t.Errorf("GET %s: %d active elements", path, n)
		}
		doc.Find("*").Each(func(_ int, sel *goquery.Selection) {
			for _, a := range sel.Nodes[0].Attr {
				v := strings.ToLower(strings.Join(strings.Fields(a.Val), ""))
				if onAttr.MatchString(a.Key) {
					t.Errorf("GET %s: <%s %s=%q>", path, goquery.NodeName(sel), a.Key, a.Val)
				}
				if (a.Key == "href" || a.Key == "src" || a.Key == "action") &&
					(strings.HasPrefix(v, "javascript:") || strings.HasPrefix(v, "data:") || strings.HasPrefix(v, "vbscript:")) {
					t.Errorf("GET %s: <%s %s=%q>", path, goquery.NodeName(sel), a.Key, a.Val)
				}
			}
		})
	}

	// The hostile text is still shown, as text.
	doc := page(t, s, "/countries/niger", http.StatusOK)
	if got := textOf(doc.Find("article.org h3")); got != xssAttr+" ("+xssScript+")" {
		t.Errorf("organisation name shown as %q", got)
	}
	checkDL(t, doc.Find("dl.contact"), map[string]string{"Name": xssScript, "Title": xssAttr, "Phone": "—"})
	if doc.Find(`#age-of-consent .explanation a[href="https://example.org/ok"]`).Length() != 1 {
		t.Error("a safe link in an explanation was lost")
	}
}

func TestStaticCSS(t *testing.T) {
	s, _ := testSite(t)
	path := cssPath(t, s)
	if !regexp.MustCompile(`^/static/vigie\.[0-9a-f]{10}\.css$`).MatchString(path) {
		t.Errorf("stylesheet path %q has no content hash", path)
	}
	res, body := get(t, s, path)
	if res.StatusCode != http.StatusOK || !bytes.Equal(body, cssSource) {
		t.Fatalf("GET %s: %d, %d bytes", path, res.StatusCode, len(body))
	}
	if got := res.Header.Get("Cache-Control"); got != "public, max-age=31536000, immutable" {
		t.Errorf("Cache-Control %q", got)
	}
	if got := res.Header.Get("Content-Type"); got != "text/css; charset=utf-8" {
		t.Errorf("Content-Type %q", got)
	}
	res, zbody := get(t, s, path, "Accept-Encoding", "gzip")
	if res.Header.Get("Content-Encoding") != "gzip" || !bytes.Equal(gunzip(t, zbody), cssSource) {
		t.Errorf("gzipped stylesheet: %q", res.Header.Get("Content-Encoding"))
	}
	if res, _ := get(t, s, "/static/vigie.0000000000.css"); res.StatusCode != http.StatusNotFound {
		t.Errorf("an unknown hash answers %d", res.StatusCode)
	}
}

func cssPath(t testing.TB, s *Server) string {
	t.Helper()
	doc := page(t, s, "/", http.StatusOK)
	return doc.Find(`link[rel="stylesheet"]`).AttrOr("href", "")
}

func gunzip(t testing.TB, b []byte) []byte {
	t.Helper()
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	out, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	return out
}
