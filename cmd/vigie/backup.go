package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"strings"

	"github.com/vigie-network/vigie/sqlite"
)

const pgBackupAdvice = `PostgreSQL databases are backed up with PostgreSQL's own tools:
  pg_dump --format=custom --file=vigie.dump "$VIGIE_DB"
and restored into an empty database with:
  pg_restore --clean --if-exists --dbname="$VIGIE_DB" vigie.dump`

func isPostgres(dsn string) bool {
	return strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://")
}

func runBackup(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("backup", "backup [--db PATH] FILE", stderr)
	db := dbFlag(fs)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return errUsage
	}
	if isPostgres(*db) {
		fmt.Fprintln(stdout, pgBackupAdvice)
		return nil
	}
	if _, err := os.Stat(*db); err != nil {
		return fmt.Errorf("no database at %s", *db)
	}
	store, err := sqlite.Open(ctx, *db)
	if err != nil {
		return err
	}
	defer store.Close()
	if err := store.Backup(ctx, fs.Arg(0)); err != nil {
		return err
	}
	if _, err := sqlite.CheckFile(ctx, fs.Arg(0)); err != nil {
		return fmt.Errorf("the backup does not check out: %w", err)
	}
	fmt.Fprintf(stdout, "backed up %s to %s\n", *db, fs.Arg(0))
	return nil
}

func runRestore(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("restore", "restore [--db PATH] [--force] FILE", stderr)
	db := dbFlag(fs)
	force := fs.Bool("force", false, "replace an existing database (refused while any Vigie process has it open)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return errUsage
	}
	if isPostgres(*db) {
		fmt.Fprintln(stdout, pgBackupAdvice)
		return nil
	}
	from := fs.Arg(0)
	if _, err := sqlite.CheckFile(ctx, from); err != nil {
		return fmt.Errorf("nothing restored: %w", err)
	}
	// Every Vigie process holds the database's lock shared while it has
	// it open; replacing the file under one would lose its writes.
	release, err := sqlite.LockExclusive(*db)
	if err != nil {
		return fmt.Errorf("nothing restored: %w", err)
	}
	defer release()
	if _, err := os.Stat(*db); err == nil && !*force {
		return fmt.Errorf("nothing restored: %s exists; stop vigie serve and pass --force to replace it", *db)
	}
	// Copy beside the target, then rename over it, so that a crash leaves
	// either the old database or the new one, never half of one.
	tmp, err := os.CreateTemp(filepath.Dir(*db), ".restore-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	src, err := os.Open(from)
	if err != nil {
		return err
	}
	defer src.Close()
	if _, err := io.Copy(tmp, src); err != nil {
		tmp.Close()
		return err
	}
	if err := errors.Join(tmp.Sync(), tmp.Close()); err != nil {
		return err
	}
	for _, suffix := range []string{"-wal", "-shm"} {
		if err := os.Remove(*db + suffix); err != nil && !os.IsNotExist(err) {
			return err
		}
	}
	if err := os.Rename(tmp.Name(), *db); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "restored %s from %s\n", *db, from)
	return nil
}

// redactDSN hides the password of a PostgreSQL address before it is logged.
func redactDSN(dsn string) string {
	if !isPostgres(dsn) {
		return dsn
	}
	u, err := url.Parse(dsn)
	if err != nil {
		return "postgres://(unparsable address)"
	}
	return u.Redacted()
}
