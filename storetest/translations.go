package storetest

import (
	"testing"
	"time"

	vigie "github.com/vigie-network/vigie"
)

// Translations of content fields (issue #6): the built-in ones, saving,
// replacing, removing, filtering, and that a save is a write.
func translationTests() []namedTest {
	return []namedTest{
		{"TranslationsSeeded", testTranslationsSeeded},
		{"TranslationsSaveAndFilter", testTranslationsSave},
		{"TranslationsRollBack", testTranslationsRollBack},
	}
}

func testTranslationsSeeded(t *testing.T, s vigie.Store) {
	got, err := s.Translations(ctx, vigie.TranslationFilter{Kind: vigie.KindIndicator, Lang: "fr"})
	if err != nil {
		t.Fatal(err)
	}
	if want := 2 * len(vigie.DefaultIndicators()); len(got) != want {
		t.Fatalf("%d French indicator translations, want %d", len(got), want)
	}
	inds, err := s.Indicators(ctx)
	if err != nil {
		t.Fatal(err)
	}
	set := vigie.NewTranslationSet(got)
	for _, ind := range inds {
		tr, ok := set.Get(vigie.KindIndicator, ind.Key, "name", "fr")
		if !ok || !tr.Current(ind.Name) || tr.Text == ind.Name {
			t.Errorf("%s: French name %+v", ind.Key, tr)
		}
	}
	ratings, err := s.Translations(ctx, vigie.TranslationFilter{Kind: vigie.KindRating, Lang: "es", Keys: []string{vigie.RatingYes}})
	if err != nil {
		t.Fatal(err)
	}
	if len(ratings) != 2 || ratings[0].Field != "label" || ratings[0].Text != "Sí" || ratings[1].Field != "meaning" {
		t.Errorf("Spanish translations of yes: %+v", ratings)
	}
}

func testTranslationsSave(t *testing.T, s vigie.Store) {
	at := time.Date(2025, 5, 3, 10, 0, 0, 0, time.UTC)
	key := vigie.AssessmentKey("ML", "age-of-consent")
	fr := vigie.Translation{Kind: vigie.KindAssessment, Key: key, Field: "explanation", Lang: "fr",
		Text: "L’âge est fixé à 15 ans.", SourceVersion: vigie.SourceVersion("The age is 15."), UpdatedAt: at, UpdatedBy: "Ana"}
	es := fr
	es.Lang, es.Text = "es", "La edad es de 15 años."
	other := fr
	other.Key = vigie.AssessmentKey("SN", "age-of-consent")

	v0, err := s.DataVersion(ctx)
	if err != nil {
		t.Fatal(err)
	}
	update(t, s, func(tx vigie.Tx) error {
		for _, tr := range []vigie.Translation{fr, es, other} {
			if changed, err := tx.SaveTranslation(ctx, tr); err != nil || !changed {
				t.Errorf("save %s %s: changed %v, %v", tr.Key, tr.Lang, changed, err)
			}
		}
		// A transaction reads its own writes.
		got, err := tx.Translations(ctx, vigie.TranslationFilter{Kind: vigie.KindAssessment, Keys: []string{key}})
		if err != nil || len(got) != 2 {
			t.Errorf("inside the transaction: %d translations, %v", len(got), err)
		}
		return nil
	})
	if v1, _ := s.DataVersion(ctx); v1 <= v0 {
		t.Errorf("data version %d after saving translations, was %d", v1, v0)
	}

	got, err := s.Translations(ctx, vigie.TranslationFilter{Kind: vigie.KindAssessment, Keys: []string{key}})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].Lang != "es" || got[1].Lang != "fr" {
		t.Fatalf("translations of %s: %+v", key, got)
	}
	if g := got[1]; g.Text != fr.Text || g.SourceVersion != fr.SourceVersion || g.UpdatedBy != "Ana" || !g.UpdatedAt.Equal(at) {
		t.Errorf("stored %+v, want %+v", g, fr)
	}
	if !got[1].Current("The age is 15.") || got[1].Current("The age is 16.") {
		t.Error("Current does not follow the source text")
	}
	if all, _ := s.Translations(ctx, vigie.TranslationFilter{Kind: vigie.KindAssessment, Lang: "fr"}); len(all) != 2 {
		t.Errorf("French assessment translations: %+v", all)
	}

	// The same text again writes nothing; a new text replaces the old.
	v2, _ := s.DataVersion(ctx)
	update(t, s, func(tx vigie.Tx) error {
		if changed, err := tx.SaveTranslation(ctx, fr); err != nil || changed {
			t.Errorf("saving the same translation: changed %v, %v", changed, err)
		}
		return nil
	})
	if v3, _ := s.DataVersion(ctx); v3 != v2 {
		t.Errorf("an unchanged save moved the data version from %d to %d", v2, v3)
	}
	fr.Text, fr.SourceVersion = "L’âge est fixé à 16 ans.", vigie.SourceVersion("The age is 16.")
	update(t, s, func(tx vigie.Tx) error {
		if changed, err := tx.SaveTranslation(ctx, fr); err != nil || !changed {
			t.Errorf("replacing: changed %v, %v", changed, err)
		}
		// Empty text removes.
		es.Text = ""
		if changed, err := tx.SaveTranslation(ctx, es); err != nil || !changed {
			t.Errorf("removing: changed %v, %v", changed, err)
		}
		if changed, err := tx.SaveTranslation(ctx, es); err != nil || changed {
			t.Errorf("removing again: changed %v, %v", changed, err)
		}
		return nil
	})
	got, _ = s.Translations(ctx, vigie.TranslationFilter{Kind: vigie.KindAssessment, Keys: []string{key}})
	if len(got) != 1 || got[0].Text != fr.Text || !got[0].Current("The age is 16.") {
		t.Errorf("after replacing and removing: %+v", got)
	}

	// Invalid translations are refused and write nothing.
	err = s.Update(ctx, func(tx vigie.Tx) error {
		_, err := tx.SaveTranslation(ctx, vigie.Translation{Kind: "country", Key: "ML", Field: "name", Lang: "fr", Text: "Mali", SourceVersion: "x"})
		return err
	})
	if vigie.ErrorCode(err) != vigie.EINVALID {
		t.Errorf("an unknown kind: %v, want EINVALID", err)
	}
}

func testTranslationsRollBack(t *testing.T, s vigie.Store) {
	tr := vigie.Translation{Kind: vigie.KindNews, Key: "story", Field: "title", Lang: "fr", Text: "Titre",
		SourceVersion: vigie.SourceVersion("Title"), UpdatedBy: "Ana"}
	err := s.Update(ctx, func(tx vigie.Tx) error {
		if _, err := tx.SaveTranslation(ctx, tr); err != nil {
			return err
		}
		return vigie.Errorf(vigie.EINVALID, "changed my mind")
	})
	if err == nil {
		t.Fatal("the failing update succeeded")
	}
	if got, _ := s.Translations(ctx, vigie.TranslationFilter{Kind: vigie.KindNews}); len(got) != 0 {
		t.Errorf("a rolled-back translation was kept: %+v", got)
	}
}
