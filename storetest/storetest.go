// Package storetest is the contract every vigie.Store implementation
// passes. Each store's tests call Run with a function that opens a new,
// empty store.
package storetest

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"sync"
	"testing"
	"time"

	vigie "github.com/vigie-network/vigie"
)

// Opener returns a new, empty store; the test closes it.
type Opener func(t *testing.T) vigie.Store

// Run runs the whole contract against stores made by open.
func Run(t *testing.T, open Opener) {
	tests := []namedTest{
		{"DefaultFramework", testDefaultFramework},
		{"UnassessedByDefault", testUnassessedByDefault},
		{"AssessmentRevisions", testAssessmentRevisions},
		{"UnchangedSaveWritesNothing", testUnchangedSave},
		{"SourcesAreShared", testSourcesShared},
		{"InvalidAssessment", testInvalidAssessment},
		{"UpdateIsAllOrNothing", testAllOrNothing},
		{"Organisations", testOrganisations},
		{"Publications", testPublications},
		{"NewsAndFeaturedStory", testNews},
		{"DataVersion", testDataVersion},
		{"ConcurrentUpdates", testConcurrentUpdates},
		{"FrameworkEdits", testFrameworkEdits},
	}
	tests = append(tests, editingTests()...)
	tests = append(tests, exploreTests()...)
	tests = append(tests, libraryTests()...)
	tests = append(tests, restoreTests()...)
	tests = append(tests, translationTests()...)
	tests = append(tests, citationFlagTests()...)
	tests = append(tests, recordTests()...)
	tests = append(tests, cursorTests()...)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := open(t)
			t.Cleanup(func() { s.Close() })
			tt.fn(t, s)
		})
	}
}

var ctx = context.Background()

type namedTest struct {
	name string
	fn   func(*testing.T, vigie.Store)
}

func update(t *testing.T, s vigie.Store, fn func(vigie.Tx) error) {
	t.Helper()
	if err := s.Update(ctx, fn); err != nil {
		t.Fatalf("Update: %v", err)
	}
}

func penalCode(status int) vigie.Citation {
	return vigie.Citation{Source: vigie.Source{Kind: vigie.SourceLaw, Title: "Penal Code of Mali", Year: 2001, StatusAsOf: status}}
}

func extraterritoriality() vigie.Assessment {
	return vigie.Assessment{
		Country: "ML", Indicator: "extraterritoriality-extradition", Rating: vigie.RatingPartial,
		Explanation: "Courts may try **citizens** for offences abroad.\n\nExtradition is unclear.",
		AsOf:        vigie.AsOf{Year: 2021},
		Citations: []vigie.Citation{
			{Source: vigie.Source{Kind: vigie.SourceLaw, Title: "Code of Criminal Procedure of Mali", Year: 2001, StatusAsOf: 2021}, Articles: "Art. 22, 244"},
			penalCode(2016),
			{Source: vigie.Source{Kind: vigie.SourceLaw, Title: "Law nº 2012-023 on Trafficking in Persons", Identifier: "Law nº 2012-023", Year: 2012}, Articles: "Art. 16, 17"},
		},
	}
}

func testDefaultFramework(t *testing.T, s vigie.Store) {
	inds, err := s.Indicators(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := vigie.DefaultIndicators()
	if len(inds) != len(want) {
		t.Fatalf("got %d indicators, want %d", len(inds), len(want))
	}
	for i := range want {
		if inds[i] != want[i] {
			t.Errorf("indicator %d = %+v, want %+v", i, inds[i], want[i])
		}
	}
	ratings, err := s.Ratings(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(ratings) != len(vigie.DefaultRatings()) || ratings[0].Key != vigie.RatingYes {
		t.Errorf("ratings = %+v", ratings)
	}
}

func testUnassessedByDefault(t *testing.T, s vigie.Store) {
	a, err := s.Assessment(ctx, "ML", "age-of-consent")
	if err != nil {
		t.Fatal(err)
	}
	if a.Rating != vigie.RatingNotYetAssessed || a.Revision != 0 {
		t.Errorf("default assessment = %+v", a)
	}
	if _, err := s.Assessment(ctx, "XX", "age-of-consent"); !vigie.IsNotFound(err) {
		t.Errorf("unknown country: err = %v, want not found", err)
	}
	if _, err := s.Assessment(ctx, "ML", "no-such-indicator"); !vigie.IsNotFound(err) {
		t.Errorf("unknown indicator: err = %v, want not found", err)
	}
	list, err := s.Assessments(ctx, vigie.AssessmentFilter{})
	if err != nil || len(list) != 0 {
		t.Errorf("Assessments on an empty store = %v, %v", list, err)
	}
}

func testAssessmentRevisions(t *testing.T, s vigie.Store) {
	first := extraterritoriality()
	at := time.Date(2024, 3, 1, 10, 0, 0, 0, time.UTC)
	update(t, s, func(tx vigie.Tx) error {
		rev, changed, err := tx.SaveAssessment(ctx, first, vigie.Change{Author: "import: mali.txt", Reason: "first import", At: at})
		if err != nil {
			return err
		}
		if !changed || rev.Number != 1 || rev.ID == 0 {
			return fmt.Errorf("first save: changed=%v rev=%+v", changed, rev)
		}
		return nil
	})
	got, err := s.Assessment(ctx, "ML", "extraterritoriality-extradition")
	if err != nil {
		t.Fatal(err)
	}
	if !got.SameContent(first) || got.Revision != 1 || !got.UpdatedAt.Equal(at) {
		t.Fatalf("read back %+v, want %+v at revision 1", got, first)
	}
	for i, c := range got.Citations {
		if c.Source.ID == 0 || c.Source.Title != first.Citations[i].Source.Title || c.Articles != first.Citations[i].Articles {
			t.Errorf("citation %d = %+v", i, c)
		}
	}
	if got.Citations[2].Source.Identifier != "Law nº 2012-023" {
		t.Errorf("identifier lost: %+v", got.Citations[2].Source)
	}

	second := first
	second.Rating = vigie.RatingYes
	age := 16
	second.Citations = []vigie.Citation{first.Citations[2], first.Citations[0]} // reordered, one dropped
	update(t, s, func(tx vigie.Tx) error {
		_, _, err := tx.SaveAssessment(ctx, second, vigie.Change{Author: "researcher@example.org", Reason: "new law"})
		return err
	})
	revs, err := s.Revisions(ctx, "ML", "extraterritoriality-extradition")
	if err != nil {
		t.Fatal(err)
	}
	if len(revs) != 2 || revs[0].Number != 2 || revs[1].Number != 1 {
		t.Fatalf("revisions = %+v", revs)
	}
	if revs[0].Author != "researcher@example.org" || revs[0].Reason != "new law" || revs[0].State != vigie.RevisionPublished {
		t.Errorf("newest revision meta = %+v", revs[0])
	}
	if !revs[0].Content.SameContent(second) || !revs[1].Content.SameContent(first) {
		t.Errorf("revisions do not keep their full content: %+v", revs)
	}
	if revs[0].Content.Citations[0].Source.Title != "Law nº 2012-023 on Trafficking in Persons" {
		t.Errorf("citation order lost: %+v", revs[0].Content.Citations)
	}

	withValue := vigie.Assessment{Country: "ML", Indicator: "age-of-consent", Rating: vigie.RatingYes, Value: &age, AsOf: vigie.AsOf{Year: 2012, Month: 5}}
	update(t, s, func(tx vigie.Tx) error {
		_, _, err := tx.SaveAssessment(ctx, withValue, vigie.Change{Author: "a"})
		return err
	})
	list, err := s.Assessments(ctx, vigie.AssessmentFilter{Country: "ML"})
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 2 || list[0].Indicator != "age-of-consent" || list[0].Value == nil || *list[0].Value != 16 ||
		list[0].AsOf.String() != "2012-05" {
		t.Errorf("Assessments(ML) = %+v (want framework order, value and month precision kept)", list)
	}
	byInd, err := s.Assessments(ctx, vigie.AssessmentFilter{Indicator: "age-of-consent"})
	if err != nil || len(byInd) != 1 {
		t.Errorf("Assessments(age-of-consent) = %v, %v", byInd, err)
	}
}

func testUnchangedSave(t *testing.T, s vigie.Store) {
	a := extraterritoriality()
	for i := range 3 {
		update(t, s, func(tx vigie.Tx) error {
			rev, changed, err := tx.SaveAssessment(ctx, a, vigie.Change{Author: "import"})
			if err == nil && changed != (i == 0) {
				err = fmt.Errorf("save %d: changed = %v", i, changed)
			}
			if err == nil && rev.Number != 1 {
				err = fmt.Errorf("save %d: revision %d", i, rev.Number)
			}
			return err
		})
	}
	// Saving the default state of a never-assessed indicator is no change.
	update(t, s, func(tx vigie.Tx) error {
		_, changed, err := tx.SaveAssessment(ctx, vigie.Unassessed("ML", "csam-definition"), vigie.Change{Author: "import"})
		if err == nil && changed {
			err = errors.New("saving the default state wrote a revision")
		}
		return err
	})
	revs, _ := s.Revisions(ctx, "ML", "extraterritoriality-extradition")
	if len(revs) != 1 {
		t.Errorf("got %d revisions, want 1", len(revs))
	}
}

func testSourcesShared(t *testing.T, s vigie.Store) {
	a := extraterritoriality()
	b := vigie.Assessment{Country: "ML", Indicator: "csam-definition", Rating: vigie.RatingNo,
		Citations: []vigie.Citation{{Source: vigie.Source{Kind: vigie.SourceLaw, Title: "penal code of mali", Year: 2001, StatusAsOf: 2016,
			Link: "https://example.org/penal-code"}, Articles: "Art. 3"}}}
	update(t, s, func(tx vigie.Tx) error {
		for _, x := range []vigie.Assessment{a, b} {
			if _, _, err := tx.SaveAssessment(ctx, x, vigie.Change{Author: "import"}); err != nil {
				return err
			}
		}
		return nil
	})
	sources, err := s.Sources(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(sources) != 3 {
		t.Fatalf("got %d sources, want 3 (the penal code once): %+v", len(sources), sources)
	}
	ga, _ := s.Assessment(ctx, "ML", "extraterritoriality-extradition")
	gb, _ := s.Assessment(ctx, "ML", "csam-definition")
	if ga.Citations[1].Source.ID != gb.Citations[0].Source.ID {
		t.Errorf("the same law got two records: %+v / %+v", ga.Citations[1].Source, gb.Citations[0].Source)
	}
	if gb.Citations[0].Source.Link != "https://example.org/penal-code" || gb.Citations[0].Articles != "Art. 3" {
		t.Errorf("second citation lost its link or articles: %+v", gb.Citations[0])
	}
	// A different consolidated version is a different record.
	c := vigie.Assessment{Country: "SN", Indicator: "csam-definition", Rating: vigie.RatingNo, Citations: []vigie.Citation{penalCode(2021)}}
	update(t, s, func(tx vigie.Tx) error {
		_, _, err := tx.SaveAssessment(ctx, c, vigie.Change{Author: "import"})
		return err
	})
	if sources, _ = s.Sources(ctx); len(sources) != 4 {
		t.Errorf("got %d sources, want 4", len(sources))
	}
	// SourcesByID reads only the sources asked for, in Sources' order.
	want := []vigie.Source{sources[3], sources[1]}
	got, err := s.SourcesByID(ctx, []int64{want[1].ID, 999999, want[0].ID, want[1].ID})
	slices.SortFunc(want, func(x, y vigie.Source) int { return slices.Index(sources, x) - slices.Index(sources, y) })
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("SourcesByID = %+v, %v; want %+v", got, err, want)
	}
	if none, err := s.SourcesByID(ctx, nil); err != nil || len(none) != 0 {
		t.Errorf("SourcesByID(nil) = %+v, %v", none, err)
	}
}

func testInvalidAssessment(t *testing.T, s vigie.Store) {
	bad := []struct {
		name  string
		edit  func(*vigie.Assessment)
		field string
	}{
		{"unknown rating", func(a *vigie.Assessment) { a.Rating = "maybe" }, "rating"},
		{"unknown country", func(a *vigie.Assessment) { a.Country = "XX" }, "country"},
		{"unknown indicator", func(a *vigie.Assessment) { a.Indicator = "nope" }, "indicator"},
		{"value on an indicator without values", func(a *vigie.Assessment) { v := 3; a.Value = &v }, "value"},
		{"impossible date", func(a *vigie.Assessment) { a.AsOf = vigie.AsOf{Year: 2021, Month: 2, Day: 30} }, "as_of"},
		{"source without title", func(a *vigie.Assessment) { a.Citations[0].Source.Title = " " }, "sources[0].title"},
	}
	for _, tt := range bad {
		a := extraterritoriality()
		tt.edit(&a)
		err := s.Update(ctx, func(tx vigie.Tx) error {
			_, _, err := tx.SaveAssessment(ctx, a, vigie.Change{Author: "x"})
			return err
		})
		var ve *vigie.Error
		if !errors.As(err, &ve) || ve.Code != vigie.EINVALID || ve.Field != tt.field {
			t.Errorf("%s: err = %#v, want invalid %s", tt.name, err, tt.field)
		}
	}
	if revs, _ := s.Revisions(ctx, "ML", "extraterritoriality-extradition"); len(revs) != 0 {
		t.Errorf("invalid saves wrote %d revisions", len(revs))
	}
}

func testAllOrNothing(t *testing.T, s vigie.Store) {
	v0, _ := s.DataVersion(ctx)
	boom := errors.New("boom")
	err := s.Update(ctx, func(tx vigie.Tx) error {
		if _, _, err := tx.SaveAssessment(ctx, extraterritoriality(), vigie.Change{Author: "x"}); err != nil {
			return err
		}
		o := vigie.Organisation{Country: "ML", Name: "Test Org"}
		if _, err := vigie.MergeOrganisation(ctx, tx, &o); err != nil {
			return err
		}
		// The transaction reads its own writes.
		if a, err := tx.Assessment(ctx, "ML", "extraterritoriality-extradition"); err != nil || a.Revision != 1 {
			return fmt.Errorf("read own write: %+v %v", a, err)
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("Update returned %v, want the function's error", err)
	}
	if a, _ := s.Assessment(ctx, "ML", "extraterritoriality-extradition"); a.Revision != 0 {
		t.Errorf("rolled-back assessment is visible: %+v", a)
	}
	if orgs, _ := s.Organisations(ctx, vigie.OrganisationFilter{}); len(orgs) != 0 {
		t.Errorf("rolled-back organisation is visible: %+v", orgs)
	}
	if v1, _ := s.DataVersion(ctx); v1 != v0 {
		t.Errorf("data version moved from %d to %d on a rollback", v0, v1)
	}
}

func testOrganisations(t *testing.T, s vigie.Store) {
	o := vigie.Organisation{
		Country: "ML", Name: "Association Contre l’Exploitation Sexuelle des Enfants au Mali", Acronym: "ACESEM",
		Description: "Works in Bamako.", Founded: vigie.AsOf{Year: 2018, Month: 12}, OfficeCity: "Bamako",
		Regions: []string{"Segou", "Sikasso"}, AreasOfWork: []string{"prevention", "protection"},
		Contacts: []vigie.Contact{{Name: "Boubacar Hassane", Title: "Executive Director", Phone: "+22377084023"},
			{Name: "Second Person", Email: "second@example.org"}},
	}
	update(t, s, func(tx vigie.Tx) error {
		changed, err := vigie.MergeOrganisation(ctx, tx, &o)
		if err == nil && (!changed || o.ID == 0 || o.Slug != "acesem") {
			err = fmt.Errorf("first save: changed=%v id=%d slug=%q", changed, o.ID, o.Slug)
		}
		return err
	})
	again := o
	again.ID, again.Slug = 0, ""
	update(t, s, func(tx vigie.Tx) error {
		changed, err := vigie.MergeOrganisation(ctx, tx, &again)
		if err == nil && (changed || again.ID != o.ID) {
			err = fmt.Errorf("same organisation saved again: changed=%v id=%d, want no change on id %d", changed, again.ID, o.ID)
		}
		return err
	})
	other := vigie.Organisation{Country: "SN", Name: "Another Group", Acronym: "ACESEM"}
	update(t, s, func(tx vigie.Tx) error { _, err := vigie.MergeOrganisation(ctx, tx, &other); return err })
	if other.Slug == o.Slug {
		t.Errorf("two organisations share the slug %q", o.Slug)
	}
	got, err := s.Organisations(ctx, vigie.OrganisationFilter{Country: "ML"})
	if err != nil || len(got) != 1 {
		t.Fatalf("Organisations(ML) = %v, %v", got, err)
	}
	if got[0].Founded.String() != "2018-12" || len(got[0].Contacts) != 2 || got[0].Contacts[0].Phone != "+22377084023" ||
		got[0].Regions[1] != "Sikasso" || got[0].Contacts[1].Email != "second@example.org" {
		t.Errorf("organisation read back as %+v", got[0])
	}
	o.Contacts = o.Contacts[:1]
	update(t, s, func(tx vigie.Tx) error { _, err := vigie.MergeOrganisation(ctx, tx, &o); return err })
	if got, _ = s.Organisations(ctx, vigie.OrganisationFilter{Country: "ML"}); len(got[0].Contacts) != 1 {
		t.Errorf("contacts were not replaced: %+v", got[0].Contacts)
	}
	bad := vigie.Organisation{Country: "ML", Name: "X", Contacts: []vigie.Contact{{Name: "Y", Phone: "77 08"}}}
	if err := s.Update(ctx, func(tx vigie.Tx) error { _, err := vigie.MergeOrganisation(ctx, tx, &bad); return err }); vigie.ErrorCode(err) != vigie.EINVALID {
		t.Errorf("bad phone: err = %v", err)
	}

	// A limit keeps the first organisations by country and name, with
	// their contacts and none of the others'.
	first := vigie.Organisation{Country: "ML", Name: "Aaa First Group", Contacts: []vigie.Contact{{Name: "Awa First"}}}
	update(t, s, func(tx vigie.Tx) error { _, err := vigie.MergeOrganisation(ctx, tx, &first); return err })
	for _, f := range []vigie.OrganisationFilter{{Country: "ML", Limit: 1}, {Limit: 1}} {
		got, err := s.Organisations(ctx, f)
		if err != nil || len(got) != 1 || got[0].Name != first.Name || len(got[0].Contacts) != 1 || got[0].Contacts[0].Name != "Awa First" {
			t.Errorf("Organisations(%+v) = %+v, %v", f, got, err)
		}
	}
	if got, _ := s.Organisations(ctx, vigie.OrganisationFilter{Country: "ML", Limit: 5}); len(got) != 2 || len(got[1].Contacts) != 1 {
		t.Errorf("Organisations(ML, limit 5) = %+v", got)
	}
}

func testPublications(t *testing.T, s vigie.Store) {
	pubs := []vigie.Publication{
		{Title: "Mali – Country Monitoring Report", Type: vigie.PubCountryReport, Year: 2017, Publishers: []string{"ECPAT International"}, Countries: []string{"ML"}},
		{Title: "West Africa Overview", Type: vigie.PubRegionalReview, Year: 2020, Countries: []string{"SN", "ML", "GM"}},
		{Title: "Gambia checklist", Type: vigie.PubLegalChecklist, Year: 2020, Countries: []string{"GM"}},
	}
	update(t, s, func(tx vigie.Tx) error {
		for i := range pubs {
			if _, err := vigie.MergePublication(ctx, tx, &pubs[i]); err != nil {
				return err
			}
		}
		return nil
	})
	ml, err := s.Publications(ctx, vigie.PublicationFilter{Country: "ML"})
	if err != nil || len(ml) != 2 || ml[0].Year != 2020 || ml[1].Publishers[0] != "ECPAT International" {
		t.Fatalf("Publications(ML) = %+v, %v (want two, newest first)", ml, err)
	}
	if got := ml[0].Countries; len(got) != 3 || got[0] != "GM" {
		t.Errorf("countries = %v, want sorted GM, ML, SN", got)
	}
	again := vigie.Publication{Title: pubs[0].Title, Type: pubs[0].Type, Year: 2017, Publishers: []string{"ECPAT International"}, Countries: []string{"ML"}}
	update(t, s, func(tx vigie.Tx) error {
		changed, err := vigie.MergePublication(ctx, tx, &again)
		if err == nil && (changed || again.ID != pubs[0].ID) {
			err = fmt.Errorf("re-saving the same publication: changed=%v id=%d", changed, again.ID)
		}
		return err
	})
	if all, _ := s.Publications(ctx, vigie.PublicationFilter{}); len(all) != 3 {
		t.Errorf("got %d publications, want 3", len(all))
	}
}

func testNews(t *testing.T, s vigie.Store) {
	if _, err := s.FeaturedStory(ctx); !vigie.IsNotFound(err) {
		t.Errorf("FeaturedStory on an empty store: %v", err)
	}
	day := func(d int) time.Time { return time.Date(2025, 1, d, 0, 0, 0, 0, time.UTC) }
	items := []vigie.NewsItem{
		{Slug: "older", Title: "Older", Date: day(1), Countries: []string{"ML"}},
		{Slug: "newer", Title: "Newer", Date: day(20), Summary: "S", Body: "B", Countries: []string{"ML", "SN"}},
		{Slug: "elsewhere", Title: "Elsewhere", Date: day(10), Countries: []string{"SN"}},
	}
	update(t, s, func(tx vigie.Tx) error {
		for i := range items {
			if _, err := vigie.MergeNewsItem(ctx, tx, &items[i]); err != nil {
				return err
			}
		}
		_, err := vigie.FeatureStory(ctx, tx, "newer")
		return err
	})
	ml, err := s.NewsItems(ctx, vigie.NewsFilter{Country: "ML"})
	if err != nil || len(ml) != 2 || ml[0].Slug != "newer" || ml[1].Slug != "older" {
		t.Fatalf("NewsItems(ML) = %+v, %v", ml, err)
	}
	if top, _ := s.NewsItems(ctx, vigie.NewsFilter{Limit: 1}); len(top) != 1 || top[0].Slug != "newer" {
		t.Errorf("NewsItems(limit 1) = %+v", top)
	}
	f, err := s.FeaturedStory(ctx)
	if err != nil || f.Slug != "newer" || !f.Date.Equal(day(20)) || f.Body != "B" {
		t.Errorf("FeaturedStory = %+v, %v", f, err)
	}
	if _, err := s.NewsItem(ctx, "missing"); !vigie.IsNotFound(err) {
		t.Errorf("NewsItem(missing) err = %v", err)
	}
	if err := s.Update(ctx, func(tx vigie.Tx) error { _, err := vigie.FeatureStory(ctx, tx, "missing"); return err }); !vigie.IsNotFound(err) {
		t.Errorf("featuring a missing story: err = %v", err)
	}
}

func testDataVersion(t *testing.T, s vigie.Store) {
	v0, err := s.DataVersion(ctx)
	if err != nil {
		t.Fatal(err)
	}
	save := func() {
		update(t, s, func(tx vigie.Tx) error {
			_, _, err := tx.SaveAssessment(ctx, extraterritoriality(), vigie.Change{Author: "x"})
			return err
		})
	}
	save()
	v1, _ := s.DataVersion(ctx)
	save() // unchanged
	v2, _ := s.DataVersion(ctx)
	if v1 <= v0 || v2 != v1 {
		t.Errorf("data versions %d → %d → %d: want growth on a change only", v0, v1, v2)
	}
}

func testConcurrentUpdates(t *testing.T, s vigie.Store) {
	const writers = 8
	var wg sync.WaitGroup
	errs := make(chan error, writers)
	for i := range writers {
		wg.Go(func() {
			errs <- s.Update(ctx, func(tx vigie.Tx) error {
				a := extraterritoriality()
				a.Explanation = fmt.Sprintf("version %d", i)
				_, _, err := tx.SaveAssessment(ctx, a, vigie.Change{Author: fmt.Sprint("writer ", i)})
				return err
			})
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Errorf("concurrent Update: %v", err)
		}
	}
	revs, err := s.Revisions(ctx, "ML", "extraterritoriality-extradition")
	if err != nil || len(revs) != writers {
		t.Fatalf("got %d revisions (%v), want %d", len(revs), err, writers)
	}
	for i, r := range revs {
		if r.Number != writers-i {
			t.Errorf("revision numbers not consecutive: %d at %d", r.Number, i)
		}
	}
}
