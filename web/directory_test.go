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

// seedDirectory adds members in Gambia (one without contacts or areas of
// work) and France to the test site's Mali and Niger organisations.
func seedDirectory(t testing.TB, st vigie.Store) {
	update(t, st, func(ctx context.Context, tx vigie.Tx) error {
		for _, o := range []vigie.Organisation{
			{Country: "GM", Name: "Kombo Child Rights Network", Acronym: "KCRN", Description: "A coalition of community groups.",
				OfficeCity: "Serrekunda", AreasOfWork: []string{"awareness raising", "legal aid"},
				Contacts: []vigie.Contact{{Name: "Awa Jallow", Title: "Coordinator", Phone: "+2204412345", Email: "info@kcrn.example.org"}}},
			{Country: "GM", Name: "Safe Shores Initiative", Acronym: "SSI"},
			{Country: "FR", Name: "Association Française", Description: "Invented for tests."},
		} {
			if _, err := vigie.MergeOrganisation(ctx, tx, &o); err != nil {
				return err
			}
		}
		return nil
	})
}

// directory lists "Region / Country / Organisation" for every entry.
func directory(doc *goquery.Document) []string {
	var out []string
	doc.Find("section.region").Each(func(_ int, r *goquery.Selection) {
		region := textOf(r.Find("h2"))
		r.Find("section.member-country").Each(func(_ int, c *goquery.Selection) {
			country := textOf(c.Find("h3"))
			c.Find("article.org h4").Each(func(_ int, h *goquery.Selection) {
				out = append(out, region+" / "+country+" / "+textOf(h))
			})
		})
	})
	return out
}

func TestDirectory(t *testing.T) {
	s, st := testSite(t)
	seedDirectory(t, st)
	doc := page(t, s, "/organisations", http.StatusOK)
	checkPage(t, "/organisations", doc)
	want := []string{
		"Africa / Gambia / Kombo Child Rights Network (KCRN)",
		"Africa / Gambia / Safe Shores Initiative (SSI)",
		"Africa / Mali / Association Contre l’Exploitation Sexuelle des Enfants au Mali (ACESEM)",
		"Africa / Niger / " + xssAttr + " (" + xssScript + ")",
		"Europe / France / Association Française",
	}
	if got := directory(doc); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("directory =\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if doc.Find(`header nav a[href="/organisations"][aria-current="page"]`).Length() != 1 {
		t.Error("the main navigation does not mark Organisations as the current page")
	}
	if doc.Find(`h3 a[href="/countries/gambia"]`).Length() != 1 {
		t.Error("country headings do not link to the country pages")
	}

	kcrn := doc.Find(`article.org:has(a[href="/organisations/kcrn"])`)
	if got := textOf(kcrn.Find("p").First()); got != "A coalition of community groups." {
		t.Errorf("description = %q", got)
	}
	checkDL(t, kcrn.Find("dl.facts"), map[string]string{"Areas of work": "awareness raising, legal aid", "Office": "Serrekunda"})
	checkDL(t, kcrn.Find("dl.contact"), map[string]string{"Name": "Awa Jallow", "Title": "Coordinator",
		"Phone": "+220 441 2345", "Email": "info@kcrn.example.org", "Address": "—"})
	if kcrn.Find(`a[href="tel:+2204412345"]`).Length() != 1 || kcrn.Find(`a[href="mailto:info@kcrn.example.org"]`).Length() != 1 {
		t.Error("phone and email are not links")
	}
	// Empty values show as "—".
	ssi := doc.Find(`article.org:has(a[href="/organisations/ssi"])`)
	checkDL(t, ssi.Find("dl.facts").First(), map[string]string{"Areas of work": "—", "Office": "—"})
	checkDL(t, ssi.Find("dl.facts").Last(), map[string]string{"Contact": "—"})

	// Hostile names stay text.
	if doc.Find("main script, main img").Length() != 0 {
		t.Error("hostile input became markup")
	}
}

func TestDirectoryFilters(t *testing.T) {
	s, st := testSite(t)
	seedDirectory(t, st)
	for query, want := range map[string]string{
		"country=gambia":                 "Africa / Gambia / Kombo Child Rights Network (KCRN)|Africa / Gambia / Safe Shores Initiative (SSI)",
		"country=GM":                     "Africa / Gambia / Kombo Child Rights Network (KCRN)|Africa / Gambia / Safe Shores Initiative (SSI)",
		"region=europe":                  "Europe / France / Association Française",
		"region=western-europe":          "Europe / France / Association Française",
		"region=western-africa&country=": "Africa / Gambia / Kombo Child Rights Network (KCRN)|Africa / Gambia / Safe Shores Initiative (SSI)|Africa / Mali / Association Contre l’Exploitation Sexuelle des Enfants au Mali (ACESEM)|Africa / Niger / " + xssAttr + " (" + xssScript + ")",
		"country=mali&region=africa":     "Africa / Mali / Association Contre l’Exploitation Sexuelle des Enfants au Mali (ACESEM)",
	} {
		path := "/organisations?" + query
		doc := page(t, s, path, http.StatusOK)
		checkPage(t, path, doc)
		if got := strings.Join(directory(doc), "|"); got != want {
			t.Errorf("GET %s:\n%s\nwant\n%s", path, got, want)
		}
		if !strings.Contains(textOf(doc.Find(`p[role="status"]`)), "member organisations:") {
			t.Errorf("GET %s: no status line", path)
		}
	}
	doc := page(t, s, "/organisations?country=mali", http.StatusOK)
	if doc.Find(`select[name="country"] option[value="mali"][selected]`).Length() != 1 {
		t.Error("the chosen country is not kept in the form")
	}
	var countries []string
	doc.Find(`select[name="country"] option`).Each(func(_ int, o *goquery.Selection) { countries = append(countries, o.AttrOr("value", "")) })
	if strings.Join(countries, ",") != ",france,gambia,mali,niger" {
		t.Errorf("country options = %q", countries)
	}

	// Empty states: a place with no member, an empty network, a bad value.
	none := page(t, s, "/organisations?country=senegal", http.StatusOK)
	if got := textOf(none.Find("p.empty")); got != "No member organisation is listed there yet. Show every member" {
		t.Errorf("no member in Senegal: %q", got)
	}
	if none.Find(`select[name="country"] option[value="senegal"][selected]`).Length() != 1 {
		t.Error("a country without members is not kept in the form")
	}
	if got := textOf(page(t, s, "/organisations?region=oceania", http.StatusOK).Find("p.empty")); !strings.HasPrefix(got, "No member organisation is listed there yet.") {
		t.Errorf("no member in Oceania: %q", got)
	}
	empty := page(t, serverOn(testdb.SQLite(t), nil), "/organisations", http.StatusOK)
	checkPage(t, "/organisations", empty)
	if got := textOf(empty.Find("p.empty")); got != "No member organisation is listed yet." {
		t.Errorf("empty directory: %q", got)
	}
	for _, q := range []string{"country=atlantis", "region=narnia"} {
		bad := page(t, s, "/organisations?"+q, http.StatusBadRequest)
		if !strings.Contains(textOf(bad.Find("p.problem")), "filter cannot be used") || bad.Find("article.org").Length() != 0 {
			t.Errorf("?%s: %q", q, textOf(bad.Find("p.problem")))
		}
	}
}

func TestOrganisationPage(t *testing.T) {
	s, st := testSite(t)
	seedDirectory(t, st)
	doc := page(t, s, "/organisations/acesem", http.StatusOK)
	checkPage(t, "/organisations/acesem", doc)
	if got := textOf(doc.Find("h1")); got != "Association Contre l’Exploitation Sexuelle des Enfants au Mali (ACESEM)" {
		t.Errorf("h1 = %q", got)
	}
	if doc.Find(`p.lede a[href="/countries/mali"]`).Text() != "Mali" {
		t.Error("the organisation's country is not linked")
	}
	checkDL(t, doc.Find("dl.facts"), map[string]string{"Founded": "December 2018", "Office": "Bamako",
		"Regions of work": "Segou, Sikasso", "Areas of work": "prevention, protection, rehabilitation", "Website": "—"})
	checkDL(t, doc.Find("dl.contact"), map[string]string{"Name": "Boubacar Hassane", "Title": "Executive Director",
		"Phone": "+223 77 08 40 23", "Email": "—", "Address": "—"})
	if doc.Find(`a[href="/organisations?country=mali"]`).Length() != 1 {
		t.Error("no link to the country's members")
	}

	ssi := page(t, s, "/organisations/ssi", http.StatusOK)
	if got := textOf(ssi.Find("h2 + p.empty")); got != "—" {
		t.Errorf("no contacts shows %q", got)
	}
	page(t, s, "/organisations/no-such-group", http.StatusNotFound)
	if res, _ := get(t, s, "/organisations/"); res.StatusCode != http.StatusMovedPermanently {
		t.Errorf("/organisations/: %d", res.StatusCode)
	}
}
