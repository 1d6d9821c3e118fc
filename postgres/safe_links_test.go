package postgres_test

import (
	"context"
	"testing"

	vigie "github.com/vigie-network/vigie"
	"github.com/vigie-network/vigie/postgres"
)

// As sqlite/safe_links_test.go: links stored before the domain checked
// them are removed by a migration, each noted in the audit log.
func TestUnsafeLinksAreRemovedOnce(t *testing.T) {
	ctx := context.Background()
	dsn := newDatabase(t)
	s, err := postgres.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Update(ctx, func(tx vigie.Tx) error {
		for _, p := range []vigie.Publication{
			{Slug: "bad", Title: "Bad", Type: vigie.PubOther, Link: "https://placeholder.example"},
			{Slug: "good", Title: "Good", Type: vigie.PubOther, Link: "mailto:legal@ecpat.example"},
		} {
			if _, err := vigie.MergePublication(ctx, tx, &p); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Pool().Exec(ctx, `UPDATE publications SET link = 'javascript:alert(1)' WHERE slug = 'bad';
		DELETE FROM schema_migrations WHERE name LIKE '%0004_safe_links.sql'`); err != nil {
		t.Fatal(err)
	}
	s.Close()
	if s, err = postgres.Open(ctx, dsn); err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if p, _ := s.Publication(ctx, "bad"); p.Link != "" {
		t.Errorf("unsafe link kept: %q", p.Link)
	}
	if p, _ := s.Publication(ctx, "good"); p.Link != "mailto:legal@ecpat.example" {
		t.Errorf("safe link lost: %q", p.Link)
	}
	log, _ := s.AuditLog(ctx, vigie.AuditFilter{})
	if len(log) != 1 || log[0].Action != "link.removed" || log[0].Target != "publication:bad" || log[0].Detail != "javascript:alert(1)" {
		t.Errorf("audit log = %+v", log)
	}
}
