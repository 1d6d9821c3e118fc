package main

import (
	"path/filepath"
	"strings"
	"testing"
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
