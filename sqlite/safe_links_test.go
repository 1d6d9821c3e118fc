package sqlite_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	vigie "github.com/vigie-network/vigie"
	"github.com/vigie-network/vigie/sqlite"
)

// Links stored before the domain checked them (issue 13, finding 12) are
// removed by a migration, each noted in the audit log; safe ones stay.
func TestUnsafeLinksAreRemovedOnce(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "vigie.db")
	s, err := sqlite.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Update(ctx, func(tx vigie.Tx) error {
		for _, p := range []vigie.Publication{
			{Slug: "bad", Title: "Bad", Type: vigie.PubOther, Link: "https://placeholder.example"},
			{Slug: "good", Title: "Good", Type: vigie.PubOther, Link: "https://ecpat.example/report.pdf"},
		} {
			if _, err := vigie.MergePublication(ctx, tx, &p); err != nil {
				return err
			}
		}
		o := vigie.Organisation{Country: "ML", Name: "O", Website: "https://placeholder.example"}
		_, err := vigie.MergeOrganisation(ctx, tx, &o)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	// What an earlier version let through, written behind the domain's back.
	if _, err := s.DB().ExecContext(ctx, `UPDATE publications SET link = 'JavaScript:alert(document.cookie)' WHERE slug = 'bad';
		UPDATE organisations SET website = 'data:text/html,<script>x</script>';
		DELETE FROM schema_migrations WHERE name LIKE '%0010_safe_links.sql'`); err != nil {
		t.Fatal(err)
	}
	s.Close()
	if s, err = sqlite.Open(ctx, path); err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if p, _ := s.Publication(ctx, "bad"); p.Link != "" {
		t.Errorf("unsafe link kept: %q", p.Link)
	}
	if p, _ := s.Publication(ctx, "good"); p.Link != "https://ecpat.example/report.pdf" {
		t.Errorf("safe link lost: %q", p.Link)
	}
	if orgs, _ := s.Organisations(ctx, vigie.OrganisationFilter{}); len(orgs) != 1 || orgs[0].Website != "" {
		t.Errorf("unsafe website kept: %+v", orgs)
	}
	log, err := s.AuditLog(ctx, vigie.AuditFilter{})
	if err != nil {
		t.Fatal(err)
	}
	removed := 0
	for _, e := range log {
		if e.Action == "link.removed" {
			removed++
			if !strings.HasPrefix(e.Detail, "JavaScript:") && !strings.HasPrefix(e.Detail, "data:") || e.At.IsZero() {
				t.Errorf("audit entry = %+v", e)
			}
		}
	}
	if removed != 2 {
		t.Errorf("%d removals in the audit log, want 2", removed)
	}
}
