package storetest

import (
	"testing"
	"time"

	vigie "github.com/vigie-network/vigie"
)

// Both stores do the same with what the domain decides: insert a new row,
// rewrite the row with a given ID, and nothing else. A taken slug is a
// conflict, an unknown ID is not found, and text no store can hold never
// reaches either of them.
func recordTests() []namedTest {
	return []namedTest{
		{"InsertWithTakenSlugConflicts", testInsertWithTakenSlug},
		{"UpdateByIDOnly", testUpdateByID},
		{"HostileTextIsRefusedAlike", testHostileText},
		{"UnholdableKeysAreNotFound", testUnholdableKeys},
	}
}

func testInsertWithTakenSlug(t *testing.T, s vigie.Store) {
	day := time.Date(2026, 1, 2, 0, 0, 0, 0, time.UTC)
	first := vigie.NewsItem{Slug: "story", Title: "First", Date: day, Countries: []string{"SN"}}
	update(t, s, func(tx vigie.Tx) error { return tx.InsertNewsItem(ctx, &first) })
	err := s.Update(ctx, func(tx vigie.Tx) error {
		again := vigie.NewsItem{Slug: "story", Title: "Second", Date: day, Countries: []string{"ML"}}
		return tx.InsertNewsItem(ctx, &again)
	})
	if vigie.ErrorCode(err) != vigie.ECONFLICT {
		t.Errorf("a second news item with a taken slug: %v", err)
	}
	// Through the domain, a create with a taken slug is refused before
	// the store is asked, in both stores alike.
	err = s.Update(ctx, func(tx vigie.Tx) error {
		again := vigie.NewsItem{Slug: "story", Title: "Second", Date: day, Countries: []string{"ML"}}
		_, err := vigie.MergeNewsItem(ctx, tx, &again) // imports merge: this one updates
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := s.NewsItem(ctx, "story"); got.ID != first.ID || got.Title != "Second" {
		t.Errorf("an import did not update the stored item in place: %+v", got)
	}

	org := vigie.Organisation{Slug: "acesem", Country: "ML", Name: "ACESEM"}
	update(t, s, func(tx vigie.Tx) error { return tx.InsertOrganisation(ctx, &org) })
	err = s.Update(ctx, func(tx vigie.Tx) error {
		o := vigie.Organisation{Slug: "acesem", Country: "SN", Name: "Other"}
		return tx.InsertOrganisation(ctx, &o)
	})
	if vigie.ErrorCode(err) != vigie.ECONFLICT {
		t.Errorf("a second organisation with a taken slug: %v", err)
	}
	pub := vigie.Publication{Slug: "checklist", Title: "Checklist", Type: vigie.PubLegalChecklist}
	update(t, s, func(tx vigie.Tx) error { return tx.InsertPublication(ctx, &pub) })
	err = s.Update(ctx, func(tx vigie.Tx) error {
		p := vigie.Publication{Slug: "checklist", Title: "Other", Type: vigie.PubResearch}
		return tx.InsertPublication(ctx, &p)
	})
	if vigie.ErrorCode(err) != vigie.ECONFLICT {
		t.Errorf("a second publication with a taken slug: %v", err)
	}
}

func testUpdateByID(t *testing.T, s vigie.Store) {
	day := time.Date(2026, 1, 2, 0, 0, 0, 0, time.UTC)
	a := vigie.NewsItem{Slug: "a", Title: "A", Date: day}
	b := vigie.NewsItem{Slug: "b", Title: "B", Date: day}
	update(t, s, func(tx vigie.Tx) error {
		if err := tx.InsertNewsItem(ctx, &a); err != nil {
			return err
		}
		return tx.InsertNewsItem(ctx, &b)
	})
	// Renaming a to b's slug is refused by the store's constraint too.
	err := s.Update(ctx, func(tx vigie.Tx) error {
		n := a
		n.Slug = "b"
		return tx.UpdateNewsItem(ctx, n)
	})
	if vigie.ErrorCode(err) != vigie.ECONFLICT {
		t.Errorf("renaming onto a taken slug: %v", err)
	}
	err = s.Update(ctx, func(tx vigie.Tx) error {
		n := a
		n.ID = 1 << 40
		return tx.UpdateNewsItem(ctx, n)
	})
	if !vigie.IsNotFound(err) {
		t.Errorf("updating an unknown ID: %v", err)
	}
	update(t, s, func(tx vigie.Tx) error {
		n := a
		n.Slug, n.Title, n.Countries = "a-renamed", "A renamed", []string{"ML"}
		return tx.UpdateNewsItem(ctx, n)
	})
	got, err := s.NewsItem(ctx, "a-renamed")
	if err != nil || got.ID != a.ID || got.Title != "A renamed" || len(got.Countries) != 1 {
		t.Errorf("renamed = %+v, %v", got, err)
	}
	if other, _ := s.NewsItem(ctx, "b"); other.Title != "B" {
		t.Errorf("another item changed: %+v", other)
	}
	err = s.Update(ctx, func(tx vigie.Tx) error {
		return tx.UpdateOrganisation(ctx, vigie.Organisation{ID: 1 << 40, Slug: "x", Country: "ML", Name: "X"})
	})
	if !vigie.IsNotFound(err) {
		t.Errorf("updating an unknown organisation: %v", err)
	}
	err = s.Update(ctx, func(tx vigie.Tx) error {
		return tx.UpdatePublication(ctx, vigie.Publication{ID: 1 << 40, Slug: "x", Title: "X", Type: vigie.PubOther})
	})
	if !vigie.IsNotFound(err) {
		t.Errorf("updating an unknown publication: %v", err)
	}
}

// hostileTexts are what the review sent through forms and the API.
var hostileTexts = map[string]string{
	"invalid UTF-8": "caf\xe9 \xff",
	"NUL":           "before\x00after",
	"escape":        "colour \x1b[31m red",
	"C1 control":    "next\u0085line",
	"a script link": "javascript:alert(1)",
	"a data link":   "data:text/html,<script>alert(1)</script>",
}

func testHostileText(t *testing.T, s vigie.Store) {
	day := time.Date(2026, 1, 2, 0, 0, 0, 0, time.UTC)
	for name, text := range hostileTexts {
		saves := map[string]func(tx vigie.Tx) error{
			"news title": func(tx vigie.Tx) error {
				_, err := vigie.MergeNewsItem(ctx, tx, &vigie.NewsItem{Slug: "n", Title: text, Date: day})
				return err
			},
			"organisation website": func(tx vigie.Tx) error {
				_, err := vigie.MergeOrganisation(ctx, tx, &vigie.Organisation{Country: "ML", Name: "O", Website: text})
				return err
			},
			"publication link": func(tx vigie.Tx) error {
				_, err := vigie.MergePublication(ctx, tx, &vigie.Publication{Title: "P", Type: vigie.PubOther, Link: text})
				return err
			},
			"explanation": func(tx vigie.Tx) error {
				a := extraterritoriality()
				a.Explanation = text
				if text == hostileTexts["a script link"] || text == hostileTexts["a data link"] {
					a.Citations[0].Source.Link = text // an explanation may say anything printable
				}
				_, _, err := tx.SaveAssessment(ctx, a, vigie.Change{Author: "test"})
				return err
			},
		}
		for field, save := range saves {
			if field == "news title" && (name == "a script link" || name == "a data link") {
				continue // printable words are a fine title
			}
			before, _ := s.DataVersion(ctx)
			err := s.Update(ctx, save)
			if vigie.ErrorCode(err) != vigie.EINVALID {
				t.Errorf("%s in the %s: %v, want an invalid-field error", name, field, err)
				continue
			}
			if after, _ := s.DataVersion(ctx); after != before {
				t.Errorf("%s in the %s: the data changed", name, field)
			}
		}
	}
	// A formula-looking text is ordinary text: stored as it is (the CSV
	// export neutralises it, the JSON keeps it exact).
	update(t, s, func(tx vigie.Tx) error {
		_, err := vigie.MergeOrganisation(ctx, tx, &vigie.Organisation{Country: "ML", Name: "O", Acronym: "=cmd|' /C calc'!A0"})
		return err
	})
	if orgs, _ := s.Organisations(ctx, vigie.OrganisationFilter{Country: "ML"}); len(orgs) != 1 || orgs[0].Acronym != "=cmd|' /C calc'!A0" {
		t.Errorf("formula-looking acronym = %+v", orgs)
	}
}

func testUnholdableKeys(t *testing.T, s vigie.Store) {
	for _, key := range []string{"\xff", "a\x00b", "%FF"} {
		if _, err := s.NewsItem(ctx, key); !vigie.IsNotFound(err) {
			t.Errorf("NewsItem(%q): %v", key, err)
		}
		if _, err := s.Organisation(ctx, key); !vigie.IsNotFound(err) {
			t.Errorf("Organisation(%q): %v", key, err)
		}
		if _, err := s.Publication(ctx, key); !vigie.IsNotFound(err) {
			t.Errorf("Publication(%q): %v", key, err)
		}
		if _, err := s.Edition(ctx, key); !vigie.IsNotFound(err) {
			t.Errorf("Edition(%q): %v", key, err)
		}
		if _, err := s.UserByEmail(ctx, key); !vigie.IsNotFound(err) {
			t.Errorf("UserByEmail(%q): %v", key, err)
		}
		if _, err := s.Token(ctx, vigie.TokenSession, key); !vigie.IsNotFound(err) {
			t.Errorf("Token(%q): %v", key, err)
		}
		if _, err := s.Assessment(ctx, key, "age-of-consent"); !vigie.IsNotFound(err) {
			t.Errorf("Assessment(%q): %v", key, err)
		}
		if _, err := s.Revisions(ctx, "ML", key); err != nil && !vigie.IsNotFound(err) {
			t.Errorf("Revisions(ML, %q): %v", key, err)
		}
		if list, err := s.NewsItems(ctx, vigie.NewsFilter{Country: key}); err != nil || len(list) != 0 {
			t.Errorf("NewsItems(country %q): %d, %v", key, len(list), err)
		}
		if list, err := s.Search(ctx, vigie.SearchQuery{Text: key}); err != nil || len(list) != 0 {
			t.Errorf("Search(%q): %d, %v", key, len(list), err)
		}
		if list, err := s.Translations(ctx, vigie.TranslationFilter{Keys: []string{key}}); err != nil || len(list) != 0 {
			t.Errorf("Translations(key %q): %d, %v", key, len(list), err)
		}
	}
}
