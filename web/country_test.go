package web

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
	vigie "github.com/vigie-network/vigie"
)

func TestCountryPageOrder(t *testing.T) {
	s, _ := testSite(t)
	doc := page(t, s, "/countries/mali", http.StatusOK)

	// The sections come in the order of the reference page.
	var got []string
	doc.Find("main > *").Each(func(_ int, sel *goquery.Selection) {
		name := goquery.NodeName(sel)
		if id, ok := sel.Attr("id"); ok {
			name += "#" + id
		} else if class, ok := sel.Attr("class"); ok {
			name += "." + class
		}
		got = append(got, name)
	})
	want := []string{"aside.featured",
		"nav.crumbs", // Vigie › Countries › Mali, a schema.org BreadcrumbList (issue #15)
		"h1", "p.lede",
		"section#glance", // the nine ratings at a glance, before anything else (issue #15)
		"section#organisations", "section#reports", "section#news", "section#indicators",
		"section#ratings-over-time", // the nine ratings drawn over the years (issue #15)
		"section#timeline",          // every published rating change (issue #5)
		"section#tell-us",           // the readers' "Has something changed here?" form
		"details.embed-this"}        // and the code that embeds the ratings in another site
	if !slices.Equal(got, want) {
		t.Errorf("main's children:\n got %q\nwant %q", got, want)
	}

	var keys []string
	doc.Find("#indicators section.indicator").Each(func(_ int, sel *goquery.Selection) {
		keys = append(keys, sel.AttrOr("id", ""))
	})
	var framework []string
	for _, ind := range vigie.DefaultIndicators() {
		framework = append(framework, ind.Key)
	}
	if !slices.Equal(keys, framework) {
		t.Errorf("indicator sections %q, want the framework order %q", keys, framework)
	}
	if h := textOf(doc.Find("h1")); h != "Mali" {
		t.Errorf("h1 = %q", h)
	}
	if l := textOf(doc.Find("main > p.lede")); l != "Western Africa, Africa · 1 of 9 indicators assessed" {
		t.Errorf("lede = %q", l)
	}
	if lang := doc.Find("html").AttrOr("lang", ""); lang != "en" {
		t.Errorf(`<html lang=%q>`, lang)
	}
	if title := textOf(doc.Find("title")); title != "Mali · Vigie" {
		t.Errorf("title = %q", title)
	}
}

// TestCountryBreadcrumb: the country page's trail is a schema.org
// BreadcrumbList in microdata: no script on the page.
func TestCountryBreadcrumb(t *testing.T) {
	s, _ := testSite(t)
	doc := page(t, s, "/fr/countries/mali", http.StatusOK)
	list := doc.Find(`nav.crumbs ol[itemtype="https://schema.org/BreadcrumbList"]`)
	var got []string
	list.Find(`li[itemprop="itemListElement"]`).Each(func(_ int, li *goquery.Selection) {
		got = append(got, li.Find(`meta[itemprop="position"]`).AttrOr("content", "")+" "+textOf(li.Find(`[itemprop="name"]`))+" "+li.Find(`a[itemprop="item"]`).AttrOr("href", ""))
	})
	if want := []string{"1 Vigie /fr/", "2 Pays /fr/countries", "3 Mali /fr/countries/mali"}; !slices.Equal(got, want) {
		t.Errorf("breadcrumb %q, want %q", got, want)
	}
}

// TestCountryAtAGlance: the country page opens with its nine ratings in
// one linked summary: name, rating, value and the year of the last change.
func TestCountryAtAGlance(t *testing.T) {
	s, _ := testSite(t)
	for path, want := range map[string]string{
		"/countries/niger":    "Age of Consent | #age-of-consent | Yes 16 years since 2025",
		"/fr/countries/niger": "Âge du consentement | #age-of-consent | Oui 16 ans depuis 2025",
		"/es/countries/niger": "Edad de consentimiento | #age-of-consent | Sí 16 años desde 2025",
	} {
		doc := page(t, s, path, http.StatusOK)
		items := doc.Find("#glance ul.glance > li")
		if items.Length() != len(vigie.DefaultIndicators()) {
			t.Fatalf("%s: %d indicators at a glance", path, items.Length())
		}
		first := items.First()
		a := first.Find("a")
		if got := textOf(a) + " | " + a.AttrOr("href", "") + " | " + textOf(first.Find(".facts")); got != want {
			t.Errorf("%s: first at a glance %q, want %q", path, got, want)
		}
		// Not yet assessed: the badge says so, with no value and no year.
		if got := textOf(items.Eq(2).Find(".facts")); got != textOf(doc.Find("#csam-definition .rating")) {
			t.Errorf("%s: CSAM definition at a glance %q", path, got)
		}
	}
}

func TestCountryPageFacts(t *testing.T) {
	s, _ := testSite(t)
	doc := page(t, s, "/countries/mali", http.StatusOK)

	featured := doc.Find("aside.featured")
	if got := textOf(featured.Find("strong")); got != "Public Opinion is Clear: Urgent Legislation Required to Protect Children from Sexual Exploitation!" {
		t.Errorf("featured title = %q", got)
	}
	if a := featured.Find("a"); a.AttrOr("href", "") != "/news/"+featuredSlug || !strings.HasPrefix(textOf(a), "Read the story") {
		t.Errorf("featured link = %q %q", a.AttrOr("href", ""), textOf(a))
	}

	orgs := doc.Find("#organisations article.org")
	if orgs.Length() != 1 {
		t.Fatalf("%d organisations, want 1", orgs.Length())
	}
	if got := textOf(orgs.Find("h3")); got != "Association Contre l’Exploitation Sexuelle des Enfants au Mali (ACESEM)" {
		t.Errorf("organisation = %q", got)
	}
	if got := orgs.Find("p").Length(); got != 2 {
		t.Errorf("description has %d paragraphs, want 2", got)
	}
	wantFacts := map[string]string{"Founded": "December 2018", "Office": "Bamako", "Regions of work": "Segou, Sikasso",
		"Areas of work": "prevention, protection, rehabilitation", "Website": "—"}
	checkDL(t, orgs.Find("dl.facts"), wantFacts)
	contact := orgs.Find("dl.contact")
	checkDL(t, contact, map[string]string{"Name": "Boubacar Hassane", "Title": "Executive Director",
		"Phone": "+223 77 08 40 23", "Email": "—", "Address": "—"})
	if href := contact.Find("a[href^='tel:']").AttrOr("href", ""); href != "tel:+22377084023" {
		t.Errorf("phone link = %q", href)
	}

	reports := doc.Find("#reports li.report")
	if reports.Length() != 1 {
		t.Fatalf("%d reports, want 1", reports.Length())
	}
	if got := textOf(reports.Find(".publishers")); got != "ECPAT International" {
		t.Errorf("publishers = %q", got)
	}
	if got := textOf(reports.Find("cite")); got != "Mali – Country Monitoring Report" {
		t.Errorf("report title = %q", got)
	}
	if got := textOf(reports.Find(".meta")); got != "Country monitoring report · Year: 2017" {
		t.Errorf("report meta = %q", got)
	}

	if h := textOf(doc.Find("#news h2")); h != "News from Mali" {
		t.Errorf("news heading = %q", h)
	}
	if got := textOf(doc.Find("#news p.empty")); got != "No news yet." {
		t.Errorf("empty news line = %q", got)
	}

	age := doc.Find("section#age-of-consent")
	if got := textOf(age.Find(".badge")); got != "Not Yet Assessed" {
		t.Errorf("age of consent rating = %q", got)
	}
	if age.Find(".explanation, ol.sources").Length() != 0 {
		t.Error("an unassessed indicator shows an explanation or sources")
	}

	ext := doc.Find("section#extraterritoriality-extradition")
	if got := textOf(ext.Find("h3")); got != "Extraterritoriality & Extradition" {
		t.Errorf("indicator name = %q", got)
	}
	if got := textOf(ext.Find(".badge")); got != "Assessed, Not Rated" {
		t.Errorf("rating = %q", got)
	}
	expl := ext.Find(".explanation")
	if expl.Find("p").Length() != 2 || expl.Find("p").First().Find("br").Length() != 1 {
		t.Errorf("explanation should keep 2 paragraphs and its single line break:\n%s", must(expl.Html()))
	}
	if got := textOf(ext.Find(".asof")); got != "As of 2021" {
		t.Errorf("as of = %q", got)
	}

	// The reference page flattens three laws into one line; Vigie shows
	// three citations, each with its year and the consolidation consulted.
	sources := ext.Find("ol.sources > li")
	want := []string{
		"Code of Criminal Procedure of Mali, 2001 (status as of 2021). Art. 22, 244",
		"Penal Code of Mali, 2001 (status as of 2016)",
		"Law nº 2012-023 on Trafficking in Persons, 2012. Art. 16, 17",
	}
	if sources.Length() != len(want) {
		t.Fatalf("%d sources, want %d", sources.Length(), len(want))
	}
	sources.Each(func(i int, li *goquery.Selection) {
		if got := textOf(li); got != want[i] {
			t.Errorf("source %d = %q, want %q", i+1, got, want[i])
		}
		if li.Find("cite").Length() != 1 {
			t.Errorf("source %d has no <cite>", i+1)
		}
	})
}

// checkDL compares a definition list's terms and descriptions.
func checkDL(t *testing.T, dl *goquery.Selection, want map[string]string) {
	t.Helper()
	got := map[string]string{}
	dl.Find("dt").Each(func(_ int, dt *goquery.Selection) {
		got[textOf(dt)] = textOf(dt.Next())
	})
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s = %q, want %q", k, got[k], v)
		}
	}
}

func must(s string, err error) string {
	if err != nil {
		return err.Error()
	}
	return s
}

func TestCountryPageValueAndCounts(t *testing.T) {
	s, _ := testSite(t)
	doc := page(t, s, "/countries/niger", http.StatusOK)
	age := doc.Find("section#age-of-consent")
	if got := textOf(age.Find(".rating")); got != "Yes 16 years" {
		t.Errorf("rating with value = %q", got)
	}
	if got := textOf(age.Find(".asof")); got != "As of May 2020" {
		t.Errorf("as of = %q", got)
	}
	if got := textOf(age.Find("ol.sources li")); !strings.HasSuffix(got, `checklist. "><img src=x onerror=alert(1)>, 2020`) {
		t.Errorf("publication citation = %q", got)
	}
	// csam-definition was written as "not yet assessed": it does not count.
	if l := textOf(doc.Find("main > p.lede")); !strings.HasSuffix(l, "1 of 9 indicators assessed") {
		t.Errorf("lede = %q", l)
	}
	// A heading inside an explanation sits under the indicator's h3.
	if age.Find(".explanation h1, .explanation h2, .explanation h3").Length() != 0 || age.Find(".explanation h4").Length() != 1 {
		t.Error("explanation headings are not shifted under the indicator heading")
	}

	empty := page(t, s, "/countries/senegal", http.StatusOK)
	if got := textOf(empty.Find("#organisations p.empty")); got != "No member organisation is listed for Senegal yet." {
		t.Errorf("no organisation line = %q", got)
	}
	if got := textOf(empty.Find("#reports p.empty")); got != "No report on Senegal yet." {
		t.Errorf("no report line = %q", got)
	}
}

func TestCountryRedirects(t *testing.T) {
	s, _ := testSite(t)
	for path, want := range map[string]string{
		"/countries/ML":          "/countries/mali",
		"/countries/ml":          "/countries/mali",
		"/countries/MLI":         "/countries/mali",
		"/countries/Mali":        "/countries/mali",
		"/countries/the-gambia":  "/countries/gambia",
		"/countries/ivory-coast": "/countries/cote-divoire",
		"/countries/":            "/countries",
	} {
		res, _ := get(t, s, path)
		if res.StatusCode != http.StatusMovedPermanently || res.Header.Get("Location") != want {
			t.Errorf("GET %s: %d Location %q, want 301 %q", path, res.StatusCode, res.Header.Get("Location"), want)
		}
	}
}

func TestNotFound(t *testing.T) {
	s, _ := testSite(t)
	for _, path := range []string{"/countries/atlantis", "/indicators/nope", "/news/nope", "/nope", "/publications/nope", "/organisations/nope", "/static/vigie.css"} {
		doc := page(t, s, path, http.StatusNotFound)
		if h := textOf(doc.Find("h1")); h != "Page not found" {
			t.Errorf("GET %s: h1 %q", path, h)
		}
		if doc.Find(`main a[href="/countries"]`).Length() == 0 {
			t.Errorf("GET %s: the 404 page does not link to /countries", path)
		}
		if doc.Find("header.site nav").Length() == 0 {
			t.Errorf("GET %s: the 404 page is not in the layout", path)
		}
	}
	req, _ := http.NewRequest(http.MethodPost, "/countries/mali", nil)
	rec := newRecorder()
	s.ServeHTTP(rec, req)
	if rec.Code != http.StatusMethodNotAllowed {
		t.Errorf("POST /countries/mali: %d, want 405", rec.Code)
	}
}

func TestPagesReadTheStoreOnEveryRequest(t *testing.T) {
	s, st := testSite(t)
	doc := page(t, s, "/countries/mali", http.StatusOK)
	if got := textOf(doc.Find("#age-of-consent .badge")); got != "Not Yet Assessed" {
		t.Fatalf("rating = %q", got)
	}
	// Another process imports data while the server runs.
	update(t, st, func(ctx context.Context, tx vigie.Tx) error {
		_, _, err := tx.SaveAssessment(ctx, vigie.Assessment{Country: "ML", Indicator: "age-of-consent",
			Rating: vigie.RatingNoData, Explanation: "Nothing was found."}, fixtureChange)
		return err
	})
	doc = page(t, s, "/countries/mali", http.StatusOK)
	if got := textOf(doc.Find("#age-of-consent .badge")); got != "No Data" {
		t.Errorf("after an import the rating is %q, want No Data", got)
	}
}

// A country with many organisations shows the first orgsOnCountryPage
// and says the directory has them all, so that the page does not grow
// with the directory.
func TestCountryPageShowsTheFirstOrganisations(t *testing.T) {
	s, st := testSite(t)
	before := page(t, s, "/countries/mali", http.StatusOK).Find("#organisations article.org").Length()
	if err := st.Update(context.Background(), func(tx vigie.Tx) error {
		for i := range orgsOnCountryPage + 3 {
			o := vigie.Organisation{Country: "ML", Name: fmt.Sprintf("Zz Group %02d", i),
				Contacts: []vigie.Contact{{Name: fmt.Sprintf("Contact %02d", i)}}}
			if _, err := vigie.MergeOrganisation(context.Background(), tx, &o); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	s = serverOn(st, nil) // a new page cache
	for _, lang := range []string{"", "/fr", "/es"} {
		doc := page(t, s, lang+"/countries/mali", http.StatusOK)
		orgs := doc.Find("#organisations article.org")
		if orgs.Length() != orgsOnCountryPage {
			t.Errorf("%s: %d organisations shown (%d before), want %d", lang, orgs.Length(), before, orgsOnCountryPage)
		}
		more := doc.Find("#organisations .more-links")
		if !strings.Contains(textOf(more), "12") || more.Find(`a[href$="/organisations?country=mali"]`).Length() != 1 {
			t.Errorf("%s: the note reads %q", lang, textOf(more))
		}
		// Each organisation shown keeps its own contacts.
		if n := orgs.Last().Find("h4").Length(); n != 1 {
			t.Errorf("%s: the last organisation shows %d contacts", lang, n)
		}
	}
}

// A country covered by many reports shows the most recent
// pubsOnCountryPage and says the library has them all, so that the page
// does not grow with the library.
func TestCountryPageShowsTheLatestReports(t *testing.T) {
	s, st := testSite(t)
	if err := st.Update(context.Background(), func(tx vigie.Tx) error {
		for i := range pubsOnCountryPage + 3 {
			pub := &vigie.Publication{Title: fmt.Sprintf("Annual review %d", 1990+i), Type: vigie.PubResearch,
				Year: 1990 + i, Countries: []string{"ML"}, Language: "en"}
			if _, err := vigie.MergePublication(context.Background(), tx, pub); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	s = serverOn(st, nil) // a new page cache
	for _, lang := range []string{"", "/fr", "/es"} {
		doc := page(t, s, lang+"/countries/mali", http.StatusOK)
		reports := doc.Find("#reports li.report")
		if reports.Length() != pubsOnCountryPage {
			t.Errorf("%s: %d reports shown, want %d", lang, reports.Length(), pubsOnCountryPage)
		}
		// With the fixture's 2017 report, sixteen: the oldest four
		// (1990–1993) are the ones left out.
		if text := textOf(doc.Find("#reports")); strings.Contains(text, "Annual review 1993") || !strings.Contains(text, "Annual review 1994") {
			t.Errorf("%s: the reports shown are not the most recent: %q", lang, text)
		}
		more := doc.Find("#reports .more-links")
		if !strings.Contains(textOf(more), "12") || more.Find(`a[href$="/publications?country=mali"]`).Length() != 1 {
			t.Errorf("%s: the note reads %q", lang, textOf(more))
		}
	}
}
