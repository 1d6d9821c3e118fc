package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestImportKeepGoing is the migration of a site: three pages, one
// broken. The two good ones are imported, the broken one is named with
// its line, and the exit status says that something was refused.
func TestImportKeepGoing(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "vigie.db")
	page, err := os.ReadFile(maliPage)
	if err != nil {
		t.Fatal(err)
	}
	broken := filepath.Join(dir, "broken.txt")
	os.WriteFile(broken, []byte(strings.Replace(string(page), "CSAM Definition", "CSAM Definiton", 1)), 0o644)
	ghana := "../../pageformat/testdata/ghana.txt"
	kenya := "../../pageformat/testdata/kenya_current.html"

	code, out, stderr := runCLI(t, "import", "--db", db, "--dry-run", "--keep-going", ghana, broken, kenya)
	if code != 1 || !strings.Contains(out, "dry run, nothing written: 2 file(s) (0 unchanged, 1 refused)") ||
		!strings.Contains(out, "kenya_current.html: layout: current site") ||
		!strings.Contains(out, "ghana.txt:81: needs a look: GH/sec-police-unit") {
		t.Fatalf("dry run: exit %d\n%s%s", code, out, stderr)
	}
	code, out, stderr = runCLI(t, "import", "--db", db, "--keep-going", ghana, broken, kenya)
	if code != 1 || !strings.Contains(stderr, "refused: "+broken+":36: unknown indicator heading") ||
		!strings.Contains(stderr, "1 file(s) refused") || !strings.Contains(out, "imported 2 file(s)") {
		t.Fatalf("keep going: exit %d\n%s%s", code, out, stderr)
	}
	code, out, _ = runCLI(t, "import", "--db", db, "--keep-going", broken)
	if code != 1 || !strings.Contains(out, "nothing new imported: 0 file(s) (0 unchanged, 1 refused)") {
		t.Errorf("only the broken page: exit %d\n%s", code, out)
	}
	// The page fixed, the same run imports it and leaves the others alone.
	os.WriteFile(broken, page, 0o644)
	code, out, stderr = runCLI(t, "import", "--db", db, "--keep-going", ghana, broken, kenya)
	if code != 0 || !strings.Contains(out, "imported 3 file(s) (2 unchanged)") {
		t.Errorf("after the fix: exit %d\n%s%s", code, out, stderr)
	}
}
