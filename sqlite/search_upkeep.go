package sqlite

import (
	"context"
	"database/sql"
	"fmt"
)

// The full-text index is a set of b-trees (segments): each write adds a
// small one and FTS5 merges them only when several pile up on one level,
// so a database written one edit at a time ends with dozens. A prefix
// search reads every segment: on the synthetic dataset at 10×,
// "penal"* took 1.6 ms over the index as written and 0.18 ms once merged
// into one (bench/RESULTS.md). MergeSearchIndex is that merge, done a
// little at a time so that it never holds the write lock for long.

// MergeSearchIndex writes up to pages pages of merged index in one short
// write transaction and reports whether merging is left to do. It merges
// segments of any level, not only full ones, so that called until it
// reports false it leaves the index as one segment.
func (s *Store) MergeSearchIndex(ctx context.Context, pages int) (more bool, err error) {
	if pages < 1 {
		return false, fmt.Errorf("merge search index: %d pages", pages)
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return false, err
	}
	defer tx.Rollback()
	var before, after int64
	if err := tx.QueryRowContext(ctx, `SELECT total_changes()`).Scan(&before); err != nil {
		return false, err
	}
	// A negative count merges even levels that are not full.
	if _, err := tx.ExecContext(ctx, `INSERT INTO search_fts (search_fts, rank) VALUES ('merge', ?)`, -pages); err != nil {
		return false, fmt.Errorf("merge search index: %w", err)
	}
	if err := tx.QueryRowContext(ctx, `SELECT total_changes()`).Scan(&after); err != nil {
		return false, err
	}
	// FTS5's documented test: two changes or more mean it did some work,
	// and so may have more to do.
	return after-before >= 2, tx.Commit()
}

// PruneSearchWords takes out of search_words (migration 0017) the words
// no document holds any more, so that the words a prefix stands for stay
// those of the index. It compares the index's vocabulary with the table
// in one read, outside any write (under a second at 100× the synthetic
// record), then deletes at most maxPrune of the words it found missing,
// each only if the index still lacks it when its write transaction runs:
// a document saved in between may have brought it back.
func (s *Store) PruneSearchWords(ctx context.Context) (removed int, err error) {
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return 0, err
	}
	defer conn.Close()
	// The vocabulary is a table of this connection only, gone with it.
	if _, err := conn.ExecContext(ctx, `CREATE VIRTUAL TABLE IF NOT EXISTS temp.search_fts_terms
		USING fts5vocab(main, search_fts, row)`); err != nil {
		return 0, fmt.Errorf("prune search words: %w", err)
	}
	stale, err := staleSearchWords(ctx, conn)
	if err != nil {
		return 0, fmt.Errorf("prune search words: %w", err)
	}
	for len(stale) > 0 {
		batch := stale[:min(len(stale), 500)]
		stale = stale[len(batch):]
		n, err := deleteStaleWords(ctx, conn, batch)
		if removed += n; err != nil {
			return removed, fmt.Errorf("prune search words: %w", err)
		}
	}
	return removed, nil
}

const maxPrune = 10000

// staleSearchWords walks the index's terms and search_words side by side,
// both in byte order, and lists up to maxPrune words that are not terms.
func staleSearchWords(ctx context.Context, conn *sql.Conn) ([]string, error) {
	tx, err := conn.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	terms, err := tx.QueryContext(ctx, `SELECT term FROM temp.search_fts_terms WHERE length(term) >= 5 ORDER BY term`)
	if err != nil {
		return nil, err
	}
	defer terms.Close()
	words, err := tx.QueryContext(ctx, `SELECT word FROM search_words ORDER BY word`)
	if err != nil {
		return nil, err
	}
	defer words.Close()
	next := func(rows *sql.Rows, into *string) (bool, error) {
		if !rows.Next() {
			return false, rows.Err()
		}
		return true, rows.Scan(into)
	}
	var term, word string
	var stale []string
	haveTerm, err := next(terms, &term)
	for err == nil && len(stale) < maxPrune {
		var haveWord bool
		if haveWord, err = next(words, &word); err != nil || !haveWord {
			break
		}
		for err == nil && haveTerm && term < word {
			haveTerm, err = next(terms, &term)
		}
		if !haveTerm || term != word {
			stale = append(stale, word)
		}
	}
	return stale, err
}

func deleteStaleWords(ctx context.Context, conn *sql.Conn, words []string) (int, error) {
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return 0, err
	}
	defer tx.Rollback()
	removed := 0
	for _, w := range words {
		res, err := tx.ExecContext(ctx, `DELETE FROM search_words WHERE word = ?1
			AND NOT EXISTS (SELECT 1 FROM temp.search_fts_terms WHERE term = ?1)`, w)
		if err != nil {
			return 0, err
		}
		n, _ := res.RowsAffected()
		removed += int(n)
	}
	return removed, tx.Commit()
}
