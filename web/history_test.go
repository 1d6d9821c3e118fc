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
)

// A long history comes in pages of historyPageSize, newest first; the
// timeline's links open the page that holds their revision.
func TestLongHistoryComesInPages(t *testing.T) {
	s, st := testSite(t)
	const revisions = 2*historyPageSize + 5
	for i := 1; i <= revisions; i++ {
		update(t, st, func(ctx context.Context, tx vigie.Tx) error {
			a, err := tx.Assessment(ctx, "ML", "age-of-consent")
			if err != nil {
				return err
			}
			a.Rating = []string{vigie.RatingNo, vigie.RatingPartial, vigie.RatingYes}[i%3]
			a.Explanation = fmt.Sprintf("Revision %d of the text.", i)
			_, _, err = tx.SaveAssessment(ctx, a, vigie.Change{Author: "ana", Reason: "test",
				At: time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, i)})
			return err
		})
	}
	path := "/countries/mali/age-of-consent/history"
	numbers := func(q string) (string, string, string) {
		t.Helper()
		doc := page(t, s, path+q, http.StatusOK)
		var ids []string
		doc.Find("article.revision").Each(func(_ int, a *goquery.Selection) {
			ids = append(ids, strings.TrimPrefix(a.AttrOr("id", ""), "rev-"))
		})
		return strings.Join(ids, " "), doc.Find(`.pager a[rel=prev]`).AttrOr("href", ""), doc.Find(`.pager a[rel=next]`).AttrOr("href", "")
	}
	first, prev, next := numbers("")
	if !strings.HasPrefix(first, fmt.Sprint(revisions)+" ") || strings.Count(first, " ") != historyPageSize-1 || prev != "" || next != path+"?page=2" {
		t.Errorf("page 1: %q, newer %q, older %q", first, prev, next)
	}
	last, prev, next := numbers("?page=3")
	if last != "5 4 3 2 1" || prev != path+"?page=2" || next != "" {
		t.Errorf("page 3: %q, newer %q, older %q", last, prev, next)
	}
	if got, _, _ := numbers("?rev=3"); got != last {
		t.Errorf("?rev=3 shows %q, want the page holding it", got)
	}
	for _, q := range []string{"?page=4", "?page=0", "?page=x"} {
		page(t, s, path+q, http.StatusNotFound)
	}
	// The country page's timeline lists the latest changes (these and the
	// seed's first rating of another indicator) and links to
	// the page holding each.
	doc := page(t, s, "/countries/mali", http.StatusOK)
	if n, note := doc.Find("#timeline li").Length(), textOf(doc.Find("#timeline p.meta").Last()); n != timelineLength ||
		!strings.Contains(note, "Earlier changes are in each indicator") {
		t.Errorf("timeline: %d changes, then %q", n, note)
	}
	href := doc.Find(`#timeline a[href*="age-of-consent/history"]`).Last().AttrOr("href", "")
	if !strings.Contains(href, "?rev=") || !strings.Contains(href, "#rev-") {
		t.Fatalf("timeline link %q", href)
	}
	n := href[strings.LastIndex(href, "#rev-")+len("#rev-"):]
	ids, _, _ := numbers(strings.TrimPrefix(href[:strings.Index(href, "#")], path))
	if !strings.Contains(" "+ids+" ", " "+n+" ") {
		t.Errorf("%s opens a page without revision %s: %s", href, n, ids)
	}
}

// Two long unrelated revisions took the history page most of a minute to
// compare; past the diff's bounds the text is shown replaced, and the page
// says so.
func TestHistoryShowsLongTextsReplaced(t *testing.T) {
	s, st := testSite(t)
	for i := range 2 {
		update(t, st, func(ctx context.Context, tx vigie.Tx) error {
			a, err := tx.Assessment(ctx, "ML", "age-of-consent")
			if err != nil {
				return err
			}
			var b strings.Builder
			for w := range maxDiffTokens {
				fmt.Fprintf(&b, "r%dw%d ", i, w)
			}
			a.Explanation = b.String()
			_, _, err = tx.SaveAssessment(ctx, a, vigie.Change{Author: "ana", Reason: "test",
				At: time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, i)})
			return err
		})
	}
	waitForCostlySlots()
	doc := page(t, s, "/countries/mali/age-of-consent/history", http.StatusOK)
	newest := doc.Find("article.revision").First()
	if note := textOf(newest.Find(".diff p.meta")); !strings.Contains(note, "Too long to compare word by word") {
		t.Errorf("the newest revision's diff says %q", note)
	}
	// The long texts are not repeated in the diff: each revision's full
	// text is on the page.
	if n := newest.Find(".diff del, .diff ins").Length(); n != 0 {
		t.Errorf("the diff repeats the long texts in %d spans", n)
	}
	if text := newest.Find("details .explanation").Text(); !strings.Contains(text, "r1w0 r1w1 ") {
		t.Errorf("the full text is not on the page: %.40q", text)
	}

	// Such a page takes a slot of its own: while others like it hold every
	// slot, the reader is asked to come back at once rather than queued:
	// a queued request is served in the end, and rendering it for a
	// client asking in a loop cost other readers more than refusing
	// (bench/RESULTS.md, "Hostile requests").
	for range cap(costlyPages) {
		costlyPages <- struct{}{}
	}
	busy := page(t, s, "/countries/mali/age-of-consent/history?page=1", http.StatusServiceUnavailable)
	for range cap(costlyPages) {
		<-costlyPages
	}
	if h := textOf(busy.Find("h1")); h != "Busy" {
		t.Errorf("busy page heading %q", h)
	}
	page(t, s, "/countries/mali/age-of-consent/history?page=1", http.StatusOK)
	waitForCostlySlots()
}

// waitForCostlySlots waits until the costly pages rendered before have
// given their slots back (each keeps it as long again as it took).
func waitForCostlySlots() {
	for len(costlyPages) > 0 {
		time.Sleep(10 * time.Millisecond)
	}
}
