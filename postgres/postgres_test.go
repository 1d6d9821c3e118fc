package postgres_test

import (
	"context"
	"errors"
	"fmt"
	"github.com/vigie-network/vigie/internal/testdb"
	"os"
	"path/filepath"
	"sync"
	"testing"

	vigie "github.com/vigie-network/vigie"
	"github.com/vigie-network/vigie/postgres"
	"github.com/vigie-network/vigie/storetest"
)

// newDatabase is a new, empty database for one test (testdb.PostgresDSN).
func newDatabase(t *testing.T) string { return testdb.PostgresDSN(t) }

func open(t *testing.T, dsn string) *postgres.Store {
	t.Helper()
	s, err := postgres.Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestContract(t *testing.T) {
	if os.Getenv("VIGIE_TEST_POSTGRES") == "" {
		t.Skip("set VIGIE_TEST_POSTGRES=postgres://… to run the PostgreSQL contract suite")
	}
	storetest.Run(t, func(t *testing.T) vigie.Store { return open(t, newDatabase(t)) })
}

// TestTwoProcesses opens two stores on one database, as two `vigie serve`
// processes would, at the same moment: both migrate safely, and each sees
// the other's writes and data version at once.
func TestTwoProcesses(t *testing.T) {
	ctx := context.Background()
	dsn := newDatabase(t)
	var stores [2]*postgres.Store
	var wg sync.WaitGroup
	errs := make([]error, 2)
	for i := range stores {
		wg.Go(func() { stores[i], errs[i] = postgres.Open(ctx, dsn) })
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("store %d: %v", i, err)
		}
		t.Cleanup(func() { stores[i].Close() })
	}
	a, b := stores[0], stores[1]
	var applied int
	if err := a.Pool().QueryRow(ctx, `SELECT count(*) FROM schema_migrations`).Scan(&applied); err != nil || applied != migrationCount(t) {
		t.Errorf("%d migrations recorded (%v), want each once", applied, err)
	}
	if inds, err := b.Indicators(ctx); err != nil || len(inds) != len(vigie.DefaultIndicators()) {
		t.Fatalf("seeded twice or not at all: %d indicators, %v", len(inds), err)
	}

	v0, _ := b.DataVersion(ctx)
	want := vigie.Assessment{Country: "ML", Indicator: "sec-police-unit", Rating: vigie.RatingNo}
	if err := a.Update(ctx, func(tx vigie.Tx) error {
		_, _, err := tx.SaveAssessment(ctx, want, vigie.Change{Author: "process a"})
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if v1, _ := b.DataVersion(ctx); v1 <= v0 {
		t.Errorf("the other process sees data version %d after a write, was %d", v1, v0)
	}
	if got, err := b.Assessment(ctx, "ML", "sec-police-unit"); err != nil || got.Revision != 1 || !got.SameContent(want) {
		t.Errorf("the other process reads %+v, %v", got, err)
	}

	// An editor on b, working from revision 1, loses to a's newer save.
	if err := a.Update(ctx, func(tx vigie.Tx) error {
		want.Rating = vigie.RatingPartial
		_, _, err := tx.SaveAssessment(ctx, want, vigie.Change{Author: "process a"})
		return err
	}); err != nil {
		t.Fatal(err)
	}
	err := b.Update(ctx, func(tx vigie.Tx) error {
		_, err := tx.AddRevision(ctx, want, vigie.NewRevision{State: vigie.RevisionDraft, Base: 1, Change: vigie.Change{Author: "process b"}})
		return err
	})
	var conflict *vigie.ConflictError
	if !errors.As(err, &conflict) || conflict.Current.Number != 2 {
		t.Errorf("stale base across processes: err = %v, want a conflict with revision 2", err)
	}
	if v2, v3 := dataVersion(t, a), dataVersion(t, b); v2 != v3 {
		t.Errorf("the processes disagree on the data version: %d and %d", v2, v3)
	}
}

func dataVersion(t *testing.T, s vigie.Store) int64 {
	t.Helper()
	v, err := s.DataVersion(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func migrationCount(t *testing.T) int {
	names, err := filepath.Glob("migrations/*.sql")
	if err != nil {
		t.Fatal(err)
	}
	return len(names)
}

// TestUniqueNumberIsAConflict checks the backstop under AddRevision's
// check: a second revision with the same number fails on the UNIQUE
// constraint as a *vigie.ConflictError showing the stored revision, and
// the transaction stays usable.
func TestUniqueNumberIsAConflict(t *testing.T) {
	ctx := context.Background()
	s := open(t, newDatabase(t))
	defer s.Close()
	a := vigie.Assessment{Country: "ML", Indicator: "sec-police-unit", Rating: vigie.RatingNo}
	draft := vigie.NewRevision{State: vigie.RevisionDraft, Change: vigie.Change{Author: "first"}}
	if err := s.Update(ctx, func(tx vigie.Tx) error { _, err := tx.AddRevision(ctx, a, draft); return err }); err != nil {
		t.Fatal(err)
	}
	err := s.Update(ctx, func(tx vigie.Tx) error {
		draft.Author = "second"
		_, err := postgres.InsertWithoutCheck(ctx, tx, a, draft)
		var conflict *vigie.ConflictError
		if !errors.As(err, &conflict) || conflict.Current.Number != 1 || conflict.Current.Author != "first" {
			t.Errorf("duplicate number: err = %#v, want a conflict showing revision 1", err)
		}
		draft.Base = 1
		_, err = tx.AddRevision(ctx, a, draft)
		return err
	})
	if err != nil {
		t.Fatalf("the transaction did not survive the conflict: %v", err)
	}
	if revs, _ := s.Revisions(ctx, "ML", "sec-police-unit"); len(revs) != 2 || revs[0].Author != "second" {
		t.Errorf("revisions = %+v", revs)
	}
}

// TestOneWinnerAcrossProcesses has editors on two stores, as on two
// servers, save on the same base at once: one wins, the others conflict.
func TestOneWinnerAcrossProcesses(t *testing.T) {
	ctx := context.Background()
	dsn := newDatabase(t)
	stores := []*postgres.Store{open(t, dsn), open(t, dsn)}
	for _, s := range stores {
		defer s.Close()
	}
	const editors = 12
	results := make(chan error, editors)
	var wg sync.WaitGroup
	for i := range editors {
		wg.Go(func() {
			results <- stores[i%2].Update(ctx, func(tx vigie.Tx) error {
				a := vigie.Assessment{Country: "SN", Indicator: "csam-definition", Rating: vigie.RatingPartial,
					Explanation: fmt.Sprintf("editor %d", i)}
				_, err := tx.AddRevision(ctx, a, vigie.NewRevision{State: vigie.RevisionSubmitted,
					Change: vigie.Change{Author: fmt.Sprint("editor ", i)}})
				return err
			})
		})
	}
	wg.Wait()
	close(results)
	wins, conflicts := 0, 0
	for err := range results {
		var c *vigie.ConflictError
		switch {
		case err == nil:
			wins++
		case errors.As(err, &c):
			conflicts++
		default:
			t.Errorf("unexpected error: %v", err)
		}
	}
	if wins != 1 || conflicts != editors-1 {
		t.Errorf("%d wins and %d conflicts, want 1 and %d", wins, conflicts, editors-1)
	}
}

// A database made before organisations kept their folded names gets them
// when it is opened, so that merging finds its organisations by name.
func TestMigrationFoldsStoredOrganisationNames(t *testing.T) {
	if os.Getenv("VIGIE_TEST_POSTGRES") == "" {
		t.Skip("set VIGIE_TEST_POSTGRES=postgres://… to run the PostgreSQL tests")
	}
	ctx := context.Background()
	dsn := newDatabase(t)
	s := open(t, dsn)
	org := vigie.Organisation{Country: "ML", Name: "Réseau Élan", Slug: "elan"}
	if err := s.Update(ctx, func(tx vigie.Tx) error { return tx.InsertOrganisation(ctx, &org) }); err != nil {
		t.Fatal(err)
	}
	// As the database was before migration 0011.
	for _, q := range []string{`DROP INDEX organisations_by_name_key`, `ALTER TABLE organisations DROP COLUMN name_key`,
		`DELETE FROM schema_migrations WHERE name = 'migrations/0011_organisation_name_keys.sql'`} {
		if _, err := s.Pool().Exec(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	s.Close()
	s = open(t, dsn)
	defer s.Close()
	if got, err := s.OrganisationNamed(ctx, "ML", "RESEAU ELAN"); err != nil || len(got) != 1 || got[0].ID != org.ID {
		t.Errorf("OrganisationNamed after the migration = %v, %v", got, err)
	}
}
