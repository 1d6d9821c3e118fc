// Package sqlite stores Vigie's data in one SQLite file through the pure-Go
// modernc.org/sqlite driver: WAL mode, foreign keys on, migrations embedded.
package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"

	vigie "github.com/vigie-network/vigie"
	_ "modernc.org/sqlite"
)

// Store is the SQLite implementation of vigie.Store.
type Store struct {
	db     *sql.DB
	cached *cachedDB
	lock   *dbLock // shared while the store is open (lock.go)
	conn
}

var _ vigie.Store = (*Store)(nil)

// queryer is what both *sql.DB and *sql.Tx offer, so that every read is
// written once and works inside and outside a transaction.
type queryer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// conn implements vigie.Reader, and vigie.Tx when q is a transaction.
type conn struct {
	q       queryer
	changed *bool        // set by writes, so that Update bumps the data version only when something changed
	search  *searchQueue // in Update: the documents whose rows of the search index are still to write
}

// Open opens or creates the database at path, applies migrations and seeds
// the reference data (countries, the default framework) on first use.
func Open(ctx context.Context, path string) (_ *Store, err error) {
	lock, err := lock(path, false)
	if err != nil {
		return nil, err
	}
	defer func() {
		if err != nil {
			lock.Release()
		}
	}()
	v := url.Values{}
	v.Add("_pragma", "foreign_keys(1)")
	v.Add("_pragma", "journal_mode(WAL)")
	v.Add("_pragma", "busy_timeout(10000)")
	// FULL syncs the log at every commit, so that a write acknowledged
	// survives a power failure; NORMAL would sync it only at checkpoints.
	// Measured on the synthetic dataset, its cost was lost in the noise
	// (bench/RESULTS.md).
	v.Add("_pragma", "synchronous(FULL)")
	// 16 MB of page cache per connection rather than 2: ranking a search
	// reads the rows of every match, and the full-text index is large.
	v.Add("_pragma", "cache_size(-16000)")
	// Writers take the lock when they begin, not at their first write, so
	// two writers never deadlock upgrading a read lock.
	v.Add("_txlock", "immediate")
	db, err := sql.Open("sqlite", "file:"+path+"?"+v.Encode())
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(8)
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	if err := migrate(ctx, db); err != nil {
		db.Close()
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	cached := newCachedDB(db)
	s := &Store{db: db, cached: cached, lock: lock, conn: conn{q: cached}}
	if err := s.seed(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("seed %s: %w", path, err)
	}
	return s, nil
}

// Close closes the database.
func (s *Store) Close() error {
	s.cached.close()
	return errors.Join(s.db.Close(), s.lock.Release())
}

// DB exposes the handle for maintenance commands and tests.
func (s *Store) DB() *sql.DB { return s.db }

// Update runs fn in one write transaction.
func (s *Store) Update(ctx context.Context, fn func(vigie.Tx) error) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	changed := false
	c := conn{q: tx, changed: &changed, search: &searchQueue{}}
	if err := fn(c); err != nil {
		return err
	}
	if err := c.flushSearch(ctx); err != nil {
		return err
	}
	if changed {
		if _, err := tx.ExecContext(ctx, `UPDATE data_version SET version = version + 1 WHERE id = 1`); err != nil {
			return err
		}
	}
	return tx.Commit()
}

func (c conn) markChanged() {
	if c.changed != nil {
		*c.changed = true
	}
}

// seed inserts the countries the binary knows and, into an empty
// framework, the default indicators and rating scale. It never overwrites
// what admins have edited.
func (s *Store) seed(ctx context.Context) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	for _, c := range vigie.Countries() {
		if _, err := tx.ExecContext(ctx, `INSERT INTO countries (iso2, slug) VALUES (?, ?)
			ON CONFLICT (iso2) DO UPDATE SET slug = excluded.slug`, c.ISO2, c.Slug); err != nil {
			return err
		}
	}
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM indicators`).Scan(&n); err != nil {
		return err
	}
	if n == 0 {
		for _, ind := range vigie.DefaultIndicators() {
			if _, err := tx.ExecContext(ctx, `INSERT INTO indicators (key, name, rationale, value_kind, position)
				VALUES (?, ?, ?, ?, ?)`, ind.Key, ind.Name, ind.Rationale, string(ind.ValueKind), ind.Position); err != nil {
				return err
			}
		}
	}
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM ratings`).Scan(&n); err != nil {
		return err
	}
	if n == 0 {
		for _, r := range vigie.DefaultRatings() {
			if _, err := tx.ExecContext(ctx, `INSERT INTO ratings (key, label, meaning, assessed, position)
				VALUES (?, ?, ?, ?, ?)`, r.Key, r.Label, r.Meaning, r.Assessed, r.Position); err != nil {
				return err
			}
		}
	}
	if err := seedTranslations(ctx, tx); err != nil {
		return err
	}
	return tx.Commit()
}

func notFound(format string, args ...any) error {
	return vigie.Errorf(vigie.ENOTFOUND, format, args...)
}

func isNoRows(err error) bool { return errors.Is(err, sql.ErrNoRows) }
