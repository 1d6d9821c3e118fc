package sqlite_test

import (
	"context"
	"path/filepath"
	"testing"

	vigie "github.com/vigie-network/vigie"
	"github.com/vigie-network/vigie/sqlite"
	"github.com/vigie-network/vigie/storetest"
)

func TestContract(t *testing.T) {
	storetest.Run(t, func(t *testing.T) vigie.Store {
		s, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "vigie.db"))
		if err != nil {
			t.Fatal(err)
		}
		return s
	})
}

func TestReopenKeepsDataAndMigratesOnce(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "vigie.db")
	s, err := sqlite.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	err = s.Update(ctx, func(tx vigie.Tx) error {
		_, _, err := tx.SaveAssessment(ctx, vigie.Assessment{Country: "ML", Indicator: "sec-police-unit", Rating: vigie.RatingNo}, vigie.Change{Author: "t"})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	s, err = sqlite.Open(ctx, path)
	if err != nil {
		t.Fatalf("reopen: %v", err)
	}
	defer s.Close()
	a, err := s.Assessment(ctx, "ML", "sec-police-unit")
	if err != nil || a.Rating != vigie.RatingNo {
		t.Errorf("after reopen: %+v, %v", a, err)
	}
	var mode string
	if err := s.DB().QueryRow(`PRAGMA journal_mode`).Scan(&mode); err != nil || mode != "wal" {
		t.Errorf("journal_mode = %q, %v; want wal", mode, err)
	}
	var fk int
	if err := s.DB().QueryRow(`PRAGMA foreign_keys`).Scan(&fk); err != nil || fk != 1 {
		t.Errorf("foreign_keys = %d, %v; want 1", fk, err)
	}
}

// A database made before organisations kept their folded names gets them
// when it is opened, so that merging finds its organisations by name.
func TestMigrationFoldsStoredOrganisationNames(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "vigie.db")
	s, err := sqlite.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	org := vigie.Organisation{Country: "ML", Name: "Réseau Élan", Slug: "elan"}
	if err := s.Update(ctx, func(tx vigie.Tx) error { return tx.InsertOrganisation(ctx, &org) }); err != nil {
		t.Fatal(err)
	}
	// As the database was before migration 0018.
	for _, q := range []string{`DROP INDEX organisations_by_name_key`, `ALTER TABLE organisations DROP COLUMN name_key`,
		`DELETE FROM schema_migrations WHERE name = 'migrations/0018_organisation_name_keys.sql'`} {
		if _, err := s.DB().ExecContext(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	s.Close()
	if s, err = sqlite.Open(ctx, path); err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if got, err := s.OrganisationNamed(ctx, "ML", "RESEAU ELAN"); err != nil || len(got) != 1 || got[0].ID != org.ID {
		t.Errorf("OrganisationNamed after the migration = %v, %v", got, err)
	}
}
