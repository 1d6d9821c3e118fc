package web

import (
	"context"
	"net/http"
	"strings"
	"testing"

	vigie "github.com/vigie-network/vigie"
)

// A researcher finds what is untranslated, translates it through the
// form, and French readers see it; the audit log records it; members and
// readers may not translate.
func TestTranslateContent(t *testing.T) {
	e := newEditorsSite(t)
	e.addUser("ana@example.org", vigie.RoleResearcher)
	e.addUser("mo@example.org", vigie.RoleMember, "ML")
	ana := e.login("ana@example.org")

	status := ana.page("/edit/translations", http.StatusOK)
	fr := status.Find("#lang-fr")
	if !strings.Contains(textOf(fr), "Mali: Extraterritoriality & Extradition") {
		t.Fatalf("the French status does not list Mali's explanation: %q", textOf(fr))
	}
	link := fr.Find(`a[href="/edit/translations/fr/assessment/ML/extraterritoriality-extradition"]`)
	if link.Length() != 1 {
		t.Fatal("no link to the form")
	}
	// The built-in framework is translated: no indicator is listed.
	if fr.Find(`a[href^="/edit/translations/fr/indicator/"]`).Length() != 0 {
		t.Error("the seeded indicator translations are listed as missing")
	}

	form := ana.page("/edit/translations/fr/assessment/ML/extraterritoriality-extradition", http.StatusOK)
	if got := textOf(form.Find(".source[lang=en]")); !strings.Contains(got, "Article 22") {
		t.Errorf("the form shows the English %q", got)
	}
	if form.Find(`label[for="tr-explanation"]`).Length() != 1 {
		t.Error("the textarea has no label")
	}
	values := formValues(form, "form.form")
	values.Set("explanation", "Les tribunaux maliens peuvent juger les ressortissants pour des infractions commises à l’étranger.")
	res, _ := ana.post("/edit/translations/fr/assessment/ML/extraterritoriality-extradition", values)
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("save: %d", res.StatusCode)
	}
	if got := textOf(ana.page(res.Header.Get("Location"), http.StatusOK).Find(".notice.good")); got == "" {
		t.Error("no confirmation after saving")
	}
	public := e.visitor("192.0.2.20:1")
	doc := public.page("/fr/countries/mali", http.StatusOK)
	if got := textOf(doc.Find("#extraterritoriality-extradition .explanation")); !strings.Contains(got, "Les tribunaux maliens") {
		t.Errorf("French readers see %q", got)
	}
	if doc := public.page("/es/countries/mali", http.StatusOK); doc.Find("#extraterritoriality-extradition p.untr").Length() != 1 {
		t.Error("Spanish readers lost the untranslated note")
	}
	entries, _ := e.st.AuditLog(t.Context(), vigie.AuditFilter{Limit: 1})
	if len(entries) != 1 || entries[0].Action != "translation.save" || entries[0].Actor != "ana" {
		t.Errorf("audit %+v", entries)
	}
	status = ana.page("/edit/translations", http.StatusOK)
	if status.Find(`#lang-fr a[href="/edit/translations/fr/assessment/ML/extraterritoriality-extradition"]`).Length() != 0 {
		t.Error("the translated explanation is still listed as missing in French")
	}

	// The English changes: the French translation is out of date, and
	// readers see the English again, marked.
	a, err := e.st.Assessment(t.Context(), "ML", "extraterritoriality-extradition")
	if err != nil {
		t.Fatal(err)
	}
	a.Explanation += "\n\nA new paragraph."
	update(t, e.st, func(ctx context.Context, tx vigie.Tx) error {
		_, _, err := tx.SaveAssessment(ctx, a, fixtureChange)
		return err
	})
	if doc := public.page("/fr/countries/mali", http.StatusOK); doc.Find("#extraterritoriality-extradition p.untr").Length() != 1 {
		t.Error("an out-of-date translation is still shown")
	}
	if got := textOf(ana.page("/edit/translations", http.StatusOK).Find("#lang-fr")); !strings.Contains(got, "1 field out of date") {
		t.Errorf("the status does not say the translation is out of date: %q", got)
	}

	mo := e.login("mo@example.org")
	if res, _ := mo.get("/edit/translations"); res.StatusCode != http.StatusForbidden {
		t.Errorf("a member opens the translations: %d", res.StatusCode)
	}
	if res, _ := mo.post("/edit/translations/fr/news/"+featuredSlug, values); res.StatusCode != http.StatusForbidden {
		t.Errorf("a member translates: %d", res.StatusCode)
	}
	if res, _ := public.get("/edit/translations"); res.StatusCode != http.StatusSeeOther {
		t.Errorf("a reader opens the translations: %d", res.StatusCode)
	}
	if res, _ := ana.get("/edit/translations/de/news/" + featuredSlug); res.StatusCode != http.StatusNotFound {
		t.Errorf("German: %d", res.StatusCode)
	}
	// French editors' pages work under /fr/ too.
	if got := textOf(ana.page("/fr/edit/translations", http.StatusOK).Find("h1")); got != "Traductions" {
		t.Errorf("French status page: h1 %q", got)
	}
}
