package main

import (
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// vigie site writes the imported reference page's site as files that
// link to each other relatively: every href and src of every page names
// a file of the copy. (The browser test in web/ opens such a copy from
// disk in Chromium.)
func TestSiteCommand(t *testing.T) {
	dir, db := importedMali(t)
	site := filepath.Join(dir, "site")
	code, out, stderr := runCLI(t, "site", "--db", db, "-o", site)
	if code != 0 {
		t.Fatalf("vigie site: exit %d\n%s%s", code, out, stderr)
	}
	if !regexp.MustCompile(`^Wrote \d+ pages and \d+ other files`).MatchString(out) {
		t.Errorf("summary %q", out)
	}
	if stderr != "" {
		t.Errorf("a pipe got progress or warnings: %q", stderr)
	}
	for _, f := range []string{"index.html", "fr/countries/mali/index.html", "es/countries/mali/index.html", "data/index.html"} {
		if _, err := os.Stat(filepath.Join(site, f)); err != nil {
			t.Errorf("no %s", f)
		}
	}
	b, err := os.ReadFile(filepath.Join(site, "es/countries/mali/index.html"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), `<html lang="es">`) || !strings.Contains(string(b), "<h1>Malí</h1>") {
		t.Error("the Spanish page of Mali is not in Spanish")
	}

	attr := regexp.MustCompile(`\b(?:href|src)="([^"]*)"`)
	pages := 0
	filepath.WalkDir(site, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".html") {
			return err
		}
		pages++
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		for _, m := range attr.FindAllStringSubmatch(string(b), -1) {
			u, err := url.Parse(strings.ReplaceAll(m[1], "&amp;", "&"))
			if err != nil || u.Scheme != "" || u.Path == "" {
				continue
			}
			if strings.HasPrefix(u.Path, "/") {
				t.Errorf("%s: absolute link %q", p, m[1])
				continue
			}
			if _, err := os.Stat(filepath.Join(filepath.Dir(p), filepath.FromSlash(u.Path))); err != nil {
				t.Errorf("%s: %q leads to nothing", p, m[1])
			}
		}
		return nil
	})
	if pages < 700 {
		t.Errorf("only %d pages", pages)
	}

	if code, _, _ := runCLI(t, "site", "--db", db, "-o", site); code != 1 {
		t.Errorf("into a folder that is not empty: exit %d, want 1", code)
	}
	if code, _, _ := runCLI(t, "site", "--db", db); code != 2 {
		t.Errorf("without -o: exit %d, want 2", code)
	}
}

// An offline copy is brought up to date in place: new pages appear, pages
// that went are removed, unchanged files are not rewritten, and a folder
// that is not a copy is never touched.
func TestSiteUpdate(t *testing.T) {
	dir, db := importedMali(t)
	site := filepath.Join(dir, "site")
	if code, out, stderr := runCLI(t, "site", "--db", db, "-o", site); code != 0 {
		t.Fatalf("vigie site: %s%s", out, stderr)
	}
	css, _ := filepath.Glob(filepath.Join(site, "static", "*.css"))
	if len(css) != 1 {
		t.Fatalf("stylesheets %v", css)
	}
	old := time.Now().Add(-time.Hour).Truncate(time.Second)
	os.Chtimes(css[0], old, old)
	stale := filepath.Join(site, "countries", "atlantis", "index.html")
	os.MkdirAll(filepath.Dir(stale), 0o755)
	os.WriteFile(stale, []byte("a page the site no longer has"), 0o644)

	if code, out, stderr := runCLI(t, "import", "--db", db, "../../pageformat/testdata/gambia.txt"); code != 0 {
		t.Fatalf("second import: %s%s", out, stderr)
	}
	code, out, stderr := runCLI(t, "site", "--db", db, "-o", site, "--update")
	if code != 0 || !regexp.MustCompile(`^Updated .* \d+ unchanged, 1 removed`).MatchString(out) {
		t.Fatalf("vigie site --update: exit %d\n%s%s", code, out, stderr)
	}
	if _, err := os.Stat(stale); err == nil {
		t.Error("the page the site no longer has is still there")
	}
	if _, err := os.Stat(filepath.Dir(stale)); err == nil {
		t.Error("its empty folder is still there")
	}
	if st, err := os.Stat(css[0]); err != nil || !st.ModTime().Equal(old) {
		t.Errorf("the unchanged stylesheet was rewritten: %v", err)
	}
	b, err := os.ReadFile(filepath.Join(site, "organisations", "index.html"))
	if err != nil || !strings.Contains(string(b), "Gambia") {
		t.Errorf("the directory does not list the Gambia's organisations: %v", err)
	}

	other := filepath.Join(dir, "documents")
	os.MkdirAll(other, 0o755)
	os.WriteFile(filepath.Join(other, "notes.txt"), []byte("keep me"), 0o644)
	if code, _, stderr := runCLI(t, "site", "--db", db, "-o", other, "--update"); code != 1 || !strings.Contains(stderr, "not a copy of the site") {
		t.Errorf("--update on another folder: exit %d %s", code, stderr)
	}
	if b, err := os.ReadFile(filepath.Join(other, "notes.txt")); err != nil || string(b) != "keep me" {
		t.Error("--update touched a folder that is not a copy")
	}
	if code, _, stderr := runCLI(t, "site", "--db", db, "-o", site); code != 1 || !strings.Contains(stderr, "--update") {
		t.Errorf("writing over a copy without --update: exit %d %s", code, stderr)
	}
}
