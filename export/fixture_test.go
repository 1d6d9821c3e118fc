package export_test

import (
	"bytes"
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	vigie "github.com/vigie-network/vigie"
	"github.com/vigie-network/vigie/export"
	"github.com/vigie-network/vigie/importer"
	"github.com/vigie-network/vigie/sqlite"
)

var ctx = context.Background()

func openStore(t testing.TB) *sqlite.Store {
	t.Helper()
	s, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "vigie.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func update(t testing.TB, s vigie.Store, fn func(tx vigie.Tx) error) {
	t.Helper()
	if err := s.Update(ctx, fn); err != nil {
		t.Fatal(err)
	}
}

// tricky is text that breaks careless CSV, JSON and spreadsheet code:
// separators, quotes, both kinds of line break, a tab, a formula, accents,
// an emoji, spaces at both ends.
const tricky = " Line one, with \"quotes\";\r\nline two\n\n=SUM(A1:A9) → Côte d’Ivoire\t📜 "

var day0 = time.Date(2024, 1, 10, 9, 0, 0, 0, time.UTC)

// seedFull writes a dataset with every country, every indicator, every
// rating, both source kinds, organisations, publications and news, and
// histories with revisions in every state.
func seedFull(t testing.TB, s vigie.Store) {
	t.Helper()
	inds, _ := s.Indicators(ctx)
	ratings, _ := s.Ratings(ctx)
	law := func(i int) vigie.Citation {
		return vigie.Citation{Source: vigie.Source{Kind: vigie.SourceLaw, Title: fmt.Sprintf("Penal Code no. %d", i%23),
			Identifier: fmt.Sprintf("Law nº %d-0%d", 2000+i%23, i%7), Year: 2000 + i%23, StatusAsOf: 2023,
			Link: "https://example.org/law/" + fmt.Sprint(i%23)}, Articles: fmt.Sprintf("Art. %d, %d", i%40+1, i%40+2)}
	}
	publication := func(i int) vigie.Citation {
		return vigie.Citation{Source: vigie.Source{Kind: vigie.SourcePublication, Title: fmt.Sprintf("Legal Checklist %d", i%5),
			Publisher: "A network, \"research\" unit", Year: 2020}}
	}
	update(t, s, func(tx vigie.Tx) error {
		for i, c := range vigie.Countries() {
			if c.ISO2 == "ML" {
				continue // Mali gets histories below
			}
			ind := inds[i%len(inds)]
			a := vigie.Assessment{Country: c.ISO2, Indicator: ind.Key, Rating: ratings[i%len(ratings)].Key,
				Explanation: fmt.Sprintf("About %s.%s", c.Names.EN, tricky), AsOf: vigie.AsOf{Year: 2010 + i%15, Month: i % 13},
				Citations: []vigie.Citation{law(i), publication(i)}}
			if ind.ValueKind == vigie.ValueYears {
				v := 12 + i%7
				a.Value = &v
			}
			if i%3 == 0 {
				a.Citations = a.Citations[:1]
			}
			if _, _, err := tx.SaveAssessment(ctx, a, vigie.Change{Author: "import: seed", Reason: "first pass",
				At: day0.Add(time.Duration(i) * time.Minute)}); err != nil {
				return fmt.Errorf("%s: %w", c.ISO2, err)
			}
		}
		// Mali: a history through every state, on every indicator.
		for k, ind := range inds {
			if err := history(tx, "ML", ind, k); err != nil {
				return err
			}
		}

		orgs := []vigie.Organisation{
			{Country: "ML", Name: "Association Contre l’Exploitation Sexuelle des Enfants au Mali", Acronym: "ACESEM",
				Description: "Works in Bamako," + tricky, Founded: vigie.AsOf{Year: 2018, Month: 12}, OfficeCity: "Bamako",
				Regions: []string{"Segou", "Sikasso"}, AreasOfWork: []string{"prevention", "protection", "rehabilitation"},
				Website: "https://example.org/acesem",
				Contacts: []vigie.Contact{{Name: "Boubacar Hassane", Title: "Executive Director", Phone: "+22377084023"},
					{Name: "Awa, \"A.\" Traoré", Email: "awa@example.org", Address: "Rue 12\nBamako"}}},
			{Country: "GM", Name: "Child Protection Alliance"},
		}
		for i := range orgs {
			if _, err := vigie.MergeOrganisation(ctx, tx, &orgs[i]); err != nil {
				return err
			}
		}
		pubs := []vigie.Publication{
			{Title: "Mali – Country Monitoring Report", Type: vigie.PubCountryReport, Year: 2017,
				Publishers: []string{"ECPAT International"}, Countries: []string{"ML"}, Language: "en",
				File: vigie.FileRef{Hash: "3f03295336ce2b5b3f03295336ce2b5b3f03295336ce2b5b3f03295336ce2b5b", Size: 123456}},
			{Title: "West Africa, an overview", Type: vigie.PubRegionalReview, Year: 2020, Countries: []string{"SN", "ML", "GM"},
				Link: "https://example.org/overview", Language: "fr"},
		}
		for i := range pubs {
			if _, err := vigie.MergePublication(ctx, tx, &pubs[i]); err != nil {
				return err
			}
		}
		news := []vigie.NewsItem{
			{Slug: "public-opinion-is-clear", Title: "Public Opinion is Clear", Date: day0, Summary: "A poll.", Body: "# Poll\n\n" + tricky, Countries: []string{"ML", "SN"}},
			{Slug: "older-story", Title: "An older story", Date: day0.AddDate(-1, 0, 0)},
		}
		for i := range news {
			if _, err := vigie.MergeNewsItem(ctx, tx, &news[i]); err != nil {
				return err
			}
		}
		if _, err := vigie.FeatureStory(ctx, tx, "public-opinion-is-clear"); err != nil {
			return err
		}
		for _, tr := range []vigie.Translation{
			{Kind: vigie.KindNews, Key: "public-opinion-is-clear", Field: "title", Lang: "fr", Text: "L’opinion publique est claire", SourceVersion: vigie.SourceVersion("Public Opinion is Clear")},
			{Kind: vigie.KindNews, Key: "public-opinion-is-clear", Field: "body", Lang: "es", Text: "# Encuesta\n\n" + tricky, SourceVersion: vigie.SourceVersion("# Poll\n\n" + tricky)},
			{Kind: vigie.KindAssessment, Key: "ML/age-of-consent", Field: "explanation", Lang: "fr", Text: "Une traduction dépassée.", SourceVersion: vigie.SourceVersion("an older English text")},
		} {
			if _, err := tx.SaveTranslation(ctx, tr); err != nil {
				return err
			}
		}
		return nil
	})
}

// history gives one assessment revisions in every state: published in
// January, then from February on returned, published again, submitted and
// a draft on top. The published revision is 3.
func history(tx vigie.Tx, country string, ind vigie.Indicator, k int) error {
	at := func(h int) time.Time { return day0.AddDate(0, 1, k).Add(time.Duration(h) * time.Hour) }
	a := vigie.Assessment{Country: country, Indicator: ind.Key, Rating: vigie.RatingPartial, Explanation: "First look." + tricky,
		AsOf: vigie.AsOf{Year: 2021, Month: 3, Day: k + 1}, Citations: []vigie.Citation{{Source: vigie.Source{Kind: vigie.SourceLaw,
			Title: "Code of Criminal Procedure of Mali", Year: 2001, StatusAsOf: 2021}, Articles: "Art. 22, 244"}}}
	if ind.ValueKind == vigie.ValueYears {
		v := 16
		a.Value = &v
	}
	add := func(state string, base int, at time.Time) (vigie.Revision, error) {
		return tx.AddRevision(ctx, a, vigie.NewRevision{State: state, Base: base,
			Change: vigie.Change{Author: "Ana Researcher", Reason: "new study, " + state, At: at}})
	}
	review := func(n int, state string, at time.Time) error {
		_, err := tx.ReviewRevision(ctx, country, ind.Key, n, vigie.Review{State: state, Reviewer: "Rui Reviewer",
			Comment: "checked;\nok", At: at})
		return err
	}
	first := day0.Add(time.Duration(k) * time.Minute)
	if _, err := add(vigie.RevisionSubmitted, 0, first); err != nil {
		return err
	}
	if err := review(1, vigie.RevisionPublished, first.Add(30*time.Minute)); err != nil {
		return err
	}
	a.Explanation = "Second look." + tricky
	if _, err := add(vigie.RevisionSubmitted, 1, at(1)); err != nil {
		return err
	}
	if err := review(2, vigie.RevisionReturned, at(2)); err != nil {
		return err
	}
	a.Rating = vigie.RatingYes
	if _, err := add(vigie.RevisionSubmitted, 2, at(3)); err != nil {
		return err
	}
	if err := review(3, vigie.RevisionPublished, at(4)); err != nil {
		return err
	}
	a.Rating = vigie.RatingNo
	if _, err := add(vigie.RevisionSubmitted, 3, at(5)); err != nil {
		return err
	}
	_, err := add(vigie.RevisionDraft, 4, at(6))
	return err
}

// exportBytes exports s in format (CSV as a ZIP archive).
func exportBytes(t testing.TB, s vigie.Reader, format string, opts export.Options) []byte {
	t.Helper()
	ds, err := export.Build(ctx, s, opts)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := export.Write(&buf, format, ds, nil); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func fileName(format string) string {
	if format == export.FormatCSV {
		return "vigie.zip"
	}
	return "vigie." + format
}

func importBytes(t testing.TB, s vigie.Store, format string, data []byte, opts importer.Options) (importer.Summary, error) {
	t.Helper()
	return importer.Import(ctx, s, []importer.File{{Name: fileName(format), Data: data}}, opts)
}

// bigDataset is the benchmark's data: countries × indicators assessments,
// each with revisions published revisions of about 600 bytes of text
// and two citations.
func bigDataset(countries, indicators, revisions int) *export.Dataset {
	ds := &export.Dataset{Meta: export.Meta{Version: export.FormatVersion, Scope: export.ScopeFull}}
	for _, r := range vigie.DefaultRatings() {
		ds.Ratings = append(ds.Ratings, export.Rating{Key: r.Key, Label: r.Label, Meaning: r.Meaning, Assessed: r.Assessed, Position: r.Position})
	}
	inds := vigie.DefaultIndicators()
	for _, ind := range inds {
		ds.Indicators = append(ds.Indicators, export.Indicator{Key: ind.Key, Name: ind.Name, Rationale: ind.Rationale,
			ValueKind: string(ind.ValueKind), Position: ind.Position})
	}
	all := vigie.Countries()
	for _, c := range all {
		ds.Countries = append(ds.Countries, export.Country{ISO2: c.ISO2, ISO3: c.ISO3, Numeric: c.Numeric, Slug: c.Slug,
			NameEN: c.Names.EN, NameFR: c.Names.FR, NameES: c.Names.ES, RegionCode: c.Region.Code, RegionName: c.Region.Names.EN,
			SubRegionCode: c.SubRegion.Code, SubRegionName: c.SubRegion.Names.EN})
	}
	for i := range 50 {
		ds.Sources = append(ds.Sources, export.Source{ID: i + 1, Kind: "law", Title: fmt.Sprintf("Code %03d", i), Year: 2001, StatusAsOf: 2021})
	}
	ratings := []string{vigie.RatingYes, vigie.RatingPartial, vigie.RatingNo, vigie.RatingNoData}
	text := bytes.Repeat([]byte("The law defines the offence and sets penalties; courts apply it. "), 9)
	for ci, c := range all[:countries] {
		for ii, ind := range inds[:indicators] {
			for n := 1; n <= revisions; n++ {
				at := day0.Add(time.Duration(ci*1000+ii*100+n) * time.Minute)
				r := export.Revision{Country: c.ISO2, Indicator: ind.Key, Number: n, Base: n - 1, State: vigie.RevisionPublished,
					Author: "researcher@example.org", Reason: "yearly review", CreatedAt: at, PublishedAt: at.Add(time.Hour),
					Reviewer: "reviewer@example.org", Rating: ratings[(ci+ii+n)%len(ratings)], AsOf: "2021-05",
					Explanation: fmt.Sprintf("%s %s revision %d. %s", c.Names.EN, ind.Name, n, text)}
				if ind.ValueKind == vigie.ValueYears {
					v := 14 + n%4
					r.Value = &v
				}
				ds.Revisions = append(ds.Revisions, r)
				for p := 1; p <= 2; p++ {
					ds.Citations = append(ds.Citations, export.Citation{Country: c.ISO2, Indicator: ind.Key, Revision: n, Position: p,
						Source: (ci+ii+p)%50 + 1, Articles: fmt.Sprintf("Art. %d", n+p)})
				}
				if n == revisions {
					ds.Assessments = append(ds.Assessments, export.Assessment{Country: c.ISO2, Indicator: ind.Key, Revision: n,
						Rating: r.Rating, Value: r.Value, AsOf: r.AsOf, PublishedAt: r.PublishedAt})
				}
			}
		}
	}
	ds.Sort()
	return ds
}
