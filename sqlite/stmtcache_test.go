package sqlite

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
)

// Query texts past the cache's bound are answered, and not kept.
func TestStatementCacheIsBounded(t *testing.T) {
	ctx := context.Background()
	s, err := Open(ctx, filepath.Join(t.TempDir(), "vigie.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for i := range maxCachedStatements + 50 {
		var n int
		// Each text differs, as one with a value written into it would.
		if err := s.cached.QueryRowContext(ctx, fmt.Sprintf("SELECT %d", i)).Scan(&n); err != nil || n != i {
			t.Fatalf("SELECT %d = %d, %v", i, n, err)
		}
		rows, err := s.cached.QueryContext(ctx, fmt.Sprintf("SELECT %d + 1", i))
		if err != nil {
			t.Fatal(err)
		}
		if !rows.Next() || rows.Scan(&n) != nil || n != i+1 {
			t.Fatalf("SELECT %d + 1 = %d", i, n)
		}
		rows.Close()
	}
	if _, err := s.cached.ExecContext(ctx, "UPDATE data_version SET version = version WHERE id = 1 AND 7 = 7"); err != nil {
		t.Errorf("an exec past the bound: %v", err)
	}
	s.cached.mu.RLock()
	kept := len(s.cached.stmts)
	s.cached.mu.RUnlock()
	if kept != maxCachedStatements {
		t.Errorf("%d statements kept, want the bound, %d", kept, maxCachedStatements)
	}
}
