package web

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	vigie "github.com/vigie-network/vigie"
	"github.com/vigie-network/vigie/internal/testdb"
)

// seedNewsroom adds n stories, one a day from 1 March 2024, alternately
// tagged with Gambia and with Gambia and Senegal.
func seedNewsroom(t testing.TB, st vigie.Store, n int) {
	update(t, st, func(ctx context.Context, tx vigie.Tx) error {
		for i := range n {
			countries := []string{"GM"}
			if i%2 == 1 {
				countries = []string{"GM", "SN"}
			}
			item := vigie.NewsItem{Slug: fmt.Sprintf("story-%02d", i), Title: fmt.Sprintf("Story %02d", i),
				Date:    time.Date(2024, 3, 1+i, 0, 0, 0, 0, time.UTC),
				Summary: "What happened.", Countries: countries}
			if _, err := vigie.MergeNewsItem(ctx, tx, &item); err != nil {
				return err
			}
		}
		return nil
	})
}

func storySlugs(doc *goquery.Document) []string {
	var out []string
	doc.Find("ul.newsroom li.story > a").Each(func(_ int, a *goquery.Selection) {
		out = append(out, strings.TrimPrefix(a.AttrOr("href", ""), "/news/"))
	})
	return out
}

func TestNewsroom(t *testing.T) {
	s, _ := testSite(t)
	doc := page(t, s, "/news", http.StatusOK)
	checkPage(t, "/news", doc)
	if got := storySlugs(doc); strings.Join(got, ",") != "hostile-story,"+featuredSlug {
		t.Errorf("stories = %q, want newest first", got)
	}
	if doc.Find(`header nav a[href="/news"][aria-current="page"]`).Length() != 1 {
		t.Error("the main navigation does not mark News as the current page")
	}
	hostile := doc.Find("li.story").First()
	if got := hostile.Find("time").AttrOr("datetime", ""); got != "2025-02-01" {
		t.Errorf("datetime = %q", got)
	}
	if got := hostile.Find(`.tags a[href="/news?country=niger"]`).Text(); got != "Niger" {
		t.Errorf("country tag = %q", got)
	}
	if hostile.Find("script, img").Length() != 0 {
		t.Error("a hostile title became markup")
	}
	// The featured story's "Read the story" opens its page.
	read := doc.Find("aside.featured a")
	if read.AttrOr("href", "") != "/news/"+featuredSlug {
		t.Fatalf("Read the story → %q", read.AttrOr("href", ""))
	}
	story := page(t, s, read.AttrOr("href", ""), http.StatusOK)
	if h := textOf(story.Find("h1")); !strings.HasPrefix(h, "Public Opinion is Clear") {
		t.Errorf("the featured story's page has h1 %q", h)
	}
	if story.Find(`head link[rel="alternate"][type="application/atom+xml"][href="/news.atom"]`).Length() != 1 {
		t.Error("a story's page does not point to the feed")
	}
	if doc.Find(`head link[rel="alternate"][type="application/atom+xml"][href="/news.atom"]`).Length() != 1 {
		t.Error("the newsroom does not point to its feed")
	}
	if doc.Find("nav.pager").Length() != 0 {
		t.Error("one page of news shows a pager")
	}
}

func TestNewsroomPaging(t *testing.T) {
	st := testdb.SQLite(t)
	seedNewsroom(t, st, 45)
	s := serverOn(st, nil)

	first := page(t, s, "/news", http.StatusOK)
	got := storySlugs(first)
	if len(got) != vigie.NewsPageSize || got[0] != "story-44" || got[19] != "story-25" {
		t.Fatalf("page 1 = %q", got)
	}
	next := first.Find(`nav.pager a[rel="next"]`).AttrOr("href", "")
	if first.Find(`a[rel="first"]`).Length() != 0 || !strings.HasPrefix(next, "/news?after=") {
		t.Errorf("page 1 links: first %d, next %q", first.Find(`a[rel="first"]`).Length(), next)
	}
	if got := textOf(first.Find(`nav.pager a[rel="next"]`)); got != "Older stories" {
		t.Errorf("next page link says %q", got)
	}

	second := page(t, s, next, http.StatusOK)
	checkPage(t, next, second)
	if got := storySlugs(second); len(got) != 20 || got[0] != "story-24" {
		t.Errorf("page 2 = %q", got)
	}
	back := second.Find(`a[rel="prev"]`).AttrOr("href", "")
	if got := storySlugs(page(t, s, back, http.StatusOK)); len(got) != 20 || got[0] != "story-44" || textOf(second.Find(`a[rel="prev"]`)) != "Newer stories" {
		t.Errorf("page 2's previous page (%s) = %q", back, got)
	}
	if second.Find(`a[rel="first"]`).Length() != 0 || textOf(second.Find("nav.pager li[aria-current]")) != "Showing 21–40" {
		t.Error("page 2 links to the first page besides the previous, or does not say where it stands")
	}
	if got := textOf(second.Find("title")); got != "News, 21–40 · Vigie" {
		t.Errorf("title = %q", got)
	}

	last := page(t, s, second.Find(`a[rel="next"]`).AttrOr("href", ""), http.StatusOK)
	if got := storySlugs(last); strings.Join(got, ",") != "story-04,story-03,story-02,story-01,story-00" {
		t.Errorf("page 3 = %q", got)
	}
	if last.Find(`a[rel="next"]`).Length() != 0 || last.Find(`a[rel="first"]`).AttrOr("href", "") != "/news" {
		t.Error("the last page links onward, or not back")
	}

	for _, bad := range []string{"0", "two", encodeCursor(listCursor{List: "news", Key: []string{"2025-13-01", "3"}}),
		encodeCursor(listCursor{List: "publications", Key: []string{"2025-01-01", "3"}})} {
		doc := page(t, s, "/news?after="+bad, http.StatusBadRequest)
		if got := textOf(doc.Find("main")); !strings.Contains(got, "start again from the first page") {
			t.Errorf("after=%s: %q", bad, got)
		}
	}

	// Paging keeps the country.
	gm := page(t, s, "/news?country=gambia", http.StatusOK)
	if next := gm.Find(`a[rel="next"]`).AttrOr("href", ""); !strings.HasPrefix(next, "/news?after=") || !strings.HasSuffix(next, "&country=gambia") {
		t.Errorf("Gambia's next page = %q", next)
	}
	sn := page(t, s, page(t, s, "/news?country=senegal", http.StatusOK).Find(`a[rel="next"]`).AttrOr("href", ""), http.StatusOK)
	if got := storySlugs(sn); strings.Join(got, ",") != "story-03,story-01" { // 22 stories: 20, then 2
		t.Errorf("Senegal, page 2 = %q", got)
	}
	if back := sn.Find(`a[rel="prev"]`).AttrOr("href", ""); back != "/news?country=senegal" {
		t.Errorf("Senegal's previous page = %q, want the first at its own address", back)
	}
	// Past the second page the previous page is read backwards.
	third := page(t, s, last.Find(`a[rel="prev"]`).AttrOr("href", ""), http.StatusOK)
	if got := storySlugs(third); len(got) != 20 || got[0] != "story-24" || third.Find(`a[rel="prev"]`).AttrOr("href", "") != "/news" {
		t.Errorf("page 3's previous page = %q", got)
	}
}

func TestNewsroomByCountry(t *testing.T) {
	s, _ := testSite(t)
	doc := page(t, s, "/news?country=niger", http.StatusOK)
	checkPage(t, "/news?country=niger", doc)
	if got := textOf(doc.Find("h1")); got != "News from Niger" {
		t.Errorf("h1 = %q", got)
	}
	if got := storySlugs(doc); strings.Join(got, ",") != "hostile-story" {
		t.Errorf("Niger's news = %q", got)
	}
	if doc.Find(`head link[rel="alternate"][href="/countries/niger/news.atom"]`).Length() != 1 {
		t.Error("a country's newsroom does not point to the country's feed")
	}
	if doc.Find(`main a[href="/news"]`).Length() == 0 {
		t.Error("no way back to all news")
	}
	// ISO codes work as filters too.
	if got := storySlugs(page(t, s, "/news?country=NE", http.StatusOK)); strings.Join(got, ",") != "hostile-story" {
		t.Errorf("?country=NE = %q", got)
	}

	empty := page(t, s, "/news?country=senegal", http.StatusOK)
	if got := textOf(empty.Find("p.empty")); got != "No news from Senegal yet. All news" {
		t.Errorf("empty country: %q", got)
	}
	bad := page(t, s, "/news?country=atlantis", http.StatusBadRequest)
	if got := textOf(bad.Find("p.problem")); !strings.Contains(got, `we know no country "atlantis"`) {
		t.Errorf("unknown country: %q", got)
	}

	none := page(t, serverOn(testdb.SQLite(t), nil), "/news", http.StatusOK)
	checkPage(t, "/news", none)
	if got := textOf(none.Find("p.empty")); got != "No news yet." {
		t.Errorf("empty newsroom: %q", got)
	}
	if none.Find("aside.featured").Length() != 0 {
		t.Error("a featured banner without a featured story")
	}
}
