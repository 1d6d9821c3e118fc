package sqlite_test

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	vigie "github.com/vigie-network/vigie"
	"github.com/vigie-network/vigie/sqlite"
)

// indexTerms lists the terms of five characters or more that the search
// index holds, read from FTS5 itself.
func indexTerms(t *testing.T, s *sqlite.Store) []string {
	t.Helper()
	ctx := context.Background()
	conn, err := s.DB().Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, `CREATE VIRTUAL TABLE IF NOT EXISTS temp.index_terms USING fts5vocab(main, search_fts, row)`); err != nil {
		t.Fatal(err)
	}
	return column(t)(conn.QueryContext(ctx, `SELECT term FROM temp.index_terms WHERE length(term) >= 5 ORDER BY term`))
}

func searchWords(t *testing.T, s *sqlite.Store) []string {
	t.Helper()
	return column(t)(s.DB().Query(`SELECT word FROM search_words ORDER BY word`))
}

// column reads the one column of a query's rows: column(t)(db.Query(…)).
func column(t *testing.T) func(*sql.Rows, error) []string {
	return func(rows *sql.Rows, err error) []string { return readColumn(t, rows, err) }
}

func readColumn(t *testing.T, rows *sql.Rows, err error) []string {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		out = append(out, s)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// missingWords is what the index holds and search_words does not.
func missingWords(t *testing.T, s *sqlite.Store) []string {
	t.Helper()
	words := searchWords(t, s)
	var missing []string
	for _, term := range indexTerms(t, s) {
		if _, found := slices.BinarySearch(words, term); !found {
			missing = append(missing, term)
		}
	}
	return missing
}

// Every word of the search index is in search_words, whichever way it got
// there: a new document, a changed one, the migration over existing data.
func TestSearchWordsHoldTheIndexTerms(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "vigie.db")
	s, err := sqlite.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	seedDocuments(t, s, 300)
	story := &vigie.NewsItem{Slug: "harbour", Title: "Côte d'Ivoire: EXPLOITÉE, exploitations", Body: "Straße Øresund naïveté 123456 Ｆｕｌｌｗｉｄｔｈ",
		Date: time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC)}
	if err := s.Update(ctx, func(tx vigie.Tx) error { _, err := vigie.MergeNewsItem(ctx, tx, story); return err }); err != nil {
		t.Fatal(err)
	}
	// A rewritten story brings words of its own.
	story.Body = "Reworded: prosecutors extradited traffickers"
	if err := s.Update(ctx, func(tx vigie.Tx) error { _, err := vigie.MergeNewsItem(ctx, tx, story); return err }); err != nil {
		t.Fatal(err)
	}
	if terms := indexTerms(t, s); len(terms) < 100 {
		t.Fatalf("only %d index terms: the seed did not index", len(terms))
	}
	if m := missingWords(t, s); len(m) > 0 {
		t.Fatalf("after writes, %d index terms are not in search_words: %q", len(m), m[:min(len(m), 10)])
	}
	words := searchWords(t, s)
	for _, w := range []string{"exploitee", "exploitations", "extradited", "naivete"} {
		if _, found := slices.BinarySearch(words, w); !found {
			t.Errorf("search_words lacks %q", w)
		}
	}
	// The migration, run again over the data, finds the same words.
	if _, err := s.DB().ExecContext(ctx, `DROP TABLE search_words; DROP TABLE search_words_probe_terms; DROP TABLE search_words_probe;
		DROP TRIGGER search_docs_words_insert; DROP TRIGGER search_docs_words_update;
		DELETE FROM schema_migrations WHERE name LIKE '%0017_search_words.sql'`); err != nil {
		t.Fatal(err)
	}
	s.Close()
	if s, err = sqlite.Open(ctx, path); err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if again := searchWords(t, s); !slices.Equal(again, indexTerms(t, s)) {
		t.Errorf("the migration found %d words, the index holds %d terms", len(again), len(indexTerms(t, s)))
	}
}

// A search that names the words of a prefix finds what the prefix query
// finds: the same documents for every term, whether it is written out as
// words, left to a prefix index (under five letters), has letters beyond
// a–z, or stands for more words than Search writes out.
func TestSearchPrefixAsWordsFindsWhatThePrefixFinds(t *testing.T) {
	ctx := context.Background()
	s, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "vigie.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	seedDocuments(t, s, 200)
	err = s.Update(ctx, func(tx vigie.Tx) error {
		for i := range 80 {
			// zebra0000…zebra0079: more words than one term is written as.
			n := &vigie.NewsItem{Slug: fmt.Sprintf("z-%d", i), Title: fmt.Sprintf("Exploitée zebra%04d", i),
				Body: []string{"Exploitations in the harbour", "EXPLOITATION’s end", "exploiter", "protección de la infancia"}[i%4],
				Date: time.Date(2025, 1, 1+i%28, 0, 0, 0, 0, time.UTC)}
			if _, err := vigie.MergeNewsItem(ctx, tx, n); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	prefixHits := func(text string) []string {
		t.Helper()
		var match []string
		for _, term := range vigie.SearchTerms(text) {
			match = append(match, `"`+term+`"*`)
		}
		return column(t)(s.DB().Query(`SELECT d.kind || ' ' || d.ref FROM search_fts JOIN search_docs d ON d.id = search_fts.rowid
			WHERE search_fts MATCH ? AND (d.kind != 'source' OR EXISTS (SELECT 1 FROM public_citations pc WHERE pc.source_id = CAST(d.ref AS INTEGER)))
			ORDER BY 1`, strings.Join(match, " ")))
	}
	for _, text := range []string{"exploit", "exploitat", "Exploitation", "zebra", "zebra007", "protec infan", "protección",
		"expl", "harbour exploitations", "nosuchword", "extrat", "enqu"} {
		want := prefixHits(text)
		hits, err := s.Search(ctx, vigie.SearchQuery{Text: text, Limit: vigie.MaxSearchLimit})
		if err != nil {
			t.Fatalf("Search(%q): %v", text, err)
		}
		var got []string
		for _, h := range hits {
			ref := fmt.Sprint(h.ID)
			if h.Kind == vigie.SearchAssessment {
				ref = h.Countries[0] + "/" + h.Indicators[0]
			}
			got = append(got, string(h.Kind)+" "+ref)
		}
		slices.Sort(got)
		if len(want) > vigie.MaxSearchLimit {
			t.Fatalf("%q matches %d documents, more than one page: pick a rarer term", text, len(want))
		}
		if !slices.Equal(got, want) {
			t.Errorf("Search(%q) found %d documents, the prefix query %d\ngot  %q\nwant %q", text, len(got), len(want),
				got[:min(len(got), 6)], want[:min(len(want), 6)])
		}
		if text != "nosuchword" && len(want) == 0 {
			t.Errorf("%q matches nothing: the case tests nothing", text)
		}
	}
}

// Words no document holds any more leave search_words when it is pruned;
// the words still in the index stay, and pruning again removes nothing.
func TestPruneSearchWordsKeepsTheIndexTerms(t *testing.T) {
	ctx := context.Background()
	s, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "vigie.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	seedDocuments(t, s, 150)
	story := &vigie.NewsItem{Slug: "ferry", Title: "Ferry crossing", Body: "Quixotically zzyzzogeton abandoned.",
		Date: time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC)}
	save := func() {
		t.Helper()
		if err := s.Update(ctx, func(tx vigie.Tx) error { _, err := vigie.MergeNewsItem(ctx, tx, story); return err }); err != nil {
			t.Fatal(err)
		}
	}
	save()
	story.Body = "Reworded without them."
	save()
	has := func(w string) bool {
		_, found := slices.BinarySearch(searchWords(t, s), w)
		return found
	}
	if !has("quixotically") || !has("zzyzzogeton") {
		t.Fatal("the first body's words were never in search_words")
	}
	before := len(searchWords(t, s))
	removed, err := s.PruneSearchWords(ctx)
	if err != nil {
		t.Fatal(err)
	}
	// "abandoned" may be in the seed's vocabulary too; the two odd words are not.
	if removed < 2 || has("quixotically") || has("zzyzzogeton") || !has("reworded") {
		t.Errorf("pruned %d of %d words; quixotically %v, zzyzzogeton %v, reworded %v", removed, before,
			has("quixotically"), has("zzyzzogeton"), has("reworded"))
	}
	if m := missingWords(t, s); len(m) > 0 {
		t.Errorf("pruning took index terms away: %q", m[:min(len(m), 10)])
	}
	if again, err := s.PruneSearchWords(ctx); again != 0 || err != nil {
		t.Errorf("pruning again removed %d, %v", again, err)
	}
	if hits, err := s.Search(ctx, vigie.SearchQuery{Text: "rewor"}); err != nil || len(hits) != 1 {
		t.Errorf("search after pruning: %d hits, %v", len(hits), err)
	}
}

// A transaction that writes thousands of documents, as an import does,
// writes their rows a batch at a time and lists their words in one probe
// per batch: search_words holds the index's terms, no more, no fewer.
func TestSearchWordsFollowABulkWrite(t *testing.T) {
	s, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "vigie.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	seedDocuments(t, s, 3000) // more news than one batch, in one transaction
	if n := len(searchRows(t, s)); n != 3000 {
		t.Fatalf("%d documents indexed, want 3000", n)
	}
	terms, words := indexTerms(t, s), searchWords(t, s)
	if len(terms) < 1000 || !slices.Equal(words, terms) {
		t.Errorf("the index holds %d terms, search_words %d words; missing %q", len(terms), len(words),
			missingWords(t, s)[:min(len(missingWords(t, s)), 10)])
	}
}
