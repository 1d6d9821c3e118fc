package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	vigie "github.com/vigie-network/vigie"
	"github.com/vigie-network/vigie/export"
)

// The open data page in French and Spanish: its own texts, the ones its
// handler builds (download labels, the note, the citation, the size) and
// the dates in the language, with no English left in the page's main part.
func TestDataPageInFrenchAndSpanish(t *testing.T) {
	s, st := testSite(t)
	ctx := context.Background()
	if _, err := export.PublishEdition(ctx, st, "2025", "test", time.Date(2025, 12, 31, 12, 0, 0, 0, time.UTC)); err != nil {
		t.Fatal(err)
	}
	update(t, st, func(ctx context.Context, tx vigie.Tx) error {
		a, _ := tx.Assessment(ctx, "ML", "extraterritoriality-extradition")
		a.Rating = vigie.RatingPartial
		_, _, err := tx.SaveAssessment(ctx, a, fixtureChange)
		return err
	})
	if _, err := export.PublishEdition(ctx, st, "2026", "test", time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)); err != nil {
		t.Fatal(err)
	}
	english := []string{"Open data", "Current data", "Editions", " edition", "Published", "How to cite", "Changes",
		"changed", "added", "removed", "Compared with", "The first edition", "as frozen", "data package", "download",
		"Everything Vigie publishes", "SHA-256 of the JSON file", "bytes"}
	for _, tt := range []struct {
		lang, h1, current, cite, note, csv, compared, first string
	}{
		{"fr", "Données ouvertes", "Données actuelles", "Vigie, édition 2026 (1er juin 2026), /data/editions/2026, SHA-256 ",
			"tel que figé", "CSV (paquet de données)", "Comparée à l’édition 2025.", "La première édition"},
		{"es", "Datos abiertos", "Datos actuales", "Vigie, edición 2026 (1 de junio de 2026), /data/editions/2026, SHA-256 ",
			"tal como quedó congelado", "CSV (paquete de datos)", "Comparada con la edición 2025.", "La primera edición"},
	} {
		doc := page(t, s, "/"+tt.lang+"/data", http.StatusOK)
		main := textOf(doc.Find("main"))
		if got := textOf(doc.Find("h1")); got != tt.h1 {
			t.Errorf("%s: h1 %q, want %q", tt.lang, got, tt.h1)
		}
		if got := textOf(doc.Find("#current-h")); got != tt.current {
			t.Errorf("%s: %q, want %q", tt.lang, got, tt.current)
		}
		if got := textOf(doc.Find("title")); !strings.HasPrefix(got, tt.h1) {
			t.Errorf("%s: title %q", tt.lang, got)
		}
		newest := doc.Find("article.edition").First()
		if got := textOf(newest.Find(".cite")); !strings.HasPrefix(got, tt.cite) {
			t.Errorf("%s: citation %q, want %q…", tt.lang, got, tt.cite)
		}
		for _, want := range []string{tt.note, tt.csv, tt.compared, tt.first} {
			if !strings.Contains(main, want) {
				t.Errorf("%s: the page lacks %q", tt.lang, want)
			}
		}
		if got := newest.Find("h3 a").AttrOr("href", ""); got != "/"+tt.lang+"/data/editions/2026" {
			t.Errorf("%s: the edition links to %q", tt.lang, got)
		}
		if got := newest.Find("ul.changed a").First().AttrOr("href", ""); got != "/"+tt.lang+"/countries/mali" {
			t.Errorf("%s: the change links to %q", tt.lang, got)
		}
		// The downloads are the data itself: one address in every language.
		if got := newest.Find("a[download]").First().AttrOr("href", ""); got != "/data/editions/2026.json" {
			t.Errorf("%s: download %q", tt.lang, got)
		}
		if !strings.Contains(doc.Find("ul.changed li").First().Text(), "\u00a0:") && tt.lang == "fr" {
			t.Errorf("fr: no space before the colon in %q", doc.Find("ul.changed li").First().Text())
		}
		for _, en := range english {
			if strings.Contains(main, en) {
				t.Errorf("%s: English %q left in %q", tt.lang, en, main)
			}
		}
		one := page(t, s, "/"+tt.lang+"/data/editions/2025", http.StatusOK)
		if got := textOf(one.Find("h1")); strings.Contains(got, "edition") || !strings.Contains(got, "2025") {
			t.Errorf("%s: edition page h1 %q", tt.lang, got)
		}
	}
	// Numbers that choose a plural form: one rating changed.
	if got := textOf(page(t, s, "/fr/data", http.StatusOK).Find("article.edition .changes-summary").First()); !strings.HasPrefix(got, "1 note modifiée, 0 évaluation ajoutée") {
		t.Errorf("fr: summary %q", got)
	}
	if got := textOf(page(t, s, "/data", http.StatusOK).Find("article.edition .changes-summary").First()); got != "1 rating changed, 0 assessments added, 0 removed." {
		t.Errorf("en: summary %q", got)
	}
}

// The editors' pages in French: the users page (its roles and dates), the
// organisation form, the reports queue and the audit log.
func TestEditorsPagesInFrench(t *testing.T) {
	e := newEditorsSite(t)
	e.addUser("boss@example.org", vigie.RoleAdmin)
	e.addUser("ana@example.org", vigie.RoleResearcher)
	boss := e.login("boss@example.org")

	users := boss.page("/fr/edit/users", http.StatusOK)
	main := textOf(users.Find("main"))
	for _, want := range []string{"Utilisateurs", "Ajouter un utilisateur", "Courriel", "Rôle", "chercheur", "administrateur", "vous",
		"Désactiver", "Ajouter et créer un lien pour choisir le mot de passe", " à "} {
		if !strings.Contains(main, want) {
			t.Errorf("users: %q lacks %q", main, want)
		}
	}
	for _, en := range []string{"Users", "Add a user", "Email", "researcher", "Disable", "Since", "Status", "Countries", "January"} {
		if strings.Contains(main, en) {
			t.Errorf("users: English %q left", en)
		}
	}
	if got := users.Find(`input[name="role"][value="researcher"]`).Length(); got != 1 {
		t.Errorf("the role keeps its value: %d radio", got)
	}
	if got := users.Find("form.form").AttrOr("action", ""); got != "/fr/edit/users" {
		t.Errorf("the form posts to %q", got)
	}

	org := boss.page("/fr/edit/organisations/new?country=ML", http.StatusOK)
	main = textOf(org.Find("main"))
	for _, want := range []string{"Nouvelle organisation membre", "Pays", "Nom", "Sigle", "Fondée en", "Bureau (ville)", "Contact 1",
		"Fonction ou rôle", "Téléphone", "Retirer", "Enregistrer", "cochez « Retirer »"} {
		if !strings.Contains(main, want) {
			t.Errorf("organisation form: %q lacks %q", main, want)
		}
	}
	for _, en := range []string{"New member organisation", "Name", "Acronym", "Founded", "Phone", "Remove", "Save", "Workspace"} {
		if strings.Contains(main, en) {
			t.Errorf("organisation form: English %q left", en)
		}
	}
	// A wrong year comes back in French.
	form := formValues(org, "form.form")
	form.Set("name", "Association test")
	form.Set("founded", "l’an dernier")
	res, body := boss.post("/fr/edit/organisations/new", form)
	if res.StatusCode != http.StatusBadRequest || !strings.Contains(body, "Veuillez vérifier le formulaire") {
		t.Errorf("invalid organisation: %d", res.StatusCode)
	}

	for _, tt := range []struct {
		path     string
		want, en []string
	}{
		{"/fr/edit/publications/new", []string{"Nouvelle publication", "Éditeurs", "Lien vers le fichier", "Rapport de suivi par pays"},
			[]string{"New publication", "Publishers", "Link to the file", "Country monitoring report", "Save"}},
		{"/fr/edit/news/new", []string{"Nouvelle actualité", "Adresse", "Aperçu", "Enregistrer"},
			[]string{"New news item", "Address", "Preview", "Story", "Save"}},
		{"/fr/edit/featured", []string{"Article à la une", "avec « Lire l’article »", "Choisissez l’article", "Mettre cet article à la une", "15 janvier 2025"},
			[]string{"Featured story", "Choose the story", "Feature this story", "January"}},
		{"/fr/edit/stale?years=0", []string{"Évaluations fondées sur des sources anciennes", "Sources datant d’au moins", "Source la plus récente",
			"Code of Criminal Procedure of Mali, 2001 (état au 2021)", "5 ans", "Extraterritorialité et extradition (Mali)"}, []string{"Old sources", "years", "Newest source", "Edit", "status as of", " in Mali"}},
	} {
		main := textOf(boss.page(tt.path, http.StatusOK).Find("main"))
		for _, want := range tt.want {
			if !strings.Contains(main, want) {
				t.Errorf("%s: %q lacks %q", tt.path, main, want)
			}
		}
		for _, en := range tt.en {
			if strings.Contains(main, en) {
				t.Errorf("%s: English %q left", tt.path, en)
			}
		}
	}

	reader := e.visitor("198.51.100.7:5000")
	if res, _ := reader.post("/countries/mali/report", url.Values{"change": {"A new law in 2025."}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("report: %d", res.StatusCode)
	}
	reports := boss.page("/fr/edit/reports", http.StatusOK)
	main = textOf(reports.Find("main"))
	for _, want := range []string{"Signalements de changements", "Ouverts", "Classés", "ouvert", "Lien", "Ouvrir un brouillon", "Classer", "depuis 198.51.100.7"} {
		if !strings.Contains(main, want) {
			t.Errorf("reports: %q lacks %q", main, want)
		}
	}
	for _, en := range []string{"Movement reports", "Open a draft", "Close", "from ", "Link"} {
		if strings.Contains(main, en) {
			t.Errorf("reports: English %q left", en)
		}
	}

	audit := boss.page("/fr/edit/audit", http.StatusOK)
	if got := textOf(audit.Find("h1")); got != "Journal d’audit" {
		t.Errorf("audit h1 %q", got)
	}
	var cols []string
	audit.Find("table.audit thead th").Each(func(_ int, th *goquery.Selection) { cols = append(cols, textOf(th)) })
	if got := strings.Join(cols, " · "); got != "Quand · Qui · Action · Cible · Détail · Adresse" {
		t.Errorf("audit columns %q", got)
	}
	if got := textOf(audit.Find("table.audit tbody td").First()); !strings.HasSuffix(got, "UTC") || !strings.Contains(got, " à ") {
		t.Errorf("audit time %q", got)
	}
}
