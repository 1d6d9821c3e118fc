package web

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"

	vigie "github.com/vigie-network/vigie"
	"github.com/vigie-network/vigie/internal/testdb"
	"github.com/vigie-network/vigie/sqlite"
)

// BenchmarkCountryPage renders /countries/mali through the whole handler
// stack, for the reference profile and the full one, with and without
// compression. The "sqlite" runs read the real store on every request; the
// "memory" runs read a snapshot of it, which isolates this package's cost
// (view models, Markdown, templates, gzip) from the store's.
func BenchmarkCountryPage(b *testing.B) {
	for _, profile := range []struct {
		name string
		seed func(testing.TB, vigie.Store)
	}{
		{"reference", seedMali},
		{"full", seedFullProfile},
	} {
		st := testdb.SQLite(b)
		profile.seed(b, st)
		for _, source := range []struct {
			name  string
			store vigie.Reader
		}{
			{"sqlite", st},
			{"memory", snapshot(b, st, "ML")},
		} {
			s := serverOn(source.store, nil)
			for _, enc := range []string{"identity", "gzip"} {
				b.Run(profile.name+"/"+source.name+"/"+enc, func(b *testing.B) {
					req := httptest.NewRequest(http.MethodGet, "/countries/mali", nil)
					req.Header.Set("Accept-Encoding", enc)
					b.ReportAllocs()
					for b.Loop() {
						rec := httptest.NewRecorder()
						s.ServeHTTP(rec, req)
						if rec.Code != http.StatusOK {
							b.Fatal(rec.Code)
						}
					}
				})
			}
		}
	}
}

// memoryReader answers a country page's reads from a snapshot.
type memoryReader struct {
	vigie.Reader
	featured      vigie.NewsItem
	indicators    []vigie.Indicator
	ratings       []vigie.Rating
	assessments   []vigie.Assessment
	organisations []vigie.Organisation
	publications  []vigie.Publication
	news          []vigie.NewsItem
}

func snapshot(tb testing.TB, st *sqlite.Store, country string) *memoryReader {
	ctx := context.Background()
	m := &memoryReader{}
	var err error
	check := func(e error) {
		if e != nil && err == nil {
			err = e
		}
	}
	m.featured, err = st.FeaturedStory(ctx)
	m.indicators, err = st.Indicators(ctx)
	check(err)
	m.ratings, err = st.Ratings(ctx)
	check(err)
	m.assessments, err = st.Assessments(ctx, vigie.AssessmentFilter{Country: country})
	check(err)
	m.organisations, err = st.Organisations(ctx, vigie.OrganisationFilter{Country: country})
	check(err)
	m.publications, err = st.Publications(ctx, vigie.PublicationFilter{Country: country})
	check(err)
	m.news, err = st.NewsItems(ctx, vigie.NewsFilter{Country: country, Limit: newsOnCountryPage})
	check(err)
	if err != nil {
		tb.Fatal(err)
	}
	return m
}

func (m *memoryReader) FeaturedStory(context.Context) (vigie.NewsItem, error) { return m.featured, nil }
func (m *memoryReader) Indicators(context.Context) ([]vigie.Indicator, error) {
	return m.indicators, nil
}
func (m *memoryReader) Ratings(context.Context) ([]vigie.Rating, error) { return m.ratings, nil }
func (m *memoryReader) Assessments(context.Context, vigie.AssessmentFilter) ([]vigie.Assessment, error) {
	return m.assessments, nil
}
func (m *memoryReader) Organisations(context.Context, vigie.OrganisationFilter) ([]vigie.Organisation, error) {
	return m.organisations, nil
}
func (m *memoryReader) Publications(context.Context, vigie.PublicationFilter) ([]vigie.Publication, error) {
	return m.publications, nil
}
func (m *memoryReader) NewsItems(context.Context, vigie.NewsFilter) ([]vigie.NewsItem, error) {
	return m.news, nil
}
