package postgres

import (
	"context"
	"embed"
	"fmt"
	"io/fs"
	"sort"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// Issue #7 suggested goose. goose v3.30's go.mod requires about ninety
// modules (ClickHouse, MSSQL, YDB, Docker, gRPC, OpenTelemetry…): with it,
// the module graph of pgx and goose has 101 modules where pgx alone has
// 17, all to be downloaded, checked and kept up to date for fifty lines of
// work, and goose runs on database/sql, not on the pool. This runner is
// the SQLite store's, with an advisory lock: embedded .sql files in name
// order, one transaction each, recorded in schema_migrations.

//go:embed migrations/*.sql
var migrations embed.FS

// Advisory lock keys (the two-int form): lockClass is Vigie's, lockMigrate
// guards migrating and seeding, so that two `vigie serve` processes
// starting at once take turns and the second finds the work done.
const (
	lockClass   = 0x76696769 // "vigi"
	lockMigrate = 1
)

// migrate applies the embedded migrations that this database has not seen.
func migrate(ctx context.Context, pool *pgxpool.Pool) error {
	names, err := fs.Glob(migrations, "migrations/*.sql")
	if err != nil {
		return err
	}
	sort.Strings(names)
	for _, name := range names {
		if err := pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error { return applyMigration(ctx, tx, name) }); err != nil {
			return fmt.Errorf("migration %s: %w", name, err)
		}
	}
	return nil
}

func applyMigration(ctx context.Context, tx pgx.Tx, name string) error {
	// The lock comes first: even CREATE TABLE IF NOT EXISTS fails when two
	// sessions run it at the same moment.
	if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1, $2)`, lockClass, lockMigrate); err != nil {
		return err
	}
	if _, err := tx.Exec(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())`); err != nil {
		return err
	}
	var done bool
	if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM schema_migrations WHERE name = $1)`, name).Scan(&done); err != nil {
		return err
	}
	if done {
		return nil
	}
	body, err := migrations.ReadFile(name)
	if err != nil {
		return err
	}
	// Without arguments, the file's statements go in one simple-protocol
	// round trip.
	if _, err := tx.Exec(ctx, string(body)); err != nil {
		return err
	}
	if after := afterMigration[name]; after != nil {
		if err := after(ctx, tx); err != nil {
			return err
		}
	}
	_, err = tx.Exec(ctx, `INSERT INTO schema_migrations (name) VALUES ($1)`, name)
	return err
}

// afterMigration is the work in Go that a migration needs, done in its
// transaction: what PostgreSQL cannot compute as Vigie does.
var afterMigration = map[string]func(context.Context, pgx.Tx) error{
	"migrations/0011_organisation_name_keys.sql": foldOrganisationNames,
}

// foldOrganisationNames fills in the folded name of every stored
// organisation (vigie.Fold, as writes do).
func foldOrganisationNames(ctx context.Context, tx pgx.Tx) error {
	rows, err := tx.Query(ctx, `SELECT id, name FROM organisations`)
	if err != nil {
		return err
	}
	var ids []int64
	var keys []string
	for rows.Next() {
		var id int64
		var name string
		if err := rows.Scan(&id, &name); err != nil {
			rows.Close()
			return err
		}
		ids, keys = append(ids, id), append(keys, fold(name))
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	_, err = tx.Exec(ctx, `UPDATE organisations o SET name_key = k.key
		FROM unnest($1::bigint[], $2::text[]) AS k(id, key) WHERE o.id = k.id`, ids, keys)
	return err
}
