package sqlite

import (
	"context"
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
