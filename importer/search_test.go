package importer_test

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
	"time"

	vigie "github.com/vigie-network/vigie"
	"github.com/vigie-network/vigie/export"
	"github.com/vigie-network/vigie/importer"
	"github.com/vigie-network/vigie/internal/testdb"
)

// After an import, a search finds every published record the file
// brings, whatever the store, and nothing the public does not see: a
// draft, a superseded text, a source only a draft cites. The file holds
// more organisations than a store writes search rows for at a time.
func TestImportedRecordsAreSearchable(t *testing.T) {
	// A word of letters only, one per record: "zorgabc".
	word := func(stem string, i int) string {
		return stem + string(rune('a'+i/676%26)) + string(rune('a'+i/26%26)) + string(rune('a'+i%26))
	}
	const orgs, library = 1100, 30
	var inds []vigie.Indicator
	for _, ind := range vigie.DefaultIndicators() {
		if ind.ValueKind != vigie.ValueYears && len(inds) < 3 {
			inds = append(inds, ind)
		}
	}
	src := openStore(t)
	err := src.Update(ctx, func(tx vigie.Tx) error {
		for i := range orgs {
			o := &vigie.Organisation{Country: vigie.Countries()[i%40].ISO2, Name: "Network " + word("zorg", i)}
			if _, err := vigie.MergeOrganisation(ctx, tx, o); err != nil {
				return err
			}
		}
		for i := range library {
			p := &vigie.Publication{Slug: word("zpub", i), Title: "Study " + word("zpub", i), Type: vigie.PubResearch, Year: 2020}
			if _, err := vigie.MergePublication(ctx, tx, p); err != nil {
				return err
			}
			n := &vigie.NewsItem{Slug: word("znews", i), Title: "Story " + word("znews", i),
				Date: time.Date(2025, 1, 1+i%28, 0, 0, 0, 0, time.UTC)}
			if _, err := vigie.MergeNewsItem(ctx, tx, n); err != nil {
				return err
			}
		}
		for i, ind := range inds {
			content := func(stem, law string) vigie.Assessment {
				return vigie.Assessment{Country: "SN", Indicator: ind.Key, Rating: vigie.RatingPartial, Explanation: "Text " + word(stem, i),
					Citations: []vigie.Citation{{Source: vigie.Source{Kind: vigie.SourceLaw, Title: "Law " + word(law, i), Year: 2001}}}}
			}
			for _, a := range []vigie.Assessment{content("zsuperseded", "zoldlaw"), content("zcurrent", "zlaw")} {
				if _, _, err := tx.SaveAssessment(ctx, a, vigie.Change{Author: "ana"}); err != nil {
					return err
				}
			}
			if _, err := tx.AddRevision(ctx, content("zdraft", "zdraftlaw"),
				vigie.NewRevision{State: vigie.RevisionDraft, Base: 2, Change: vigie.Change{Author: "ana"}}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	ds, err := export.Build(ctx, src, export.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var file bytes.Buffer
	if err := export.WriteJSON(&file, ds, nil); err != nil {
		t.Fatal(err)
	}

	for _, db := range testdb.Stores() {
		t.Run(db.Name, func(t *testing.T) {
			s := db.Open(t)
			if _, err := importer.Import(ctx, s, []importer.File{{Name: "vigie.json", Data: file.Bytes()}}, importer.Options{}); err != nil {
				t.Fatal(err)
			}
			found := func(text string, want vigie.SearchKind) {
				t.Helper()
				hits, err := s.Search(ctx, vigie.SearchQuery{Text: text})
				if err != nil || len(hits) != 1 || hits[0].Kind != want || !strings.Contains(strings.ToLower(hits[0].Title), text) {
					t.Errorf("Search(%q) = %s, %v; want the one %s", text, titles(hits), err, want)
				}
			}
			for i := range orgs {
				found(word("zorg", i), vigie.SearchOrganisation)
			}
			for i := range library {
				found(word("zpub", i), vigie.SearchPublication)
				found(word("znews", i), vigie.SearchNews)
			}
			for i := range inds {
				found(word("zlaw", i), vigie.SearchSource)
				hits, err := s.Search(ctx, vigie.SearchQuery{Text: word("zcurrent", i)})
				if err != nil || len(hits) != 1 || hits[0].Kind != vigie.SearchAssessment {
					t.Errorf("Search(%q) = %s, %v; want the published assessment", word("zcurrent", i), titles(hits), err)
				}
				for _, stem := range []string{"zsuperseded", "zoldlaw", "zdraft", "zdraftlaw"} {
					if hits, err := s.Search(ctx, vigie.SearchQuery{Text: word(stem, i)}); err != nil || len(hits) != 0 {
						t.Errorf("Search(%q) = %s, %v: what the public does not see is found", word(stem, i), titles(hits), err)
					}
				}
			}
		})
	}
}

func titles(hits []vigie.SearchHit) string {
	var out []string
	for _, h := range hits {
		out = append(out, fmt.Sprintf("%s %q", h.Kind, h.Title))
	}
	return "[" + strings.Join(out, ", ") + "]"
}
