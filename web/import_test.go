package web

import (
	"context"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
	vigie "github.com/vigie-network/vigie"
	"github.com/vigie-network/vigie/importer"
	"github.com/vigie-network/vigie/internal/testdb"
)

// TestImportedReferencePage imports the reference page exactly as it is
// and checks that the country page shows every fact on it, in its order.
func TestImportedReferencePage(t *testing.T) {
	st := testdb.SQLite(t)
	if _, err := importer.ImportFiles(context.Background(), st, []string{"../pageformat/testdata/mali.txt"}, importer.Options{}); err != nil {
		t.Fatal(err)
	}
	doc := page(t, serverOn(st, nil), "/countries/mali", 200)
	text := strings.Join(strings.Fields(doc.Find("main").Text()), " ")

	facts := []string{
		"Public Opinion is Clear: Urgent Legislation Required to Protect Children from Sexual Exploitation!",
		"Association Contre l’Exploitation Sexuelle des Enfants au Mali (ACESEM)",
		"is the first non-profit organisation in Mali fighting all forms of sexual exploitation of children.",
		"December 2018", "Bamako", "Segou, Sikasso", "prevention, protection, rehabilitation",
		"Boubacar Hassane", "Executive Director", "+223 77 08 40 23",
		"ECPAT International", "Mali – Country Monitoring Report", "2017",
	}
	for _, ind := range vigie.DefaultIndicators() {
		facts = append(facts, ind.Name)
		if ind.Key == "extraterritoriality-extradition" {
			facts = append(facts, "Assessed, Not Rated",
				"Active extraterritoriality is provided for all SEC-related offences",
				"With regards to trafficking offenses",
				"It is unclear whether all SEC related offences are considered extraditable",
				"Code of Criminal Procedure of Mali", "Penal Code of Mali", "Law nº 2012-023 on Trafficking in Persons")
		} else {
			facts = append(facts, "Not Yet Assessed")
		}
	}
	at := 0
	for _, f := range facts {
		i := strings.Index(text[at:], f)
		if i < 0 {
			t.Fatalf("%q is missing, or out of order after position %d", f, at)
		}
		at += i + len(f)
	}

	// The three laws are three citations, each with its own year and status date.
	sources := doc.Find("#extraterritoriality-extradition ol.sources > li")
	if sources.Length() != 3 {
		t.Fatalf("got %d citations, want 3", sources.Length())
	}
	want := [][]string{
		{"Code of Criminal Procedure of Mali", "2001", "status as of 2021", "22, 244"},
		{"Penal Code of Mali", "2001", "status as of 2016"},
		{"Law nº 2012-023 on Trafficking in Persons", "2012", "16, 17"},
	}
	sources.Each(func(i int, li *goquery.Selection) {
		got := strings.Join(strings.Fields(li.Text()), " ")
		for _, w := range want[i] {
			if !strings.Contains(got, w) {
				t.Errorf("citation %d %q lacks %q", i+1, got, w)
			}
		}
		if i == 2 && strings.Contains(got, "status as of") {
			t.Errorf("citation 3 invents a status date: %q", got)
		}
	})
	if address := doc.Find(".contact").Text(); !strings.Contains(address, "—") {
		t.Errorf("the empty address does not show as —: %q", address)
	}
}
