package sqlite_test

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	vigie "github.com/vigie-network/vigie"
	"github.com/vigie-network/vigie/sqlite"
)

// A database written one edit at a time has its search index in many
// segments; merging leaves what a search finds unchanged, and the store
// says when nothing is left to merge.
func TestMergeSearchIndexKeepsWhatSearchFinds(t *testing.T) {
	ctx := context.Background()
	s, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "vigie.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for i := range 60 {
		err := s.Update(ctx, func(tx vigie.Tx) error {
			n := &vigie.NewsItem{Slug: fmt.Sprintf("harbour-%d", i), Title: fmt.Sprintf("Harbour report %d", i),
				Body: "The harbour police trained " + fmt.Sprint(i) + " officers.", Date: time.Date(2025, 1, 1+i%28, 0, 0, 0, 0, time.UTC)}
			_, err := vigie.MergeNewsItem(ctx, tx, n)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	find := func() string {
		t.Helper()
		hits, err := s.Search(ctx, vigie.SearchQuery{Text: "harb", Limit: 100})
		if err != nil {
			t.Fatal(err)
		}
		var slugs []string
		for _, h := range hits {
			slugs = append(slugs, h.Slug)
		}
		return fmt.Sprint(len(hits), slugs)
	}
	before := find()
	steps := 0
	for more := true; more; steps++ {
		if more, err = s.MergeSearchIndex(ctx, 2); err != nil {
			t.Fatal(err)
		}
		if steps > 1000 {
			t.Fatal("merging never ends")
		}
	}
	if steps < 2 {
		t.Errorf("60 separate writes left nothing to merge (%d steps)", steps)
	}
	if after := find(); after != before {
		t.Errorf("search after merging: %s\nbefore: %s", after, before)
	}
	if more, err := s.MergeSearchIndex(ctx, 2); more || err != nil {
		t.Errorf("merging a merged index: more %v, %v", more, err)
	}
	if _, err := s.DB().ExecContext(ctx, `INSERT INTO search_fts (search_fts) VALUES ('integrity-check')`); err != nil {
		t.Errorf("index after merging: %v", err)
	}
	if _, err := s.MergeSearchIndex(ctx, 0); err == nil {
		t.Error("merging 0 pages was accepted")
	}
}
