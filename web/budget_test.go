package web

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	vigie "github.com/vigie-network/vigie"
	"github.com/vigie-network/vigie/internal/testdb"
)

// TestPageBudgetsInEveryLanguage holds issue #6's budgets in English,
// French and Spanish, stylesheet included: a full country profile under
// 30 KB compressed, one indicator across the world with its map under
// 80 KB, the charts of twenty years of history included. Translations make
// pages longer, not only different.
func TestPageBudgetsInEveryLanguage(t *testing.T) {
	st := testdb.SQLite(t)
	seedTwentyYears(t, st) // first: the long texts below are the current ones
	seedFullProfile(t, st)
	seedIndicatorWorld(t, st, "age-of-consent")
	s := serverOn(st, nil)
	_, css := get(t, s, s.css.path, "Accept-Encoding", "gzip")
	for _, lang := range []string{"", "/fr", "/es"} {
		for path, budget := range map[string]int{"/countries/mali": 30 << 10, "/indicators/age-of-consent": 80 << 10} {
			res, body := get(t, s, lang+path, "Accept-Encoding", "gzip")
			if res.StatusCode != http.StatusOK || res.Header.Get("Content-Encoding") != "gzip" {
				t.Fatalf("GET %s: %d %q", lang+path, res.StatusCode, res.Header.Get("Content-Encoding"))
			}
			plain := string(gunzip(t, body))
			total := len(body) + len(css)
			t.Logf("GET %s: %d B, %d B gzip, %d B with the stylesheet", lang+path, len(plain), len(body), total)
			if total >= budget {
				t.Errorf("GET %s weighs %d B compressed with its stylesheet; the budget is %d", lang+path, total, budget)
			}
			if strings.Contains(plain, "<script") {
				t.Errorf("GET %s has a script: no page may need JavaScript", lang+path)
			}
		}
	}
}

// seedTwentyYears gives Mali a rating change every year for twenty years
// on every indicator, and a hundred countries the same on one: the worst
// case of the charts of progress (issue #15), which draw the history.
func seedTwentyYears(t *testing.T, st vigie.Store) {
	t.Helper()
	ratings := []string{vigie.RatingNo, vigie.RatingPartial, vigie.RatingYes, vigie.RatingNoData}
	update(t, st, func(ctx context.Context, tx vigie.Tx) error {
		inds, err := tx.Indicators(ctx)
		if err != nil {
			return err
		}
		now := time.Now().UTC().Year()
		for y := range 20 {
			at := vigie.Change{Author: "fixture", Reason: "a year of history", At: time.Date(now-19+y, time.Month(1+y%12), 10, 0, 0, 0, 0, time.UTC)}
			for i, ind := range inds {
				a := vigie.Assessment{Country: "ML", Indicator: ind.Key, Rating: ratings[(y+i)%len(ratings)], Explanation: "Year " + strconv.Itoa(y)}
				if _, _, err := tx.SaveAssessment(ctx, a, at); err != nil {
					return err
				}
			}
			for n, c := range vigie.Countries()[:100] {
				a := vigie.Assessment{Country: c.ISO2, Indicator: "age-of-consent", Rating: ratings[(y+n)%len(ratings)], Explanation: "Year " + strconv.Itoa(y)}
				if _, _, err := tx.SaveAssessment(ctx, a, at); err != nil {
					return err
				}
			}
		}
		return nil
	})
}
