package web

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
	vigie "github.com/vigie-network/vigie"
)

// followPages reads a list from path through its "Next page" links and
// returns what items lists on each page.
func followPages(t *testing.T, h http.Handler, path string, items func(*goquery.Document) []string) [][]string {
	t.Helper()
	var pages [][]string
	for path != "" && len(pages) < 20 {
		doc := page(t, h, path, http.StatusOK)
		checkPage(t, path, doc)
		pages = append(pages, items(doc))
		nav := doc.Find(`nav.pager[aria-label]`)
		if len(pages) > 1 && nav.Find(`a[rel="first"]`).Length() != 1 {
			t.Errorf("%s: no link to the first page", path)
		}
		path, _ = nav.Find(`a[rel="next"]`).Attr("href")
	}
	return pages
}

func TestDirectoryPages(t *testing.T) {
	s, st := testSite(t)
	seedDirectory(t, st)
	// 60 members in Senegal: the first page ends inside Senegal, which the
	// second page continues.
	update(t, st, func(ctx context.Context, tx vigie.Tx) error {
		for i := range 60 {
			o := vigie.Organisation{Country: "SN", Name: fmt.Sprintf("Dakar Group %02d", i)}
			if _, err := vigie.MergeOrganisation(ctx, tx, &o); err != nil {
				return err
			}
		}
		return nil
	})
	whole, _ := st.Organisations(context.Background(), vigie.OrganisationFilter{})
	pages := followPages(t, s, "/organisations", directory)
	var all []string
	for _, p := range pages {
		all = append(all, p...)
	}
	if len(pages) != 2 || len(pages[0]) != vigie.DirectoryPageSize || len(all) != len(whole) {
		t.Fatalf("%d pages of %d, %d members in all, want 2 pages listing %d", len(pages), len(pages[0]), len(all), len(whole))
	}
	sorted := slices.Clone(all)
	if slices.Sort(sorted); len(slices.Compact(sorted)) != len(all) {
		t.Error("a member is listed twice")
	}
	// Region, then country, then name; the page that goes on says so.
	if !strings.HasPrefix(pages[1][0], "Africa (continued) / Senegal (continued) / Dakar Group") ||
		pages[1][len(pages[1])-1] != "Europe / France / Association Française" {
		t.Errorf("second page = %q", pages[1])
	}
	first := page(t, s, "/organisations", http.StatusOK)
	if got := textOf(first.Find("nav.pager li[aria-current]")); got != fmt.Sprintf("Showing 1–50 of %d", len(whole)) {
		t.Errorf("pager says %q", got)
	}

	// The filter stays on every page.
	next, _ := page(t, s, "/organisations?region=africa", http.StatusOK).Find(`a[rel="next"]`).Attr("href")
	if !strings.Contains(next, "region=africa") || !strings.Contains(next, "after=") {
		t.Errorf("next page of Africa: %q", next)
	}
	second := page(t, s, next, http.StatusOK)
	if got := directory(second); slices.ContainsFunc(got, func(e string) bool { return strings.HasPrefix(e, "Europe") }) {
		t.Errorf("Africa's second page lists %q", got)
	}

	// A garbled cursor, or one of another list, is a 400 that says so.
	for _, bad := range []string{"zzz", "!!", encodeCursor(listCursor{List: "publications", Key: []string{"1", "x"}}),
		encodeCursor(listCursor{List: "organisations", Key: []string{"XX", "Nobody"}})} {
		doc := page(t, s, "/organisations?after="+bad, http.StatusBadRequest)
		if msg := textOf(doc.Find("main")); !strings.Contains(msg, "after") || !strings.Contains(msg, "first page") {
			t.Errorf("after=%s: %q", bad, msg)
		}
	}
}

func TestLibraryPages(t *testing.T) {
	s, st := testSite(t)
	// 70 research papers of one year with one title: told apart by ID.
	update(t, st, func(ctx context.Context, tx vigie.Tx) error {
		for i := range 70 {
			p := vigie.Publication{Slug: fmt.Sprintf("paper-%02d", i), Title: "Same title", Type: vigie.PubResearch, Year: 2019}
			if _, err := vigie.MergePublication(ctx, tx, &p); err != nil {
				return err
			}
		}
		return nil
	})
	slugs := func(doc *goquery.Document) []string {
		var out []string
		doc.Find("ul.library li.publication > a:not(.download)").Each(func(_ int, a *goquery.Selection) {
			href, _ := a.Attr("href")
			out = append(out, href)
		})
		return out
	}
	whole, _ := st.Publications(context.Background(), vigie.PublicationFilter{})
	for _, path := range []string{"/publications", "/publications?type=research&year=2019"} {
		pages := followPages(t, s, path, slugs)
		var all []string
		for _, p := range pages {
			all = append(all, p...)
		}
		want := 70
		if path == "/publications" {
			want = len(whole)
		}
		sorted := slices.Clone(all)
		slices.Sort(sorted)
		if len(pages) != 2 || len(pages[0]) != vigie.LibraryPageSize || len(all) != want || len(slices.Compact(sorted)) != want {
			t.Errorf("%s: %d pages, %d items (%d different), want 2 pages and %d", path, len(pages), len(all), len(sorted), want)
		}
	}
	doc := page(t, s, "/publications?type=research", http.StatusOK)
	next, _ := doc.Find(`a[rel="next"]`).Attr("href")
	if !strings.Contains(next, "type=research") {
		t.Errorf("next page drops the filter: %q", next)
	}
	if got := textOf(doc.Find("p.meta[role=status]")); !strings.HasPrefix(got, "Publications: Research") {
		t.Errorf("status of a filter that spans pages: %q", got)
	}
	if got := textOf(page(t, s, "/publications", http.StatusOK).Find("nav.pager li[aria-current]")); got != fmt.Sprintf("Showing 1–50 of %d", len(whole)) {
		t.Errorf("pager says %q", got)
	}
	for _, bad := range []string{"garbage", encodeCursor(listCursor{List: "publications", Key: []string{"x", "t", "1"}}),
		encodeCursor(listCursor{List: "organisations", Key: []string{"ML", "x"}})} {
		page(t, s, "/publications?after="+bad, http.StatusBadRequest)
	}
}
