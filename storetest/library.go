package storetest

import (
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	vigie "github.com/vigie-network/vigie"
)

// libraryTests cover what the reports library, the newsroom and the member
// directory read (issue #8): filters, paging, lookups by slug and uploaded
// files.
func libraryTests() []namedTest {
	return []namedTest{
		{"PublicationFilters", testPublicationFilters},
		{"PublicationBySlugAndFile", testPublicationBySlugAndFile},
		{"NewsPaging", testNewsPaging},
		{"OrganisationBySlug", testOrganisationBySlug},
		{"OrganisationPages", testOrganisationPages},
		{"PublicationPages", testPublicationPages},
		{"NewsPages", testNewsPages},
		{"LibraryBySlugs", testLibraryBySlugs},
	}
}

func savePublications(t *testing.T, s vigie.Store, pubs []vigie.Publication) {
	t.Helper()
	update(t, s, func(tx vigie.Tx) error {
		for i := range pubs {
			if _, err := vigie.MergePublication(ctx, tx, &pubs[i]); err != nil {
				return err
			}
		}
		return nil
	})
}

func testPublicationFilters(t *testing.T, s vigie.Store) {
	savePublications(t, s, []vigie.Publication{
		{Title: "Mali – Country Monitoring Report", Type: vigie.PubCountryReport, Year: 2017, Countries: []string{"ML"}},
		{Title: "West Africa Overview", Type: vigie.PubRegionalReview, Year: 2020, Countries: []string{"SN", "ML", "GM"}},
		{Title: "Gambia checklist", Type: vigie.PubLegalChecklist, Year: 2020, Countries: []string{"GM"}},
		{Title: "France checklist", Type: vigie.PubLegalChecklist, Year: 2019, Countries: []string{"FR"}},
		{Title: "Undated research", Type: vigie.PubResearch, Countries: []string{"BR"}},
	})
	titles := func(f vigie.PublicationFilter) string {
		t.Helper()
		list, err := s.Publications(ctx, f)
		if err != nil {
			t.Fatalf("Publications(%+v): %v", f, err)
		}
		var out []string
		for _, p := range list {
			out = append(out, p.Title)
		}
		return strings.Join(out, "; ")
	}
	for _, tc := range []struct {
		f    vigie.PublicationFilter
		want string
	}{
		// Newest first, then by title; no year sorts last.
		{vigie.PublicationFilter{}, "Gambia checklist; West Africa Overview; France checklist; Mali – Country Monitoring Report; Undated research"},
		{vigie.PublicationFilter{Type: vigie.PubLegalChecklist}, "Gambia checklist; France checklist"},
		{vigie.PublicationFilter{Year: 2020}, "Gambia checklist; West Africa Overview"},
		{vigie.PublicationFilter{Country: "ML"}, "West Africa Overview; Mali – Country Monitoring Report"},
		{vigie.PublicationFilter{Region: "002"}, "Gambia checklist; West Africa Overview; Mali – Country Monitoring Report"}, // Africa
		{vigie.PublicationFilter{Region: "011"}, "Gambia checklist; West Africa Overview; Mali – Country Monitoring Report"}, // Western Africa
		{vigie.PublicationFilter{Region: "150"}, "France checklist"},                                                         // Europe
		{vigie.PublicationFilter{Region: "005"}, "Undated research"},                                                         // South America
		{vigie.PublicationFilter{Region: "142"}, ""},                                                                         // Asia: none
		{vigie.PublicationFilter{Region: "999"}, ""},                                                                         // unknown: none
		{vigie.PublicationFilter{Type: vigie.PubLegalChecklist, Region: "002"}, "Gambia checklist"},
		{vigie.PublicationFilter{Country: "GM", Year: 2020, Type: vigie.PubRegionalReview}, "West Africa Overview"},
		{vigie.PublicationFilter{Country: "FR", Year: 2020}, ""},
	} {
		if got := titles(tc.f); got != tc.want {
			t.Errorf("Publications(%+v) = %q, want %q", tc.f, got, tc.want)
		}
	}
}

func testPublicationBySlugAndFile(t *testing.T, s vigie.Store) {
	file := vigie.FileRef{Hash: strings.Repeat("ab", 32), Size: 123456}
	pubs := []vigie.Publication{
		{Title: "Mali – Country Monitoring Report", Type: vigie.PubCountryReport, Year: 2017, Language: "fr",
			Publishers: []string{"ECPAT International"}, Countries: []string{"ML"}, File: file},
		{Title: "Linked only", Type: vigie.PubResearch, Year: 2021, Link: "https://example.org/r"},
	}
	savePublications(t, s, pubs)
	got, err := s.Publication(ctx, pubs[0].Slug)
	if err != nil {
		t.Fatal(err)
	}
	if got.ID != pubs[0].ID || got.File != file || got.Language != "fr" || got.Countries[0] != "ML" || got.Publishers[0] != "ECPAT International" {
		t.Errorf("Publication(%q) = %+v", pubs[0].Slug, got)
	}
	if l, _ := s.Publication(ctx, pubs[1].Slug); !l.File.IsZero() || l.Link != "https://example.org/r" {
		t.Errorf("a publication without a file read back as %+v", l)
	}
	if _, err := s.Publication(ctx, "no-such-report"); !vigie.IsNotFound(err) {
		t.Errorf("Publication(missing): err = %v, want not found", err)
	}
	if _, err := s.Publication(ctx, ""); !vigie.IsNotFound(err) {
		t.Errorf("Publication(\"\"): err = %v, want not found", err)
	}

	// Re-saving with the same file changes nothing; a new file is a change;
	// removing it is one too.
	same := got
	update(t, s, func(tx vigie.Tx) error {
		changed, err := vigie.MergePublication(ctx, tx, &same)
		if err == nil && changed {
			err = fmt.Errorf("saving the same file again reported a change")
		}
		return err
	})
	replaced := got
	replaced.File = vigie.FileRef{Hash: strings.Repeat("cd", 32), Size: 99}
	update(t, s, func(tx vigie.Tx) error {
		changed, err := vigie.MergePublication(ctx, tx, &replaced)
		if err == nil && !changed {
			err = fmt.Errorf("a new file did not count as a change")
		}
		return err
	})
	if g, _ := s.Publication(ctx, got.Slug); g.File != replaced.File {
		t.Errorf("file after replacing = %+v, want %+v", g.File, replaced.File)
	}
	replaced.File = vigie.FileRef{}
	update(t, s, func(tx vigie.Tx) error { _, err := vigie.MergePublication(ctx, tx, &replaced); return err })
	if g, _ := s.Publication(ctx, got.Slug); !g.File.IsZero() {
		t.Errorf("file after removing = %+v", g.File)
	}

	bad := vigie.Publication{Title: "Bad", Type: vigie.PubResearch, File: vigie.FileRef{Hash: "../../etc/passwd", Size: 1}}
	err = s.Update(ctx, func(tx vigie.Tx) error { _, err := vigie.MergePublication(ctx, tx, &bad); return err })
	if vigie.ErrorCode(err) != vigie.EINVALID {
		t.Errorf("a file reference that is no hash: err = %v, want invalid", err)
	}
}

func testNewsPaging(t *testing.T, s vigie.Store) {
	update(t, s, func(tx vigie.Tx) error {
		for i := range 7 {
			countries := []string{"ML"}
			if i%2 == 1 {
				countries = []string{"GM"}
			}
			n := vigie.NewsItem{Slug: fmt.Sprintf("story-%d", i), Title: fmt.Sprintf("Story %d", i),
				Date: time.Date(2025, 1, 1+i, 0, 0, 0, 0, time.UTC), Countries: countries}
			if _, err := vigie.MergeNewsItem(ctx, tx, &n); err != nil {
				return err
			}
		}
		return nil
	})
	slugs := func(f vigie.NewsFilter) string {
		t.Helper()
		list, err := s.NewsItems(ctx, f)
		if err != nil {
			t.Fatalf("NewsItems(%+v): %v", f, err)
		}
		var out []string
		for _, n := range list {
			out = append(out, strings.TrimPrefix(n.Slug, "story-"))
		}
		return strings.Join(out, ",")
	}
	for _, tc := range []struct {
		f    vigie.NewsFilter
		want string
	}{
		{vigie.NewsFilter{}, "6,5,4,3,2,1,0"},
		{vigie.NewsFilter{Limit: 3}, "6,5,4"},
		{vigie.NewsFilter{Limit: 3, Offset: 3}, "3,2,1"},
		{vigie.NewsFilter{Limit: 3, Offset: 6}, "0"},
		{vigie.NewsFilter{Limit: 3, Offset: 7}, ""},
		{vigie.NewsFilter{Offset: 5}, "1,0"},
		{vigie.NewsFilter{Country: "GM", Limit: 2, Offset: 1}, "3,1"},
		{vigie.NewsFilter{Country: "ML", Offset: 2}, "2,0"},
	} {
		if got := slugs(tc.f); got != tc.want {
			t.Errorf("NewsItems(%+v) = %q, want %q", tc.f, got, tc.want)
		}
	}

	// A country's news follows its items' dates and tags as they change:
	// story 0 moves to the newest date, story 1 from GM to ML, and story
	// 7 shares story 0's date (the later item comes first).
	update(t, s, func(tx vigie.Tx) error {
		for _, n := range []vigie.NewsItem{
			{Slug: "story-0", Title: "Story 0", Date: time.Date(2025, 2, 1, 0, 0, 0, 0, time.UTC), Countries: []string{"ML"}},
			{Slug: "story-1", Title: "Story 1", Date: time.Date(2025, 1, 2, 0, 0, 0, 0, time.UTC), Countries: []string{"ML"}},
			{Slug: "story-7", Title: "Story 7", Date: time.Date(2025, 2, 1, 0, 0, 0, 0, time.UTC), Countries: []string{"ML", "GM"}},
		} {
			if _, err := vigie.MergeNewsItem(ctx, tx, &n); err != nil {
				return err
			}
		}
		return nil
	})
	for _, tc := range []struct {
		f    vigie.NewsFilter
		want string
	}{
		{vigie.NewsFilter{Country: "ML"}, "7,0,6,4,2,1"},
		{vigie.NewsFilter{Country: "ML", Limit: 2}, "7,0"},
		{vigie.NewsFilter{Country: "GM"}, "7,5,3"},
		{vigie.NewsFilter{Limit: 3}, "7,0,6"},
	} {
		if got := slugs(tc.f); got != tc.want {
			t.Errorf("after editing, NewsItems(%+v) = %q, want %q", tc.f, got, tc.want)
		}
	}
}

func testOrganisationBySlug(t *testing.T, s vigie.Store) {
	orgs := []vigie.Organisation{
		{Country: "ML", Name: "Association Contre l’Exploitation Sexuelle des Enfants au Mali", Acronym: "ACESEM",
			AreasOfWork: []string{"prevention"},
			Contacts: []vigie.Contact{{Name: "Boubacar Hassane", Title: "Executive Director", Phone: "+22377084023"},
				{Name: "Second Person", Email: "second@example.org"}}},
		{Country: "ML", Name: "Another Malian Group"},
		{Country: "GM", Name: "Kombo Child Rights Network", Acronym: "KCRN"},
	}
	update(t, s, func(tx vigie.Tx) error {
		for i := range orgs {
			if _, err := vigie.MergeOrganisation(ctx, tx, &orgs[i]); err != nil {
				return err
			}
		}
		return nil
	})
	got, err := s.Organisation(ctx, "acesem")
	if err != nil {
		t.Fatal(err)
	}
	if got.ID != orgs[0].ID || got.Country != "ML" || len(got.Contacts) != 2 || got.Contacts[1].Email != "second@example.org" ||
		got.AreasOfWork[0] != "prevention" {
		t.Errorf("Organisation(acesem) = %+v", got)
	}
	if other, err := s.Organisation(ctx, orgs[1].Slug); err != nil || other.ID != orgs[1].ID || len(other.Contacts) != 0 {
		t.Errorf("Organisation(%q) = %+v, %v", orgs[1].Slug, other, err)
	}
	if _, err := s.Organisation(ctx, "no-such-group"); !vigie.IsNotFound(err) {
		t.Errorf("Organisation(missing): err = %v, want not found", err)
	}

	// Merging matches a stored name whatever its case and accents.
	again := vigie.Organisation{Country: "ML", Name: "ANOTHER MALIAN GROUP", Description: "Now described."}
	update(t, s, func(tx vigie.Tx) error { _, err := vigie.MergeOrganisation(ctx, tx, &again); return err })
	if again.ID != orgs[1].ID {
		t.Errorf("merging %q made organisation %d, want the stored %d", again.Name, again.ID, orgs[1].ID)
	}
	if counts, err := s.OrganisationCounts(ctx); err != nil || counts["ML"] != 2 {
		t.Errorf("after merging a known name: %d organisations in ML, want 2 (%v)", counts["ML"], err)
	}

	// One name, looked up ignoring case, accents and surrounding space,
	// in its country only; a renamed organisation is found by its new
	// name only.
	for _, c := range []struct {
		country, name string
		want          []vigie.OrganisationName
	}{
		{"ML", "  another malian group ", []vigie.OrganisationName{{ID: orgs[1].ID, Slug: orgs[1].Slug, Name: again.Name}}},
		{"ML", "ANOTHER MÀLIAN GROUP", []vigie.OrganisationName{{ID: orgs[1].ID, Slug: orgs[1].Slug, Name: again.Name}}},
		{"SN", "Another Malian Group", nil},
		{"ML", "Another Malian", nil},
	} {
		if got, err := s.OrganisationNamed(ctx, c.country, c.name); err != nil || fmt.Sprint(got) != fmt.Sprint(c.want) {
			t.Errorf("OrganisationNamed(%s, %q) = %v, %v; want %v", c.country, c.name, got, err, c.want)
		}
	}
	renamed := orgs[1]
	renamed.Name = "Groupe Élan"
	update(t, s, func(tx vigie.Tx) error { return tx.UpdateOrganisation(ctx, renamed) })
	if got, err := s.OrganisationNamed(ctx, "ML", "groupe elan"); err != nil || len(got) != 1 || got[0].ID != orgs[1].ID || got[0].Name != "Groupe Élan" {
		t.Errorf("OrganisationNamed(ML, the new name) = %v, %v", got, err)
	}
	if got, err := s.OrganisationNamed(ctx, "ML", "Another Malian Group"); err != nil || len(got) != 0 {
		t.Errorf("OrganisationNamed(ML, the old name) = %v, %v", got, err)
	}
}

// testLibraryBySlugs: OrganisationsBySlug, PublicationsBySlug and
// NewsItemsBySlug read the records of a list of slugs in one go (what an
// import compares a batch with), each as the look-up of its slug reads
// it, contacts and countries included.
func testLibraryBySlugs(t *testing.T, s vigie.Store) {
	update(t, s, func(tx vigie.Tx) error {
		for i, country := range []string{"ML", "SN", "ML"} {
			o := &vigie.Organisation{Slug: fmt.Sprintf("org-%d", i), Country: country, Name: fmt.Sprintf("Network %d", i),
				Contacts: []vigie.Contact{{Name: "Awa", Title: "Chair"}, {Name: fmt.Sprintf("Contact %d", i)}}}
			if _, err := vigie.MergeOrganisation(ctx, tx, o); err != nil {
				return err
			}
			p := &vigie.Publication{Slug: fmt.Sprintf("pub-%d", i), Title: fmt.Sprintf("Study %d", i), Type: vigie.PubResearch,
				Year: 2020 + i, Countries: []string{country, "GM"}}
			if _, err := vigie.MergePublication(ctx, tx, p); err != nil {
				return err
			}
			n := &vigie.NewsItem{Slug: fmt.Sprintf("news-%d", i), Title: fmt.Sprintf("Story %d", i), Date: day(2025, 1, 1+i, 0, 0),
				Countries: []string{country}}
			if _, err := vigie.MergeNewsItem(ctx, tx, n); err != nil {
				return err
			}
		}
		return nil
	})
	slugsOf := func(prefix string) []string { return []string{prefix + "-2", "missing", prefix + "-0"} }
	orgs, err := s.OrganisationsBySlug(ctx, slugsOf("org"))
	if err != nil || len(orgs) != 2 {
		t.Fatalf("Organisations by slugs: %d, %v; want 2", len(orgs), err)
	}
	for _, o := range orgs {
		if one, err := s.Organisation(ctx, o.Slug); err != nil || !reflect.DeepEqual(o, one) {
			t.Errorf("by slugs %+v, by its slug %+v (%v)", o, one, err)
		}
	}
	pubs, err := s.PublicationsBySlug(ctx, slugsOf("pub"))
	if err != nil || len(pubs) != 2 {
		t.Fatalf("Publications by slugs: %d, %v; want 2", len(pubs), err)
	}
	for _, p := range pubs {
		if one, err := s.Publication(ctx, p.Slug); err != nil || !reflect.DeepEqual(p, one) {
			t.Errorf("by slugs %+v, by its slug %+v (%v)", p, one, err)
		}
	}
	news, err := s.NewsItemsBySlug(ctx, slugsOf("news"))
	if err != nil || len(news) != 2 {
		t.Fatalf("NewsItems by slugs: %d, %v; want 2", len(news), err)
	}
	for _, n := range news {
		if one, err := s.NewsItem(ctx, n.Slug); err != nil || !reflect.DeepEqual(n, one) {
			t.Errorf("by slugs %+v, by its slug %+v (%v)", n, one, err)
		}
	}
	// No slugs is no record, not every record.
	for _, slugs := range [][]string{nil, {}} {
		orgs, oerr := s.OrganisationsBySlug(ctx, slugs)
		pubs, perr := s.PublicationsBySlug(ctx, slugs)
		news, nerr := s.NewsItemsBySlug(ctx, slugs)
		if len(orgs)+len(pubs)+len(news) != 0 || errors.Join(oerr, perr, nerr) != nil {
			t.Errorf("slugs %#v: %d organisations, %d publications, %d news items, %v", slugs, len(orgs), len(pubs), len(news),
				errors.Join(oerr, perr, nerr))
		}
	}
}
