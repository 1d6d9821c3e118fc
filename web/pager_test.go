package web

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	vigie "github.com/vigie-network/vigie"
	"github.com/vigie-network/vigie/internal/testdb"
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
		if len(pages) > 1 {
			// The previous page is the one read before, and past the
			// second page the first is linked too.
			prev := nav.Find(`a[rel="prev"]`).AttrOr("href", "")
			if prev == "" {
				t.Fatalf("%s: no link to the previous page", path)
			}
			if got, want := items(page(t, h, prev, http.StatusOK)), pages[len(pages)-2]; !slices.Equal(got, want) {
				t.Errorf("%s: the previous page lists %q, want %q", path, got, want)
			}
			if (nav.Find(`a[rel="first"]`).Length() == 1) != (len(pages) > 2) {
				t.Errorf("%s (page %d): %d links to the first page", path, len(pages), nav.Find(`a[rel="first"]`).Length())
			}
		}
		path, _ = nav.Find(`a[rel="next"]`).Attr("href")
	}
	return pages
}

func TestDirectoryPages(t *testing.T) {
	s, st := testSite(t)
	seedDirectory(t, st)
	// 110 members in Senegal: the first page ends inside Senegal, which the
	// second page continues, and the third.
	update(t, st, func(ctx context.Context, tx vigie.Tx) error {
		for i := range 110 {
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
	if len(pages) != 3 || len(pages[0]) != vigie.DirectoryPageSize || len(all) != len(whole) {
		t.Fatalf("%d pages of %d, %d members in all, want 3 pages listing %d", len(pages), len(pages[0]), len(all), len(whole))
	}
	sorted := slices.Clone(all)
	if slices.Sort(sorted); len(slices.Compact(sorted)) != len(all) {
		t.Error("a member is listed twice")
	}
	// Region, then country, then name; the page that goes on says so.
	if !strings.HasPrefix(pages[1][0], "Africa (continued) / Senegal (continued) / Dakar Group") ||
		!strings.HasPrefix(pages[2][0], "Africa (continued) / Senegal (continued) / Dakar Group") ||
		pages[2][len(pages[2])-1] != "Europe / France / Association Française" {
		t.Errorf("second page = %q, third %q", pages[1], pages[2])
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
		encodeCursor(listCursor{List: "organisations", Key: []string{"XX", "Nobody"}}),
		// A key the store could not take as text, and a cursor far longer
		// than any a page gives out.
		encodeCursor(listCursor{List: "organisations", Key: []string{"ML", "No\x00body"}}),
		strings.Repeat("a", 2000)} {
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

func TestChangesPages(t *testing.T) {
	st := testdb.SQLite(t)
	seedMali(t, st)
	// 60 countries rated Partial in 2023 and Yes in 2024 (up), 60 others
	// assessed for the first time in 2024 (new): 120 changes in 2024.
	var countries []string
	for _, c := range vigie.Countries() {
		if c.ISO2 != "ML" && len(countries) < 120 {
			countries = append(countries, c.ISO2)
		}
	}
	save := func(tx vigie.Tx, country, rating string, at time.Time) error {
		_, _, err := tx.SaveAssessment(context.Background(), vigie.Assessment{Country: country, Indicator: "csam-definition",
			Rating: rating, Explanation: "Test."}, vigie.Change{Author: "test", At: at})
		return err
	}
	update(t, st, func(ctx context.Context, tx vigie.Tx) error {
		for i, c := range countries {
			if i < 60 {
				if err := save(tx, c, vigie.RatingPartial, time.Date(2023, 6, 1, 0, 0, 0, 0, time.UTC)); err != nil {
					return err
				}
				if err := save(tx, c, vigie.RatingYes, time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC)); err != nil {
					return err
				}
			} else if err := save(tx, c, vigie.RatingNo, time.Date(2024, 4, 1, 0, 0, 0, 0, time.UTC)); err != nil {
				return err
			}
		}
		return nil
	})
	s := serverOn(st, nil)
	rows := func(doc *goquery.Document) []string {
		var out []string
		doc.Find("main section[id^=changes-]").Each(func(_ int, sec *goquery.Selection) {
			sec.Find("tbody tr th").Each(func(_ int, th *goquery.Selection) { out = append(out, sec.AttrOr("id", "")+" "+textOf(th)) })
		})
		return out
	}
	pages := followPages(t, s, "/changes?from=2024-01-01&to=2024-12-31&indicator=csam-definition", rows)
	if len(pages) != 2 || len(pages[0]) != vigie.ChangesPageSize || len(pages[1]) != 20 {
		t.Fatalf("pages of %d rows, want 100 and 20", len(pages))
	}
	all := slices.Concat(pages...)
	sorted := slices.Clone(all)
	slices.Sort(sorted)
	if len(slices.Compact(sorted)) != 120 || !strings.HasPrefix(all[0], "changes-up ") || !strings.HasPrefix(all[119], "changes-new ") {
		t.Errorf("rows: %d different, first %q, last %q", len(sorted), all[0], all[119])
	}
	first := page(t, s, "/changes?from=2024-01-01&to=2024-12-31&indicator=csam-definition", http.StatusOK)
	next := first.Find(`a[rel="next"]`).AttrOr("href", "")
	if !strings.Contains(next, "indicator=csam-definition") || !strings.Contains(next, "from=2024-01-01") {
		t.Errorf("the next page drops the filters: %q", next)
	}
	second := page(t, s, next, http.StatusOK)
	if h := textOf(second.Find("section#changes-new h2")); h != "Assessed for the first time (continued)" && !strings.HasSuffix(h, "(continued)") {
		t.Errorf("the group going on says %q", h)
	}
	// The counts stay whole, and link to the page each group starts on.
	if up := second.Find(`ul.change-counts a`).First().AttrOr("href", ""); !strings.HasSuffix(up, "#changes-up") || strings.Contains(up, "after=") {
		t.Errorf("link to the first group from page 2: %q", up)
	}
	if got := textOf(second.Find("nav.pager li[aria-current]")); got != "Showing 101–120 of 120" {
		t.Errorf("pager says %q", got)
	}
	page(t, s, "/changes?after=nonsense", http.StatusBadRequest)
	page(t, s, "/changes?after="+encodeCursor(listCursor{List: "changes", Key: []string{"x", "Mali", "1"}}), http.StatusBadRequest)
}

// pagedLists fills the newsroom and the directory past one page and
// returns the address of each one's second page, for the browser suites.
func pagedLists(t *testing.T, st vigie.Store, h http.Handler) []string {
	t.Helper()
	seedNewsroom(t, st, 45)
	update(t, st, func(ctx context.Context, tx vigie.Tx) error {
		for i := range 60 {
			o := vigie.Organisation{Country: "SN", Name: fmt.Sprintf("Dakar Group %02d", i), OfficeCity: "Dakar"}
			if _, err := vigie.MergeOrganisation(ctx, tx, &o); err != nil {
				return err
			}
		}
		return nil
	})
	var out []string
	for _, list := range []string{"/news", "/organisations"} {
		next := page(t, h, list, http.StatusOK).Find(`a[rel="next"]`).AttrOr("href", "")
		if next == "" {
			t.Fatalf("%s has no next page", list)
		}
		out = append(out, next)
	}
	return out
}

// TestPagesInAnotherLanguageStartAgain: the language links of a later page
// lead to the first page in that language, whose order may differ.
func TestPagesInAnotherLanguageStartAgain(t *testing.T) {
	s, st := testSite(t)
	next := pagedLists(t, st, s)[1] // the directory's second page
	doc := page(t, s, next, http.StatusOK)
	if got := doc.Find(`nav.langs a[hreflang="fr"]`).AttrOr("href", ""); got != "/fr/organisations" {
		t.Errorf("French link of %s = %q", next, got)
	}
	if got := doc.Find(`link[rel="alternate"][hreflang="es"]`).AttrOr("href", ""); got != "/es/organisations" {
		t.Errorf("Spanish alternate of %s = %q", next, got)
	}
}
