package web

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	vigie "github.com/vigie-network/vigie"
	"github.com/vigie-network/vigie/internal/testdb"
)

// seedIndicatorWorld assesses one indicator in every country, at length:
// the worst case of the indicator page, whose table shows every country's
// rating, value, one-line summary and date.
func seedIndicatorWorld(tb testing.TB, st vigie.Store, key string) {
	tb.Helper()
	prose := newProse()
	ratings := []string{vigie.RatingYes, vigie.RatingPartial, vigie.RatingNo, vigie.RatingNoData, vigie.RatingNotRated}
	update(tb, st, func(ctx context.Context, tx vigie.Tx) error {
		inds, err := tx.Indicators(ctx)
		if err != nil {
			return err
		}
		var ind vigie.Indicator
		for _, i := range inds {
			if i.Key == key {
				ind = i
			}
		}
		for n, c := range vigie.Countries() {
			a := vigie.Assessment{Country: c.ISO2, Indicator: key, Rating: ratings[n%len(ratings)],
				Explanation: prose.paragraph(30) + "\n\n" + prose.paragraph(90) + "\n\n" + prose.paragraph(90),
				AsOf:        vigie.AsOf{Year: 2000 + n%25, Month: 1 + n%12},
				Citations: []vigie.Citation{{Source: law("Penal Code of "+c.Names.EN, "", 1990+n%30, 2020),
					Articles: fmt.Sprintf("Art. %d", n)}}}
			if ind.ValueKind == vigie.ValueYears {
				a.Value = new(int)
				*a.Value = 12 + n%7
			}
			if _, _, err := tx.SaveAssessment(ctx, a, fixtureChange); err != nil {
				return err
			}
		}
		return nil
	})
}

// TestIndicatorPageWeight keeps one indicator across the world, map
// included, under 80 KB compressed when every country is assessed, at the
// site's own compression level.
func TestIndicatorPageWeight(t *testing.T) {
	st := testdb.SQLite(t)
	seedIndicatorWorld(t, st, "age-of-consent")
	s := serverOn(st, nil)
	for _, path := range []string{"/indicators/age-of-consent", "/"} {
		res, body := get(t, s, path, "Accept-Encoding", "gzip")
		if res.StatusCode != http.StatusOK || res.Header.Get("Content-Encoding") != "gzip" {
			t.Fatalf("GET %s: %d %q", path, res.StatusCode, res.Header.Get("Content-Encoding"))
		}
		plain := gunzip(t, body)
		t.Logf("GET %s: %d bytes, %d gzipped", path, len(plain), len(body))
		if len(body) > 80<<10 {
			t.Errorf("GET %s is %d bytes gzipped; the budget is 80 KB", path, len(body))
		}
		if n := bytes.Count(plain, []byte("<tr>")); path != "/" && n < 249 {
			t.Errorf("GET %s: %d table rows", path, n)
		}
	}
}

// BenchmarkMapPages renders the pages with a world map through the whole
// handler stack, on a store where one indicator is assessed everywhere,
// gzipped as readers get them; "asof" reads the published state of a
// past date.
func BenchmarkMapPages(b *testing.B) {
	st := testdb.SQLite(b)
	seedIndicatorWorld(b, st, "age-of-consent")
	s := serverOn(st, nil)
	past := time.Now().UTC().AddDate(0, 0, -1).Format(time.DateOnly)
	for _, bc := range []struct{ name, path string }{
		{"home", "/"},
		{"indicator", "/indicators/age-of-consent"},
		{"indicator-asof", "/indicators/age-of-consent?as_of=" + past},
		{"indicator-filtered", "/indicators/age-of-consent?region=africa&sort=rating"},
	} {
		b.Run(bc.name, func(b *testing.B) {
			req := httptest.NewRequest(http.MethodGet, bc.path, nil)
			req.Header.Set("Accept-Encoding", "gzip")
			b.ReportAllocs()
			var size int
			for b.Loop() {
				rec := httptest.NewRecorder()
				s.ServeHTTP(rec, req)
				if rec.Code != http.StatusOK {
					b.Fatal(rec.Code)
				}
				size = rec.Body.Len()
			}
			b.ReportMetric(float64(size)/1024, "KB-gzip")
		})
	}
}

// BenchmarkSearchPage serves /search on the reference profile.
func BenchmarkSearchPage(b *testing.B) {
	st := testdb.SQLite(b)
	seedIndicatorWorld(b, st, "extraterritoriality-extradition")
	s := serverOn(st, nil)
	req := httptest.NewRequest(http.MethodGet, "/search?q=penal+code", nil)
	req.Header.Set("Accept-Encoding", "gzip")
	b.ReportAllocs()
	for b.Loop() {
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			b.Fatal(rec.Code)
		}
	}
}

// The readers of other tests' files stand for a Store; these are the
// methods issue #5 added to vigie.Reader.

func (m *memoryReader) AssessmentsAsOf(context.Context, time.Time, vigie.AssessmentFilter) ([]vigie.Assessment, error) {
	return m.assessments, nil
}

// PublishedRevisions gives the snapshot's country page an empty timeline.
func (m *memoryReader) PublishedRevisions(context.Context, vigie.HistoryFilter) ([]vigie.Revision, error) {
	return nil, nil
}

func (brokenStore) AssessmentsAsOf(context.Context, time.Time, vigie.AssessmentFilter) ([]vigie.Assessment, error) {
	return nil, errSecret
}
func (brokenStore) PublishedRevisions(context.Context, vigie.HistoryFilter) ([]vigie.Revision, error) {
	return nil, errSecret
}
func (brokenStore) Search(context.Context, vigie.SearchQuery) ([]vigie.SearchHit, error) {
	return nil, errSecret
}
