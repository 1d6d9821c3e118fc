package web

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/vigie-network/vigie/internal/testdb"

	"github.com/vigie-network/vigie/importer"
)

// TestImportedPagesFillLibraryNewsroomAndDirectory imports the reference
// page (Mali) and a second page of the same layout (The Gambia), twice,
// and reads the network-wide pages: both countries' records, once each,
// and every filter narrows to the right ones.
func TestImportedPagesFillLibraryNewsroomAndDirectory(t *testing.T) {
	st := testdb.SQLite(t)
	pages := []string{"../pageformat/testdata/mali.txt", "../pageformat/testdata/gambia.txt"}
	for range 2 {
		if _, err := importer.ImportFiles(context.Background(), st, pages, importer.Options{}); err != nil {
			t.Fatal(err)
		}
	}
	s := serverOn(st, nil)

	// The library: Mali's report and The Gambia's four, newest first.
	lib := page(t, s, "/publications", http.StatusOK)
	want := []string{
		"Study on Children’s Online Safety in Greater Banjul",
		"Regional Overview: Sexual Exploitation of Children in West Africa",
		"SECTT Legal Checklist The Gambia",
		"The Gambia – Country Monitoring Report",
		"Mali – Country Monitoring Report",
	}
	if got := titles(lib); strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("library = %q", got)
	}
	for query, want := range map[string]string{
		"country=mali":                        "Mali – Country Monitoring Report",
		"country=gambia&type=legal-checklist": "SECTT Legal Checklist The Gambia",
		"type=country-monitoring-report":      "The Gambia – Country Monitoring Report|Mali – Country Monitoring Report",
		"year=2017":                           "Mali – Country Monitoring Report",
		"region=western-africa&year=2021":     "Regional Overview: Sexual Exploitation of Children in West Africa",
		"region=europe":                       "",
	} {
		if got := strings.Join(titles(page(t, s, "/publications?"+query, http.StatusOK)), "|"); got != want {
			t.Errorf("library ?%s = %q, want %q", query, got, want)
		}
	}
	mali := page(t, s, "/publications/mali-country-monitoring-report-2017", http.StatusOK)
	checkDL(t, mali.Find("dl.facts"), map[string]string{"Publishers": "ECPAT International", "Year": "2017", "Countries": "Mali", "Language": "English"})

	// The directory: ACESEM under Mali, KCRN and SSI under Gambia.
	dir := page(t, s, "/organisations", http.StatusOK)
	wantOrgs := []string{
		"Africa / Gambia / Kombo Child Rights Network (KCRN)",
		"Africa / Gambia / Safe Shores Initiative (SSI)",
		"Africa / Mali / Association Contre l’Exploitation Sexuelle des Enfants au Mali (ACESEM)",
	}
	if got := directory(dir); strings.Join(got, "|") != strings.Join(wantOrgs, "|") {
		t.Errorf("directory = %q", got)
	}
	if got := directory(page(t, s, "/organisations?country=mali", http.StatusOK)); len(got) != 1 || !strings.Contains(got[0], "ACESEM") {
		t.Errorf("directory for Mali = %q", got)
	}
	if got := directory(page(t, s, "/organisations?country=gambia", http.StatusOK)); len(got) != 2 {
		t.Errorf("directory for Gambia = %q", got)
	}
	acesem := page(t, s, "/organisations/acesem", http.StatusOK)
	checkDL(t, acesem.Find("dl.contact"), map[string]string{"Name": "Boubacar Hassane", "Phone": "+223 77 08 40 23", "Address": "—"})

	// The newsroom: both featured stories (the pages give no country for
	// them) and The Gambia's two dated stories.
	news := page(t, s, "/news", http.StatusOK)
	got := storySlugs(news)
	for _, slug := range []string{"helpline-volunteers-complete-their-training", "network-meets-the-tourism-board"} {
		if !slices.Contains(got, slug) {
			t.Errorf("the newsroom lacks %s: %q", slug, got)
		}
	}
	if len(got) != 4 {
		t.Errorf("newsroom = %q, want 4 stories, each once", got)
	}
	if g := storySlugs(page(t, s, "/news?country=gambia", http.StatusOK)); strings.Join(g, ",") !=
		"helpline-volunteers-complete-their-training,network-meets-the-tourism-board" {
		t.Errorf("news from Gambia = %q", g)
	}
	// The Mali page lists no news from Mali: the filter shows so.
	if got := textOf(page(t, s, "/news?country=mali", http.StatusOK).Find("p.empty")); !strings.HasPrefix(got, "No news from Mali yet.") {
		t.Errorf("news from Mali: %q", got)
	}
	f, _ := fetchFeed(t, s, "vigie.example.org", "/countries/gambia/news.atom")
	if len(f.Entries) != 2 || f.Entries[0].Title != "Helpline Volunteers Complete Their Training" {
		t.Errorf("Gambia's feed = %+v", f.Entries)
	}
}
