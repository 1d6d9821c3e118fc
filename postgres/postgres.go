// Package postgres stores Vigie's data in PostgreSQL through pgx's pool,
// for sites that run several `vigie serve` processes on one database.
// Its semantics are the SQLite store's; both pass storetest.
package postgres

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
	vigie "github.com/vigie-network/vigie"
)

// Store is the PostgreSQL implementation of vigie.Store.
type Store struct {
	pool *pgxpool.Pool
	conn
}

var _ vigie.Store = (*Store)(nil)

// querier is what both the pool and a transaction offer, so that every
// read is written once and works inside and outside a transaction.
type querier interface {
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

// conn implements vigie.Reader, and vigie.Tx when q is a transaction.
type conn struct {
	q       querier
	changed *bool // set by writes, so that Update bumps the data version only when something changed
}

// Open connects to the database that dsn (postgres://…) names, applies
// migrations and seeds the reference data on first use. Several processes
// may open the same database at once.
func Open(ctx context.Context, dsn string) (*Store, error) {
	cfg, err := pgxpool.ParseConfig(dsn)
	if err != nil {
		return nil, fmt.Errorf("postgres: %w", err)
	}
	// Writers wait for each other while holding a connection (see
	// Update), so leave room for readers beside them.
	if !strings.Contains(dsn, "pool_max_conns") {
		cfg.MaxConns = max(cfg.MaxConns, 16)
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("postgres: %w", err)
	}
	where := cfg.ConnConfig.Host + "/" + cfg.ConnConfig.Database
	if err := pool.Ping(ctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("open %s: %w", where, err)
	}
	if err := migrate(ctx, pool); err != nil {
		pool.Close()
		return nil, fmt.Errorf("migrate %s: %w", where, err)
	}
	if err := seed(ctx, pool); err != nil {
		pool.Close()
		return nil, fmt.Errorf("seed %s: %w", where, err)
	}
	return &Store{pool: pool, conn: conn{q: holdableQuerier{pool}}}, nil
}

// Close closes the pool.
func (s *Store) Close() error {
	s.pool.Close()
	return nil
}

// Pool exposes the pool for maintenance commands and tests.
func (s *Store) Pool() *pgxpool.Pool { return s.pool }

// Update runs fn in one transaction. Writers first lock the data_version
// row, so they run one at a time as on SQLite and every check fn makes
// (is this base the newest revision? is this email free?) still holds when
// it writes; readers never wait. A SERIALIZABLE transaction would need
// retries, and fn cannot be re-run: the Tx methods fill new IDs into the
// caller's structs.
func (s *Store) Update(ctx context.Context, fn func(vigie.Tx) error) error {
	return pgx.BeginTxFunc(ctx, s.pool, pgx.TxOptions{IsoLevel: pgx.ReadCommitted}, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `SELECT 1 FROM data_version WHERE id = 1 FOR UPDATE`); err != nil {
			return err
		}
		changed := false
		if err := fn(conn{q: holdableQuerier{tx}, changed: &changed}); err != nil {
			return err
		}
		if changed {
			if _, err := tx.Exec(ctx, `UPDATE data_version SET version = version + 1 WHERE id = 1`); err != nil {
				return err
			}
		}
		return nil
	})
}

func (c conn) markChanged() {
	if c.changed != nil {
		*c.changed = true
	}
}

// seed inserts the countries the binary knows and, into an empty
// framework, the default indicators and rating scale. It never overwrites
// what admins have edited. The lock keeps two processes starting together
// from seeding twice.
func seed(ctx context.Context, pool *pgxpool.Pool) error {
	return pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1, $2)`, lockClass, lockMigrate); err != nil {
			return err
		}
		var iso2, slugs []string
		for _, c := range vigie.Countries() {
			iso2, slugs = append(iso2, c.ISO2), append(slugs, c.Slug)
		}
		if _, err := tx.Exec(ctx, `INSERT INTO countries (iso2, slug) SELECT * FROM unnest($1::text[], $2::text[])
			ON CONFLICT (iso2) DO UPDATE SET slug = excluded.slug WHERE countries.slug <> excluded.slug`, iso2, slugs); err != nil {
			return err
		}
		var n int
		if err := tx.QueryRow(ctx, `SELECT count(*) FROM indicators`).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			for _, ind := range vigie.DefaultIndicators() {
				if _, err := tx.Exec(ctx, `INSERT INTO indicators (key, name, rationale, value_kind, position)
					VALUES ($1, $2, $3, $4, $5)`, ind.Key, ind.Name, ind.Rationale, string(ind.ValueKind), ind.Position); err != nil {
					return err
				}
			}
		}
		if err := tx.QueryRow(ctx, `SELECT count(*) FROM ratings`).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			for _, r := range vigie.DefaultRatings() {
				if _, err := tx.Exec(ctx, `INSERT INTO ratings (key, label, meaning, assessed, position)
					VALUES ($1, $2, $3, $4, $5)`, r.Key, r.Label, r.Meaning, r.Assessed, r.Position); err != nil {
					return err
				}
			}
		}
		return seedTranslations(ctx, tx)
	})
}

func notFound(format string, args ...any) error {
	return vigie.Errorf(vigie.ENOTFOUND, format, args...)
}

func isNoRows(err error) bool { return errors.Is(err, pgx.ErrNoRows) }

// isUniqueViolation tells a UNIQUE constraint failure by its SQLSTATE,
// not by its message.
func isUniqueViolation(err error) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && pe.Code == "23505"
}

// collect reads every row with scan; it returns nil, not an empty slice,
// when there are none, as the SQLite store does.
func collect[T any](rows pgx.Rows, err error, scan func(pgx.Row) (T, error)) ([]T, error) {
	if err != nil {
		return nil, err
	}
	var out []T
	return pgx.AppendRows(out, rows, func(r pgx.CollectableRow) (T, error) { return scan(r) })
}

// nullTime stores the zero time as NULL.
func nullTime(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t
}

// fromDB turns a scanned, possibly NULL timestamp into the UTC time the
// domain uses, zero for NULL.
func fromDB(t *time.Time) time.Time {
	if t == nil {
		return time.Time{}
	}
	return t.UTC()
}

// splitTime splits t into what timestamptz keeps (NULL for the zero time)
// and the nanoseconds below it, for the revisions' *_ns columns.
func splitTime(t time.Time) (any, int) {
	if t.IsZero() {
		return nil, 0
	}
	us := toDB(t)
	return us, int(t.Sub(us))
}

// joinTime is splitTime's inverse.
func joinTime(t *time.Time, ns int) time.Time {
	if t == nil {
		return time.Time{}
	}
	return t.UTC().Add(time.Duration(ns))
}

// toDB rounds t down to what timestamptz keeps, so that what a write
// returns equals what a later read finds.
func toDB(t time.Time) time.Time { return t.UTC().Truncate(time.Microsecond) }

func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

// strs turns an empty list into nil, as the SQLite store returns it.
func strs(list []string) []string {
	if len(list) == 0 {
		return nil
	}
	return list
}

// list stores a nil list as an empty array.
func list(l []string) []string {
	if l == nil {
		return []string{}
	}
	return l
}

func fold(s string) string { return vigie.Fold(strings.TrimSpace(s)) }

// holdableQuerier gives PostgreSQL only text it can hold. The domain
// refuses invalid UTF-8 and NUL in everything it writes, so what still
// brings them is a key typed into an address (GET /news/%FF) or the audit
// note of a failed sign-in: such a key matches nothing, as on SQLite,
// instead of failing the request with "invalid byte sequence".
type holdableQuerier struct{ q querier }

func (h holdableQuerier) Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error) {
	return h.q.Exec(ctx, sql, holdableArgs(args)...)
}

func (h holdableQuerier) Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error) {
	return h.q.Query(ctx, sql, holdableArgs(args)...)
}

func (h holdableQuerier) QueryRow(ctx context.Context, sql string, args ...any) pgx.Row {
	return h.q.QueryRow(ctx, sql, holdableArgs(args)...)
}

// holdableArgs replaces, in a copy of args when needed, every text that is
// not valid UTF-8 or holds NUL by one where those bytes are U+FFFD.
func holdableArgs(args []any) []any {
	var out []any
	set := func(i int, v any) {
		if out == nil {
			out = slices.Clone(args)
		}
		out[i] = v
	}
	for i, a := range args {
		switch v := a.(type) {
		case string:
			if !vigie.Holdable(v) {
				set(i, holdableText(v))
			}
		case []string:
			if slices.ContainsFunc(v, func(s string) bool { return !vigie.Holdable(s) }) {
				fixed := make([]string, len(v))
				for j, s := range v {
					fixed[j] = holdableText(s)
				}
				set(i, fixed)
			}
		}
	}
	if out == nil {
		return args
	}
	return out
}

func holdableText(s string) string {
	return strings.ReplaceAll(strings.ToValidUTF8(s, "\uFFFD"), "\x00", "\uFFFD")
}
