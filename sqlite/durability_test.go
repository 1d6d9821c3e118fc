package sqlite

import (
	"path/filepath"
	"testing"
)

// An acknowledged write must survive a power failure: in WAL mode that
// takes synchronous=FULL (2), which syncs the log at every commit; NORMAL
// (1) syncs it only at checkpoints.
func TestOpenSyncsEveryCommit(t *testing.T) {
	st, err := Open(t.Context(), filepath.Join(t.TempDir(), "vigie.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	var level int
	if err := st.DB().QueryRowContext(t.Context(), `PRAGMA synchronous`).Scan(&level); err != nil {
		t.Fatal(err)
	}
	var journal string
	if err := st.DB().QueryRowContext(t.Context(), `PRAGMA journal_mode`).Scan(&journal); err != nil {
		t.Fatal(err)
	}
	if level != 2 || journal != "wal" {
		t.Errorf("synchronous = %d, journal_mode = %s; want 2 (FULL) and wal", level, journal)
	}
}
