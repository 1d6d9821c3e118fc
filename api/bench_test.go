package api

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	vigie "github.com/vigie-network/vigie"
)

// BenchmarkRead serves reads through the whole handler on a real SQLite
// store: Mali with every indicator assessed (three sources each) and one
// indicator assessed in every country. It reports the median latency
// beside Go's mean, since a few slow requests (GC, the WAL) skew the mean.
func BenchmarkRead(b *testing.B) {
	svc := testService(b)
	seedMali(b, svc.Store)
	seedWorld(b, svc.Store)
	h := New(svc, nil)
	for _, tt := range []struct{ name, path, inm string }{
		{"country", "/api/v1/countries/ML", ""},
		{"country-304", "/api/v1/countries/ML", "*"},
		{"assessment", "/api/v1/assessments/ML/extraterritoriality-extradition", ""},
		{"countries-249", "/api/v1/countries?limit=500", ""},
		{"indicator-world-249", "/api/v1/assessments?indicator=age-of-consent&limit=500", ""},
	} {
		b.Run(tt.name, func(b *testing.B) {
			req := httptest.NewRequest(http.MethodGet, tt.path, nil)
			if tt.inm != "" {
				req.Header.Set("If-None-Match", tt.inm)
			}
			var took []time.Duration
			b.ReportAllocs()
			for b.Loop() {
				rec := httptest.NewRecorder()
				start := time.Now()
				h.ServeHTTP(rec, req)
				took = append(took, time.Since(start))
				if rec.Code != http.StatusOK && rec.Code != http.StatusNotModified {
					b.Fatal(rec.Code, rec.Body.String())
				}
			}
			slices.Sort(took)
			b.ReportMetric(float64(took[len(took)/2].Microseconds()), "µs-median")
		})
	}
}

// seedWorld assesses every indicator of Mali at length and the age of
// consent in every country.
func seedWorld(b *testing.B, st vigie.Store) {
	change := vigie.Change{Author: "bench", At: fixtureTime}
	update(b, st, func(tx vigie.Tx) error {
		inds, err := tx.Indicators(ctx)
		if err != nil {
			return err
		}
		for i, ind := range inds {
			a := vigie.Assessment{Country: "ML", Indicator: ind.Key, Rating: vigie.RatingPartial, AsOf: vigie.AsOf{Year: 2021, Month: 6},
				Explanation: strings.Repeat("The law covers part of the standard; the explanation says which part. ", 30),
				Citations: []vigie.Citation{
					{Source: law("Code of Criminal Procedure of Mali", "", 2001, 2021), Articles: fmt.Sprintf("Art. %d", 20+i)},
					{Source: law("Penal Code of Mali", "", 2001, 2016), Articles: fmt.Sprintf("Art. %d", 300+i)},
					{Source: vigie.Source{Kind: vigie.SourcePublication, Title: "Mali – Country Monitoring Report", Publisher: "ECPAT International", Year: 2017}},
				}}
			if ind.ValueKind == vigie.ValueYears {
				a.Value = new(int)
				*a.Value = 15
			}
			if _, _, err := tx.SaveAssessment(ctx, a, change); err != nil {
				return err
			}
		}
		for _, c := range vigie.Countries() {
			if c.ISO2 == "ML" {
				continue
			}
			age := 14 + len(c.ISO2+c.ISO3)%5
			a := vigie.Assessment{Country: c.ISO2, Indicator: "age-of-consent", Rating: vigie.RatingYes, Value: &age,
				Explanation: "The age of consent is the same for every act.", AsOf: vigie.AsOf{Year: 2020},
				Citations: []vigie.Citation{{Source: law("Penal Code of "+c.Names.EN, "", 2010, 2020), Articles: "Art. 1"}}}
			if _, _, err := tx.SaveAssessment(ctx, a, change); err != nil {
				return err
			}
		}
		return nil
	})
}
