package main

import (
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// vigie site writes the imported reference page's site as files that
// link to each other relatively: every href and src of every page names
// a file of the copy. (The browser test in web/ opens such a copy from
// disk in Chromium.)
func TestSiteCommand(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "vigie.db")
	if code, out, stderr := runCLI(t, "import", "--db", db, maliPage); code != 0 {
		t.Fatalf("import: exit %d\n%s%s", code, out, stderr)
	}
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
