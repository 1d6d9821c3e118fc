package web

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
	vigie "github.com/vigie-network/vigie"
	"github.com/vigie-network/vigie/internal/testdb"
)

// seedLibrary adds publications across types, years, countries and
// regions to the test site's Mali report and Niger's hostile one.
func seedLibrary(t testing.TB, st vigie.Store) {
	update(t, st, func(ctx context.Context, tx vigie.Tx) error {
		for _, p := range []vigie.Publication{
			{Title: "SECTT Legal Checklist The Gambia", Type: vigie.PubLegalChecklist, Year: 2020,
				Publishers: []string{"ECPAT International", "Kombo Child Rights Network"}, Countries: []string{"GM"}, Language: "en",
				Link: "https://example.org/gambia-checklist"},
			{Title: "Regional Overview: West Africa", Type: vigie.PubRegionalReview, Year: 2021,
				Publishers: []string{"ECPAT International"}, Countries: []string{"ML", "GM", "SN"}, Language: "fr"},
			{Title: "France – Legal Checklist", Type: vigie.PubLegalChecklist, Year: 2019, Countries: []string{"FR"}, Language: "fr"},
		} {
			if _, err := vigie.MergePublication(ctx, tx, &p); err != nil {
				return err
			}
		}
		return nil
	})
}

// titles lists the library's entries in order.
func titles(doc *goquery.Document) []string {
	var out []string
	doc.Find("ul.library li.publication cite").Each(func(_ int, c *goquery.Selection) { out = append(out, textOf(c)) })
	return out
}

// checkPage applies the rules every page keeps (see
// TestNoInlineStyleOrScript): no script or inline style, one h1, headings
// that never skip a level, the main landmarks.
func checkPage(t *testing.T, path string, doc *goquery.Document) {
	t.Helper()
	if n := doc.Find("script, style, [style], noscript, iframe").Length(); n > 0 {
		t.Errorf("GET %s: %d script or style elements", path, n)
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
	for _, sel := range []string{"header nav", "main#content", "footer"} {
		if doc.Find(sel).Length() == 0 {
			t.Errorf("GET %s: no %s", path, sel)
		}
	}
	// Every select of a filter form has a label, and the form works without script.
	doc.Find("form.filters").Each(func(_ int, f *goquery.Selection) {
		if f.AttrOr("method", "") != "get" || f.Find(`button[type="submit"]`).Length() != 1 {
			t.Errorf("GET %s: the filter form is not a plain GET form with a button", path)
		}
		f.Find("select").Each(func(_ int, s *goquery.Selection) {
			if s.ParentFiltered("label").Length() != 1 {
				t.Errorf("GET %s: select %q has no label", path, s.AttrOr("name", ""))
			}
		})
	})
}

func TestLibraryListsNewestFirst(t *testing.T) {
	s, st := testSite(t)
	seedLibrary(t, st)
	doc := page(t, s, "/publications", http.StatusOK)
	checkPage(t, "/publications", doc)
	want := []string{"Regional Overview: West Africa", xssScript + " report", "SECTT Legal Checklist The Gambia",
		"France – Legal Checklist", "Mali – Country Monitoring Report"}
	if got := titles(doc); strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("library = %q, want %q", got, want)
	}
	if doc.Find(`header nav a[href="/publications"][aria-current="page"]`).Length() != 1 {
		t.Error("the main navigation does not mark Publications as the current page")
	}

	overview := doc.Find("li.publication").First()
	if got := textOf(overview.Find(".publishers")); got != "ECPAT International" {
		t.Errorf("publishers = %q", got)
	}
	if got := overview.Find("a:has(cite)").AttrOr("href", ""); got != "/publications/regional-overview-west-africa-2021" {
		t.Errorf("title link = %q", got)
	}
	if got := textOf(overview.Find(".meta").First()); got != "Regional overview · Year: 2021 · French" {
		t.Errorf("meta = %q", got)
	}
	var countries []string
	overview.Find(".countries-of a").Each(func(_ int, a *goquery.Selection) {
		countries = append(countries, a.AttrOr("href", "")+" "+textOf(a))
	})
	if strings.Join(countries, ", ") != "/countries/gambia Gambia, /countries/mali Mali, /countries/senegal Senegal" {
		t.Errorf("countries = %q", countries)
	}
	// Type and year are links to the filtered library.
	if overview.Find(`a[href="/publications?type=regional-overview"]`).Length() != 1 ||
		overview.Find(`a[href="/publications?year=2021"]`).Length() != 1 {
		t.Error("type and year do not link to the filtered library")
	}
	checklist := doc.Find(`li.publication:has(a[href="/publications/sectt-legal-checklist-the-gambia-2020"])`)
	if a := checklist.Find("a.download"); a.AttrOr("href", "") != "https://example.org/gambia-checklist" || !strings.HasPrefix(textOf(a), "Read online") {
		t.Errorf("link of a linked publication: %q %q", a.AttrOr("href", ""), textOf(a))
	}
	if n := doc.Find("li.publication").Last().Find("a.download").Length(); n != 0 {
		t.Errorf("a publication with neither file nor link shows %d download links", n)
	}
}

func TestLibraryFilters(t *testing.T) {
	s, st := testSite(t)
	seedLibrary(t, st)
	for _, tc := range []struct {
		query string
		want  []string
		says  string
	}{
		{"type=legal-checklist", []string{"SECTT Legal Checklist The Gambia", "France – Legal Checklist"}, "Legal checklist"},
		{"year=2020", []string{xssScript + " report", "SECTT Legal Checklist The Gambia"}, "2020"},
		{"country=mali", []string{"Regional Overview: West Africa", "Mali – Country Monitoring Report"}, "Mali"},
		{"country=ML", []string{"Regional Overview: West Africa", "Mali – Country Monitoring Report"}, "Mali"},
		{"region=africa", []string{"Regional Overview: West Africa", xssScript + " report", "SECTT Legal Checklist The Gambia", "Mali – Country Monitoring Report"}, "Africa"},
		{"region=western-africa&type=legal-checklist", []string{"SECTT Legal Checklist The Gambia"}, "Legal checklist, Western Africa"},
		{"region=europe", []string{"France – Legal Checklist"}, "Europe"},
		{"country=gambia&year=2021&type=regional-overview", []string{"Regional Overview: West Africa"}, "Regional overview, 2021, Gambia"},
		// An empty select sends an empty value: no filter.
		{"type=&year=&country=&region=", []string{"Regional Overview: West Africa", xssScript + " report",
			"SECTT Legal Checklist The Gambia", "France – Legal Checklist", "Mali – Country Monitoring Report"}, ""},
	} {
		path := "/publications?" + tc.query
		doc := page(t, s, path, http.StatusOK)
		checkPage(t, path, doc)
		if got := titles(doc); strings.Join(got, "|") != strings.Join(tc.want, "|") {
			t.Errorf("GET %s: %q, want %q", path, got, tc.want)
		}
		status := textOf(doc.Find(`p[role="status"]`))
		if tc.says == "" && status != "" || tc.says != "" && !strings.Contains(status, ": "+tc.says+".") {
			t.Errorf("GET %s: status line %q, want it to say %q", path, status, tc.says)
		}
		if tc.says != "" && doc.Find(`p[role="status"] a[href="/publications"]`).Length() != 1 {
			t.Errorf("GET %s: no way back to the whole library", path)
		}
	}

	// The form offers what the library holds and keeps the reader's choice.
	doc := page(t, s, "/publications?country=mali&region=western-africa&year=2021", http.StatusOK)
	selected := func(name string) string {
		return doc.Find(`select[name="`+name+`"] option[selected]`).AttrOr("value", "")
	}
	if selected("country") != "mali" || selected("region") != "western-africa" || selected("year") != "2021" || selected("type") != "" {
		t.Errorf("selected: country %q region %q year %q type %q", selected("country"), selected("region"), selected("year"), selected("type"))
	}
	var years, countries []string
	doc.Find(`select[name="year"] option`).Each(func(_ int, o *goquery.Selection) { years = append(years, o.AttrOr("value", "")) })
	doc.Find(`select[name="country"] option`).Each(func(_ int, o *goquery.Selection) { countries = append(countries, o.AttrOr("value", "")) })
	if strings.Join(years, ",") != ",2021,2020,2019,2017" {
		t.Errorf("year options %q", years)
	}
	if strings.Join(countries, ",") != ",france,gambia,mali,niger,senegal" {
		t.Errorf("country options %q", countries)
	}
	var regions []string
	doc.Find(`select[name="region"] optgroup`).Each(func(_ int, g *goquery.Selection) {
		regions = append(regions, g.AttrOr("label", "")+": "+strings.Join(g.Find("option").Map(func(_ int, o *goquery.Selection) string {
			return o.AttrOr("value", "")
		}), " "))
	})
	if strings.Join(regions, "; ") != "Africa: africa western-africa; Europe: europe western-europe" {
		t.Errorf("region options %q", regions)
	}
	if n := doc.Find(`select[name="type"] option`).Length(); n != 1+len(vigie.PublicationTypeNames) {
		t.Errorf("%d type options", n)
	}
}

func TestLibraryEmptyStates(t *testing.T) {
	empty := serverOn(testdb.SQLite(t), nil)
	doc := page(t, empty, "/publications", http.StatusOK)
	checkPage(t, "/publications", doc)
	if got := textOf(doc.Find("p.empty")); got != "The library is empty for now: no publication has been added yet." {
		t.Errorf("empty library: %q", got)
	}

	s, st := testSite(t)
	seedLibrary(t, st)
	// A filter that matches nothing, for a country that has no report.
	doc = page(t, s, "/publications?country=senegal&type=research", http.StatusOK)
	if got := textOf(doc.Find("p.empty")); got != "No publication matches these filters. Show all publications" {
		t.Errorf("no match: %q", got)
	}
	if doc.Find(`select[name="country"] option[value="senegal"][selected]`).Length() != 1 {
		t.Error("the chosen country is not kept in the form")
	}
	doc = page(t, s, "/publications?region=asia", http.StatusOK)
	if doc.Find("li.publication").Length() != 0 || doc.Find(`select[name="region"] option[value="asia"][selected]`).Length() != 1 {
		t.Error("a region without publications: wrong list or form")
	}
}

func TestLibraryBadFilters(t *testing.T) {
	s, _ := testSite(t)
	for query, want := range map[string]string{
		"type=novel":        `The type filter cannot be used: there is no publication type "novel".`,
		"year=last":         `The year filter cannot be used: "last" is not a year.`,
		"year=20200":        `The year filter cannot be used: "20200" is not a year.`,
		"country=atlantis":  `The country filter cannot be used: we know no country "atlantis".`,
		"region=middle-sea": `The region filter cannot be used: we know no region "middle-sea".`,
	} {
		path := "/publications?" + query
		doc := page(t, s, path, http.StatusBadRequest)
		checkPage(t, path, doc)
		if got := textOf(doc.Find(`p.problem[role="alert"]`)); got != want+" Show all publications" {
			t.Errorf("GET %s: problem %q, want %q", path, got, want)
		}
		if doc.Find("li.publication").Length() != 0 || doc.Find("form.filters").Length() != 1 {
			t.Errorf("GET %s: a bad filter still lists publications, or loses the form", path)
		}
	}
}

func TestPublicationPage(t *testing.T) {
	s, st := testSite(t)
	seedLibrary(t, st)
	path := "/publications/regional-overview-west-africa-2021"
	doc := page(t, s, path, http.StatusOK)
	checkPage(t, path, doc)
	if got := textOf(doc.Find("h1")); got != "Regional Overview: West Africa" {
		t.Errorf("h1 = %q", got)
	}
	checkDL(t, doc.Find("dl.facts"), map[string]string{
		"Publishers": "ECPAT International", "Type": "Regional overview", "Year": "2021",
		"Countries": "Gambia, Mali, Senegal", "Language": "French",
	})
	if doc.Find(`dl.facts a[href="/countries/senegal"]`).Length() != 1 {
		t.Error("the countries covered are not linked")
	}
	if got := textOf(doc.Find("p.empty")); got != "No copy of this publication is online yet." {
		t.Errorf("no file, no link: %q", got)
	}
	if got := textOf(doc.Find("title")); got != "Regional Overview: West Africa · Vigie" {
		t.Errorf("title = %q", got)
	}

	mali := page(t, s, "/publications/mali-country-monitoring-report-2017", http.StatusOK)
	checkDL(t, mali.Find("dl.facts"), map[string]string{"Publishers": "ECPAT International", "Language": "English", "Countries": "Mali"})

	hostile := page(t, s, "/publications/script-alert-1-script-report-2020", http.StatusOK)
	if got := textOf(hostile.Find("h1")); got != xssScript+" report" {
		t.Errorf("hostile title shown as %q", got)
	}
	if hostile.Find("script").Length() != 0 {
		t.Error("hostile title became a script")
	}

	missing := page(t, s, "/publications/no-such-report", http.StatusNotFound)
	if !strings.Contains(textOf(missing.Find("main")), "There is no publication at this address") {
		t.Errorf("404 text = %q", textOf(missing.Find("main")))
	}
	if res, _ := get(t, s, "/publications/"); res.StatusCode != http.StatusMovedPermanently || res.Header.Get("Location") != "/publications" {
		t.Errorf("/publications/: %d %q", res.StatusCode, res.Header.Get("Location"))
	}
}

func TestCountryPageLinksToLibraryNewsAndDirectory(t *testing.T) {
	s, _ := testSite(t)
	doc := page(t, s, "/countries/mali", http.StatusOK)
	for _, sel := range []string{
		`#organisations a[href="/organisations?country=mali"]`,
		`#reports a[href="/publications?country=mali"]`,
		`#news a[href="/news?country=mali"]`,
		`#news a[href="/countries/mali/news.atom"]`,
		`head link[rel="alternate"][type="application/atom+xml"][href="/countries/mali/news.atom"]`,
	} {
		if doc.Find(sel).Length() != 1 {
			t.Errorf("the country page has no %s", sel)
		}
	}
	// Each link leads to a page listing Mali's records.
	if got := titles(page(t, s, "/publications?country=mali", http.StatusOK)); len(got) != 1 || got[0] != "Mali – Country Monitoring Report" {
		t.Errorf("library for Mali: %q", got)
	}
	if n := page(t, s, "/organisations?country=mali", http.StatusOK).Find("article.org").Length(); n != 1 {
		t.Errorf("directory for Mali: %d organisations", n)
	}
}

func TestLibraryOnABrokenStore(t *testing.T) {
	s := serverOn(brokenStore{}, nil)
	for _, path := range []string{"/publications", "/organisations", "/news", "/news.atom", "/countries/mali/news.atom"} {
		if res, body := get(t, s, path); res.StatusCode != http.StatusInternalServerError || strings.Contains(string(body), "secret") {
			t.Errorf("GET %s on a broken store: %d", path, res.StatusCode)
		}
	}
}
