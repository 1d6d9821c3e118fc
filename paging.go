package vigie

import (
	"context"
	"slices"
)

// The public lists show a page at a time, read with keyset paging (a page
// starts after the last item of the one before), so that a page costs
// what it shows however long the list.
const (
	DirectoryPageSize = 50  // organisations on a page of the directory
	LibraryPageSize   = 50  // publications on a page of the library
	NewsPageSize      = 20  // stories on a page of the newsroom
	ChangesPageSize   = 100 // rating changes on a page of /changes
)

// ReadDirectoryPage reads a page of the member directory: up to limit
// organisations of countries, country after country in the order given
// (the directory's, by region), each country's by name, starting after
// the organisation after (from the first when its Name is empty). more
// says whether any follow. counts (OrganisationCounts) skips the countries
// without organisations, so that a page reads one short list per country
// it shows. A key whose country is not in countries is an EINVALID error:
// it belongs to another list.
func ReadDirectoryPage(ctx context.Context, r Reader, countries []string, counts map[string]int,
	after OrganisationKey, limit int) (orgs []Organisation, more bool, err error) {
	start := 0
	if after.Name != "" {
		if start = slices.Index(countries, after.Country); start < 0 {
			return nil, false, FieldError("after", "the page asked for starts in a country this list does not show")
		}
	}
	for i := start; i < len(countries); i++ {
		c := countries[i]
		if counts[c] == 0 {
			continue
		}
		if len(orgs) == limit {
			return orgs, true, nil
		}
		// One more than the page needs tells whether the country goes on.
		f := OrganisationFilter{Country: c, Limit: limit - len(orgs) + 1}
		if i == start && after.Name != "" {
			f.After = after
		}
		got, err := r.Organisations(ctx, f)
		if err != nil {
			return nil, false, err
		}
		if len(orgs)+len(got) > limit {
			return append(orgs, got[:limit-len(orgs)]...), true, nil
		}
		orgs = append(orgs, got...)
	}
	return orgs, false, nil
}

// ReadDirectoryPageBefore reads the page of the directory that ends just
// before the organisation before (a previous page): up to limit
// organisations, in the directory's order. prev is the organisation just
// before the page; its Name is empty when the page is the list's first.
func ReadDirectoryPageBefore(ctx context.Context, r Reader, countries []string, counts map[string]int,
	before OrganisationKey, limit int) (orgs []Organisation, prev OrganisationKey, err error) {
	start := slices.Index(countries, before.Country)
	if start < 0 {
		return nil, prev, FieldError("after", "the page asked for starts in a country this list does not show")
	}
	var back []Organisation // nearest first
	for i := start; i >= 0 && len(back) <= limit; i-- {
		c := countries[i]
		if counts[c] == 0 {
			continue
		}
		// One more than the page needs is the organisation before it.
		f := OrganisationFilter{Country: c, Backward: true, Limit: limit - len(back) + 1}
		if i == start {
			f.After = before
		}
		got, err := r.Organisations(ctx, f)
		if err != nil {
			return nil, prev, err
		}
		back = append(back, got...)
	}
	if len(back) > limit {
		prev, back = back[limit].Key(), back[:limit]
	}
	slices.Reverse(back)
	return back, prev, nil
}
