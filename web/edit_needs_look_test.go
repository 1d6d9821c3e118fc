package web

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	vigie "github.com/vigie-network/vigie"
)

// TestNeedsLookListsFlaggedCitationsUntilTheAssessmentIsSaved: an import
// flagged a citation of Mali's police unit; editors see it on the list,
// in their language, and saving the assessment takes it off.
func TestNeedsLookListsFlaggedCitationsUntilTheAssessmentIsSaved(t *testing.T) {
	e := newEditorsSite(t)
	e.addUser("ana@example.org", vigie.RoleResearcher)
	ana := e.login("ana@example.org")
	a := vigie.Assessment{Country: "ML", Indicator: "sec-police-unit", Rating: vigie.RatingYes,
		Citations: []vigie.Citation{{Source: vigie.Source{Kind: vigie.SourceLaw, Title: "Police Act, <script>Unit</script> Rules", Year: 2001}}}}
	flag := vigie.CitationFlag{Title: a.Citations[0].Source.Title, Year: 2001, Origin: "mali.txt:40",
		Note: `"Police Act, Unit Rules" could be 1 source(s) or 2`}
	if err := e.st.Update(context.Background(), func(tx vigie.Tx) error {
		_, changed, err := tx.SaveAssessment(context.Background(), a, vigie.Change{Author: "import"})
		if err != nil {
			return err
		}
		_, err = vigie.FlagImportedCitations(context.Background(), tx, a, changed, []vigie.CitationFlag{flag}, time.Now())
		return err
	}); err != nil {
		t.Fatal(err)
	}

	if dash := ana.page("/edit", http.StatusOK); dash.Find(`a[href="/edit/needs-look"]`).Length() != 1 {
		t.Error("the workspace does not link to the list")
	}
	doc := ana.page("/edit/needs-look", http.StatusOK)
	item := doc.Find("main .report-item")
	if item.Length() != 1 || !strings.Contains(textOf(item.Find("h2")), "SEC Police Unit in Mali") ||
		item.Find(`a[href="/edit/countries/mali/sec-police-unit"]`).Length() == 0 {
		t.Fatalf("the list:\n%s", textOf(doc.Find("main")))
	}
	if got := textOf(item.Find("li")); !strings.Contains(got, "Police Act, <script>Unit</script> Rules (2001)") || !strings.Contains(got, "read from mali.txt:40") {
		t.Errorf("the flagged citation reads %q", got)
	}
	if item.Find("script").Length() != 0 {
		t.Error("a title's markup reached the page")
	}
	if fr := ana.page("/fr/edit/needs-look", http.StatusOK); !strings.Contains(textOf(fr.Find("h1")), "Citations à vérifier") {
		t.Errorf("French title = %q", textOf(fr.Find("h1")))
	}
	if res, _ := e.visitor("192.0.2.40:1000").do("GET", "/edit/needs-look", nil); res.StatusCode == http.StatusOK {
		t.Error("an anonymous visitor sees the list")
	}
	e.addUser("awa@example.org", vigie.RoleMember, "ML")
	if res, _ := e.login("awa@example.org").do("GET", "/edit/needs-look", nil); res.StatusCode != http.StatusForbidden {
		t.Errorf("a member's request: %d, want 403", res.StatusCode)
	}

	// The assessment's own form says which citations to check.
	formPage := ana.page("/edit/countries/mali/sec-police-unit", http.StatusOK)
	notice := formPage.Find(`aside[aria-labelledby="needs-look-h"]`)
	if got := textOf(notice); !strings.Contains(got, "Citations to check") || !strings.Contains(got, "Police Act, <script>Unit</script> Rules (2001)") ||
		!strings.Contains(got, "read from mali.txt:40") || !strings.Contains(got, "could be 1 source(s) or 2") {
		t.Errorf("the form's notice reads %q", got)
	}
	if notice.Find("script").Length() != 0 {
		t.Error("a title's markup reached the form")
	}
	if fr := ana.page("/fr/edit/countries/mali/sec-police-unit", http.StatusOK); !strings.Contains(textOf(fr.Find("#needs-look-h")), "Citations à vérifier") {
		t.Errorf("French notice heading = %q", textOf(fr.Find("#needs-look-h")))
	}

	// Saving the assessment in the workspace clears its marks.
	form := ana.assessmentForm("mali", "sec-police-unit")
	form.Set("reason", "checked the police sources")
	form.Set("action", "draft")
	if res, body := ana.post("/edit/countries/mali/sec-police-unit", form); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("save: %d\n%s", res.StatusCode, body)
	}
	doc = ana.page("/edit/needs-look", http.StatusOK)
	if doc.Find("main .report-item").Length() != 0 || !strings.Contains(textOf(doc.Find(".empty")), "No citation needs a look") {
		t.Errorf("after saving:\n%s", textOf(doc.Find("main")))
	}
	if n := ana.page("/edit/countries/mali/sec-police-unit", http.StatusOK).Find("#needs-look-h").Length(); n != 0 {
		t.Error("the form still asks for a check after saving")
	}
}
