package main

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vigie-network/vigie/sqlite"
)

func TestBackupAndRestoreRoundTrip(t *testing.T) {
	dir, db := importedMali(t)
	backup := filepath.Join(dir, "backup.db")
	if code, out, stderr := runCLI(t, "backup", "--db", db, backup); code != 0 || !strings.Contains(out, "backed up") {
		t.Fatalf("backup: exit %d %s%s", code, out, stderr)
	}
	if code, _, stderr := runCLI(t, "backup", "--db", db, backup); code != 1 || !strings.Contains(stderr, "already exists") {
		t.Errorf("backup over an existing file: exit %d %s", code, stderr)
	}
	// Change the live database, then restore the backup over it.
	if code, out, stderr := runCLI(t, "import", "--db", db, "../../pageformat/testdata/gambia.txt"); code != 0 {
		t.Fatalf("second import: %s%s", out, stderr)
	}
	if code, _, stderr := runCLI(t, "restore", "--db", db, backup); code != 1 || !strings.Contains(stderr, "--force") {
		t.Errorf("restore without --force: exit %d %s", code, stderr)
	}
	if code, out, stderr := runCLI(t, "restore", "--db", db, "--force", backup); code != 0 {
		t.Fatalf("restore: exit %d %s%s", code, out, stderr)
	}
	// The restored database is the backed-up one: Mali is there, Gambia is not.
	_, out, _ := runCLI(t, "import", "--db", db, "--dry-run", "../../pageformat/testdata/gambia.txt")
	if !strings.Contains(out, "2 organisation(s)") {
		t.Errorf("after restore, Gambia's import would not be new: %s", out)
	}
	_, out, _ = runCLI(t, "import", "--db", db, maliPage)
	if !strings.Contains(out, "already up to date") {
		t.Errorf("after restore, Mali is not there: %s", out)
	}
	if code, _, stderr := runCLI(t, "restore", "--db", db, "--force", maliPage); code != 1 || !strings.Contains(stderr, "nothing restored") {
		t.Errorf("restoring a text file: exit %d %s", code, stderr)
	}
}

// A restore renamed a new file under a running server, which went on
// writing to the deleted one: every write it acknowledged was lost. The
// restore is now refused while any Vigie process has the database open,
// and says which.
func TestRestoreRefusedWhileServing(t *testing.T) {
	dir, db := importedMali(t)
	backup := filepath.Join(dir, "backup.db")
	if code, out, stderr := runCLI(t, "backup", "--db", db, backup); code != 0 {
		t.Fatalf("backup: exit %d %s%s", code, out, stderr)
	}
	before, err := os.Stat(db)
	if err != nil {
		t.Fatal(err)
	}
	base := startServeProcess(t, db)
	if base == "" {
		t.FailNow()
	}
	code, _, stderr := runCLI(t, "restore", "--db", db, "--force", backup)
	if code != 1 || !strings.Contains(stderr, "nothing restored") || !strings.Contains(stderr, "vigie serve (pid ") {
		t.Fatalf("restore under vigie serve: exit %d %s", code, stderr)
	}
	if after, err := os.Stat(db); err != nil || !os.SameFile(before, after) {
		t.Errorf("the served database was replaced (%v)", err)
	}
	// While a restore holds the lock, nothing opens the database.
	release, err := sqlite.LockExclusive(filepath.Join(dir, "other.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer release()
	if _, err := sqlite.Open(t.Context(), filepath.Join(dir, "other.db")); !errors.Is(err, sqlite.ErrInUse) {
		t.Errorf("open during a restore: %v", err)
	}
}
