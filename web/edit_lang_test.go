package web

import (
	"net/http"
	"strings"
	"testing"

	vigie "github.com/vigie-network/vigie"
)

// The assessment form and the indicator sweep in French and Spanish: the
// interface, the messages the handlers write and the field labels of the
// list of problems are in the page's language, with no English left.
func TestAssessmentFormAndSweepInFrenchAndSpanish(t *testing.T) {
	e := newEditorsSite(t)
	e.addUser("ana@example.org", vigie.RoleResearcher)
	ana := e.login("ana@example.org")
	english := []string{"Workspace", "Save draft", "Submit for review", "Reason for the change", "Explanation",
		"From the library", "New source", "Unpublished", "all countries", "as of", "Other indicators"}
	for _, tt := range []struct {
		lang       string
		form       []string // on the assessment form
		sweep      []string // on the sweep
		saved      string   // the sweep's notice after a row is saved
		state      string   // a draft's state
		valueError []string // a value that is not a number: the error and its field's label
	}{
		{"fr",
			[]string{"Espace de travail", "Âge du consentement", "Enregistrer le brouillon", "Soumettre à relecture",
				"Motif du changement", "Explication", "Dans la bibliothèque", "AAAA-MM-JJ", "Page publique"},
			[]string{"tous les pays", "Version publiée", "Non publiée", "Chaque ligne s’enregistre séparément"},
			"Révision 2 enregistrée (Mali).", "brouillon",
			[]string{"Écrivez la valeur en nombre entier, p. ex. 16.", "Valeur", "Veuillez vérifier le formulaire"}},
		{"es",
			[]string{"Espacio de trabajo", "Guardar borrador", "Enviar a revisión", "Motivo del cambio", "Explicación",
				"De la biblioteca", "AAAA-MM-DD", "Página pública"},
			[]string{"todos los países", "Versión publicada", "Sin publicar", "Cada fila se guarda por separado"},
			"Revisión 3 guardada para Malí.", "borrador",
			[]string{"Escriba el valor como número entero, p. ej., 16.", "Valor", "Revise el formulario"}},
	} {
		formPath := "/" + tt.lang + "/edit/countries/mali/age-of-consent"
		doc := ana.page(formPath, http.StatusOK)
		if got, _ := doc.Find("html").Attr("lang"); got != tt.lang {
			t.Errorf("%s: the form is in %q", tt.lang, got)
		}
		main := textOf(doc.Find("main"))
		for _, want := range tt.form {
			if !strings.Contains(main, want) {
				t.Errorf("%s: the form lacks %q", tt.lang, want)
			}
		}
		for _, en := range english {
			if strings.Contains(main, en) {
				t.Errorf("%s: the form shows %q", tt.lang, en)
			}
		}
		if action := doc.Find("form.assessment").AttrOr("action", ""); action != formPath {
			t.Errorf("%s: the form posts to %q", tt.lang, action)
		}

		// A value that is not a number: the error and its label in the language.
		form := formValues(doc, "form.assessment")
		form.Set("rating", vigie.RatingYes)
		form.Set("value", "sixteen")
		form.Set("action", "draft")
		res, body := ana.post(formPath, form)
		if res.StatusCode != http.StatusBadRequest {
			t.Fatalf("%s: bad value: %d", tt.lang, res.StatusCode)
		}
		problems := parseHTML(t, body)
		if got := textOf(problems.Find("#value-error")); got != tt.valueError[0] {
			t.Errorf("%s: value error %q, want %q", tt.lang, got, tt.valueError[0])
		}
		colon := ": " // French sets a (no-break) space before it
		if tt.lang == "fr" {
			colon = " : "
		}
		if got := textOf(problems.Find(".problems")); !strings.Contains(got, tt.valueError[1]+colon) || !strings.Contains(got, tt.valueError[2]) {
			t.Errorf("%s: the list of problems is %q", tt.lang, got)
		}

		// The sweep, and a row saved from it.
		sweepPath := "/" + tt.lang + "/edit/indicators/extraterritoriality-extradition"
		doc = ana.page(sweepPath, http.StatusOK)
		main = textOf(doc.Find("main"))
		for _, want := range tt.sweep {
			if !strings.Contains(main, want) {
				t.Errorf("%s: the sweep lacks %q", tt.lang, want)
			}
		}
		for _, en := range english {
			if strings.Contains(main, en) {
				t.Errorf("%s: the sweep shows %q", tt.lang, en)
			}
		}
		if label := doc.Find(`tr#row-ml select`).AttrOr("aria-label", ""); !strings.Contains(label, "Mal") || strings.Contains(label, "Rating") {
			t.Errorf("%s: the rating's label is %q", tt.lang, label)
		}
		row := formValues(doc, "form#f-row-ml")
		for _, name := range []string{"rating", "as_of", "reason"} {
			row.Set(name, doc.Find(`[form="f-row-ml"][name="`+name+`"]`).AttrOr("value", ""))
		}
		row.Set("rating", vigie.RatingPartial)
		row.Set("as_of", "2024")
		row.Set("action", "draft")
		res, _ = ana.post(sweepPath, row)
		loc := res.Header.Get("Location")
		if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(loc, sweepPath+"?") {
			t.Fatalf("%s: row save: %d → %q", tt.lang, res.StatusCode, loc)
		}
		doc = ana.page(strings.Split(loc, "#")[0], http.StatusOK) // browsers keep the fragment
		if got := textOf(doc.Find(".notice.good")); got != tt.saved {
			t.Errorf("%s: notice %q, want %q", tt.lang, got, tt.saved)
		}
		if got := textOf(doc.Find("tr#row-ml .state")); got != tt.state {
			t.Errorf("%s: Mali's row shows %q, want %q", tt.lang, got, tt.state)
		}
	}
}

// The framework page in French: its interface is French, and its fields
// hold the English texts they edit, not their translations, so that
// saving from /fr/ cannot write French over English.
func TestFrameworkInFrenchEditsTheEnglish(t *testing.T) {
	e := newEditorsSite(t)
	e.addUser("root@example.org", vigie.RoleAdmin)
	admin := e.login("root@example.org")
	doc := admin.page("/fr/edit/framework", http.StatusOK)
	main := textOf(doc.Find("main"))
	for _, want := range []string{"Cadre des indicateurs et échelle de notation", "Ajouter un indicateur", "Compte comme évalué"} {
		if !strings.Contains(main, want) {
			t.Errorf("the framework page lacks %q", want)
		}
	}
	for _, en := range []string{"Add an indicator", "Counts as assessed", "Rationale", "an age in years"} {
		if strings.Contains(main, en) {
			t.Errorf("the framework page shows %q", en)
		}
	}
	if got := doc.Find("form#i-age-of-consent input[name=name]").AttrOr("value", ""); got != "Age of Consent" {
		t.Errorf("the name field holds %q, want the English", got)
	}
}
