package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// TestExportImportRoundTrip exports in every format, imports each into a
// new database, exports again and compares the files byte for byte.
func TestExportImportRoundTrip(t *testing.T) {
	dir := t.TempDir()
	src := filepath.Join(dir, "src.db")
	if code, out, stderr := runCLI(t, "import", "--db", src, maliPage); code != 0 {
		t.Fatalf("seed: %s%s", out, stderr)
	}
	for _, out := range []string{"vigie.json", "vigie.xlsx", "vigie.zip", "pkg"} {
		first := filepath.Join(dir, "1-"+out)
		code, stdout, stderr := runCLI(t, "export", "--db", src, "-o", first)
		if code != 0 || !strings.Contains(stdout, "exported everything to "+first) {
			t.Fatalf("export %s: exit %d\n%s%s", out, code, stdout, stderr)
		}
		if stderr != "" {
			t.Errorf("export %s wrote to stderr, which is no terminal: %q", out, stderr)
		}
		db := filepath.Join(dir, out+".db")
		code, stdout, stderr = runCLI(t, "import", "--db", db, first)
		if code != 0 || !strings.Contains(stdout, "revision(s) restored") {
			t.Fatalf("import %s: exit %d\n%s%s", out, code, stdout, stderr)
		}
		if stderr != "" {
			t.Errorf("import %s wrote to stderr, which is no terminal: %q", out, stderr)
		}
		second := filepath.Join(dir, "2-"+out)
		if code, stdout, stderr := runCLI(t, "export", "--db", db, "-o", second); code != 0 {
			t.Fatalf("export again: %s%s", stdout, stderr)
		}
		if !sameFiles(t, first, second) {
			t.Errorf("%s: export → import → export is not identical", out)
		}
		// Importing the export into its own database changes nothing.
		if code, stdout, _ := runCLI(t, "import", "--db", db, first); code != 0 || !strings.Contains(stdout, "already up to date") {
			t.Errorf("re-import of %s: %s", out, stdout)
		}
	}
	// JSON goes to standard output when there is no -o.
	code, stdout, _ := runCLI(t, "export", "--db", src)
	if code != 0 || !strings.HasPrefix(stdout, "{\n  \"format\": \"vigie-dataset\"") {
		t.Errorf("export to stdout: exit %d, %.60q", code, stdout)
	}
}

func sameFiles(t *testing.T, a, b string) bool {
	t.Helper()
	info, err := os.Stat(a)
	if err != nil {
		t.Fatal(err)
	}
	if !info.IsDir() {
		x, _ := os.ReadFile(a)
		y, _ := os.ReadFile(b)
		return bytes.Equal(x, y)
	}
	entries, _ := os.ReadDir(a)
	for _, e := range entries {
		if !sameFiles(t, filepath.Join(a, e.Name()), filepath.Join(b, e.Name())) {
			return false
		}
	}
	return len(entries) > 0
}

func TestImportOfBadCSVListsEveryError(t *testing.T) {
	dir := t.TempDir()
	src := filepath.Join(dir, "src.db")
	runCLI(t, "import", "--db", src, maliPage)
	pkg := filepath.Join(dir, "pkg")
	if code, out, stderr := runCLI(t, "export", "--db", src, "-o", pkg); code != 0 {
		t.Fatalf("%s%s", out, stderr)
	}
	file := filepath.Join(pkg, "assessments.csv")
	data, _ := os.ReadFile(file)
	lines := strings.Split(string(data), "\r\n")
	lines[1] = strings.Replace(lines[1], "not-rated", "maybe", 1)
	lines = append(lines[:len(lines)-1], "ML,sec-police-unit,x,yes,,,", "")
	os.WriteFile(file, []byte(strings.Join(lines, "\r\n")), 0o644)

	db := filepath.Join(dir, "dst.db")
	code, stdout, stderr := runCLI(t, "import", "--db", db, pkg)
	if code != 1 || !strings.Contains(stderr, "nothing was imported") {
		t.Fatalf("exit %d\n%s%s", code, stdout, stderr)
	}
	for _, want := range []string{
		regexp.QuoteMeta(file) + `:2:4: "maybe" is not the rating of revision 1`,
		regexp.QuoteMeta(file) + `:3:3: revision: "x" is not a whole number`,
		regexp.QuoteMeta(file) + `:3:7: published_at is required`,
	} {
		if !regexp.MustCompile(want).MatchString(stderr) {
			t.Errorf("stderr does not list %s:\n%s", want, stderr)
		}
	}
	if code, stdout, _ := runCLI(t, "import", "--db", db, "--dry-run", maliPage); code != 0 || !strings.Contains(stdout, "1 organisation(s)") {
		t.Errorf("the refused import wrote something: %s", stdout)
	}
}

func TestImportDryRunOfAnExport(t *testing.T) {
	dir := t.TempDir()
	src := filepath.Join(dir, "src.db")
	runCLI(t, "import", "--db", src, maliPage)
	file := filepath.Join(dir, "vigie.json")
	runCLI(t, "export", "--db", src, "-o", file)
	db := filepath.Join(dir, "dst.db")
	code, stdout, stderr := runCLI(t, "import", "--db", db, "--dry-run", file)
	if code != 0 || !strings.Contains(stdout, "dry run, nothing written") ||
		!strings.Contains(stdout, "assessment ML/extraterritoriality-extradition: 1 revision(s) restored, published revision 1") {
		t.Fatalf("dry run: exit %d\n%s%s", code, stdout, stderr)
	}
	_, stdout, _ = runCLI(t, "export", "--db", db)
	if strings.Contains(stdout, `"country": "ML"`) {
		t.Error("the dry run wrote the data")
	}
}

func TestExportAsOfAndPublished(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "vigie.db")
	runCLI(t, "import", "--db", db, maliPage)
	code, stdout, _ := runCLI(t, "export", "--db", db, "--as-of", "2000-01-01")
	if code != 0 || !strings.Contains(stdout, `"as_of": "2000-01-01"`) || !strings.Contains(stdout, `"assessments": []`) {
		t.Errorf("as of 2000: exit %d, %.300s", code, stdout)
	}
	code, stdout, _ = runCLI(t, "export", "--db", db, "--published")
	if code != 0 || !strings.Contains(stdout, `"scope": "published"`) || strings.Contains(stdout, "(vigie import)") {
		t.Errorf("published: exit %d", code)
	}
	if code, _, stderr := runCLI(t, "export", "--db", db, "--as-of", "yesterday"); code != 1 || !strings.Contains(stderr, "is not a day") {
		t.Errorf("bad --as-of: exit %d, %s", code, stderr)
	}
	if code, _, stderr := runCLI(t, "export", "--db", db, "--format", "pdf"); code != 1 || !strings.Contains(stderr, "unknown --format") {
		t.Errorf("bad --format: exit %d, %s", code, stderr)
	}
}

func TestEditionPublishListAndExport(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "vigie.db")
	runCLI(t, "import", "--db", db, maliPage)
	now = func() time.Time { return time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC) }
	defer func() { now = time.Now }()
	code, stdout, stderr := runCLI(t, "edition", "publish", "2026", "--db", db)
	if code != 0 || !regexp.MustCompile(`published the 2026 edition: 2026-01-02T03:04:05Z, \d+ bytes, data version \d+\nsha256 [0-9a-f]{64}`).MatchString(stdout) {
		t.Fatalf("publish: exit %d\n%s%s", code, stdout, stderr)
	}
	sha := regexp.MustCompile(`sha256 ([0-9a-f]{64})`).FindStringSubmatch(stdout)[1]
	if code, _, stderr := runCLI(t, "edition", "publish", "2026", "--db", db); code != 1 || !strings.Contains(stderr, "never change") {
		t.Errorf("publishing 2026 twice: exit %d, %s", code, stderr)
	}
	code, stdout, _ = runCLI(t, "edition", "list", "--db", db)
	if code != 0 || !strings.Contains(stdout, "2026") || !strings.Contains(stdout, sha) {
		t.Errorf("list: %s", stdout)
	}
	// The JSON export of an edition is its frozen snapshot.
	file := filepath.Join(dir, "2026.json")
	if code, out, stderr := runCLI(t, "export", "--db", db, "--edition", "2026", "-o", file); code != 0 {
		t.Fatalf("export --edition: %s%s", out, stderr)
	}
	data, _ := os.ReadFile(file)
	if got := sha256Hex(data); got != sha {
		t.Errorf("exported edition has SHA-256 %s, the edition %s", got, sha)
	}
	if code, _, stderr := runCLI(t, "export", "--db", db, "--edition", "1999"); code != 1 || !strings.Contains(stderr, "no edition") {
		t.Errorf("unknown edition: exit %d, %s", code, stderr)
	}
	if code, _, _ := runCLI(t, "edition"); code != 2 {
		t.Errorf("edition without a subcommand: exit %d", code)
	}
}

func sha256Hex(data []byte) string {
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:])
}

// A text longer than a spreadsheet cell holds made "vigie export -o
// x.xlsx", "vigie site" and an edition's XLSX fail (issue 13, finding 4).
// They all work now, and the workbook imports back identically.
func TestLongTextInEveryDownload(t *testing.T) {
	dir, db := importedMali(t)
	plain := filepath.Join(dir, "plain.json")
	if code, out, stderr := runCLI(t, "export", "--db", db, "-o", plain); code != 0 {
		t.Fatalf("export: %s%s", out, stderr)
	}
	data, _ := os.ReadFile(plain)
	// A news story of 40,000 characters.
	at := bytes.Index(data, []byte(`"news": [`)) + len(`"news": [`)
	story := `{"slug": "long", "title": "A long story", "date": "2026-01-01", "summary": "Long.", "body": "` +
		strings.Repeat("Long text, é中😀 ", 2500) + `", "featured": false}`
	if data[at] != ']' {
		story += ","
	}
	data = append(append(data[:at:at], story...), data[at:]...)
	longFile := filepath.Join(dir, "long.json")
	os.WriteFile(longFile, data, 0o644)
	longDB := filepath.Join(dir, "long.db")
	if code, out, stderr := runCLI(t, "import", "--db", longDB, longFile); code != 0 {
		t.Fatalf("import of the long text: %s%s", out, stderr)
	}
	for _, args := range [][]string{
		{"export", "--db", longDB, "-o", filepath.Join(dir, "long.xlsx")},
		{"site", "--db", longDB, "-o", filepath.Join(dir, "site")},
		{"edition", "publish", "2026", "--db", longDB},
		{"export", "--db", longDB, "--edition", "2026", "-o", filepath.Join(dir, "2026.xlsx")},
		{"import", "--db", filepath.Join(dir, "back.db"), filepath.Join(dir, "long.xlsx")},
		{"export", "--db", filepath.Join(dir, "back.db"), "-o", filepath.Join(dir, "back.json")},
		{"export", "--db", longDB, "-o", filepath.Join(dir, "long-again.json")},
	} {
		if code, out, stderr := runCLI(t, args...); code != 0 {
			t.Fatalf("vigie %s: exit %d\n%s%s", strings.Join(args, " "), code, out, stderr)
		}
	}
	if !sameFiles(t, filepath.Join(dir, "back.json"), filepath.Join(dir, "long-again.json")) {
		t.Error("the workbook with a long text did not import back identically")
	}
}
