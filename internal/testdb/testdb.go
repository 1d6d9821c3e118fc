// Package testdb opens fresh stores for the tests of the packages above
// the stores (web/, api/): SQLite always, and PostgreSQL as well when
// VIGIE_TEST_POSTGRES names a server, so that a suite proves both stores
// answer the same.
package testdb

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"testing"

	"github.com/jackc/pgx/v5"
	vigie "github.com/vigie-network/vigie"
	"github.com/vigie-network/vigie/postgres"
	"github.com/vigie-network/vigie/sqlite"
)

// Opener names a kind of store and opens an empty one, seeded with the
// reference data, that is closed (and for PostgreSQL dropped) when the
// test ends.
type Opener struct {
	Name string
	Open func(t testing.TB) vigie.Store
}

// Stores lists SQLite, and PostgreSQL when VIGIE_TEST_POSTGRES is set.
func Stores() []Opener {
	list := []Opener{{"sqlite", func(t testing.TB) vigie.Store { return SQLite(t) }}}
	if os.Getenv("VIGIE_TEST_POSTGRES") != "" {
		list = append(list, Opener{"postgres", func(t testing.TB) vigie.Store { return Postgres(t) }})
	}
	return list
}

// SQLite opens a store in a file of the test's temporary directory.
func SQLite(t testing.TB) *sqlite.Store {
	t.Helper()
	st, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "vigie.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// Postgres opens a store on a new database of the server that
// VIGIE_TEST_POSTGRES names; without the variable the test is skipped.
func Postgres(t testing.TB) *postgres.Store {
	t.Helper()
	st, err := postgres.Open(context.Background(), PostgresDSN(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// PostgresDSN creates an empty database on the server that
// VIGIE_TEST_POSTGRES names, drops it when the test ends and returns its
// DSN. Without the variable the test is skipped.
func PostgresDSN(t testing.TB) string {
	t.Helper()
	admin := os.Getenv("VIGIE_TEST_POSTGRES")
	if admin == "" {
		t.Skip("set VIGIE_TEST_POSTGRES=postgres://… to run on PostgreSQL too")
	}
	ctx := context.Background()
	u, err := url.Parse(admin)
	if err != nil {
		t.Fatalf("VIGIE_TEST_POSTGRES: %v", err)
	}
	b := make([]byte, 6)
	rand.Read(b)
	name := "vigie_test_" + hex.EncodeToString(b)
	exec := func(sql string) error {
		conn, err := pgx.Connect(ctx, admin)
		if err != nil {
			return err
		}
		defer conn.Close(ctx)
		_, err = conn.Exec(ctx, sql)
		return err
	}
	if err := exec(`CREATE DATABASE ` + name); err != nil {
		t.Fatalf("create database: %v", err)
	}
	t.Cleanup(func() {
		if err := exec(`DROP DATABASE IF EXISTS ` + name + ` WITH (FORCE)`); err != nil {
			t.Errorf("drop database %s: %v", name, err)
		}
	})
	u.Path = "/" + name
	return u.String()
}
