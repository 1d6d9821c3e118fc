package storetest

import (
	"fmt"
	"slices"
	"testing"
	"time"

	vigie "github.com/vigie-network/vigie"
)

// Keyset paging of the public lists (issue 16): reading page after page,
// each after the last item of the one before, gives the whole list in its
// order, nothing skipped or repeated, filters kept, ties broken by ID.

// pageThrough reads a list page by page with read (given the last item of
// the page before, nil for the first) and returns all it read.
func pageThrough[T any](t *testing.T, read func(last *T) ([]T, error), size int) []T {
	t.Helper()
	var all []T
	var last *T
	for range 100 {
		page, err := read(last)
		if err != nil {
			t.Fatalf("page after %d items: %v", len(all), err)
		}
		if len(page) > size {
			t.Fatalf("page of %d items, limit %d", len(page), size)
		}
		all = append(all, page...)
		if len(page) < size {
			return all
		}
		last = &page[len(page)-1]
	}
	t.Fatal("paging does not end")
	return nil
}

// backwardFrom reads a list backwards page by page from before the item
// last (Backward reads), and returns what it read in the list's order.
func backwardFrom[T any](t *testing.T, last T, read func(first T) ([]T, error), size int) []T {
	t.Helper()
	var all []T
	first := last
	for range 100 {
		page, err := read(first)
		if err != nil {
			t.Fatalf("page before %d items: %v", len(all), err)
		}
		if len(page) > size {
			t.Fatalf("page of %d items, limit %d", len(page), size)
		}
		all = append(all, page...) // nearest first
		if len(page) < size {
			slices.Reverse(all)
			return append(all, last)
		}
		first = page[len(page)-1]
	}
	t.Fatal("paging does not end")
	return nil
}

func testOrganisationPages(t *testing.T, s vigie.Store) {
	orgs := []vigie.Organisation{
		{Country: "ML", Name: "Zèbre Enfance"}, {Country: "ML", Name: "Amina Aid", Contacts: []vigie.Contact{{Name: "Awa"}}},
		{Country: "ML", Name: "Étoile du Mali"}, {Country: "ML", Name: "apple collective"}, {Country: "ML", Name: "Bamako Watch"},
		{Country: "SN", Name: "Dakar Help"}, {Country: "SN", Name: "Casamance Kids", Contacts: []vigie.Contact{{Name: "Binta"}, {Name: "Cheikh"}}},
		{Country: "GM", Name: "Banjul Care"},
	}
	update(t, s, func(tx vigie.Tx) error {
		for i := range orgs {
			if _, err := vigie.MergeOrganisation(ctx, tx, &orgs[i]); err != nil {
				return err
			}
		}
		return nil
	})
	names := func(list []vigie.Organisation) []string {
		var out []string
		for _, o := range list {
			out = append(out, fmt.Sprintf("%s %s %d", o.Country, o.Name, len(o.Contacts)))
		}
		return out
	}
	for _, country := range []string{"", "ML", "SN"} {
		whole, err := s.Organisations(ctx, vigie.OrganisationFilter{Country: country})
		if err != nil {
			t.Fatal(err)
		}
		for _, size := range []int{1, 2, 3} {
			got := pageThrough(t, func(last *vigie.Organisation) ([]vigie.Organisation, error) {
				f := vigie.OrganisationFilter{Country: country, Limit: size}
				if last != nil {
					f.After = last.Key()
				}
				return s.Organisations(ctx, f)
			}, size)
			if !slices.Equal(names(got), names(whole)) {
				t.Errorf("country %q, pages of %d: %q, want %q", country, size, names(got), names(whole))
			}
			back := backwardFrom(t, whole[len(whole)-1], func(first vigie.Organisation) ([]vigie.Organisation, error) {
				return s.Organisations(ctx, vigie.OrganisationFilter{Country: country, Limit: size, After: first.Key(), Backward: true})
			}, size)
			if !slices.Equal(names(back), names(whole)) {
				t.Errorf("country %q, backwards in pages of %d: %q, want %q", country, size, names(back), names(whole))
			}
		}
	}

	counts, err := s.OrganisationCounts(ctx)
	if err != nil || len(counts) != 3 || counts["ML"] != 5 || counts["SN"] != 2 || counts["GM"] != 1 {
		t.Fatalf("OrganisationCounts = %v, %v", counts, err)
	}
	// The directory reads countries in its own order; BF has none.
	order := []string{"SN", "BF", "GM", "ML"}
	var want []string
	var wantOrgs []vigie.Organisation
	for _, c := range order {
		list, _ := s.Organisations(ctx, vigie.OrganisationFilter{Country: c})
		want = append(want, names(list)...)
		wantOrgs = append(wantOrgs, list...)
	}
	// Backwards from the last, each page ends just before the one after
	// it, and names the organisation before it.
	for _, size := range []int{1, 2, 3, 8} {
		last := wantOrgs[len(wantOrgs)-1]
		got := names([]vigie.Organisation{last})
		before := last.Key()
		for range 20 {
			page, prev, err := vigie.ReadDirectoryPageBefore(ctx, s, order, counts, before, size)
			if err != nil {
				t.Fatal(err)
			}
			got = append(names(page), got...)
			at := len(want) - len(got) // where the page starts in the whole list
			if at < 0 || (at > 0) != (prev.Name != "") || (at > 0 && prev != wantOrgs[at-1].Key()) || (at > 0 && len(page) != size) {
				t.Fatalf("backwards in pages of %d: page %q at %d, prev %+v", size, names(page), at, prev)
			}
			if prev.Name == "" {
				break
			}
			before = page[0].Key()
		}
		if !slices.Equal(got, want) {
			t.Errorf("directory backwards in pages of %d: %q, want %q", size, got, want)
		}
	}
	for _, size := range []int{1, 2, 3, 8} {
		var got []string
		after := vigie.OrganisationKey{}
		for range 20 {
			page, more, err := vigie.ReadDirectoryPage(ctx, s, order, counts, after, size)
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, names(page)...)
			if more != (len(got) < len(want)) || len(page) > size || (more && len(page) != size) {
				t.Fatalf("pages of %d: %d read, more = %v, page of %d", size, len(got), more, len(page))
			}
			if !more {
				break
			}
			after = page[len(page)-1].Key()
		}
		if !slices.Equal(got, want) {
			t.Errorf("directory in pages of %d: %q, want %q", size, got, want)
		}
	}
	if _, _, err := vigie.ReadDirectoryPage(ctx, s, order, counts, vigie.OrganisationKey{Country: "FR", Name: "X"}, 2); vigie.ErrorCode(err) != vigie.EINVALID {
		t.Errorf("a key from another list: err = %v, want EINVALID", err)
	}
}

func testPublicationPages(t *testing.T, s vigie.Store) {
	// Equal years and titles, told apart by ID; a publication without a year.
	pubs := []vigie.Publication{
		{Slug: "twin-a", Title: "Twin report", Type: vigie.PubResearch, Year: 2020, Countries: []string{"ML"}},
		{Slug: "twin-b", Title: "Twin report", Type: vigie.PubResearch, Year: 2020, Countries: []string{"SN"}},
		{Title: "Alpha", Type: vigie.PubCountryReport, Year: 2020, Countries: []string{"ML"}},
		{Title: "Zulu", Type: vigie.PubCountryReport, Year: 2020, Countries: []string{"FR"}},
		{Title: "Older", Type: vigie.PubLegalChecklist, Year: 2015, Countries: []string{"ML", "GM"}},
		{Title: "Newest", Type: vigie.PubResearch, Year: 2024},
		{Title: "Undated", Type: vigie.PubOther, Countries: []string{"ML"}},
		{Slug: "twin-c", Title: "Twin report", Type: vigie.PubResearch, Year: 2020, Countries: []string{"ML"}},
	}
	savePublications(t, s, pubs)
	slugs := func(list []vigie.Publication) []string {
		var out []string
		for _, p := range list {
			out = append(out, p.Slug)
		}
		return out
	}
	all, err := s.Publications(ctx, vigie.PublicationFilter{})
	if err != nil || len(all) != len(pubs) {
		t.Fatalf("Publications = %d, %v", len(all), err)
	}
	for i := 1; i < len(all); i++ {
		a, b := all[i-1], all[i]
		if a.Year == b.Year && a.Title == b.Title && a.ID > b.ID {
			t.Errorf("%s before %s: equal year and title, not by ID", a.Slug, b.Slug)
		}
	}
	if got := slugs(all); got[0] != "newest-2024" || got[len(got)-1] != "undated-0" && got[len(got)-1] != "undated" {
		t.Errorf("order %q: newest first, the one without a year last", got)
	}
	for _, f := range []vigie.PublicationFilter{{}, {Country: "ML"}, {Type: vigie.PubResearch}, {Year: 2020},
		{Region: "002"}, {Country: "ML", Year: 2020}} {
		whole, err := s.Publications(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		for _, size := range []int{1, 2, 3} {
			got := pageThrough(t, func(last *vigie.Publication) ([]vigie.Publication, error) {
				pf := f
				pf.Limit = size
				if last != nil {
					pf.After = last.Key()
				}
				return s.Publications(ctx, pf)
			}, size)
			if !slices.Equal(slugs(got), slugs(whole)) {
				t.Errorf("%+v in pages of %d: %q, want %q", f, size, slugs(got), slugs(whole))
			}
			back := backwardFrom(t, whole[len(whole)-1], func(first vigie.Publication) ([]vigie.Publication, error) {
				pf := f
				pf.Limit, pf.After, pf.Backward = size, first.Key(), true
				return s.Publications(ctx, pf)
			}, size)
			if !slices.Equal(slugs(back), slugs(whole)) {
				t.Errorf("%+v backwards in pages of %d: %q, want %q", f, size, slugs(back), slugs(whole))
			}
		}
	}

	facets, err := s.PublicationFacets(ctx)
	if err != nil || facets.Total != len(pubs) || !slices.Equal(facets.Years, []int{2024, 2020, 2015}) ||
		!slices.Equal(facets.Countries, []string{"FR", "GM", "ML", "SN"}) {
		t.Errorf("PublicationFacets = %+v, %v", facets, err)
	}
}

func testNewsPages(t *testing.T, s vigie.Store) {
	day := func(d int) time.Time { return time.Date(2025, 3, d, 0, 0, 0, 0, time.UTC) }
	var items []vigie.NewsItem
	for i := range 9 {
		// Three stories a day: equal dates, told apart by ID.
		n := vigie.NewsItem{Slug: fmt.Sprintf("story-%d", i), Title: fmt.Sprintf("Story %d", i), Date: day(1 + i%3)}
		if i%2 == 0 {
			n.Countries = []string{"ML"}
		}
		items = append(items, n)
	}
	update(t, s, func(tx vigie.Tx) error {
		for i := range items {
			if _, err := vigie.MergeNewsItem(ctx, tx, &items[i]); err != nil {
				return err
			}
		}
		return nil
	})
	slugs := func(list []vigie.NewsItem) []string {
		var out []string
		for _, n := range list {
			out = append(out, n.Slug)
		}
		return out
	}
	for _, country := range []string{"", "ML"} {
		whole, err := s.NewsItems(ctx, vigie.NewsFilter{Country: country})
		if err != nil {
			t.Fatal(err)
		}
		for i := 1; i < len(whole); i++ {
			a, b := whole[i-1], whole[i]
			if a.Date.Before(b.Date) || a.Date.Equal(b.Date) && a.ID < b.ID {
				t.Errorf("%s before %s: not newest first, then by ID descending", a.Slug, b.Slug)
			}
		}
		for _, size := range []int{1, 2, 4} {
			got := pageThrough(t, func(last *vigie.NewsItem) ([]vigie.NewsItem, error) {
				f := vigie.NewsFilter{Country: country, Limit: size}
				if last != nil {
					f.After = last.Key()
				}
				return s.NewsItems(ctx, f)
			}, size)
			if !slices.Equal(slugs(got), slugs(whole)) {
				t.Errorf("country %q in pages of %d: %q, want %q", country, size, slugs(got), slugs(whole))
			}
			back := backwardFrom(t, whole[len(whole)-1], func(first vigie.NewsItem) ([]vigie.NewsItem, error) {
				return s.NewsItems(ctx, vigie.NewsFilter{Country: country, Limit: size, After: first.Key(), Backward: true})
			}, size)
			if !slices.Equal(slugs(back), slugs(whole)) {
				t.Errorf("country %q backwards in pages of %d: %q, want %q", country, size, slugs(back), slugs(whole))
			}
		}
	}
}
