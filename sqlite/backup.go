package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// Backup writes a consistent copy of the live database to path with
// VACUUM INTO: readers and writers carry on while it runs, and the copy is
// compact and needs no WAL file beside it.
func (s *Store) Backup(ctx context.Context, path string) error {
	if _, err := os.Stat(path); err == nil {
		return fmt.Errorf("%s already exists; choose a new file name", path)
	}
	_, err := s.db.ExecContext(ctx, `VACUUM INTO ?`, path)
	return err
}

// CheckFile opens the SQLite file at path read-only and checks that it is
// a sound Vigie database: its integrity check passes and it has Vigie's
// migrations table. It reports how many migrations were applied.
func CheckFile(ctx context.Context, path string) (migrations int, err error) {
	if _, err := os.Stat(path); err != nil {
		return 0, err
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return 0, err
	}
	db, err := sql.Open("sqlite", "file:"+abs+"?mode=ro&_pragma=busy_timeout(10000)")
	if err != nil {
		return 0, err
	}
	defer db.Close()
	var result string
	if err := db.QueryRowContext(ctx, `PRAGMA integrity_check`).Scan(&result); err != nil {
		return 0, fmt.Errorf("%s is not a SQLite database: %w", path, err)
	}
	if result != "ok" {
		return 0, fmt.Errorf("%s fails its integrity check: %s", path, result)
	}
	if err := db.QueryRowContext(ctx, `SELECT count(*) FROM schema_migrations`).Scan(&migrations); err != nil {
		if strings.Contains(err.Error(), "no such table") {
			return 0, fmt.Errorf("%s is a SQLite database but not a Vigie one", path)
		}
		return 0, err
	}
	var fk int
	rows, err := db.QueryContext(ctx, `PRAGMA foreign_key_check`)
	if err != nil {
		return 0, err
	}
	for rows.Next() {
		fk++
	}
	rows.Close()
	if fk > 0 {
		return 0, fmt.Errorf("%s has %d row(s) breaking foreign keys", path, fk)
	}
	return migrations, nil
}
